import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const onOff = z.enum(['on', 'off']);
const positiveInt = z.coerce.number().int().positive();

/**
 * Every setting of swx: `PORT` plus `SWX_*` environment variables, validated once at start by the runtime.
 * An invalid value stops the start with one line naming the variable.
 */
export const Config = z
  .object({
    PORT: port.default(8080),
    SWX_HOST: z.string().min(1).default('127.0.0.1'),
    SWX_DATA_DIR: z.string().min(1).default('./data'),
    SWX_PARTNERS_DIR: z.string().min(1).optional(),
    SWX_CHANNEL_RULES: z.string().min(1).optional(),
    SWX_ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    SWX_SIMULATORS: onOff.default('on'),
    SWX_GATEWAY_ID: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code')
      .default('VN'),
    SWX_BODY_LIMIT_BYTES: positiveInt.default(5 * 1024 * 1024),
    SWX_ENVELOPE_WINDOW_SECONDS: positiveInt.default(900),
    SWX_REFUSED_RATE_PER_MINUTE: positiveInt.default(60),
    SWX_REFUSED_BURST: positiveInt.default(60),
    SWX_OUTBOX_POLL_MS: positiveInt.default(100),
    SWX_LEDGER_ORIGIN: z.string().min(1).optional(),
    SWX_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // OpenTelemetry's own name: traces go to <endpoint>/v1/traces over OTLP/HTTP when set (Node only).
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    // XML structural limits; unset keeps the defaults of XML_LIMITS (src/adapters/xml/refuse-unsafe-xml.ts).
    // Depth is capped because the readers of the tree recurse once per level.
    SWX_XML_MAX_DEPTH: positiveInt.max(1000).optional(),
    SWX_XML_MAX_ELEMENTS: positiveInt.optional(),
    SWX_XML_MAX_ATTRIBUTES: positiveInt.optional(),
    SWX_XML_MAX_TEXT_CHARS: positiveInt.optional(),
    SWX_SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
    SWX_MAX_CONNECTIONS: positiveInt.default(4_096),
    SWX_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(0).default(512),
    SWX_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
    SWX_REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
    SWX_KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(5_000),
    SWX_SIMULATOR_RETRY_MS: positiveInt.default(600_000),
    SWX_CERT_WARN_DAYS: positiveInt.default(30),
    // HTTPS when both are set, plain HTTP (behind a TLS-terminating proxy) when neither is.
    SWX_TLS_CERT: z.string().min(1).optional(),
    SWX_TLS_KEY: z.string().min(1).optional(),
    // GET /metrics on its own listener, and not on the API's.
    SWX_METRICS_PORT: port.optional(),
    SWX_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    // GET /metrics only with Authorization: Bearer <it>, on whichever listener serves it.
    SWX_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  })
  .superRefine((config, ctx) => {
    for (const [name, other] of [
      ['SWX_TLS_KEY', 'SWX_TLS_CERT'],
      ['SWX_TLS_CERT', 'SWX_TLS_KEY'],
    ] as const) {
      if (config[name] === undefined && config[other] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [name], message: `required when ${other} is set (HTTPS needs both, plain HTTP neither)` });
      }
    }
  });
export type Config = z.infer<typeof Config>;

/**
 * Parses the environment. Throws an Error whose message is one line naming the first bad variable.
 * @example const config = parseConfig(process.env)
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = Config.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  throw new Error(`invalid ${name}=${JSON.stringify(present[name] ?? '')}: ${issue?.message ?? 'invalid value'}`);
}

/**
 * swx's data directory: `--data-dir`, else `SWX_DATA_DIR`, else `./data` (design.md 3.1).
 * @example const dataDir = dataDirFrom(io.env, values['data-dir'])
 */
export function dataDirFrom(env: Readonly<Record<string, string | undefined>>, option?: string): string {
  return option ?? env['SWX_DATA_DIR'] ?? './data';
}

/**
 * The partners directory: `SWX_PARTNERS_DIR`, else the `partners/` shipped in this repository.
 * @example readPartnerFiles(partnersDirFrom(io.env))
 */
export function partnersDirFrom(env: Readonly<Record<string, string | undefined>>): string {
  // From src/config.ts, or dist/src/config.js once built (npm run build): the repository's partners/ either way.
  const shipped = import.meta.url.endsWith('.ts') ? '../partners' : '../../partners';
  return env['SWX_PARTNERS_DIR'] ?? fileURLToPath(new URL(shipped, import.meta.url));
}
