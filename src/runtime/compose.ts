import { getConnInfo } from '@hono/node-server/conninfo';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { timeOrderedUuid } from '../adapters/crypto/time-ordered-uuid.js';
import { devPkiDir, devPkiLayout } from '../adapters/crypto/dev-pki-layout.js';
import { type CheckpointKey, loadOrCreateCheckpointKey } from '../adapters/crypto/ed25519-checkpoint-key.js';
import { listCertificateExpiries } from '../adapters/crypto/certificate-expiry.js';
import { ForgeCertificateVerifier } from '../adapters/crypto/forge-certificate-verifier.js';
import { readRetiredCertificates } from '../adapters/crypto/retired-signing-certificates.js';
import { trustedSignerCertificates } from '../adapters/crypto/trusted-signer-certificates.js';
import { devPkiPartiesFor, ensureDevPki } from '../adapters/crypto/forge-dev-pki.js';
import { nodeSha256 } from '../adapters/crypto/node-sha256.js';
import { XmlSignerPool } from '../adapters/crypto/xml-signer-pool.js';
import { XmlDsigSigner } from '../adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../adapters/crypto/xmldsig-verifier.js';
import { readSwaggerUiAsset } from '../adapters/docs/swagger-ui-dist-assets.js';
import { PromClientMetrics } from '../adapters/metrics/prom-client-metrics.js';
import { loadPartnerDirectory, readPartnerFiles, withEndpoints } from '../adapters/partners/partner-directory.js';
import { readPartnerTls } from '../adapters/partners/read-partner-tls.js';
import { ensureAdminToken } from '../adapters/storage/admin-token-file.js';
import { SqliteClearanceQueries } from '../adapters/storage/sqlite-clearance-queries.js';
import { startBackgroundCheckpoints } from '../adapters/storage/sqlite-background-checkpoints.js';
import type { SqliteDatabase } from '../adapters/storage/sqlite-database.js';
import { SqliteExchangeReportQueries } from '../adapters/storage/sqlite-exchange-report-queries.js';
import { SqliteMessageQueries } from '../adapters/storage/sqlite-message-queries.js';
import { SqliteStateMetrics } from '../adapters/storage/sqlite-state-metrics.js';
import { UndiciPartnerTransport } from '../adapters/transport/undici-partner-transport.js';
import { xmlLimitsWith } from '../adapters/xml/refuse-unsafe-xml.js';
import { createXmlParser, parseXml } from '../adapters/xml/xml-codec.js';
import { type ApiKeyStore, installAdminToken } from '../core/auth/api-key.js';
import { ChannelRules } from '../core/clearance/channel-rules.js';
import defaultChannelRules from '../core/clearance/default-channel-rules.json' with { type: 'json' };
import type { GatewayIdentity } from '../core/exchange/seal-outbound-message.js';
import { DEFAULT_MAX_REFUSAL_KEYS, RefusalLimiter } from '../core/exchange/refusal-limiter.js';
import { DEFAULT_LEDGER_ORIGIN } from '../core/ledger/checkpoint.js';
import type { Clock, IdGenerator, RandomBytes, Sha256, XmlSigner } from '../core/primitives.js';
import type { PartnerDirectory } from '../core/partner.js';
import { partnersDirFrom, type Config } from '../config.js';
import type { AppDeps, HttpOptions, ReadinessCheck } from '../http/deps.js';
import { scheduleCertificateExpiryWarnings, warnExpiringCertificates } from './certificate-expiry-warnings.js';
import { CheckpointPublisher } from './checkpoint-publisher.js';
import { openStorage } from './node-storage.js';
import { openReceipt } from './open-receipt.js';
import { OutboxWorker } from './outbox-worker.js';
import { observeDeliveries } from './observe-deliveries.js';
import { observeRefusals } from './observe-refusals.js';
import { observeState } from './observe-state.js';
import { NO_FAULTS, type Faults } from './simulator/faults.js';
import { LedgerWitness } from './simulator/ledger-witness.js';
import { DEFAULT_RETRY } from './simulator/owed-responses.js';
import { startPartnerSimulator, type PartnerSimulator } from './simulator/partner-simulator.js';
import { ResponseJournal } from './simulator/response-journal.js';
import { installWitnessKey } from './simulator/install-witness-key.js';

/** The primitive ports every part shares, one instance each. */
export interface NodePorts {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly sha256: Sha256;
  readonly randomBytes: RandomBytes;
}

/**
 * The Node primitives: the system clock, time-ordered UUIDs (version 7) and random bytes from node:crypto, node:crypto's SHA-256.
 * @example const { clock, ids } = nodePorts()
 */
export function nodePorts(overrides: Partial<NodePorts> = {}): NodePorts {
  return {
    clock: { now: () => new Date() },
    ids: { uuid: () => timeOrderedUuid() },
    sha256: nodeSha256,
    randomBytes: (length) => new Uint8Array(randomBytes(length)),
    ...overrides,
  };
}

