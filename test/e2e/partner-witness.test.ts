import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/storage/sqlite-database.js';
import { SqliteLedgerStore } from '../../src/adapters/storage/sqlite-ledger-store.js';
import { ledgerVerify } from '../../src/cli/commands/ledger-verify.js';
import { parseConfig } from '../../src/config.js';
import { parseCheckpoint } from '../../src/core/ledger/checkpoint.js';
import { parseNote } from '../../src/core/ledger/signed-note.js';
import { startService, type RunningService } from '../../src/runtime/service.js';
import { captureIo } from '../helpers/capture-io.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { waitFor } from '../helpers/service.js';
import { copyTestPki } from '../helpers/test-pki.js';

/**
 * Issue 5, "Partners as witnesses": Thailand's simulated gateway keeps the last checkpoint of swx's ledger it saw in
 * a receipt (in <data>/simulators/TH.checkpoint) and checks each new one against it with a consistency proof from
 * GET /v1/ledger/proofs/consistency. A restart is no alarm; an operator who rewrites the history in the database file
 * and restarts swx, which then signs the forged tree, is caught by the partner on its next receipt, and by
 * `swx ledger verify --against` the partner's checkpoint, though the forged file verifies on its own.
 */

const ADMIN = randomBytes(32).toString('base64url');
let dataDir: string;
let service: RunningService | undefined;
let trader: string;
const logs: { msg: string; partner?: string }[] = [];

async function start(): Promise<RunningService> {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as { msg: string }) });
  service = await startService(parseConfig({ PORT: '0', SWX_DATA_DIR: dataDir, SWX_OUTBOX_POLL_MS: '20', SWX_ADMIN_TOKEN: ADMIN }), { logger });
  return service;
}

async function stop(): Promise<void> {
  await service?.close();
  service = undefined;
}

/** A trader exports to Thailand; the simulator answers the ACDD with a Customs Response and checks swx's receipt. */
async function exportToThailand(swx: RunningService): Promise<void> {
  const th = swx.simulators.get('TH');
  const checks = () => (th ? th.stats().checkpointsWitnessed + th.stats().ledgerInconsistencies : 0);
  const before = checks();
  const answer = await fetch(`${swx.url}/v1/declarations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(anExportDeclaration({ channel: 'GREEN' })),
  });
  expect(answer.status, await answer.text()).toBe(202);
  await waitFor(
    async () => checks(),
    (done) => done > before,
  );
}

const checkpointFile = () => join(dataDir, 'simulators', 'TH.checkpoint');
const keptSize = () => parseCheckpoint(parseNote(readFileSync(checkpointFile(), 'utf8')).text).treeSize;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'swx-witness-e2e-'));
  copyTestPki(dataDir);
  const swx = await start();
  const key = await fetch(`${swx.url}/v1/admin/api-keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'trader', name: 'exporter', partyId: '0301234567' }),
  });
  trader = ((await key.json()) as { token: string }).token;
});
afterAll(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the simulated Thai gateway as a witness of swx’s ledger', () => {
  it('checks the checkpoint of each receipt it gets against the last one, and keeps it', async () => {
    const swx = service as RunningService;
    await exportToThailand(swx);
    await exportToThailand(swx);
    const th = swx.simulators.get('TH');
    expect(th?.stats()).toMatchObject({ checkpointsWitnessed: 2, ledgerInconsistencies: 0 });
    expect(existsSync(checkpointFile())).toBe(true);
  });

  it('finds a consistency proof across a restart of swx', async () => {
    const before = keptSize();
    await stop();
    const swx = await start();
    await exportToThailand(swx);
    expect(swx.simulators.get('TH')?.stats()).toMatchObject({ checkpointsWitnessed: 1, ledgerInconsistencies: 0 });
    expect(keptSize()).toBeGreaterThan(before);
  });

  it('notices history rewritten in the database file and re-signed by swx after a restart', async () => {
    const partnerCheckpoint = readFileSync(checkpointFile(), 'utf8');
    await stop();

    // The insider's rewrite: entry 1 changed, every hash recomputed, the checkpoints that would betray it deleted.
    const db = openDatabase(join(dataDir, 'swx.db'));
    const size = db.prepare('SELECT count(*) FROM ledger_entries').pluck().get() as number;
    const entries = await new SqliteLedgerStore(db).entries(0, size);
    db.exec('DELETE FROM ledger_entries; DELETE FROM ledger_nodes; DELETE FROM ledger_checkpoints;');
    new SqliteLedgerStore(db).appendSync(
      entries.map(({ type, subject, at, data }, index) => ({ type, subject, at, data: index === 1 ? { ...data, forged: true } : data })),
    );
    db.close();
    const own = captureIo({ SWX_DATA_DIR: dataDir });
    // On its own, the forged file is a consistent ledger.
    expect(await ledgerVerify.run([], own)).toBe(0);

    const swx = await start();
    await exportToThailand(swx);
    expect(swx.simulators.get('TH')?.stats().ledgerInconsistencies).toBeGreaterThanOrEqual(1);
    expect(logs).toContainEqual(
      expect.objectContaining({
        component: 'simulator',
        partner: 'TH',
        msg: expect.stringMatching(/^swx ledger inconsistent: .*history was rewritten/),
      }),
    );
    // The partner keeps the last good checkpoint, which the auditor's check of the forged file then fails on.
    expect(readFileSync(checkpointFile(), 'utf8')).toBe(partnerCheckpoint);
    const audit = captureIo({ SWX_DATA_DIR: dataDir });
    expect(await ledgerVerify.run(['--against', checkpointFile()], audit)).toBe(1);
    expect(audit.err()).toMatch(/divergence at entry/);
  });
});
