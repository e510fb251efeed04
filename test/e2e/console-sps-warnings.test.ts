import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ephyto } from '../../message-schemas/ephyto/1/schema.js';
import { call } from '../helpers/api-client.js';
import { partnerGateway } from '../helpers/partner-gateway.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { anEphyto, anImportNeeding, WORKED_EPHYTO, WORKED_SPS_IMPORT } from '../helpers/sps-certificates.js';

/**
 * The officer console shows the warnings an ePhyto was accepted with where it shows the certificate: under the
 * declaration's certificate requirement (the console has no certificate page of its own).
 */

let swx: TestService;
let officer: string;
let trader: string;
let browser: Browser | undefined;

beforeAll(async () => {
  swx = await startTestService({ SWX_SIMULATORS: 'off' });
  officer = await swx.createKey('officer', 'VN-CUSTOMS', 'Officer Tran');
  trader = await swx.createKey('trader', WORKED_SPS_IMPORT.importer.taxId);
  if (!existsSync(CHROMIUM)) return;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await swx?.close();
});

describe('the officer console', () => {
  it('lists, under an import’s certificate requirement, the warnings its ePhyto was accepted with, as text', async () => {
    if (browser === undefined) throw new Error(`${CHROMIUM} is needed for this test`);
    const certificate = `ID-CONSOLE-T${process.pid}`;
    const [first, ...rest] = WORKED_EPHYTO.consignment.items;
    if (first === undefined) throw new Error('the worked ePhyto has items');
    const defects: Partial<Ephyto> = {
      referencedDocuments: [{ id: `${certificate}-PDF`, typeCode: '916', attachment: { filename: 'certificate.pdf', content: 'not-base64!' } }],
      consignment: { ...WORKED_EPHYTO.consignment, items: [{ ...first, netWeight: { value: 12000, unitCode: '<b>kg</b>' } }, ...rest] },
    };
    const delivery = await partnerGateway(swx, 'ID').send('EPHYTO', anEphyto(certificate, defects));
    expect(delivery.receipt.status).toBe('RECEIVED');
    const declaration = await call<{ id: string }>(swx, trader, 'POST', '/v1/declarations', anImportNeeding(certificate));
    expect(declaration.status).toBe(202);

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${swx.url}/console#clearance?id=${declaration.body.id}`);
    await page.locator('#token').fill(officer);
    await page.getByRole('button', { name: 'Sign in' }).click();

    const warnings = page.locator('#requirements ul.warnings li');
    await expect
      .poll(() => warnings.allTextContents())
      .toEqual([
        'ATTACHMENT_NOT_BASE64 at /referencedDocuments/0/attachment/content: the attachment does not decode as base64: it is carried as written, but cannot be opened',
        'UNIT_CODE_UNKNOWN at /consignment/items/0/netWeight/unitCode: "<b>kg</b>" is not a UN/ECE Recommendation 20 unit code (such as KGM)',
      ]);
    expect(await page.locator('#requirements p.warning').textContent()).toBe('Accepted with 2 warning(s):');
    expect(await page.locator('#requirements b').count()).toBe(0);
  });
});