export interface ComposeOptions {
  readonly logger?: pino.Logger;
  /** Faults the built-in simulators inject (tests, demonstrations). */
  readonly simulatorFaults?: Faults;
  /** Where swx is reachable, known once it listens: the simulators send their answers there. */
  readonly url?: () => string;
  /** Checks /readyz runs before the database's and the signing key's (the service's `accepting`). */
  readonly readiness?: () => readonly ReadinessCheck[];
  /** Threads that sign beside the request thread; 0 signs on it. One per other core by default. */
  readonly signingThreads?: number;
  /** Replaces primitives (a fixed clock in a test). */
  readonly ports?: Partial<NodePorts>;
  /** Prefix of problem `type` URIs (HttpOptions.problemTypeBase). */
  readonly problemTypeBase?: string;
}

/** swx on Node, wired and not yet running: the app's deps and the parts that run beside the HTTP server. */
export interface Composition {
  readonly deps: AppDeps;
  readonly dataDir: string;
  /** Where the bootstrap admin token was written; undefined when SWX_ADMIN_TOKEN gave it. */
  readonly adminTokenPath: string | undefined;
  readonly db: SqliteDatabase;
  /** Resolves once every commit made so far is on disk: the service's answers wait for it, so none shows what a crash could lose. */
  readonly whenDurable: () => Promise<void>;
  readonly simulators: ReadonlyMap<string, PartnerSimulator>;
  readonly outbox: OutboxWorker;
  readonly checkpoints: CheckpointPublisher;
  /** Starts the background work: the simulators' owed answers, checkpoint publication, deliveries. */
  start(): void;
  /** Stops the outbox (deliveries in flight finish), the simulators, the transport, the signers, publication, then the database. */
  close(): Promise<void>;
}

/**
 * The one composition root of swx on Node (design.md 3.1): SQLite under the data dir, node:crypto, the development
 * PKI (created on first start), the partner files, the bootstrap admin token, the simulated gateways when
 * SWX_SIMULATORS is on, the outbox worker and the checkpoint publisher. The service and the tests' app wire their
 * adapters here; the CLI's offline commands take nodePorts from here and their storage from node-storage.ts.
 * 1. Partner files and the PKI they need.
 * 2. Storage, keys, the admin token.
 * 3. The simulated gateways, on loopback ports, so their endpoints are known.
 * 4. The app's deps.
 * @example const composition = await compose(config, { url: () => url }); const app = createApp(composition.deps)
 */
