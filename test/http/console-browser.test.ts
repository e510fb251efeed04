import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium, openLoopbackPage } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/api-client.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

const EXPORTER = '0301234567';
const HOSTILE_NAME = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

interface Submitted {
  readonly id: string;
  readonly declarationNumber: string;
  readonly ledgerIndex: number;
}
interface History {
  readonly status: string;
  readonly allowedActions: string[];
  readonly history: { ledgerIndex: number; type: string; messageId?: string }[];
  readonly decisions: { action: string; reason: string }[];
}

let swx: TestService;
let officer: string;
let trader: string;
let browser: Browser;
let yellow: Submitted[];
let hostile: Submitted;

async function submit(options: Parameters<typeof anExportDeclaration>[0] = {}): Promise<Submitted> {
  const answer = await call<Submitted>(swx, trader, 'POST', '/v1/declarations', anExportDeclaration({ channel: 'YELLOW', ...options }));
  expect(answer.status).toBe(202);
  return answer.body;
}

const historyOf = async (id: string) => (await call<History>(swx, officer, 'GET', `/v1/clearances/${id}`)).body;

/** The console in a page that may reach the service on loopback only. */
const consolePage = () => openLoopbackPage(browser, swx.url, '/console');

async function signIn(page: Page, token: string): Promise<void> {
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const summaryValue = (page: Page, term: string) => page.locator(`#detail-summary dd[data-term="${term}"]`);
const actionChoices = (page: Page) =>
  page
    .locator('#decision-actions input[name="action"]')
    .evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value));

async function decide(page: Page, action: string, reason: string): Promise<void> {
  await page.locator(`#decision-actions input[value="${action}"]`).check();
  await page.locator('#decision-reason').fill(reason);
  await page.getByRole('button', { name: 'Record the decision' }).click();
}

beforeAll(async () => {
  swx = await startTestService();
  officer = await swx.createKey('officer', 'VN-CUSTOMS', 'Officer Nguyen');
  trader = await swx.createKey('trader', EXPORTER);
  hostile = await submit({ exporterName: HOSTILE_NAME });
  yellow = [];
  for (let i = 0; i < 10; i += 1) yellow.push(await submit());
  if (!existsSync(CHROMIUM)) return;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await swx?.close();
});

