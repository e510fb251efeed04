import { type Browser, chromium } from 'playwright-core';

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
