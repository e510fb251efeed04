import { existsSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeReport } from '../../src/core/report/exchange-report.js';
import { Faults } from '../../src/runtime/simulator/faults.js';
import { call, submitExport } from '../helpers/api-client.js';
import { CHROMIUM, launchChromium, openLoopbackPage } from '../helpers/chromium.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { partnerGateway } from '../helpers/partner-gateway.js';
import { partnersDirWith } from '../helpers/partners-dir.js';
import { asServiceUnderTest, startTestService, type TestService, waitFor } from '../helpers/service.js';
import { anEphyto, WORKED_EPHYTO } from '../helpers/sps-certificates.js';

/**
 * The console's dashboard, operator and agency views in Chromium, against a real swx on loopback: the dashboard's
 * tables hold the MIS report's numbers, an admin re-drives a dead letter, plant protection accepts an inbound ePhyto.
 * With SCREENSHOTS=1 each view is saved at 1,400 and 420 pixels wide into docs/console/ (README shows them).
 */

interface PartnerView {
  readonly id: string;
  readonly delivery: { readonly deadLetters: number; readonly queueDepth: number; readonly circuit: string | null } | null;
  readonly certificate: { readonly daysLeft: number } | null;
}

const SCREENSHOTS = process.env['SCREENSHOTS'] === '1' ? new URL('../../docs/console/', import.meta.url) : undefined;

let swx: TestService;
let officer: string;
let ppd: string;
let browser: Browser;
let deadLetter: string;
let ephytoNumber: string;

/** The console in a page that may reach the service on loopback only. */
const consolePage = (width = 1400) => openLoopbackPage(browser, swx.url, '/console', width);

async function signIn(page: Page, token: string, hash: string): Promise<void> {
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: /^Sign in/ }).click();
  await expect.poll(() => page.locator('#view-root .view').count()).toBe(1);
  await page.evaluate((next) => {
    (globalThis as unknown as { location: { hash: string } }).location.hash = next;
  }, hash);
}

/**
 * Shows the page 1,400 px and then 420 px wide, runs `check` at each width, and saves it as docs/console/<name>-<width>.png
 * (with SCREENSHOTS=1); at 420 px nothing may widen the page beyond the screen.
 */
async function atBothWidths(page: Page, name: string, check: (page: Page) => Promise<void> = () => Promise.resolve()): Promise<void> {
  for (const width of [1400, 420]) {
    await page.setViewportSize({ width, height: 900 });
    await check(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    if (SCREENSHOTS === undefined) continue;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: new URL(`${name}-${width}.png`, SCREENSHOTS).pathname, fullPage: true });
  }
  await page.setViewportSize({ width: 1400, height: 900 });
}

/** A table's body as rows of [row header, ...data-value of each cell]. */
const tableValues = (page: Page, id: string) =>
  page
    .locator(`#${id} tbody tr`)
    .evaluateAll((rows) =>
      rows.map((tr) => [
        tr.querySelector('th')?.textContent ?? '',
        ...Array.from(tr.querySelectorAll('td')).map((td) => (td.getAttribute('data-value') === '' ? null : Number(td.getAttribute('data-value')))),
      ]),
    );

beforeAll(async () => {
  swx = await startTestService({ SWX_PARTNERS_DIR: partnersDirWith({ SG: { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } } }) });
  swx.service.simulators.get('SG')?.setFaults(Faults.parse({ errorRate: 1 }));
  const trader = await swx.createKey('trader', '0301234567');
  officer = await swx.createKey('officer', 'VN-CUSTOMS', 'Officer Tran');
  ppd = await swx.createKey('agency', 'VN-PPD', 'Plant Protection Officer Le');
  const submitted: Record<string, string[]> = { GREEN: [], YELLOW: [], RED: [] };
  for (const channel of ['GREEN', 'GREEN', 'YELLOW', 'YELLOW', 'YELLOW', 'RED'] as const) {
    submitted[channel]?.push((await submitExport(swx, trader, anExportDeclaration({ channel }))).id);
  }
  const toSingapore = await submitExport(swx, trader, anExportDeclaration({ channel: 'GREEN', destination: 'SG' }));
  const decide = async (id: string | undefined, action: string) => {
    const decided = await call(swx, officer, 'POST', `/v1/clearances/${id}/decision`, { action, reason: 'Documents checked' });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  };
  for (const id of (submitted['YELLOW'] ?? []).slice(0, 2)) await decide(id, 'release');
  await decide(submitted['RED']?.[0], 'inspect');
  await decide(submitted['RED']?.[0], 'release');
  const [dead] = await waitFor(
    () => Promise.resolve(swx.query<{ message_id: string; state: string }>("SELECT message_id, state FROM outbox WHERE partner_id = 'SG'")),
    (rows) => rows[0]?.state === 'DEAD_LETTER',
  );
  deadLetter = dead?.message_id ?? '';
  expect((await call<{ status: string }>(swx, officer, 'GET', `/v1/declarations/${toSingapore.id}`)).body.status).toBe('RELEASED');
  ephytoNumber = `ID-EPHYTO-CONSOLE-${process.pid}`;
  const delivery = await partnerGateway(asServiceUnderTest(swx), 'ID').send('EPHYTO', anEphyto(ephytoNumber));
  expect(delivery.status).toBe(200);
  if (existsSync(CHROMIUM)) browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await swx?.close();
});