describe('GET /console', () => {
  it('is an HTML page with a strict CSP, no inline script or style, left out of the API document', async () => {
    const response = await fetch(`${swx.url}/console`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const script = await fetch(`${swx.url}/console/console.js`);
    expect(script.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    expect(await script.text()).not.toContain('innerHTML');
    const document = (await (await fetch(`${swx.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/console'))).toEqual([]);
  });
});

describe.skipIf(!existsSync(CHROMIUM))('the officer console in a browser with no internet', () => {
  it('refuses a wrong token and a trader’s token with the problem’s detail, on the login form', async () => {
    const { page, outside } = await consolePage();
    await signIn(page, 'swx_not-a-real-token');
    await expect.poll(() => page.locator('#login-error').textContent()).toBe('the bearer token is unknown or revoked');
    expect(await page.locator('#filter-form').count()).toBe(0);
    await signIn(page, trader);
    await expect
      .poll(() => page.locator('#login-error').textContent())
      .toBe('role trader may not use the console (it serves officer, admin, agency)');
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length)).toBe(0);
    expect(outside).toEqual([]);
  });

  it('lists, filters and pages declarations, showing a trader’s name with <script> as text', async () => {
    const { page, outside, cspViolations } = await consolePage();
    await signIn(page, officer);
    await page.getByRole('link', { name: 'Declarations' }).click();
    const rows = page.locator('#clearances tbody tr');
    await expect.poll(() => rows.count()).toBe(11);

    const hostileRow = rows.filter({ hasText: hostile.declarationNumber });
    expect(await hostileRow.locator('td').nth(5).textContent()).toBe(HOSTILE_NAME);
    expect(await page.locator('#clearances script, #clearances img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    await page.locator('#filter-channel').selectOption('YELLOW');
    await page.locator('#filter-limit').selectOption('10');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(10);
    // Newest first: the hostile one, submitted first, is on the second page.
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(hostile.declarationNumber)]);
    expect(await page.getByRole('button', { name: 'Next page' }).isVisible()).toBe(false);

    await page.locator('#filter-q').fill(yellow[3]!.declarationNumber);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(yellow[3]!.declarationNumber)]);

    await page.locator('#filter-q').fill('');
    await page.locator('#filter-status').selectOption('RELEASED');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('#list-empty').isVisible()).toBe(true);
    expect(outside).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('shows a declaration’s history with ledger indexes and raw messages, and records hold then release', async () => {
    const target = yellow[0]!;
    const before = await waitFor(
      () => historyOf(target.id),
      (view) => view.history.some((step) => step.type === 'MESSAGE_DELIVERED'),
    );
    const { page, outside, cspViolations } = await consolePage();
    await signIn(page, officer);
    await page.getByRole('link', { name: 'Declarations' }).click();
    await page.locator('#clearances a', { hasText: target.declarationNumber }).click();

    await expect.poll(() => page.locator('#detail-title').textContent()).toBe(`Export declaration ${target.declarationNumber}`);
    expect(await summaryValue(page, 'status').textContent()).toBe('UNDER_REVIEW');
    expect(await summaryValue(page, 'channel').textContent()).toBe('YELLOW');
    expect(await page.locator('#channel-reasons li').first().textContent()).toMatch(/\S+: \S/);
    const indexes = await page
      .locator('#history > li')
      .evaluateAll((trs) => trs.map((tr) => (tr as unknown as { dataset: { ledgerIndex: string } }).dataset.ledgerIndex));
    expect(indexes.map(Number)).toEqual(before.history.map((step) => step.ledgerIndex));
    const accepted = page.locator(`#history > li[data-ledger-index="${target.ledgerIndex}"]`);
    expect(await accepted.getAttribute('data-type')).toBe('DECLARATION_ACCEPTED');
    expect(await accepted.locator('.what').textContent()).toBe(`Accepted as declaration ${target.declarationNumber}`);

    const delivered = before.history.find((step) => step.type === 'MESSAGE_DELIVERED')!;
    await page.locator(`#history > li[data-ledger-index="${delivered.ledgerIndex}"] button`).click();
    await expect.poll(() => page.locator('#message-envelope').textContent()).toContain('<');
    expect(await page.locator('#message-title').textContent()).toContain(delivered.messageId!);
    expect(await page.locator('#message-receipt').textContent()).toContain('Receipt');

    expect(await actionChoices(page)).toEqual(['release', 'hold', 'inspect', 'reject']);
    await page.locator('#decision-actions input[value="hold"]').check();
    await page.getByRole('button', { name: 'Record the decision' }).click();
    expect((await historyOf(target.id)).status).toBe('UNDER_REVIEW');

    await decide(page, 'hold', 'Certificate of origin to be checked with the exporter');
    await expect.poll(() => summaryValue(page, 'status').textContent()).toBe('HELD');
    expect(await page.locator('#decision-done').textContent()).toMatch(/^Hold recorded: UNDER_REVIEW → HELD \(ledger index \d+\)\.$/);
    expect(await actionChoices(page)).toEqual(['release', 'inspect', 'reject']);

    await decide(page, 'release', 'Certificate of origin confirmed');
    await expect.poll(() => summaryValue(page, 'status').textContent()).toBe('RELEASED');
    expect(await page.locator('#decision-form').isVisible()).toBe(false);
    expect(await page.locator('#no-decision').textContent()).toBe('No decision is possible while the declaration is RELEASED.');
    const after = await historyOf(target.id);
    expect(after.status).toBe('RELEASED');
    expect(after.decisions.map((d) => [d.action, d.reason])).toEqual([
      ['hold', 'Certificate of origin to be checked with the exporter'],
      ['release', 'Certificate of origin confirmed'],
    ]);
    expect(await page.locator('#decisions li').allTextContents()).toEqual([
      expect.stringContaining('hold by Officer Nguyen (VN-CUSTOMS): Certificate of origin to be checked with the exporter'),
      expect.stringContaining('release by Officer Nguyen (VN-CUSTOMS): Certificate of origin confirmed'),
    ]);
    expect(await page.locator('#history > li[data-type="DECISION_RECORDED"]').count()).toBe(2);
    expect(outside).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('sends what it showed as If-Match: a 409 is a readable message when another officer decided first, and the status as it is now', async () => {
    const target = yellow[1]!;
    const { page } = await consolePage();
    const preconditions: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') preconditions.push(request.headers()['if-match']);
    });
    await signIn(page, officer);
    await page.goto(`${swx.url}/console#clearance?id=${target.id}`);
    await expect.poll(() => summaryValue(page, 'status').textContent()).toBe('UNDER_REVIEW');
    // Another officer puts it on hold meanwhile; releasing from what the console shows would be a lost update.
    const other = await call(swx, officer, 'POST', `/v1/clearances/${target.id}/decision`, { action: 'hold', reason: 'Price check' });
    expect(other.status).toBe(200);

    await decide(page, 'release', 'Documents in order');
    await expect
      .poll(() => page.locator('#decision-problem').textContent())
      .toMatch(/changed since it was read: .* it is now HELD \(was UNDER_REVIEW\), after hold by officer VN-CUSTOMS/);
    expect(preconditions).toEqual([expect.stringMatching(/^"UNDER_REVIEW@\d+"$/)]);
    expect(await summaryValue(page, 'status').textContent()).toBe('HELD');
    expect((await historyOf(target.id)).decisions.map((d) => d.action)).toEqual(['hold']);
  });

  it('shows the hostile trader name as text in the history view too', async () => {
    const { page } = await consolePage();
    await signIn(page, officer);
    await page.goto(`${swx.url}/console#clearance?id=${hostile.id}`);
    await expect.poll(() => summaryValue(page, 'trader').textContent()).toBe(HOSTILE_NAME);
    expect(await page.locator('#detail-view script, #detail-view img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
