import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, submitExport } from '../helpers/api-client.js';
import { CHROMIUM, launchChromium, openLoopbackPage } from '../helpers/chromium.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { waitFor } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

/**
 * The console's ledger proofs against each runtime behind the browser: an officer opens an export to Thailand (signed
 * ACDD, Thailand's simulated answer) and Chromium proves every history step against the latest checkpoint, with its
 * Ed25519 signature checked, from what the Node service or the Worker (EXCHANGE Durable Object, D1) serves; the ACDD's
 * signature line names the certificate it was checked with.
 */

interface Clearance {
  readonly history: readonly { type: string; ledgerIndex: number }[];
}

/** The steps after which an export to Thailand's simulator records nothing more: delivered, receipted, answered. */
const SETTLED = ['MESSAGE_DELIVERED', 'RECEIPT_VERIFIED', 'RESPONSE_RECEIVED', 'RECEIPT_SENT'];

let browser: Browser;
beforeAll(async () => {
  if (existsSync(CHROMIUM)) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(RUNTIMES)('the console’s ledger proofs on %s', (runtime) => {
  let swx: ServiceUnderTest;
  beforeAll(async () => {
    swx = await startServiceOn(runtime);
  }, 60_000);
  afterAll(() => swx?.close());

  it.skipIf(!existsSync(CHROMIUM))(
    'shows every history step of a declaration proved by the ledger, a green tick each',
    async () => {
      const officer = await swx.createKey('officer', 'VN-CUSTOMS', 'Lê Văn Hùng');
      const trader = await swx.createKey('trader', '0301234567');
      const declaration = await submitExport(swx, trader, anExportDeclaration({ channel: 'YELLOW' }));
      const view = await waitFor(
        async () => (await call<Clearance>(swx, officer, 'GET', `/v1/clearances/${declaration.id}`)).body,
        (clearance) => SETTLED.every((type) => clearance.history.some((step) => step.type === type)),
        30_000,
      );
      const last = Math.max(...view.history.map((step) => step.ledgerIndex));
      await waitFor(
        async () => (await call<{ treeSize: number }>(swx, officer, 'GET', '/v1/ledger/checkpoint')).body.treeSize,
        (treeSize) => treeSize > last,
        30_000,
      );

      const { page, outside } = await openLoopbackPage(browser, swx.url, '/console');
      await page.locator('#token').fill(officer);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.locator('#who').textContent()).toBe('Lê Văn Hùng (officer, VN-CUSTOMS)');
      await page.evaluate((id) => {
        window.location.hash = `#clearance?id=${id}`;
      }, declaration.id);
      const steps = page.locator('#history > li');
      await expect.poll(() => steps.count()).toBe(view.history.length);
      await expect.poll(() => page.locator('#history > li .proof-slot details').count(), { timeout: 15_000 }).toBe(view.history.length);
      const verdicts = await page
        .locator('#history > li .proof-slot summary')
        .evaluateAll((summaries) => summaries.map((summary) => summary.getAttribute('aria-label') ?? ''));
      const size = Number(/of (\d+) entries$/.exec(verdicts[0] ?? '')?.[1]);
      expect(size).toBeGreaterThan(last);
      expect(verdicts).toEqual(
        view.history.map((step) => `Ledger index ${step.ledgerIndex}: in the ledger: proved against the checkpoint of ${size} entries`),
      );
      expect(await page.locator('#checkpoint-status').textContent()).toMatch(
        /^✔ Latest checkpoint: \d+ entries, signed by swx\.vn-nsw\/ledger\+[0-9a-f]{8}/,
      );
      expect(await page.locator('#history .step-warning').count()).toBe(0);
      await page.locator('#documents button', { hasText: 'ACDD' }).click();
      await expect
        .poll(() => page.locator('#message-signature').textContent())
        .toMatch(/^✔ Signature.*: valid; signer VN \(this single window\); certificate CN=.+, valid until \d{4}-.+, SHA-256 [0-9A-F:]{95}$/);
      expect(outside).toEqual([]);
    },
    90_000,
  );
});
