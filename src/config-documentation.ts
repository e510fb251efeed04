import { XML_LIMITS } from './adapters/xml/refuse-unsafe-xml.js';
import type { Config } from './config.js';
import { DEFAULT_LEDGER_ORIGIN } from './core/ledger/checkpoint.js';

/** What one setting of `Config` means, for README's "Configuration" table (`npm run docs:config`). */
export interface SettingDocumentation {
  /** What the setting does, in Markdown, one line (else the schema's `.describe()`). */
  readonly meaning?: string;
  /** For a setting without a schema default: what swx does when it is unset, in Markdown (else `unset`). */
  readonly unset?: string;
}

/**
 * The meaning of the settings of `Config` whose schema has no `.describe()`, kept beside the schema; a setting
 * added with `.describe('…')` needs no entry. `test/runtime/build/config-table.test.ts` checks that every variable
 * has a meaning and that README's table agrees with the schema.
 * @example CONFIG_DOCUMENTATION.SWX_HOST?.meaning // 'address to listen on (`0.0.0.0` to serve the network)'
 */
export const CONFIG_DOCUMENTATION: Readonly<Partial<Record<keyof Config, SettingDocumentation>>> = {
  PORT: { meaning: 'HTTP port (`0`: any free port)' },
  SWX_HOST: { meaning: 'address to listen on (`0.0.0.0` to serve the network)' },
  SWX_DATA_DIR: { meaning: 'database, keys, admin token' },
  SWX_PARTNERS_DIR: { meaning: 'the partner files', unset: '`partners/` of this repository' },
  SWX_CHANNEL_RULES: { meaning: 'the clearance channel rules (JSON)', unset: '`src/core/clearance/default-channel-rules.json`' },
  SWX_ADMIN_TOKEN: { meaning: 'the bootstrap admin token (at least 32 characters)', unset: 'written to `<data>/admin-token`' },
  SWX_SIMULATORS: { meaning: 'run the simulated partner gateways in-process' },
  SWX_GATEWAY_ID: { meaning: 'our gateway id and country (ISO 3166 alpha-2)' },
  SWX_BODY_LIMIT_BYTES: { meaning: 'largest request body' },
  SWX_ENVELOPE_WINDOW_SECONDS: { meaning: 'how old an inbound envelope may be' },
  SWX_REFUSED_RATE_PER_MINUTE: { meaning: 'how fast the budget of `SWX_REFUSED_BURST` refills' },
  SWX_REFUSED_BURST: {
    meaning: 'refused envelopes a source address, or a sender, may cause before `429` (see "What a refused envelope costs")',
  },
  SWX_OUTBOX_POLL_MS: { meaning: 'how often the outbox looks for due messages' },
  SWX_LEDGER_ORIGIN: { meaning: 'the checkpoint origin line and key name', unset: `\`${DEFAULT_LEDGER_ORIGIN}\`` },
  SWX_LOG_LEVEL: { meaning: 'pino log level (`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`)' },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    meaning:
      'base URL of an OpenTelemetry collector: one span per request goes to `<url>/v1/traces` over OTLP/HTTP JSON (Node only; see "Logs and traces")',
    unset: 'no tracing (the OpenTelemetry SDK is not loaded)',
  },
  SWX_XML_MAX_DEPTH: {
    meaning: 'element nesting of an XML body, the root counting as one (at most `1000`; see "Hostile input and limits")',
    unset: `\`${XML_LIMITS.maxDepth}\``,
  },
  SWX_XML_MAX_ELEMENTS: { meaning: 'elements in an XML body', unset: `\`${XML_LIMITS.maxElements}\`` },
  SWX_XML_MAX_ATTRIBUTES: {
    meaning: 'attributes on one XML element, namespace declarations included',
    unset: `\`${XML_LIMITS.maxAttributes}\``,
  },
  SWX_XML_MAX_TEXT_CHARS: {
    meaning: 'characters of one XML text or attribute value, as written',
    unset: `\`${XML_LIMITS.maxTextChars}\``,
  },
  SWX_METRICS_PORT: {
    meaning: 'serves `GET /metrics` on this port only (`SWX_METRICS_HOST`), and no longer on the API port (see "Metrics")',
    unset: 'on the API port',
  },
  SWX_METRICS_HOST: { meaning: 'address the `SWX_METRICS_PORT` listener binds (`0.0.0.0` for a Prometheus in another container)' },
  SWX_METRICS_TOKEN: {
    meaning:
      '`GET /metrics` answers `401` without `Authorization: Bearer <it>` (at least 16 characters), on whichever port serves it (see "Metrics")',
    unset: 'no token asked',
  },
  SWX_SHUTDOWN_GRACE_MS: {
    meaning: 'on SIGTERM or SIGINT, how long requests in flight may take to finish before their connections are closed',
  },
  SWX_MAX_CONNECTIONS: { meaning: 'connections open at once; a connection beyond it is closed as soon as it is accepted' },
  SWX_MAX_CONNECTIONS_PER_ADDRESS: { meaning: 'connections open at once from one client address (`0`: no cap; see below)' },
  SWX_HEADERS_TIMEOUT_MS: {
    meaning: 'time a client has to send the request line and headers (at most `SWX_REQUEST_TIMEOUT_MS`)',
  },
  SWX_REQUEST_TIMEOUT_MS: {
    meaning: 'time a client has to send the whole request, body included; past it the answer is `408` and the connection is closed',
  },
  SWX_KEEP_ALIVE_TIMEOUT_MS: { meaning: 'how long an idle keep-alive connection stays open' },
  SWX_SIMULATOR_RETRY_MS: {
    meaning: 'how long a built-in simulated gateway keeps retrying a response swx does not receipt (then it waits for the next start)',
  },
  SWX_CERT_WARN_DAYS: {
    meaning: 'days before a certificate swx holds lapses from which it is warned of in the logs (at start, then daily) and in `GET /v1/partners`',
  },
  SWX_TLS_CERT: {
    meaning: 'PEM file of the HTTPS certificate, chain included (with `SWX_TLS_KEY`; see "TLS")',
    unset: 'plain HTTP (behind a TLS-terminating proxy)',
  },
  SWX_TLS_KEY: { meaning: 'PEM file of the private key of `SWX_TLS_CERT`', unset: 'plain HTTP (with `SWX_TLS_CERT` unset too)' },
};