export async function compose(config: Config, options: ComposeOptions = {}): Promise<Composition> {
  const logger = options.logger ?? pino({ level: config.SWX_LOG_LEVEL });
  const log = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}) => logger[level](fields, message);
  const ports = nodePorts(options.ports);
  const dataDir = resolve(config.SWX_DATA_DIR);
  const partnersDir = config.SWX_PARTNERS_DIR ?? partnersDirFrom({});
  const pkiDir = devPkiDir(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const created = await ensureDevPki(pkiDir, devPkiPartiesFor(readPartnerFiles(partnersDir), config.SWX_GATEWAY_ID));
  if (created.length > 0) log('info', 'development PKI created', { pkiDir, items: created.length });
  const layout = devPkiLayout(pkiDir);
  const self: GatewayIdentity = { gatewayId: config.SWX_GATEWAY_ID, country: config.SWX_GATEWAY_ID as GatewayIdentity['country'] };
  const certificatePem = readFileSync(layout.gatewayCertificate(self.gatewayId), 'utf8');
  const keyPem = readFileSync(layout.gatewayKey(self.gatewayId), 'utf8');
  // Every signature (envelopes, receipts, refusals) is made on the other cores, beside the request thread.
  const threads = options.signingThreads ?? Math.max(1, availableParallelism() - 1);
  const pool =
    threads > 0
      ? new XmlSignerPool(keyPem, certificatePem, threads, {
          onWorkerLost: (exitCode) =>
            log('error', 'a signing worker exited; what it held was signed on the request thread, and a new worker starts', { exitCode }),
        })
      : undefined;
  const signer: XmlSigner = pool ?? new XmlDsigSigner(keyPem, certificatePem);

  const origin = config.SWX_LEDGER_ORIGIN ?? DEFAULT_LEDGER_ORIGIN;
  const checkpointKey = loadOrCreateCheckpointKey(dataDir, origin, ports.sha256);
  const storage = openStorage(dataDir, ports, () => checkpoints.notify());
  // The WAL is copied into the database file on a worker thread, not in the COMMIT of a request.
  const walCheckpoints = startBackgroundCheckpoints(storage.db, {
    onError: (error) => log('error', 'background WAL checkpoints stopped; the writer checkpoints itself', { error: error.message }),
  });
  const checkpoints = new CheckpointPublisher({
    store: storage.ledger,
    sha256: ports.sha256,
    signer: checkpointKey.signer,
    origin,
    onError: (error) => log('error', 'checkpoint publication failed', { error: (error as Error).message }),
  });
  const admin = config.SWX_ADMIN_TOKEN === undefined ? ensureAdminToken(dataDir) : undefined;
  await installAdminToken({ apiKeys: storage.apiKeys, ...ports }, config.SWX_ADMIN_TOKEN ?? admin?.token ?? '');
  if (admin?.created) log('info', `admin token written to ${admin.path}`);

  const xmlLimits = xmlLimitsWith({
    maxDepth: config.SWX_XML_MAX_DEPTH,
    maxElements: config.SWX_XML_MAX_ELEMENTS,
    maxAttributes: config.SWX_XML_MAX_ATTRIBUTES,
    maxTextChars: config.SWX_XML_MAX_TEXT_CHARS,
  });
  const verifier = new XmlDsigVerifier({ xmlLimits });
  const baseDirectory = loadPartnerDirectory(partnersDir, { pkiDir });
  const simulators =
    config.SWX_SIMULATORS === 'on'
      ? await startSimulators({
          config,
          options,
          ports,
          log,
          self,
          certificatePem,
          verifier,
          checkpointKey,
          apiKeys: storage.apiKeys,
          directory: baseDirectory,
          dataDir,
          layout,
        })
      : new Map<string, PartnerSimulator>();
  const partners = withEndpoints(baseDirectory, new Map([...simulators].map(([id, simulator]) => [id, simulator.exchangeUrl])));
  const transport = new UndiciPartnerTransport({ tls: readPartnerTls(partnersDir, baseDirectory.list()) });
  // The certificates change only with a restart (swx keys rotate, new partner files), so they are read once.
  const heldCertificates = listCertificateExpiries({
    gatewayId: self.gatewayId,
    gatewayCertificatePem: certificatePem,
    partners: baseDirectory,
    ...(config.SWX_TLS_CERT === undefined ? {} : { tlsCertificatePem: readFileSync(config.SWX_TLS_CERT, 'utf8') }),
  });
  const expiryWarnings = { certificates: () => heldCertificates, warnDays: config.SWX_CERT_WARN_DAYS, clock: ports.clock, log };
  warnExpiringCertificates(expiryWarnings);
  let dailyExpiryWarnings: { stop(): void } | undefined;
  const metrics = new PromClientMetrics();
  const outbox = new OutboxWorker(
    {
      store: storage.store,
      partners,
      transport,
      clock: ports.clock,
      random: Math.random,
      openReceipt: (xml, partner) => openReceipt(verifier, parseXml, partners.trustFor(partner.id).certificatePem, xml),
    },
    { pollMs: config.SWX_OUTBOX_POLL_MS, batchSize: 64, log, circuits: storage.circuits, onAttempt: observeDeliveries(metrics.registry) },
  );
  const countRefused = observeState(metrics.registry, {
    state: new SqliteStateMetrics(storage.db),
    partners,
    health: (partnerId) => outbox.health(partnerId),
    certificates: () => heldCertificates,
    clock: ports.clock,
  });
  const http: HttpOptions = {
    bodyLimitBytes: config.SWX_BODY_LIMIT_BYTES,
    ...(options.problemTypeBase === undefined ? {} : { problemTypeBase: options.problemTypeBase }),
    ...(config.SWX_METRICS_TOKEN === undefined ? {} : { metricsToken: config.SWX_METRICS_TOKEN }),
  };

  const deps: AppDeps = {
    ...ports,
    http,
    logger,
    metrics,
    apiKeys: storage.apiKeys,
    store: storage.store,
    mandates: storage.mandates,
    ledger: storage.ledger,
    clearances: new SqliteClearanceQueries(storage.db),
    reports: new SqliteExchangeReportQueries(storage.db),
    messages: new SqliteMessageQueries(storage.db),
    partners,
    signer,
    self,
    rules: ChannelRules.parse(
      config.SWX_CHANNEL_RULES === undefined ? defaultChannelRules : JSON.parse(readFileSync(config.SWX_CHANNEL_RULES, 'utf8')),
    ),
    parseXml: createXmlParser(xmlLimits),
    signatures: verifier,
    certificates: new ForgeCertificateVerifier(),
    windowSeconds: config.SWX_ENVELOPE_WINDOW_SECONDS,
    checkpoints,
    checkpointKey: checkpointKey.publicKey,
    refusals: new RefusalLimiter(
      { perMinute: config.SWX_REFUSED_RATE_PER_MINUTE, burst: config.SWX_REFUSED_BURST, maxKeys: DEFAULT_MAX_REFUSAL_KEYS },
      ports.clock,
    ),
    onRefused: observeRefusals(metrics.registry, log, (refusal) => countRefused(refusal.from)),
    clientAddress: (c) => getConnInfo(c).remote.address,
    docsAssets: readSwaggerUiAsset,
    readiness: async () => [
      ...(options.readiness?.() ?? []),
      { name: 'database', ...databaseWritable(storage.db) },
      { name: 'signing-key', ok: signer.certificatePem.length > 0 },
    ],
    notifyQueued: () => outbox.kick(),
    deliveryHealth: async (partnerIds) => new Map(partnerIds.map((partnerId) => [partnerId, outbox.health(partnerId)])),
    partnerCertificates: {
      notAfterOf: (partnerId) =>
        heldCertificates.find((held) => (held.role === 'partner-gateway' || held.role === 'gateway-signing') && held.owner === partnerId)?.notAfter,
      warnDays: config.SWX_CERT_WARN_DAYS,
    },
    signerCertificates: trustedSignerCertificates(
      { gatewayId: self.gatewayId, currentPem: certificatePem, retiredPems: readRetiredCertificates(pkiDir, self.gatewayId) },
      partners,
    ),
  };

  return {
    deps,
    dataDir,
    adminTokenPath: admin?.path,
    db: storage.db,
    whenDurable: storage.whenDurable,
    simulators,
    outbox,
    checkpoints,
    start() {
      for (const simulator of simulators.values()) simulator.resumePending();
      checkpoints.start();
      outbox.start();
      dailyExpiryWarnings = scheduleCertificateExpiryWarnings(expiryWarnings);
    },
    async close() {
      // Deliveries in flight finish; one abandoned here is still PENDING in the database, due again on restart.
      dailyExpiryWarnings?.stop();
      await outbox.stop();
      await Promise.all([...simulators.values()].map((simulator) => simulator.close()));
      await transport.close();
      await pool?.close();
      // stop() signs what is still unsigned: awaited, so that it never runs on a closed database.
      await checkpoints.stop().catch((error: unknown) => log('error', 'checkpoint publication failed', { error: (error as Error).message }));
      await walCheckpoints.stop();
      storage.close();
    },
  };
}

