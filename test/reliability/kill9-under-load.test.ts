import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTraderKey, freePort, startChildService, until, type ChildService } from '../helpers/child-service.js';
import { acknowledgedIds, driveDeclarations } from '../helpers/declaration-load.js';
import { copyTestPki } from '../helpers/test-pki.js';
import { readOwed } from '../../src/runtime/simulator/pending-log.js';

const coffee = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');
/** The coffee declaration's exporter: the trader key files in its name. */
const EXPORTER = '0301234567';

interface View {
  readonly declarationNumber: string;
  readonly timeline: readonly { readonly type: string }[];
}

/** What Thailand's in-process simulated gateway still owes swx, as its journal holds it. */
const owedByThailand = (dataDir: string) => readOwed(join(dataDir, 'simulators', 'TH')).length;

describe('kill -9 of swx under load, then a restart on the same data', () => {
  const started: ChildService[] = [];
  afterAll(() => {
    for (const swx of started) swx.process.kill('SIGKILL');
  });

  it('keeps every acknowledged declaration, numbers none twice, keeps a valid ledger, and delivers what was owed both ways', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'swx-kill9-'));
    copyTestPki(dataDir);
    const port = await freePort();
    const env = { PORT: String(port), SWX_DATA_DIR: dataDir, SWX_LOG_LEVEL: 'silent', SWX_OUTBOX_POLL_MS: '20' };
    const swx = await startChildService(env);
    started.push(swx);
    const token = await createTraderKey(swx.url, dataDir, EXPORTER);

    // 1. Load, until declarations are acknowledged and Thailand owes Customs Responses; then kill -9.
    let stopped = false;
    const load = driveDeclarations({ url: swx.url, token, body: coffee, concurrency: 12, stopped: () => stopped });
    await until(
      'declarations acknowledged and Customs Responses owed',
      () => acknowledgedIds(load.outcomes).length >= 60 && owedByThailand(dataDir) > 0,
      60_000,
    );
    swx.process.kill('SIGKILL');
    expect(await swx.exited).toEqual({ code: null, signal: 'SIGKILL' });
    stopped = true;
    const acknowledged = acknowledgedIds(await load.done);
    const owedAtCrash = owedByThailand(dataDir);
    expect(owedAtCrash).toBeGreaterThan(0);

    // 2. Restart on the same data dir.
    const again = await startChildService(env);
    started.push(again);
    const view = async (id: string) => {
      const response = await fetch(`${again.url}/v1/declarations/${id}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as View;
    };

    // 3. Every acknowledged declaration is readable, and no number was given twice.
    const numbers = new Map<string, string>();
    for (const id of acknowledged) numbers.set(id, (await view(id)).declarationNumber);
    expect(new Set(numbers.values()).size).toBe(acknowledged.length);
    const db = new Database(join(dataDir, 'swx.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT declaration_number FROM declarations GROUP BY declaration_number HAVING count(*) > 1').all()).toEqual([]);

      // 4. The outbox resumes: every ACDD queued before the crash is delivered after it.
      const undelivered = () => (db.prepare("SELECT count(*) AS n FROM outbox WHERE state <> 'DELIVERED'").get() as { n: number }).n;
      await until('every queued message delivered after the restart', () => undelivered() === 0, 60_000);
    } finally {
      db.close();
    }

    // 5. Thailand's Customs Responses owed at the crash arrive: every acknowledged declaration gets its response.
    await until('the simulators owe nothing', () => owedByThailand(dataDir) === 0, 60_000);
    for (const id of acknowledged) {
      await until(`the Customs Response on ${id}`, async () => (await view(id)).timeline.some((step) => step.type === 'RESPONSE_RECEIVED'), 30_000);
    }

    // 6. A graceful stop, then the ledger verifies from the database.
    again.process.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
    const verify = spawnSync(process.execPath, ['src/cli/swx.js', 'ledger', 'verify', '--data-dir', dataDir], { encoding: 'utf8' });
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
  }, 240_000);
});
