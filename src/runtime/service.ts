import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { readReceipt } from '../../message-schemas/receipt/1/build.js';
import { installAdminToken } from '../core/auth/api-key.js';
import { ChannelRules } from '../core/clearance/channel-rules.js';
import defaultChannelRules from '../core/clearance/default-channel-rules.json' with { type: 'json' };
import type { OpenedReceipt } from '../core/delivery/deliver-message.js';
import { isCoreError } from '../core/errors.js';
import type { GatewayIdentity } from '../core/exchange/outbound-message.js';
import { DEFAULT_LEDGER_ORIGIN } from '../core/ledger/checkpoint.js';
import type { Clock, IdGenerator } from '../core/ports.js';
import { devPkiDir, devPkiLayout } from '../adapters/crypto/dev-pki-layout.js';
import { loadOrCreateCheckpointKey } from '../adapters/crypto/ed25519-checkpoint-key.js';
import { ForgeCertificateVerifier } from '../adapters/crypto/forge-certificate-verifier.js';
import { devPkiPartiesFor, ensureDevPki } from '../adapters/crypto/forge-dev-pki.js';
import { nodeSha256 } from '../adapters/crypto/node-sha256.js';
import { XmlDsigSigner } from '../adapters/crypto/xmldsig-signer.js';
import { XmlSignerPool } from '../adapters/crypto/xml-signer-pool.js';
import { XmlDsigVerifier } from '../adapters/crypto/xmldsig-verifier.js';
import { readSwaggerUiAsset } from '../adapters/docs/swagger-ui-dist-assets.js';
import { PromClientMetrics } from '../adapters/metrics/prom-client-metrics.js';
import { getConnInfo } from '@hono/node-server/conninfo';
import { DEFAULT_MAX_REFUSAL_KEYS, RefusalLimiter } from '../core/exchange/refusal-limiter.js';
import { observeRefusals } from './refusal-observer.js';
import { loadPartnerDirectory, readPartnerFiles, withEndpoints } from '../adapters/partners/partner-directory.js';
import { ensureAdminToken } from '../adapters/storage/admin-token-file.js';
import { SqliteApiKeyStore } from '../adapters/storage/sqlite-api-key-store.js';
import { openDatabase } from '../adapters/storage/sqlite-database.js';
import { SqliteClearanceQueries } from '../adapters/storage/sqlite-clearance-queries.js';
import { SqliteExchangeStore } from '../adapters/storage/sqlite-exchange-store.js';
import { SqliteExchangeReportQueries } from '../adapters/storage/sqlite-exchange-report-queries.js';
import { SqliteLedgerStore } from '../adapters/storage/sqlite-ledger-store.js';
import { SqliteMessageQueries } from '../adapters/storage/sqlite-message-queries.js';
import { SqliteMandateStore } from '../adapters/storage/sqlite-mandate-store.js';
import { SqlitePartnerCircuitLog } from '../adapters/storage/sqlite-partner-circuit-log.js';
import { UndiciPartnerTransport } from '../adapters/transport/undici-partner-transport.js';
import { createXmlParser, parseXml } from '../adapters/xml/xml-codec.js';
import { xmlLimitsWith } from '../adapters/xml/refuse-unsafe-xml.js';
import { partnersDirFrom, type Config } from '../config.js';
import { createApp } from '../http/app.js';
import { CheckpointPublisher } from './checkpoint-publisher.js';
import { listenHttp, type DrainReport } from './http-server.js';
import { OutboxWorker } from './outbox-worker.js';
import { NO_FAULTS, type Faults } from './simulator/faults.js';
import { startPartnerSimulator, type PartnerSimulator } from './simulator/partner-simulator.js';
import { LedgerWitness } from './simulator/ledger-witness.js';
import { DEFAULT_RETRY } from './simulator/owed-responses.js';
import { ResponseJournal } from './simulator/response-journal.js';
import { installWitnessKey } from './simulator/witness-key.js';
import { firstFailure } from '../core/verify/verification-report.js';