interface SimulatorWiring {
  readonly config: Config;
  readonly options: ComposeOptions;
  readonly ports: NodePorts;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  readonly self: GatewayIdentity;
  readonly certificatePem: string;
  readonly verifier: XmlDsigVerifier;
  readonly checkpointKey: CheckpointKey;
  readonly apiKeys: ApiKeyStore;
  readonly directory: PartnerDirectory;
  readonly dataDir: string;
  readonly layout: ReturnType<typeof devPkiLayout>;
}

/** The simulated gateways of the partner files (mode simulated, not planned), each on a loopback port with its own key. */
async function startSimulators(wiring: SimulatorWiring): Promise<Map<string, PartnerSimulator>> {
  const { config, options, ports, log, layout, dataDir } = wiring;
  const url = options.url ?? (() => '');
  const simulators = new Map<string, PartnerSimulator>();
  for (const partner of wiring.directory.list()) {
    if (partner.kind !== 'gateway' || partner.mode !== 'simulated' || partner.state === 'planned') continue;
    simulators.set(
      partner.id,
      await startPartnerSimulator({
        partner,
        signer: new XmlDsigSigner(readFileSync(layout.gatewayKey(partner.id), 'utf8'), readFileSync(layout.gatewayCertificate(partner.id), 'utf8')),
        verifier: wiring.verifier,
        parseXml,
        nsw: { gateway: wiring.self, certificatePem: wiring.certificatePem, exchangeUrl: () => `${url()}/v1/exchange` },
        faults: options.simulatorFaults ?? NO_FAULTS,
        clock: ports.clock,
        ids: ports.ids,
        sha256: ports.sha256,
        random: Math.random,
        log,
        witness: new LedgerWitness({
          partnerId: partner.id,
          sha256: ports.sha256,
          swx: { url, token: await installWitnessKey({ apiKeys: wiring.apiKeys, ...ports }, partner.id) },
          verifier: wiring.checkpointKey.verifier,
          stateFile: join(dataDir, 'simulators', `${partner.id}.checkpoint`),
          log,
        }),
        journal: new ResponseJournal(join(dataDir, 'simulators', partner.id)),
        retry: { ...DEFAULT_RETRY, budgetMs: config.SWX_SIMULATOR_RETRY_MS },
      }),
    );
  }
  return simulators;
}

function databaseWritable(db: SqliteDatabase): { ok: boolean; detail?: string } {
  try {
    db.prepare('CREATE TABLE IF NOT EXISTS readiness_probe (at TEXT)').run();
    db.prepare('DELETE FROM readiness_probe').run();
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
