import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium: the browser tests drive it and never download one. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Launches Debian's Chromium headless, with nothing that reaches out on its own (updates, sync, background networking).
 * @example const browser = await launchChromium(); try { ... } finally { await browser.close() }
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page opened by openLoopbackPage, with what it tried to reach elsewhere and the CSP violations it reported. */
export interface LoopbackPage {
  readonly page: Page;
  /** URLs the page asked for outside `origin`: each was aborted as if there were no internet. */
  readonly outside: string[];
  /** Console messages about the Content-Security-Policy. */
  readonly cspViolations: string[];
}

/**
 * Opens `origin + path` in a new context of `width` × 900 px that may reach `origin` only (swx on loopback); any
 * other request is aborted and recorded, and CSP violations are collected.
 * @example const { page, outside, cspViolations } = await openLoopbackPage(browser, swx.url, '/console')
 */
export async function openLoopbackPage(browser: Browser, origin: string, path: string, width = 1400): Promise<LoopbackPage> {
  const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
  const outside: string[] = [];
  const cspViolations: string[] = [];
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith(origin)) return route.continue();
    outside.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
  });
  await page.goto(`${origin}${path}`);
  return { page, outside, cspViolations };
}