/** A running swx: where it listens, its parts operators and tests look at, and how to stop it. */
export interface RunningService {
  readonly url: string;
  readonly dataDir: string;
  readonly adminTokenPath: string | undefined;
  readonly simulators: ReadonlyMap<string, PartnerSimulator>;
  readonly outbox: OutboxWorker;
  readonly checkpoints: CheckpointPublisher;
  /**
   * Stops gracefully (README, What swx guarantees): `/readyz` answers 503 at once, no new connection is accepted,
   * requests in flight finish (at most SWX_SHUTDOWN_GRACE_MS), then the outbox worker, the simulators and the
   * database stop. Calling it again returns the same stop.
   */
  close(): Promise<ShutdownReport>;
}

/** How a stop went: the HTTP drain, and the whole stop's duration. */
export interface ShutdownReport extends DrainReport {
  readonly stoppedInMs: number;
}

export interface ServiceOptions {
  readonly logger?: pino.Logger;
  /** Faults the built-in simulators inject (tests, demonstrations). */
  readonly simulatorFaults?: Faults;
}

const systemClock: Clock = { now: () => new Date() };
const uuids: IdGenerator = { uuid: () => randomUUID() };

/**
 * Starts swx on Node with its embedded defaults (design.md 3.1): SQLite under the data dir, the development PKI
 * on first start, the bootstrap admin token, the partner simulators, the outbox worker and the checkpoint publisher.
 * 1. Partner files and the PKI they need (created on first start).
 * 2. Storage, keys, the admin token.
 * 3. The simulated gateways, on loopback ports, so their endpoints are known.
 * 4. The HTTP server, then the outbox worker.
 * @example const service = await startService(parseConfig(process.env)); console.log(service.url)
 */
