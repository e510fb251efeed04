import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formDSpec } from '../../message-schemas/form-d/1/schema.js';
import type { ImportDeclaration } from '../../message-schemas/import-declaration/1/schema.js';
import { encodeDocumentXml } from '../../src/core/document/xml-mapping.js';
import { call } from '../helpers/api-client.js';
import { CHROMIUM, launchChromium, type LoopbackPage, openLoopbackPage } from '../helpers/chromium.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { aFormD, anImportCiting, WORKED_IMPORT } from '../helpers/import-preference.js';
import { partnerGateway } from '../helpers/partner-gateway.js';
import { startTestService, type TestService, waitFor } from '../helpers/service.js';
import { anEphyto, aYellowImportNeeding, WORKED_SPS_IMPORT } from '../helpers/sps-certificates.js';

/**
 * An officer's work in the console, in Chromium against a real swx on loopback with its partner simulators: an export
 * to Thailand, an import under an e-Form D from Thailand and an import waiting for an Indonesian ePhyto, each found in
 * the queue, read (goods, parties, documents, history with ledger proofs checked in the browser, signed messages) and
 * decided from the console alone; a decision on a declaration another officer changed meanwhile is a readable 409.
 * With SCREENSHOTS=1 the queue, the list, a declaration and its history are saved at 1,400 and 420 pixels wide into
 * docs/console/ (README shows them).
 */

const SCREENSHOTS = process.env['SCREENSHOTS'] === '1' ? new URL('../../docs/console/', import.meta.url) : undefined;
const OFFICER_NAME = 'Nguyễn Thị Lan';

interface Submitted {
  readonly id: string;
  readonly declarationNumber: string;
  readonly status: string;
}
interface Clearance {
  readonly status: string;
  readonly decisions: readonly { action: string; officerName: string }[];
  readonly history: readonly { type: string; ledgerIndex: number }[];
  readonly documents: readonly { documentType: string; receipted: boolean }[];
}

let swx: TestService;
let officer: string;
let browser: Browser;
let exported: Submitted;
let imported: Submitted;
let sps: Submitted;
let conflicted: Submitted;

const clearance = async (id: string) => (await call<Clearance>(swx, officer, 'GET', `/v1/clearances/${id}`)).body;

async function submit(token: string, declaration: unknown): Promise<Submitted> {
  const answer = await call<Submitted>(swx, token, 'POST', '/v1/declarations', declaration);
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return answer.body;
}

/** The worked e-Form D import with values 20 times as high: yellow, so it waits for an officer. */
function aYellowImportCiting(reference: string): ImportDeclaration {
  const declaration = anImportCiting(reference);
  return {
    ...declaration,
    items: declaration.items.map((item) => ({ ...item, customsValue: item.customsValue * 20 })),
    invoice: { ...declaration.invoice, totalValue: declaration.invoice.totalValue * 20 },
  };
}

beforeAll(async () => {
  swx = await startTestService();
  officer = await swx.createKey('officer', 'VN-CUSTOMS', OFFICER_NAME);
  const [exporter, importer, spsImporter, ppd] = await Promise.all([
    swx.createKey('trader', '0301234567'),
    swx.createKey('trader', WORKED_IMPORT.importer.taxId),
    swx.createKey('trader', WORKED_SPS_IMPORT.importer.taxId),
    swx.createKey('agency', 'VN-PPD', 'Plant protection desk'),
  ]);
  exported = await submit(exporter, anExportDeclaration({ channel: 'YELLOW' }));
  conflicted = await submit(exporter, anExportDeclaration({ channel: 'RED' }));

  const reference = `TH-CONSOLE-${process.pid}`;
  expect((await partnerGateway(swx, 'TH').send('FORM_D', encodeDocumentXml(formDSpec, aFormD(reference)))).receipt.status).toBe('RECEIVED');
  imported = await submit(importer, aYellowImportCiting(reference));

  const certificate = `ID-CONSOLE-${process.pid}`;
  const delivery = await partnerGateway(swx, 'ID').send('EPHYTO', anEphyto(certificate));
  expect(delivery.receipt.status).toBe('RECEIVED');
  sps = await submit(spsImporter, aYellowImportNeeding(certificate));
  expect(sps.status).toBe('AWAITING_DOCUMENTS');
  const { body: worklist } = await call<{ items: { id: string; referenceNumber: string }[] }>(swx, ppd, 'GET', '/v1/certificates?status=RECEIVED');
  const received = worklist.items.find((item) => item.referenceNumber === certificate);
  expect((await call(swx, ppd, 'POST', `/v1/certificates/${received?.id}/acknowledgement`, { decision: 'ACCEPTED' })).status).toBe(200);

  // Thailand's simulator receipts the ACDD and answers; the e-Form D's status goes back to Thailand.
  await waitFor(
    () => clearance(exported.id),
    (view) => view.history.some((step) => step.type === 'RESPONSE_RECEIVED'),
  );
  await waitFor(
    () => clearance(imported.id),
    (view) => view.documents.every((document) => document.receipted),
  );
  if (existsSync(CHROMIUM)) browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await swx?.close();
});

