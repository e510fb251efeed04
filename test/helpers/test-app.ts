import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { SqliteDatabase } from '../../src/adapters/storage/sqlite-database.js';
import { parseConfig } from '../../src/config.js';
import { generateToken } from '../../src/core/auth/api-key.js';
import { createApp } from '../../src/http/app.js';
import type { AppDeps, ReadinessCheck } from '../../src/http/deps.js';
import { compose } from '../../src/runtime/compose.js';
import { copyTestPki } from './test-pki.js';

export interface TestApp {
  readonly app: ReturnType<typeof createApp>;
  readonly deps: AppDeps;
  readonly db: SqliteDatabase;
  readonly dataDir: string;
  /** The bootstrap admin's token. */
  readonly adminToken: string;
  /** What the app logged, one parsed pino line each. */
  readonly logs: Record<string, unknown>[];
  /** Readiness answered by deps.readiness(); tests flip it. */
  readonly readiness: ReadinessCheck[];
  close(): Promise<void>;
}

/**
 * The real app as the service composes it (src/runtime/compose.ts): SQLite in a temp dir holding the run's development
 * PKI, node:crypto, the shipped partner files, prom-client, pino, swagger-ui-dist; no simulators, nothing running in
 * the background, signatures made on the calling thread, the logs captured and /readyz answered from `readiness`.
 * @example const { app, adminToken, close } = await createTestApp({ bodyLimitBytes: 1024 })
 */
export async function createTestApp(
  options: { bodyLimitBytes?: number; problemTypeBase?: string; dataDir?: string; logLevel?: 'info' | 'warn' } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'swx-http-'));
  copyTestPki(dataDir);
  const logs: Record<string, unknown>[] = [];
  const readiness: ReadinessCheck[] = [{ name: 'database', ok: true }];
  const adminToken = generateToken((length) => randomBytes(length));
  const config = parseConfig({
    SWX_DATA_DIR: dataDir,
    SWX_SIMULATORS: 'off',
    SWX_ADMIN_TOKEN: adminToken,
    SWX_BODY_LIMIT_BYTES: String(options.bodyLimitBytes ?? 64 * 1024),
  });
  const composition = await compose(config, {
    logger: pino({ level: options.logLevel ?? 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) }),
    signingThreads: 0,
    ...(options.problemTypeBase === undefined ? {} : { problemTypeBase: options.problemTypeBase }),
  });
  const deps: AppDeps = { ...composition.deps, readiness: async () => readiness };
  return {
    app: createApp(deps),
    deps,
    db: composition.db,
    dataDir,
    adminToken,
    logs,
    readiness,
    close: async () => {
      await composition.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Serves a fetch handler on 127.0.0.1 (a free port) over real HTTP.
 * @example const server = await listen(app.fetch); await fetch(`${server.url}/healthz`); await server.close()
 */
export async function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
      });
    });
  });
}