export async function startService(config: Config, options: ServiceOptions = {}): Promise<RunningService> {
  const logger = options.logger ?? pino({ level: config.SWX_LOG_LEVEL });
  const log = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}) => logger[level](fields, message);
  const dataDir = resolve(config.SWX_DATA_DIR);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const partnersDir = config.SWX_PARTNERS_DIR ?? partnersDirFrom({});
  const pkiDir = devPkiDir(dataDir);
  const created = await ensureDevPki(pkiDir, devPkiPartiesFor(readPartnerFiles(partnersDir), config.SWX_GATEWAY_ID));
  if (created.length > 0) log('info', 'development PKI created', { pkiDir, items: created.length });
  const layout = devPkiLayout(pkiDir);
  const self: GatewayIdentity = { gatewayId: config.SWX_GATEWAY_ID, country: config.SWX_GATEWAY_ID as GatewayIdentity['country'] };
  const certificatePem = readFileSync(layout.gatewayCertificate(self.gatewayId), 'utf8');
  // Every signature (envelopes, receipts, refusals) is made on the other cores, beside the request thread.
  const signer = new XmlSignerPool(readFileSync(layout.gatewayKey(self.gatewayId), 'utf8'), certificatePem, Math.max(1, availableParallelism() - 1));

  const db = openDatabase(join(dataDir, 'swx.db'));
  const ledger = new SqliteLedgerStore(db, { sha256: nodeSha256, clock: systemClock });
  const origin = config.SWX_LEDGER_ORIGIN ?? DEFAULT_LEDGER_ORIGIN;
  const checkpointKey = loadOrCreateCheckpointKey(dataDir, origin, nodeSha256);
  const checkpoints = new CheckpointPublisher({
    store: ledger,
    sha256: nodeSha256,
    signer: checkpointKey.signer,
    origin,
    onError: (error) => log('error', 'checkpoint publication failed', { error: (error as Error).message }),
  });
  const store = new SqliteExchangeStore(db, ledger, () => checkpoints.notify());
  const apiKeys = new SqliteApiKeyStore(db);
  const admin = config.SWX_ADMIN_TOKEN === undefined ? ensureAdminToken(dataDir) : undefined;
  await installAdminToken({ apiKeys, sha256: nodeSha256, clock: systemClock }, config.SWX_ADMIN_TOKEN ?? admin?.token ?? '');
  if (admin?.created) log('info', `admin token written to ${admin.path}`);

  const xmlLimits = xmlLimitsWith({
    maxDepth: config.SWX_XML_MAX_DEPTH,
    maxElements: config.SWX_XML_MAX_ELEMENTS,
    maxAttributes: config.SWX_XML_MAX_ATTRIBUTES,
    maxTextChars: config.SWX_XML_MAX_TEXT_CHARS,
  });
  const parseLimitedXml = createXmlParser(xmlLimits);
  const verifier = new XmlDsigVerifier({ xmlLimits });
  const witnessKeyPorts = { apiKeys, sha256: nodeSha256, clock: systemClock, randomBytes: (length: number) => new Uint8Array(randomBytes(length)) };
  const baseDirectory = loadPartnerDirectory(partnersDir, { pkiDir });
  let url = '';
  const simulators = new Map<string, PartnerSimulator>();
  if (config.SWX_SIMULATORS === 'on') {
    for (const partner of baseDirectory.list()) {
      if (partner.kind !== 'gateway' || partner.mode !== 'simulated' || partner.state === 'planned') continue;
      simulators.set(
        partner.id,
        await startPartnerSimulator({
          partner,
          signer: new XmlDsigSigner(readFileSync(layout.gatewayKey(partner.id), 'utf8'), readFileSync(layout.gatewayCertificate(partner.id), 'utf8')),
          verifier,
          parseXml,
          nsw: { gateway: self, certificatePem, exchangeUrl: () => `${url}/v1/exchange` },
          faults: options.simulatorFaults ?? NO_FAULTS,
          clock: systemClock,
          ids: uuids,
          sha256: nodeSha256,
          random: Math.random,
          log,
          witness: new LedgerWitness({
            partnerId: partner.id,
            sha256: nodeSha256,
            swx: { url: () => url, token: await installWitnessKey(witnessKeyPorts, partner.id) },
            verifier: checkpointKey.verifier,
            stateFile: join(dataDir, 'simulators', `${partner.id}.checkpoint`),
            log,
          }),
          journal: new ResponseJournal(join(dataDir, 'simulators', partner.id)),
          retry: { ...DEFAULT_RETRY, budgetMs: config.SWX_SIMULATOR_RETRY_MS },
        }),
      );
    }
  }
  const partners = withEndpoints(baseDirectory, new Map([...simulators].map(([id, simulator]) => [id, simulator.exchangeUrl])));
  const rules = ChannelRules.parse(
    config.SWX_CHANNEL_RULES === undefined ? defaultChannelRules : JSON.parse(readFileSync(config.SWX_CHANNEL_RULES, 'utf8')),
  );
  const certificates = new ForgeCertificateVerifier();
  const transport = new UndiciPartnerTransport();
  const outbox = new OutboxWorker(
    {
      store,
      partners,
      transport,
      clock: systemClock,
      random: Math.random,
      openReceipt: (xml, partner) => openReceipt(verifier, partners.trustFor(partner.id).certificatePem, xml),
    },
    { pollMs: config.SWX_OUTBOX_POLL_MS, batchSize: 64, log, circuits: new SqlitePartnerCircuitLog(db) },
  );

  const metrics = new PromClientMetrics();
  const app = createApp({
    http: { bodyLimitBytes: config.SWX_BODY_LIMIT_BYTES },
    clock: systemClock,
    ids: uuids,
    sha256: nodeSha256,
    randomBytes: (length) => new Uint8Array(randomBytes(length)),
    logger,
    apiKeys,
    metrics,
    clientAddress: (c) => getConnInfo(c).remote.address,
    parseXml: parseLimitedXml,
    docsAssets: readSwaggerUiAsset,
    readiness: async () => [
      { name: 'accepting', ok: !http.draining, ...(http.draining ? { detail: 'shutting down' } : {}) },
      { name: 'database', ...databaseWritable(db) },
      { name: 'signing-key', ok: signer.certificatePem.length > 0 },
    ],
    declarations: {
      store,
      partners,
      signer,
      clock: systemClock,
      ids: uuids,
      sha256: nodeSha256,
      rules,
      self,
      mandates: new SqliteMandateStore(db, store),
    },
    exchange: {
      store,
      partners,
      signer,
      signatures: verifier,
      certificates,
      parseXml: parseLimitedXml,
      clock: systemClock,
      ids: uuids,
      sha256: nodeSha256,
      self,
      windowSeconds: config.SWX_ENVELOPE_WINDOW_SECONDS,
      rules,
      checkpoints,
      refusals: new RefusalLimiter(
        { perMinute: config.SWX_REFUSED_RATE_PER_MINUTE, burst: config.SWX_REFUSED_BURST, maxKeys: DEFAULT_MAX_REFUSAL_KEYS },
        systemClock,
      ),
      onRefused: observeRefusals(metrics.registry, log),
    },
    ledger: { ledger, sha256: nodeSha256, checkpoints, checkpointKey: checkpointKey.publicKey },
    clearances: new SqliteClearanceQueries(db),
    reports: new SqliteExchangeReportQueries(db),
    messages: new SqliteMessageQueries(db),
    notifyQueued: () => outbox.kick(),
    deliveryHealth: (partnerId) => outbox.health(partnerId),
  });

  let lastRefusalLog = 0;
  const http = await listenHttp(app.fetch, {
    hostname: config.SWX_HOST,
    port: config.PORT,
    limits: {
      maxConnections: config.SWX_MAX_CONNECTIONS,
      maxConnectionsPerAddress: config.SWX_MAX_CONNECTIONS_PER_ADDRESS,
      headersTimeoutMs: config.SWX_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: config.SWX_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: config.SWX_KEEP_ALIVE_TIMEOUT_MS,
    },
    onRefused: (address) => {
      if (Date.now() - lastRefusalLog < 10_000) return;
      lastRefusalLog = Date.now();
      log('warn', 'connection refused: too many open from one address (SWX_MAX_CONNECTIONS_PER_ADDRESS)', { address });
    },
  });
  url = `http://${config.SWX_HOST.includes(':') ? `[${config.SWX_HOST}]` : config.SWX_HOST}:${http.port}`;
  for (const simulator of simulators.values()) simulator.resumePending();
  checkpoints.start();
  outbox.start();
  log('info', `swx listening on ${url}`, { dataDir, simulators: [...simulators.keys()] });
  let stopping: Promise<ShutdownReport> | undefined;

  return {
    url,
    dataDir,
    adminTokenPath: admin?.path,
    simulators,
    outbox,
    checkpoints,
    close() {
      stopping ??= (async () => {
        const started = performance.now();
        const drain = await http.drain(config.SWX_SHUTDOWN_GRACE_MS);
        // Deliveries in flight finish; one abandoned here is still PENDING in the database, due again on restart.
        await outbox.stop();
        await Promise.all([...simulators.values()].map((simulator) => simulator.close()));
        await transport.close();
        await signer.close();
        // stop() signs what is still unsigned: awaited, so that it never runs on a closed database.
        await checkpoints.stop().catch((error: unknown) => log('error', 'checkpoint publication failed', { error: (error as Error).message }));
        db.close();
        return { ...drain, stoppedInMs: Math.round(performance.now() - started) };
      })();
      return stopping;
    },
  };
}

/** Verifies a partner's receipt with its pinned certificate and reads it. */
function openReceipt(verifier: XmlDsigVerifier, certificatePem: string, xml: string): OpenedReceipt {
  const report = verifier.verify(xml, certificatePem);
  if (report.outcome !== 'VALID') {
    const failed = firstFailure(report);
    return { ok: false, reason: failed?.reason?.message ?? 'signature not valid' };
  }
  try {
    return { ok: true, receipt: readReceipt(parseXml(xml)) };
  } catch (error) {
    if (isCoreError(error)) return { ok: false, reason: error.message };
    throw error;
  }
}

function databaseWritable(db: ReturnType<typeof openDatabase>): { ok: boolean; detail?: string } {
  try {
    db.prepare('CREATE TABLE IF NOT EXISTS readiness_probe (at TEXT)').run();
    db.prepare('DELETE FROM readiness_probe').run();
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