/** A page signed in as the officer, which may reach the service on loopback only. */
async function signedIn(width = 1400): Promise<LoopbackPage> {
  const { page, outside, cspViolations } = await openLoopbackPage(browser, swx.url, '/console', width);
  await page.locator('#token').fill(officer);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.locator('#who').textContent()).toBe(`${OFFICER_NAME} (officer, VN-CUSTOMS)`);
  return { page, outside, cspViolations };
}

const summaryValue = (page: Page, term: string) => page.locator(`#detail-summary dd[data-term="${term}"]`);

/** Opens a declaration from the queue, decides it with a reason and answers the status the console then shows. */
async function decideFromQueue(page: Page, declaration: Submitted, action: string, reason: string): Promise<void> {
  await page.getByRole('link', { name: 'My queue' }).click();
  await page.locator('#queue a', { hasText: declaration.declarationNumber }).click();
  await expect.poll(() => page.locator('#detail-title').textContent()).toContain(declaration.declarationNumber);
  await page.locator(`#decision-actions input[value="${action}"]`).check();
  await page.locator('#decision-reason').fill(reason);
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await expect.poll(() => page.locator('#decision-done').textContent()).toMatch(/recorded: .* → .* \(ledger index \d+\)\.$/);
}

/** Waits for every history step's proof to be checked, and answers what each step's proof says. */
async function proofs(page: Page): Promise<string[]> {
  const steps = page.locator('#history > li');
  await expect.poll(() => steps.count()).toBeGreaterThan(0);
  await expect.poll(() => page.locator('#history > li .proof-slot details').count(), { timeout: 10_000 }).toBe(await steps.count());
  return page.locator('#history > li .proof-slot summary').evaluateAll((summaries) => summaries.map((s) => s.getAttribute('aria-label') ?? ''));
}

/** With SCREENSHOTS=1, saves the whole page (or what the window shows) as docs/console/<name>. */
async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  if (SCREENSHOTS === undefined) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(name, SCREENSHOTS).pathname, fullPage });
}

