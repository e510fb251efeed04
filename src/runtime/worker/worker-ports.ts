import type { Context } from 'hono';
import { nodeSha256 } from '../../adapters/crypto/node-sha256.js';
import { timeOrderedUuid } from '../../adapters/crypto/time-ordered-uuid.js';
import { type CheckpointKey, readCheckpointKey } from '../../adapters/crypto/ed25519-note-key.js';
import { ForgeCertificateVerifier } from '../../adapters/crypto/forge-certificate-verifier.js';
import { trustedSignerCertificates } from '../../adapters/crypto/trusted-signer-certificates.js';
import { XmlDsigSigner } from '../../adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../adapters/crypto/xmldsig-verifier.js';
import { type AssetFetcher, staticAssetsSwaggerUi } from '../../adapters/docs/static-assets-swagger-ui.js';
import { ConsoleJsonLogger, type ConsoleSink } from '../../adapters/logging/console-json-logger.js';
import { IsolateMetrics } from '../../adapters/metrics/isolate-metrics.js';
import { xmlLimitsWith } from '../../adapters/xml/refuse-unsafe-xml.js';
import { createXmlParser } from '../../adapters/xml/xml-codec.js';
import type { GatewayIdentity } from '../../core/exchange/seal-outbound-message.js';
import { DEFAULT_MAX_REFUSAL_KEYS, RefusalLimiter } from '../../core/exchange/refusal-limiter.js';
import { DEFAULT_LEDGER_ORIGIN } from '../../core/ledger/checkpoint.js';
import type { Clock, IdGenerator, RandomBytes, Sha256 } from '../../core/primitives.js';
import type { AppDeps } from '../../http/deps.js';
import { reportRefusals } from '../report-refusals.js';
import { readWorkerBundle } from './worker-bundle.js';
import { parseWorkerConfig, type WorkerConfig } from './worker-config.js';

/** The most crypto.getRandomValues fills in one call (Web Crypto's QuotaExceededError above it). */
const RANDOM_VALUES_QUOTA = 65_536;

/** The primitive ports on Workers, one instance each. */
export interface WorkerPrimitives {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly sha256: Sha256;
  readonly randomBytes: RandomBytes;
}

/**
 * The Workers primitives: the system clock (which on Workers advances only across I/O), time-ordered UUIDs (version 7)
 * and random bytes from Web Crypto, node:crypto's SHA-256 under nodejs_compat (synchronous, as the Sha256 port requires).
 * @example const { clock, sha256 } = workerPrimitives()
 */
export function workerPrimitives(): WorkerPrimitives {
  return {
    clock: { now: () => new Date() },
    ids: { uuid: () => timeOrderedUuid() },
    sha256: nodeSha256,
    randomBytes: (length) => {
      const bytes = new Uint8Array(length);
      for (let offset = 0; offset < length; offset += RANDOM_VALUES_QUOTA) {
        crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + RANDOM_VALUES_QUOTA)));
      }
      return bytes;
    },
  };
}

/** What createWorkerPorts reads from the Worker's `env`: the static assets binding, and the vars and secrets by name. */
export interface WorkerPortsEnv {
  /** wrangler.toml `[assets] binding = "ASSETS"`: the swagger-ui-dist files of `/docs`. */
  readonly ASSETS: AssetFetcher;
}

