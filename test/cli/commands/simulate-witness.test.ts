import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acddSpec } from '../../../message-schemas/acdd/1/schema.js';
import { XmlDsigSigner } from '../../../src/adapters/crypto/xmldsig-signer.js';
import { openDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import { parseXml } from '../../../src/adapters/xml/xml-codec.js';
import { createSimulateCommand } from '../../../src/cli/commands/simulate.js';
import { validateDocument } from '../../../src/core/document/validate-document.js';
import { decodeDocumentXml, encodeDocumentXml } from '../../../src/core/document/xml-mapping.js';
import { parseConfig } from '../../../src/config.js';
import { startService, type RunningService } from '../../../src/runtime/service.js';
import type { PartnerSimulator } from '../../../src/runtime/simulator/partner-simulator.js';
import { anEnvelope } from '../../helpers/envelope-builder.js';
import { captureIo } from '../../helpers/capture-io.js';
import { waitFor } from '../../helpers/service.js';
import { copyTestPki } from '../../helpers/test-pki.js';

/**
 * `swx simulate --token`: the simulated gateways witness a separate swx's ledger through its receipts. swx is
 * stopped, its ledger rewritten in the database file (every hash recomputed, the checkpoints deleted) and started
 * again on the same port, so it signs the forged tree; the still-running gateway warns on its next receipt.
 */

const ACDD_XML = new URL('../../../message-schemas/acdd/1/examples/valid-coffee-from-viet-nam.xml', import.meta.url).pathname;

let root: string;
let dataDir: string;
let service: RunningService;
let token: string;
let vn: XmlDsigSigner;
let acddXml: string;

const start = (port: string) => startService(parseConfig({ PORT: port, SWX_DATA_DIR: dataDir, SWX_LOG_LEVEL: 'silent', SWX_SIMULATORS: 'off' }));

/** swx's outbox, played by the test: a VN-signed ACDD to TH, which answers it with a Customs Response to swx. */
async function sendAcdd(th: PartnerSimulator): Promise<void> {
  const checks = () => th.stats().checkpointsWitnessed + th.stats().ledgerInconsistencies;
  const before = checks();
  const answer = await fetch(th.exchangeUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body: anEnvelope().from('VN').to('TH').carrying('ACDD').inConversation(randomUUID()).signedBy(vn, acddXml),
  });
  expect(answer.status).toBe(200);
  await waitFor(
    async () => checks(),
    (done) => done > before,
  );
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'swx-simulate-witness-'));
  dataDir = join(root, 'data');
  copyTestPki(dataDir);
  service = await start('0');
  const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  const created = await fetch(`${service.url}/v1/admin/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'trader', name: 'TH gateway, ledger witness', partyId: 'gateway:TH' }),
  });
  token = ((await created.json()) as { token: string }).token;
  vn = new XmlDsigSigner(
    readFileSync(join(dataDir, 'pki', 'gateways', 'VN.key.pem'), 'utf8'),
    readFileSync(join(dataDir, 'pki', 'gateways', 'VN.cert.pem'), 'utf8'),
  );
  acddXml = encodeDocumentXml(acddSpec, validateDocument(acddSpec.schema, decodeDocumentXml(acddSpec, parseXml(readFileSync(ACDD_XML, 'utf8')))));
});
afterAll(async () => {
  await service.close();
  rmSync(root, { recursive: true, force: true });
});

describe('swx simulate --token', () => {
  it('checks the checkpoint in each receipt of swx and warns once swx signs a rewritten history', async () => {
    const io = captureIo({ SWX_DATA_DIR: dataDir, SWX_TOKEN: token });
    const controller = new AbortController();
    let listening: (simulators: readonly PartnerSimulator[]) => void = () => undefined;
    const started = new Promise<readonly PartnerSimulator[]>((resolve) => (listening = resolve));
    const running = createSimulateCommand({ stop: controller.signal, onListening: (simulators) => listening(simulators) }).run(
      ['--partners', 'TH', '--swx-url', service.url, '--response-delay-ms', '0'],
      io,
    );
    const [th] = await Promise.race([started, running.then((code) => Promise.reject(new Error(`swx simulate exited ${code}: ${io.err()}`)))]);
    if (!th) throw new Error('no TH gateway');
    expect(io.out()).toContain(`ledger witness: on, last checkpoints kept in ${join(dataDir, 'simulators')}\n`);

    await sendAcdd(th);
    await sendAcdd(th);
    expect(th.stats()).toMatchObject({ checkpointsWitnessed: 2, ledgerInconsistencies: 0 });
    const listed = (await (await fetch(`${service.url}/v1/ledger/checkpoint`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      verifierKey: string;
    };
    expect(io.out()).toMatch(
      new RegExp(`TH +trusting swx checkpoint key on first use +verifierKey=${listed.verifierKey.replace(/\+/g, '\\+')}$`, 'm'),
    );

    const port = new URL(service.url).port;
    await service.close();
    const db = openDatabase(join(dataDir, 'swx.db'));
    const size = db.prepare('SELECT count(*) FROM ledger_entries').pluck().get() as number;
    const entries = await new SqliteLedgerStore(db).entries(0, size);
    db.exec('DELETE FROM ledger_entries; DELETE FROM ledger_nodes; DELETE FROM ledger_checkpoints;');
    new SqliteLedgerStore(db).appendSync(
      entries.map(({ type, subject, at, data }, i) => ({ type, subject, at, data: i === 0 ? { ...data, forged: true } : data })),
    );
    db.close();
    service = await start(port);

    await sendAcdd(th);
    expect(th.stats().ledgerInconsistencies).toBe(1);
    expect(io.err()).toMatch(/TH +WARN swx ledger inconsistent: the checkpoint at \d+ entries does not extend the one at \d+: history was rewritten/);
    controller.abort();
    expect(await running).toBe(0);
    expect(io.out()).toContain(
      'TH: received 3, rejected 0, duplicates 0, responses accepted 3/3, faults injected 0, checkpoints witnessed 2, ledger inconsistencies 1\n',
    );
  });
});
