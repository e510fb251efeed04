import { serve } from '@hono/node-server';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { loadOrCreateCheckpointKey } from '../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { ForgeCertificateVerifier } from '../../src/adapters/crypto/forge-certificate-verifier.js';
import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../src/adapters/crypto/xmldsig-verifier.js';
import { loadPartnerDirectory } from '../../src/adapters/partners/partner-directory.js';
import { SqliteExchangeStore } from '../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../src/adapters/storage/sqlite-ledger-store.js';
import { SqliteMandateStore } from '../../src/adapters/storage/sqlite-mandate-store.js';
import { partnersDirFrom } from '../../src/config.js';
import { ChannelRules } from '../../src/core/clearance/channel-rules.js';
import defaultChannelRules from '../../src/core/clearance/default-channel-rules.json' with { type: 'json' };
import { DEFAULT_LEDGER_ORIGIN } from '../../src/core/ledger/checkpoint.js';
import { copyTestPki } from './test-pki.js';
import { readSwaggerUiAsset } from '../../src/adapters/docs/swagger-ui-dist-assets.js';
import { PromClientMetrics } from '../../src/adapters/metrics/prom-client-metrics.js';
import { SqliteApiKeyStore } from '../../src/adapters/storage/sqlite-api-key-store.js';
import { SqliteClearanceQueries } from '../../src/adapters/storage/sqlite-clearance-queries.js';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/storage/sqlite-database.js';
import { SqliteExchangeReportQueries } from '../../src/adapters/storage/sqlite-exchange-report-queries.js';
import { SqliteMessageQueries } from '../../src/adapters/storage/sqlite-message-queries.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { generateToken, installAdminToken } from '../../src/core/auth/api-key.js';
import { createApp } from '../../src/http/app.js';
import type { AppDeps, ReadinessCheck } from '../../src/http/deps.js';
import { CheckpointPublisher } from '../../src/runtime/checkpoint-publisher.js';

/** The declaration, exchange and ledger deps over the run's development PKI and the shipped partner files. */
function exchangeDeps(db: SqliteDatabase, dataDir: string): Pick<AppDeps, 'declarations' | 'exchange' | 'ledger' | 'clearances' | 'reports' | 'messages' | 'notifyQueued' | 'deliveryHealth'> {
  const layout = devPkiLayout(copyTestPki(dataDir));
  const partners = loadPartnerDirectory(partnersDirFrom({}), { pkiDir: layout.dir });
  const clock = { now: () => new Date() };
  const ids = { uuid: () => randomUUID() };
  const self = { gatewayId: 'VN', country: 'VN' } as const;
  const signer = new XmlDsigSigner(readFileSync(layout.gatewayKey('VN'), 'utf8'), readFileSync(layout.gatewayCertificate('VN'), 'utf8'));
  const ledger = new SqliteLedgerStore(db, { sha256: nodeSha256, clock });
  const store = new SqliteExchangeStore(db, ledger);
  const rules = ChannelRules.parse(defaultChannelRules);
  const checkpointKey = loadOrCreateCheckpointKey(dataDir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
  const checkpoints = new CheckpointPublisher({ store: ledger, sha256: nodeSha256, signer: checkpointKey.signer, origin: DEFAULT_LEDGER_ORIGIN });
  return {
    declarations: { store, partners, signer, clock, ids, sha256: nodeSha256, rules, self, mandates: new SqliteMandateStore(db, store) },
    exchange: {
      store,
      partners,
      signer,
      signatures: new XmlDsigVerifier(),
      certificates: new ForgeCertificateVerifier(),
      parseXml,
      clock,
      ids,
      sha256: nodeSha256,
      self,
      windowSeconds: 900,
      rules,
      checkpoints,
    },
    ledger: { ledger, sha256: nodeSha256, checkpoints, checkpointKey: checkpointKey.publicKey },
    clearances: new SqliteClearanceQueries(db),
    reports: new SqliteExchangeReportQueries(db),
    messages: new SqliteMessageQueries(db),
    notifyQueued: () => undefined,
    deliveryHealth: () => undefined,
  };
}

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
  close(): void;
}

/**
 * The real app over real adapters: SQLite in a temp dir, node:crypto, prom-client, pino, swagger-ui-dist.
 * @example const { app, adminToken, close } = await createTestApp({ bodyLimitBytes: 1024 })
 */
export async function createTestApp(
  options: { bodyLimitBytes?: number; problemTypeBase?: string; dataDir?: string } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'swx-http-'));
  const db = openDatabase(join(dataDir, 'swx.db'));
  const logs: Record<string, unknown>[] = [];
  const readiness: ReadinessCheck[] = [{ name: 'database', ok: true }];
  const deps: AppDeps = {
    http: {
      bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024,
      ...(options.problemTypeBase === undefined ? {} : { problemTypeBase: options.problemTypeBase }),
    },
    clock: { now: () => new Date() },
    ids: { uuid: () => randomUUID() },
    sha256: (data) => createHash('sha256').update(data).digest(),
    randomBytes: (length) => randomBytes(length),
    logger: pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) }),
    apiKeys: new SqliteApiKeyStore(db),
    metrics: new PromClientMetrics(),
    readiness: async () => readiness,
    docsAssets: readSwaggerUiAsset,
    parseXml,
    ...exchangeDeps(db, dataDir),
  };
  const adminToken = generateToken(deps.randomBytes);
  await installAdminToken(deps, adminToken);
  return {
    app: createApp(deps),
    deps,
    db,
    dataDir,
    adminToken,
    logs,
    readiness,
    close: () => {
      db.close();
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