describe.skipIf(!existsSync(CHROMIUM))('the console’s work views in a browser with no internet', () => {
  it('shows an officer a dashboard whose tables hold the MIS report’s numbers, with uPlot charts under the CSP', async () => {
    const { page, outside, cspViolations } = await consolePage();
    await signIn(page, officer, '#dashboard');
    await expect.poll(() => page.locator('#declarations-per-day-table tbody tr').count()).toBeGreaterThan(0);
    const from = await page.locator('#dashboard-from').inputValue();
    const to = await page.locator('#dashboard-to').inputValue();
    const report = (await call<ExchangeReport>(swx, officer, 'GET', `/v1/reports/exchange?from=${from}&to=${to}`)).body;
    expect(report.declarations.submitted).toBe(7);

    expect(await tableValues(page, 'declarations-per-day-table')).toEqual(
      report.declarations.perDay.map((day) => [day.day, day.GREEN, day.YELLOW, day.RED, day.total]),
    );
    expect(await tableValues(page, 'clearance-times-table')).toEqual(
      (['GREEN', 'YELLOW', 'RED'] as const).map((channel) => [
        channel,
        report.clearance.byChannel[channel].p90,
        report.clearance.byChannel[channel].p50,
      ]),
    );
    const types = Object.keys(report.messages.byDocumentType);
    const volume = await tableValues(page, 'exchange-volume-table');
    expect(volume.map((row) => row[0])).toEqual(Object.keys(report.messages.byPartner));
    for (const [partner, ...values] of volume) {
      const sums = types.map((type) =>
        report.messages.counts
          .filter((count) => count.partner === partner && count.documentType === type)
          .reduce((sum, count) => sum + count.count, 0),
      );
      expect(values).toEqual([...sums, report.messages.byPartner[String(partner)]]);
    }
    expect(volume.find((row) => row[0] === 'SG')).toBeDefined();
    expect(await page.locator('#release-summary').textContent()).toContain(`Released in the period: ${report.clearance.released}`);

    const partners = (await call<{ items: PartnerView[] }>(swx, officer, 'GET', '/v1/partners')).body.items;
    const sg = partners.find((partner) => partner.id === 'SG');
    const sgRow = page.locator('#partners-health tbody tr[data-partner="SG"] td');
    expect(await sgRow.nth(1).textContent()).toBe(sg?.delivery?.circuit ?? 'unknown');
    expect(await sgRow.nth(4).textContent()).toBe(String(sg?.delivery?.deadLetters));
    expect(sg?.delivery?.deadLetters).toBe(1);

    for (const chart of ['declarations-per-day', 'clearance-times', 'exchange-volume']) {
      await expect.poll(() => page.locator(`#${chart}-chart canvas`).count()).toBe(1);
      expect(await page.locator(`#${chart}-chart`).getAttribute('role')).toBe('img');
      expect(await page.locator(`#${chart}-chart`).getAttribute('aria-label')).toMatch(/^Bar chart: .*The table below has the numbers\.$/);
    }
    expect(
      await page
        .locator('.u-wrap')
        .first()
        .evaluate((node) => getComputedStyle(node).position),
    ).toBe('relative');
    await atBothWidths(page, 'dashboard', async (shown) => {
      await expect
        .poll(() =>
          shown
            .locator('#exchange-volume-chart canvas')
            .boundingBox()
            .then((box) => Math.round(box?.width ?? 0)),
        )
        .toBeLessThanOrEqual(shown.viewportSize()?.width ?? 0);
    });
    expect(cspViolations).toEqual([]);
    expect(outside).toEqual([]);
  });

  it('lets an admin re-drive a dead letter from the operator view once the partner is back, and it is delivered', async () => {
    const { page, outside, cspViolations } = await consolePage();
    await signIn(page, swx.adminToken, '#operator');
    const row = page.locator(`#dead-letters tbody tr[data-message-id="${deadLetter}"]`);
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('td').nth(1).textContent()).toBe('SG');
    expect(await row.locator('td').nth(3).textContent()).toMatch(/503/);

    const partners = (await call<{ items: PartnerView[] }>(swx, swx.adminToken, 'GET', '/v1/partners')).body.items;
    const th = page.locator('#partner-certificates tbody tr[data-partner="TH"] td');
    expect(await th.nth(3).textContent()).toBe(String(partners.find((partner) => partner.id === 'TH')?.certificate?.daysLeft));
    const checkpoint = (await call<{ treeSize: number; verifierKey: string }>(swx, swx.adminToken, 'GET', '/v1/ledger/checkpoint')).body;
    expect(Number(await page.locator('#ledger-status dd[data-term="size"]').textContent())).toBeGreaterThan(0);
    expect(Number(await page.locator('#ledger-status dd[data-term="size"]').textContent())).toBeLessThanOrEqual(checkpoint.treeSize);
    expect(await page.locator('#ledger-verify-command').textContent()).toBe(
      `npx swx ledger verify --data-dir <SWX_DATA_DIR> --key '${checkpoint.verifierKey}'`,
    );
    await atBothWidths(page, 'operator');

    swx.service.simulators.get('SG')?.setFaults(Faults.parse({}));
    await row.getByRole('button', { name: `Re-drive message ${deadLetter} to SG` }).click();
    await expect.poll(() => page.locator('#dead-letters-done').textContent()).toBe(`Re-queued for SG: ${deadLetter}`);
    await expect.poll(() => row.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('dead-letters-done');
    await waitFor(
      () => Promise.resolve(swx.query<{ state: string }>('SELECT state FROM outbox WHERE message_id = ?', deadLetter)),
      (rows) => rows[0]?.state === 'DELIVERED',
    );
    expect(cspViolations).toEqual([]);
    expect(outside).toEqual([]);
  });

  it('lets plant protection accept an inbound ePhyto from its worklist, recorded in the ledger and on the certificate', async () => {
    const { page, outside, cspViolations } = await consolePage();
    await signIn(page, ppd, '#worklist');
    const row = page.locator('#worklist tbody tr', { hasText: ephytoNumber });
    await expect.poll(() => row.count()).toBe(1);
    const certificateId = (await row.getAttribute('data-certificate-id')) ?? '';
    expect(await row.locator('td').nth(3).textContent()).toBe('RECEIVED');

    await row.getByRole('button', { name: `Acknowledge ${ephytoNumber}` }).click();
    const fact = (term: string) => page.locator(`#certificate-facts dd[data-term="${term}"]`);
    await expect.poll(() => fact('consignee').textContent()).toBe(WORKED_EPHYTO.consignment.consignee.name);
    expect(await fact('goods').locator('li').first().textContent()).toContain(WORKED_EPHYTO.consignment.items[0]?.descriptions[0] ?? '?');
    expect(await fact('issuer-signature').textContent()).toBe('none in the document');
    await page.locator('input[name="sps-decision"][value="REJECTED"]').check();
    await page.getByRole('button', { name: /^Send the acknowledgement/ }).click();
    await expect
      .poll(() => page.locator('#acknowledgement-problem').textContent())
      .toBe('A rejection needs a reason: the issuing country is told why.');
    await atBothWidths(page, 'agency');

    // By keyboard from the reason box the problem sent the focus to: back to the decision, accept, a note, send.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('acknowledgement-reason');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('input[name="sps-decision"][value="ACCEPTED"]').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Consignment matches the phytosanitary certificate');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#acknowledgement-done').textContent())
      .toMatch(new RegExp(`^EPHYTO ${ephytoNumber} ACCEPTED: ledger entry \\d+`));
    const ledgerIndex = Number(/ledger entry (\d+)/.exec((await page.locator('#acknowledgement-done').textContent()) ?? '')?.[1]);
    await expect.poll(() => row.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('acknowledgement-done');

    const certificate = await call<{ status: string }>(swx, ppd, 'GET', `/v1/certificates/${certificateId}`);
    expect(certificate.body.status).toBe('ACCEPTED');
    const entries = await call<{ entries: { index: number; type: string; subject: string }[] }>(
      swx,
      officer,
      'GET',
      `/v1/ledger/entries?start=${ledgerIndex}&end=${ledgerIndex}`,
    );
    expect(entries.body.entries[0]).toMatchObject({ index: ledgerIndex, type: 'CERTIFICATE_ACKNOWLEDGED', subject: certificateId });
    expect(cspViolations).toEqual([]);
    expect(outside).toEqual([]);
  });
});
