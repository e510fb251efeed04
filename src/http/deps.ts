import type { Context } from 'hono';
import type { ApiKeyStore, Principal } from '../core/auth/api-key.js';
import type { DeliveryHealth } from '../core/delivery/delivery-health.js';
import type { SubmitDeclarationDeps } from '../core/declaration/submit-declaration.js';
import type { ReceiveDeps } from '../core/exchange/reception.js';
import type { NotePublicKey } from '../core/ledger/signed-note.js';
import type { ReadinessCheck } from './readiness-check.js';
import type { RequestTracer } from './request-tracer.js';
import type { ClearanceQueries } from '../core/clearance/clearance-search.js';
import type { ExchangeReportQueries } from '../core/report/exchange-report.js';
import type { LedgerStore } from '../core/ledger/ledger-store.js';
import type { MessageQueries } from '../core/exchange/message-search.js';
import type { Metrics, RandomBytes, XmlParser } from '../core/primitives.js';
import type { PartnerCertificateDates } from '../core/exchange/partner-view.js';
import type { SignerCertificates } from '../core/exchange/signer-certificates.js';

export type { ReadinessCheck } from './readiness-check.js';

/**
 * Reads a Swagger UI asset (`swagger-ui.css`, `swagger-ui-bundle.js`) by file name; undefined when
 * it is not served. On Node: `readSwaggerUiAsset` from src/adapters/docs/swagger-ui-dist-assets.ts.
 */
export type DocsAssetReader = (file: string) => Promise<Uint8Array<ArrayBuffer> | undefined>;

/** Structured logging; pino's logger and ConsoleJsonLogger (src/adapters/logging/) satisfy it. */
export interface Logger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  /** A logger whose every line also carries `bindings` (a request's `requestId`). */
  child(bindings: Record<string, unknown>): Logger;
}

export interface HttpOptions {
  /** Largest request body accepted, in bytes (SWX_BODY_LIMIT_BYTES); larger ones get a 413 problem. */
  readonly bodyLimitBytes: number;
  /** Prefix of problem `type` URIs; defaults to DEFAULT_PROBLEM_TYPE_BASE in problem.ts. */
  readonly problemTypeBase?: string;
  /** SWX_METRICS_TOKEN: when set, `GET /metrics` answers 401 without `Authorization: Bearer <it>`. */
  readonly metricsToken?: string;
}

/**
 * Everything the HTTP app needs, built by the runtime's composition root (src/runtime/compose.ts on Node) and passed
 * to createApp. The app imports no runtime code: what differs between Node and Workers arrives here.
 * Each port is here once: the use cases' deps (SubmitDeclarationDeps, ReceiveDeps, and the narrower ones of the other
 * use cases) are all satisfied by AppDeps itself, so routes pass `deps` on as it is.
 */
export interface AppDeps extends SubmitDeclarationDeps, ReceiveDeps {
  readonly http: HttpOptions;
  readonly randomBytes: RandomBytes;
  readonly logger: Logger;
  /** One span per request, when OTEL_EXPORTER_OTLP_ENDPOINT is set (Node only); no tracing when absent. */
  readonly tracer?: RequestTracer;
  readonly apiKeys: ApiKeyStore;
  readonly metrics: Metrics;
  /** Database writable, signing key loaded, … */
  readiness(): Promise<readonly ReadinessCheck[]>;
  readonly docsAssets: DocsAssetReader;
  /** The hardened XML codec (src/adapters/xml/xml-codec.ts): readDocumentBody and inbound envelopes use it. */
  readonly parseXml: XmlParser;
  /**
   * The client's network address, for rate limits of refused envelopes; from the runtime (on Node,
   * `getConnInfo` of @hono/node-server). Unknown when absent: only the sender is then limited.
   */
  readonly clientAddress?: (c: Context) => string | undefined;
  /** The verifiable ledger (routes/ledger.ts); `checkpoints` signs and serves its checkpoints. */
  readonly ledger: LedgerStore;
  /** The public half of the checkpoint key (routes/ledger.ts). */
  readonly checkpointKey: NotePublicKey;
  /** Officers' search over declarations (routes/officers.ts). */
  readonly clearances: ClearanceQueries;
  /** The MIS report's figures (routes/officers.ts). */
  readonly reports: ExchangeReportQueries;
  /** Officers' list of exchanged messages (routes/officers.ts). */
  readonly messages: MessageQueries;
  /**
   * Where the deliveries are dispatched (the Node outbox worker, the Workers' EXCHANGE object): each of these partners'
   * circuit and last outcomes; a partner is absent where nothing delivers to it.
   */
  deliveryHealth(partnerIds: readonly string[]): Promise<ReadonlyMap<string, DeliveryHealth>>;
  /** Wakes the outbox after a commit queued a message (the Node worker polls; a Workers queue needs nothing). */
  notifyQueued(): void;
  /** When each partner's pinned certificate lapses and SWX_CERT_WARN_DAYS (GET /v1/partners' `certificate`); null there when absent. */
  readonly partnerCertificates?: PartnerCertificateDates;
  /** The certificates a stored message's signature is checked with per signer, retired ones included (GET /v1/messages/{id}). */
  readonly signerCertificates: SignerCertificates;
}

/** Request-scoped values every route may read. */
export interface AppVariables {
  /** From `X-Request-Id` when the client sent a usable one, else generated; echoed on the response. */
  requestId: string;
  /** deps.logger's child carrying `requestId`: every line a route logs for this request goes through it. */
  log: Logger;
  /** Prefix of problem `type` URIs (HttpOptions.problemTypeBase or the default). */
  problemTypeBase: string;
  /** Resolves a bearer token to its principal; set by createApp for requireRole. */
  authenticate: (token: string) => Promise<Principal | undefined>;
  /** deps.parseXml, for readDocumentBody. */
  parseXml: XmlParser;
}

/** The Hono environment of every sub-app: `new OpenAPIHono<AppEnv>()`. */
export interface AppEnv {
  Variables: AppVariables;
}

/** The environment after requireRole: `c.var.principal` is the authenticated caller. */
export interface AuthedEnv {
  Variables: AppVariables & { principal: Principal };
}
