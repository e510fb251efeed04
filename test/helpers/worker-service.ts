import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { devPkiDir } from '../../src/adapters/crypto/dev-pki-layout.js';
import { type DevWorkers, startDevWorkers } from '../../src/runtime/build/dev-workers.js';
import { parseConfig } from '../../src/config.js';
import { generateToken } from '../../src/core/auth/api-key.js';
import { copyMigratedD1 } from './local-d1.js';
import { createKeyOver, rowCountsOf, type ServiceUnderTest } from './service-under-test.js';

/**
 * The PKI the Worker signs with and trusts: `npm run build:worker` bundles the trust PEMs and writes `.dev.vars` from
 * `<SWX_DATA_DIR>/pki` (./data by default), as it does for `npm run dev:worker`.
 */
const WORKER_PKI_DIR = devPkiDir(resolve(parseConfig(process.env).SWX_DATA_DIR));

/**
 * Starts the Worker of wrangler.toml and, unless `env` says SWX_SIMULATORS=off, the partner simulators Worker beside it,
 * in local workerd as `npm run dev:worker` does (startDevWorkers: wrangler's programmatic `wrangler dev`), on 127.0.0.1
 * with a free port, their Durable Object, queue and D1 state persisted in a fresh temp dir, `env` (SWX_* settings) as
 * vars, and an admin token of its own. The partner bundle and the other secrets are
 * those `npm run build:worker` made (the node project's globalSetup runs it). `query` reads the EXCHANGE object's
 * SQLite file in that dir read-only. Only in the `node` vitest project.
 * @example const swx = await startWorkerService({ SWX_BODY_LIMIT_BYTES: '4096' }); await swx.close()
 */
export async function startWorkerService(env: Readonly<Record<string, string>> = {}): Promise<ServiceUnderTest> {
  const persistDir = mkdtempSync(join(tmpdir(), 'swx-worker-'));
  copyMigratedD1(persistDir);
  const adminToken = generateToken((length) => randomBytes(length));
  const vars = { SWX_LOG_LEVEL: 'silent', ...env };
  let workers: DevWorkers | undefined;
  let url: URL;
  try {
    workers = await startDevWorkers({
      persist: persistDir,
      vars,
      secrets: { SWX_ADMIN_TOKEN: adminToken },
      simulators: env['SWX_SIMULATORS'] !== 'off',
    });
    url = workers.url;
    // Readiness asks the EXCHANGE object, which creates it and its SQLite file (read by `query`).
    const ready = await fetch(new URL('/readyz', url));
    if (ready.status !== 200) throw new Error(`the Worker is not ready: ${ready.status} ${await ready.text()}`);
  } catch (error) {
    await workers?.dispose();
    rmSync(persistDir, { recursive: true, force: true });
    throw error;
  }
  const base = url.origin;
  const running = workers;
  let db: Database.Database | undefined;
  /** The EXCHANGE object's database, where Miniflare keeps a Durable Object's SQLite storage. */
  const database = (): Database.Database => {
    if (db !== undefined) return db;
    const dir = join(persistDir, 'v3', 'do', `${running.swx.config.name}-ExchangeObject`);
    const file = existsSync(dir) ? readdirSync(dir).find((name) => name.endsWith('.sqlite')) : undefined;
    if (file === undefined) throw new Error(`the EXCHANGE object has no SQLite file in ${dir}`);
    db = new Database(join(dir, file), { readonly: true, fileMustExist: true });
    return db;
  };
  const query = async <T>(sql: string, ...params: unknown[]): Promise<T[]> =>
    database()
      .prepare(sql)
      .all(...params) as T[];
  return {
    runtime: 'workers',
    url: base,
    adminToken,
    pkiDir: WORKER_PKI_DIR,
    createKey: createKeyOver(base, adminToken),
    rowCounts: () => rowCountsOf(query),
    query,
    async close() {
      db?.close();
      await running.dispose();
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}