describe.skipIf(!existsSync(CHROMIUM))('an officer working in the console', () => {
  it('finds the three declarations in the queue, oldest first, yellow and red only, each with its age', async () => {
    const { page, outside, cspViolations } = await signedIn();
    const rows = page.locator('#queue tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    const numbers = await rows.locator('td:first-child').allTextContents();
    expect(numbers).toEqual([exported.declarationNumber, conflicted.declarationNumber, imported.declarationNumber, sps.declarationNumber]);
    expect(await rows.locator('td.age').allTextContents()).toEqual(Array(4).fill(expect.stringMatching(/^\d+ min$/)));
    expect(await page.locator('#queue-note').textContent()).toBe('4 declaration(s) await a decision.');
    await screenshot(page, 'queue-1400.png');
    expect(outside).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('reads the queue a page at a time, oldest first: “Show more” adds the next page after the last row', async () => {
    const { page } = await signedIn();
    await expect.poll(() => page.locator('#queue tbody tr').count()).toBe(4);
    await page.evaluate(() => {
      window.location.hash = '#queue?limit=3';
    });
    const rows = page.locator('#queue tbody tr');
    await expect
      .poll(() => page.locator('#queue-note').textContent())
      .toBe('The oldest 3 declaration(s) awaiting a decision are shown; more wait after them.');
    expect(await rows.locator('td:first-child').allTextContents()).toEqual([exported, conflicted, imported].map((d) => d.declarationNumber));
    await page.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    expect(await rows.locator('td:first-child').allTextContents()).toEqual([exported, conflicted, imported, sps].map((d) => d.declarationNumber));
    expect(await page.locator('#queue-note').textContent()).toBe('4 declaration(s) await a decision.');
    expect(await page.getByRole('button', { name: 'Show more' }).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(sps.declarationNumber);
  });

  it('shows an export’s exporter, goods, invoice, transport, documents and a history whose every step is proved in the ledger, then releases it', async () => {
    const { page, outside, cspViolations } = await signedIn();
    await page.locator('#queue a', { hasText: exported.declarationNumber }).click();
    await expect.poll(() => summaryValue(page, 'trader').textContent()).toBe('Công ty TNHH Cà phê Tây Nguyên');
    expect(await page.locator('#goods tbody tr').count()).toBeGreaterThan(1);
    expect(await page.locator('#goods tbody tr').first().locator('td').nth(1).textContent()).toMatch(/^\d{6,10}$/);
    expect(await page.locator('#invoice dd[data-term="total"]').textContent()).toMatch(/ USD$/);
    expect(await page.locator('#transport dd[data-term="to"]').textContent()).toBe('TH, port of discharge THLCH');
    const documents = await page.locator('#documents tbody tr').allTextContents();
    expect(documents).toEqual([
      expect.stringMatching(/^SentACDDTH.*delivered; receipt RECEIVED/),
      expect.stringMatching(/^ReceivedCUSTOMS_RESPONSETH.*our receipt RECEIVED sent/),
    ]);

    expect(await page.locator('#history > li[data-type="CHANNEL_ASSIGNED"] .what').textContent()).toMatch(/^Channel YELLOW: High-value consignment/);
    expect(await page.locator('#history > li[data-type="DOCUMENT_RECEIVED"] .who').textContent()).toBe(
      'by trader 0301234567 (Công ty TNHH Cà phê Tây Nguyên)',
    );
    expect(await page.locator('#history > li time').first().textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ICT$/);
    const verdicts = await proofs(page);
    expect(verdicts).toEqual(
      Array(verdicts.length).fill(expect.stringMatching(/^Ledger index \d+: in the ledger: proved against the checkpoint of \d+ entries$/)),
    );
    expect(await page.locator('#checkpoint-status').textContent()).toMatch(
      /^✔ Latest checkpoint: \d+ entries, signed by swx\.vn-nsw\/ledger\+[0-9a-f]{8}/,
    );
    await screenshot(page, 'declaration-1400.png');

    await page.locator('#documents button', { hasText: 'ACDD' }).click();
    await expect
      .poll(() => page.locator('#message-signature').textContent())
      .toMatch(
        /^✔ Signature.*: valid; signer VN \(this single window\); certificate CN=.+, valid until \d{4}-.+, SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
      );
    expect(await page.locator('#message-envelope').textContent()).toMatch(
      /^<Envelope xmlns="urn:swx:xsd:envelope:1">\n {2}<Header>\n {4}<MessageId>/,
    );
    expect(await page.locator('#message-block details').first().getAttribute('open')).toBe('');
    await page.locator('#history > li[data-type="RESPONSE_RECEIVED"] button').click();
    await expect
      .poll(() => page.locator('#message-signature').textContent())
      .toMatch(/: valid; signer TH \(.+\); certificate CN=.+TH.*, valid until \d{4}-/);
    await page.evaluate(() => document.getElementById('history-heading')?.scrollIntoView());
    await screenshot(page, 'history-1400.png', false);

    await decideFromQueue(page, exported, 'release', 'Documents and values checked');
    expect(await summaryValue(page, 'status').textContent()).toBe('RELEASED');
    expect(await page.locator('#decisions li').allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`release by ${OFFICER_NAME} \\(VN-CUSTOMS\\): Documents and values checked$`)),
    ]);
    await expect.poll(() => page.locator('#history > li[data-type="DECISION_RECORDED"] .who').textContent()).toBe(`by ${OFFICER_NAME} (VN-CUSTOMS)`);
    expect((await clearance(exported.id)).decisions).toEqual([expect.objectContaining({ action: 'release', officerName: OFFICER_NAME })]);
    expect(outside).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('shows an import’s importer (not the consignor abroad), its e-Form D cited and the preference line by line, then releases it', async () => {
    const { page } = await signedIn();
    await page.goto(`${swx.url}/console#clearance?id=${imported.id}`);
    await expect.poll(() => summaryValue(page, 'trader').textContent()).toBe(WORKED_IMPORT.importer.name);
    expect(WORKED_IMPORT.exporter.name).not.toBe(WORKED_IMPORT.importer.name);
    expect(await page.locator('#detail-summary dt').nth(2).textContent()).toMatch(/^Importer/);
    expect(await page.locator('#parties dd[data-term="consignor"]').textContent()).toContain(WORKED_IMPORT.exporter.name);
    expect(await page.locator('#certificates-cited li').first().textContent()).toBe(
      `ATIGA e-Form D TH-CONSOLE-${process.pid} issued by TH (preference claimed)`,
    );
    expect(await page.locator('#preference-lines tbody tr').count()).toBe(WORKED_IMPORT.items.length);
    expect(await page.locator('#goods tbody tr:not(.total)').count()).toBe(WORKED_IMPORT.items.length);
    expect(await page.locator('#history > li[data-type="DOCUMENT_RECEIVED"] .who').textContent()).toBe(
      `by trader ${WORKED_IMPORT.importer.taxId} (${WORKED_IMPORT.importer.name})`,
    );
    expect(await page.locator('#documents tbody tr').allTextContents()).toEqual([expect.stringMatching(/^SentFORM_D_STATUSTH/)]);
    await proofs(page);
    await decideFromQueue(page, imported, 'release', 'Preference granted on every line; values checked');
    expect(await summaryValue(page, 'status').textContent()).toBe('RELEASED');
  });

  it('holds then rejects the import that waited for its ePhyto, once plant protection accepted it', async () => {
    const { page } = await signedIn();
    await decideFromQueue(page, sps, 'hold', 'Quarantine inspection booked');
    expect(await summaryValue(page, 'status').textContent()).toBe('HELD');
    expect(await page.locator('#requirements li').first().textContent()).toMatch(/^EPHYTO MET: .*accepted by VN-PPD/);
    await page.locator('#decision-actions input[value="reject"]').check();
    await page.locator('#decision-reason').fill('Pests found at inspection');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect.poll(() => summaryValue(page, 'status').textContent()).toBe('REJECTED');
    expect((await clearance(sps.id)).decisions.map((decision) => decision.action)).toEqual(['hold', 'reject']);
  });

  it('explains a 409: who changed the declaration since the officer read it, and shows it as it is now', async () => {
    const { page } = await signedIn();
    await page.goto(`${swx.url}/console#clearance?id=${conflicted.id}`);
    await expect.poll(() => summaryValue(page, 'status').textContent()).toBe('UNDER_REVIEW');
    const colleague = await swx.createKey('officer', 'VN-CUSTOMS', 'Trần Văn Minh');
    expect(
      (await call(swx, colleague, 'POST', `/v1/clearances/${conflicted.id}/decision`, { action: 'inspect', reason: 'Gold: weigh it' })).status,
    ).toBe(200);
    expect(await page.locator('#decision-actions input').evaluateAll((inputs) => inputs.map((input) => input.getAttribute('value')))).toEqual([
      'hold',
      'inspect',
      'reject',
    ]);
    await page.locator('#decision-actions input[value="hold"]').check();
    await page.locator('#decision-reason').fill('Invoice to be checked');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect
      .poll(() => page.locator('#decision-problem').textContent())
      .toMatch(/changed since it was read: .*it is now INSPECTION \(was UNDER_REVIEW\), after inspect by officer VN-CUSTOMS \(Trần Văn Minh\)/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('decision-problem');
    expect(await summaryValue(page, 'status').textContent()).toBe('INSPECTION');
    expect((await clearance(conflicted.id)).decisions.map((decision) => decision.action)).toEqual(['inspect']);
  });

  it('filters the list by partner, document type, dates and status, and shows it on a phone', async () => {
    const { page } = await signedIn(420);
    await page.getByRole('link', { name: 'Declarations' }).click();
    const rows = page.locator('#clearances tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    await page.locator('#filter-documentType').selectOption('FORM_D_STATUS');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(imported.declarationNumber)]);
    await page.locator('#filter-documentType').selectOption('');
    await page.locator('#filter-partner').fill('TH');
    const today = new Date().toISOString().slice(0, 10);
    await page.locator('#filter-from').fill(today);
    await page.locator('#filter-to').fill(today);
    await page.locator('#filter-status').selectOption('RELEASED');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.evaluate(() => location.hash)).toBe(`#clearances?status=RELEASED&partner=TH&from=${today}&to=${today}&limit=50`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    await page.locator('#filter-status').selectOption('');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    await screenshot(page, 'list-420.png');
  });

  it('works at 420 pixels and from the keyboard alone: the queue, a declaration and its history', async () => {
    const { page } = await signedIn(420);
    await expect.poll(() => page.locator('#queue tbody tr').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    await screenshot(page, 'queue-420.png');
    await page.goto(`${swx.url}/console#clearance?id=${imported.id}`);
    await expect.poll(() => summaryValue(page, 'trader').textContent()).toBe(WORKED_IMPORT.importer.name);
    await proofs(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    await screenshot(page, 'declaration-420.png');
    // Tab from the page's start: skip link, navigation, sign-out, then the view, each with a visible focus ring.
    await page.reload();
    await expect.poll(() => summaryValue(page, 'trader').textContent()).toBe(WORKED_IMPORT.importer.name);
    const focused: string[] = [];
    while (focused.length < 12 && !focused.at(-1)?.startsWith('a:←')) {
      await page.keyboard.press('Tab');
      focused.push(
        await page.evaluate(() => {
          const active = document.activeElement as HTMLElement;
          return `${active.tagName.toLowerCase()}:${active.textContent?.trim().split(/\s+/)[0]}:${getComputedStyle(active).outlineStyle}`;
        }),
      );
    }
    expect(focused.slice(0, 3)).toEqual(['a:Skip:solid', 'a:My:solid', 'a:Declarations:solid']);
    expect(focused.slice(-2)).toEqual(['button:Sign:solid', 'a:←:solid']);
    expect(focused.every((entry) => entry.endsWith(':solid'))).toBe(true);
  });

  it('warns in red when a stored ledger entry or a stored envelope was altered behind swx’s back', async () => {
    const before = await clearance(conflicted.id);
    const received = before.history.find((step) => step.type === 'DOCUMENT_RECEIVED');
    const acdd = before.documents.find((document) => document.documentType === 'ACDD') as { messageId?: string } | undefined;
    // Someone with access to the database edits the entry's bytes and the envelope sent to Thailand.
    const db = new Database(join(swx.dataDir, 'swx.db'));
    try {
      db.prepare(
        "UPDATE ledger_entries SET bytes = CAST(replace(CAST(bytes AS TEXT), 'application/json', 'application/xml!') AS BLOB) WHERE entry_index = ?",
      ).run(received?.ledgerIndex);
      db.prepare(
        "UPDATE messages SET envelope = replace(envelope, '<ExportDeclarationNumber>3', '<ExportDeclarationNumber>9') WHERE message_id = ?",
      ).run(acdd?.messageId);
    } finally {
      db.close();
    }
    const { page } = await signedIn();
    await page.goto(`${swx.url}/console#clearance?id=${conflicted.id}`);
    const verdicts = await proofs(page);
    expect(verdicts.filter((verdict) => verdict.includes('NOT proved'))).toEqual([
      `Ledger index ${received?.ledgerIndex}: NOT proved: the entry’s bytes do not hash to its leaf hash`,
    ]);
    expect(await page.locator(`#history > li[data-ledger-index="${received?.ledgerIndex}"] .proof`).getAttribute('class')).toBe('proof unproved');
    expect(await page.locator('#history > li.step-unproved .step-warning').allTextContents()).toEqual([
      '✖ Not proved by the ledger: the entry’s bytes do not hash to its leaf hash. Do not rely on this step.',
    ]);
    expect(await page.locator('#checkpoint-status').textContent()).toMatch(/^✖ 1 step\(s\) of this history are NOT proved by the ledger/);
    await page.locator('#documents button', { hasText: 'ACDD' }).click();
    await expect.poll(() => page.locator('#message-signature').textContent()).toMatch(/^✖ Signature.*: NOT valid \(invalid: .+\); signer VN/);
    await page.evaluate(() => document.getElementById('history-heading')?.scrollIntoView());
    await screenshot(page, 'history-altered-1400.png', false);
  });
});