type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** Every member of AppDeps (and of the use cases' deps) that is not storage, as the stateless Worker holds them. */
export interface WorkerPorts
  extends WorkerPrimitives,
    Pick<
      AppDeps,
      | 'signer'
      | 'certificates'
      | 'parseXml'
      | 'rules'
      | 'self'
      | 'partners'
      | 'http'
      | 'docsAssets'
      | 'clientAddress'
      | 'refusals'
      | 'onRefused'
      | 'windowSeconds'
      | 'checkpointKey'
      | 'signerCertificates'
    > {
  /** The parsed vars and secrets (SWX_ADMIN_TOKEN for the Durable Object's bootstrap key, SWX_OUTBOX_POLL_MS, …). */
  readonly config: WorkerConfig;
  /** AppDeps.signatures, typed as the adapter: it also opens partners' receipts (deliverMessage's openReceipt). */
  readonly signatures: XmlDsigVerifier;
  /** AppDeps.logger: one JSON line per call through `console`, at SWX_LOG_LEVEL. */
  readonly logger: ConsoleJsonLogger;
  /** The same logger as compose.ts's `log` function, for the parts that run beside the app (queue consumer, alarm). */
  readonly log: Log;
  /** AppDeps.metrics: this isolate's counts (IsolateMetrics). */
  readonly metrics: IsolateMetrics;
  /** The whole checkpoint key (SWX_CHECKPOINT_KEY, named SWX_LEDGER_ORIGIN): its signer is for the Durable Object. */
  readonly checkpoint: CheckpointKey;
}

/**
 * The non-storage half of the Worker's AppDeps, from `env` (vars and secrets, parsed by parseWorkerConfig) and the
 * build-time bundle (generated/worker-bundle.json: partners, trust PEMs, channel rules). Parses keys, PEMs and partner
 * files, so call it once per isolate and keep the result, not once per request. Throws (one line, naming the
 * variable or the bundle's field) when a setting is wrong, as the Node service refuses to start.
 * 1. Settings: the SWX_* vars with the Node service's schema and defaults, and the secrets.
 * 2. Crypto: the gateway's signer (node:crypto under nodejs_compat, on the request's thread), the XML-DSig verifier
 *    and the parser with the SWX_XML_* limits, node-forge for certificate chains, the checkpoint key.
 * 3. Partners and channel rules from the bundle, validated with the same schemas as the files on Node.
 * 4. Per-isolate state: metrics and the refusal rate limits count what this isolate saw.
 * @example
 * const ports = createWorkerPorts(env, generatedWorkerBundle, GENERATED_WORKER_BUNDLE)
 * const app = createApp({ ...ports, ...storagePortsOver(call), readiness, notifyQueued: () => {}, deliveryHealth: () => undefined })
 */
export function createWorkerPorts(
  env: WorkerPortsEnv,
  bundle: unknown,
  bundleOrigin: string,
  options: { readonly console?: ConsoleSink } = {},
): WorkerPorts {
  const config = parseWorkerConfig(env);
  const primitives = workerPrimitives();
  const logger = new ConsoleJsonLogger(config.SWX_LOG_LEVEL, options.console);
  const log: Log = (level, message, fields = {}) => logger[level](fields, message);
  const self: GatewayIdentity = { gatewayId: config.SWX_GATEWAY_ID, country: config.SWX_GATEWAY_ID as GatewayIdentity['country'] };
  const xmlLimits = xmlLimitsWith({
    maxDepth: config.SWX_XML_MAX_DEPTH,
    maxElements: config.SWX_XML_MAX_ELEMENTS,
    maxAttributes: config.SWX_XML_MAX_ATTRIBUTES,
    maxTextChars: config.SWX_XML_MAX_TEXT_CHARS,
  });
  const checkpoint = readCheckpointKey(
    config.SWX_CHECKPOINT_KEY,
    config.SWX_LEDGER_ORIGIN ?? DEFAULT_LEDGER_ORIGIN,
    primitives.sha256,
    'SWX_CHECKPOINT_KEY',
  );
  const { partners, rules } = readWorkerBundle(bundle, bundleOrigin);
  const metrics = new IsolateMetrics(primitives.ids.uuid(), Date.now);
  return {
    ...primitives,
    config,
    logger,
    log,
    metrics,
    checkpoint,
    self,
    partners,
    rules,
    signer: new XmlDsigSigner(config.SWX_SIGNING_KEY, config.SWX_SIGNING_CERTIFICATE),
    // No `swx keys rotate` here: the signing certificate is a secret, so only the one in use is trusted for swx's own envelopes.
    signerCertificates: trustedSignerCertificates(
      { gatewayId: self.gatewayId, currentPem: config.SWX_SIGNING_CERTIFICATE, retiredPems: [] },
      partners,
    ),
    signatures: new XmlDsigVerifier({ xmlLimits }),
    certificates: new ForgeCertificateVerifier(),
    parseXml: createXmlParser(xmlLimits),
    http: {
      bodyLimitBytes: config.SWX_BODY_LIMIT_BYTES,
      ...(config.SWX_METRICS_TOKEN === undefined ? {} : { metricsToken: config.SWX_METRICS_TOKEN }),
    },
    docsAssets: staticAssetsSwaggerUi(env.ASSETS),
    clientAddress: (c: Context) => c.req.header('CF-Connecting-IP'),
    windowSeconds: config.SWX_ENVELOPE_WINDOW_SECONDS,
    checkpointKey: checkpoint.publicKey,
    refusals: new RefusalLimiter(
      { perMinute: config.SWX_REFUSED_RATE_PER_MINUTE, burst: config.SWX_REFUSED_BURST, maxKeys: DEFAULT_MAX_REFUSAL_KEYS },
      primitives.clock,
    ),
    onRefused: reportRefusals((refusal) => metrics.countRefusal(refusal), log),
  };
}
