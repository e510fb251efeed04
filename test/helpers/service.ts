import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config.js';
import { startService, type RunningService, type ServiceOptions } from '../../src/runtime/service.js';
import { createKeyOver, type Role, type ServiceUnderTest, WRITTEN_TABLES, type WrittenTable } from './service-under-test.js';
import { copyTestPki } from './test-pki.js';

export interface TestService {
  readonly service: RunningService;
  readonly url: string;
  readonly dataDir: string;
  /** `<dataDir>/pki`: the run's development PKI, which the service signs with and trusts. */
  readonly pkiDir: string;
  /** The bootstrap admin token, read from `<dataDir>/admin-token`. */
  readonly adminToken: string;
  /** Creates an API key through `POST /v1/admin/api-keys` and returns its bearer token. */
  createKey(role: Role, partyId: string, name?: string): Promise<string>;
  /** Row counts of WRITTEN_TABLES, read from the SQLite file over a separate read-only connection. */
  rowCounts(): Record<WrittenTable, number>;
  /** Runs a read-only query on the SQLite file. */
  query<T>(sql: string, ...params: unknown[]): T[];
  close(): Promise<void>;
}

/**
 * Starts the whole of swx as `npm start` does, on 127.0.0.1 with a free port, a fresh data dir holding
 * the run's development PKI (copied, not generated), simulators on, quick outbox polling and no logs.
 * `env` overrides or adds settings (`{ SWX_BODY_LIMIT_BYTES: '4096' }`). Only in the `node` vitest project.
 * @example const swx = await startTestService(); const trader = await swx.createKey('trader', 'P1'); await swx.close()
 */
export async function startTestService(env: Readonly<Record<string, string>> = {}, options: ServiceOptions = {}): Promise<TestService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'swx-service-'));
  let service: RunningService;
  try {
    copyTestPki(dataDir);
    service = await startService(
      parseConfig({ PORT: '0', SWX_DATA_DIR: dataDir, SWX_LOG_LEVEL: 'silent', SWX_OUTBOX_POLL_MS: '20', ...env }),
      options,
    );
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const adminToken = readFileSync(service.adminTokenPath ?? join(dataDir, 'admin-token'), 'utf8').trim();
  const db = new Database(join(dataDir, 'swx.db'), { readonly: true, fileMustExist: true });
  return {
    service,
    url: service.url,
    dataDir,
    pkiDir: join(dataDir, 'pki'),
    adminToken,
    createKey: createKeyOver(service.url, adminToken),
    rowCounts() {
      return Object.fromEntries(
        WRITTEN_TABLES.map((table) => [table, (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]),
      ) as Record<WrittenTable, number>;
    },
    query<T>(sql: string, ...params: unknown[]) {
      return db.prepare(sql).all(...params) as T[];
    },
    async close() {
      db.close();
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The Node service of startTestService as a ServiceUnderTest, for the tests both runtimes pass.
 * @example const swx = await startNodeService({ SWX_SIMULATORS: 'off' })
 */
export async function startNodeService(env: Readonly<Record<string, string>> = {}): Promise<ServiceUnderTest> {
  return asServiceUnderTest(await startTestService(env));
}

/**
 * A running TestService seen as a ServiceUnderTest, for Node-only tests that use helpers shared with both runtimes and
 * also reach into the Node service (its simulators, its data dir).
 * @example const node = await startTestService(); const swx = asServiceUnderTest(node); node.service.simulators.get('TH')
 */
export function asServiceUnderTest(swx: TestService): ServiceUnderTest {
  return {
    runtime: 'node',
    url: swx.url,
    adminToken: swx.adminToken,
    pkiDir: swx.pkiDir,
    createKey: (role, partyId, name) => swx.createKey(role, partyId, name),
    rowCounts: async () => swx.rowCounts(),
    query: async <T>(sql: string, ...params: unknown[]) => swx.query<T>(sql, ...params),
    close: () => swx.close(),
  };
}

/**
 * Polls `read` until `done` holds for its value, at most `timeoutMs`; throws with the last value otherwise.
 * @example const view = await waitFor(() => getJson(url), (v) => v.status === 'RELEASED', 10_000)
 */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
