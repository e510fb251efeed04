import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import simulateSend from '../../src/cli/commands/simulate-send.js';
import { formDValidUntil } from '../../message-schemas/form-d/1/schema.js';
import { captureIo } from '../helpers/capture-io.js';
import { WORKED_FORM_D } from '../helpers/import-preference.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { waitFor } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

const examples = new URL('../../message-schemas/', import.meta.url).pathname;
const FORM_D_XML = join(examples, 'form-d/1/examples/valid-th-worked-example.xml');
const IMPORT_JSON = join(examples, 'import-declaration/1/examples/valid-with-form-d.json');

interface View {
  status: string;
  preference: { outcome: string; reasons: string[] };
  documents: { direction: string; documentType: string; receipted: boolean }[];
}

describe.each(RUNTIMES)('README: import under ATIGA preference, the worked example, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  beforeAll(async () => {
    swx = await startServiceOn(runtime);
  }, 60_000);
  afterAll(async () => swx?.close());

  it('TH sends the e-Form D with swx simulate send, the trader submits the import declaration citing it and sees the preference decided', async () => {
    // simulate send signs as TH with the development PKI the service uses (<data dir>/pki).
    const io = captureIo({ SWX_DATA_DIR: dirname(swx.pkiDir), SWX_URL: swx.url });
    const code = await simulateSend.run(['--partner', 'TH', '--type', 'FORM_D', FORM_D_XML], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).toMatch(/RECEIVED/);

    const trader = await swx.createKey('trader', '0201234567');
    const submitted = await fetch(`${swx.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json' },
      body: readFileSync(IMPORT_JSON),
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const read = async () =>
      (await (await fetch(`${swx.url}/v1/declarations/${id}`, { headers: { Authorization: `Bearer ${trader}` } })).json()) as View;
    const view = await read();
    // The example's e-Form D was issued on a fixed date: granted while it is valid, denied as expired after.
    const valid = new Date().toISOString().slice(0, 10) <= formDValidUntil(WORKED_FORM_D.issueDate);
    expect(view.preference.outcome).toBe(valid ? 'GRANTED' : 'DENIED');
    expect(view.status).toBe(valid ? 'RELEASED' : 'UNDER_REVIEW');
    if (!valid) expect(view.preference.reasons[0]).toMatch(/^expired: /);
    // Thailand is told either way: the e-Form D's status goes out and TH receipts it.
    await waitFor(read, (seen) => seen.documents.some((d) => d.documentType === 'FORM_D_STATUS' && d.direction === 'OUT' && d.receipted));
  });
});
