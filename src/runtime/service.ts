import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import pino from 'pino';
import type { Config } from '../config.js';
import { CoreError } from '../core/errors.js';
import { createApp } from '../http/app.js';
import type { CheckpointPublisher } from './checkpoint-publisher.js';
import { compose } from './compose.js';
import { type ConnectionLimits, listenHttp, type DrainReport, type HttpServer, type ServerTls } from './http-server.js';
import { metricsOnly, withoutMetrics } from './metrics-endpoint.js';
import type { OutboxWorker } from './outbox-worker.js';
import type { Faults } from './simulator/faults.js';
import type { PartnerSimulator } from './simulator/partner-simulator.js';

/** A running swx: where it listens, its parts operators and tests look at, and how to stop it. */
export interface RunningService {
  readonly url: string;
  /** Where `GET /metrics` is served when SWX_METRICS_PORT is set (plain HTTP); undefined when on `url`. */
  readonly metricsUrl: string | undefined;
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

/**
 * Starts swx on Node with its embedded defaults (design.md 3.1), as compose() wires it: SQLite under the data dir,
 * the development PKI on first start, the bootstrap admin token, the partner simulators, the outbox worker and the
 * checkpoint publisher.
 * 1. Compose (the simulated gateways listen on loopback ports, so their endpoints are known).
 * 2. The HTTP server, then the background work (simulators' owed answers, checkpoints, the outbox).
 * @example const service = await startService(parseConfig(process.env)); console.log(service.url)
 */
export async function startService(config: Config, options: ServiceOptions = {}): Promise<RunningService> {
  const tls = readServerTls(config);
  const logger = options.logger ?? pino({ level: config.SWX_LOG_LEVEL });
  const log = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}) => logger[level](fields, message);
  let url = '';
  const composition = await compose(config, {
    logger,
    ...(options.simulatorFaults === undefined ? {} : { simulatorFaults: options.simulatorFaults }),
    url: () => url,
    readiness: () => [{ name: 'accepting', ok: !http.draining, ...(http.draining ? { detail: 'shutting down' } : {}) }],
  });
  // Loaded only when asked for: without an endpoint, no OpenTelemetry code runs.
  const tracer =
    config.OTEL_EXPORTER_OTLP_ENDPOINT === undefined
      ? undefined
      : (await import('../adapters/tracing/otel-request-tracer.js')).otelRequestTracer(config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const app = createApp(tracer === undefined ? composition.deps : { ...composition.deps, tracer });

  let lastRefusalLog = 0;
  const limits: ConnectionLimits = {
    maxConnections: config.SWX_MAX_CONNECTIONS,
    maxConnectionsPerAddress: config.SWX_MAX_CONNECTIONS_PER_ADDRESS,
    headersTimeoutMs: config.SWX_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.SWX_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: config.SWX_KEEP_ALIVE_TIMEOUT_MS,
  };
  const separateMetrics = config.SWX_METRICS_PORT !== undefined;
  // Commits are synced off the request thread: an answer waits until whatever it may have read is on disk.
  // The rest of the arguments carry Node's request and response (getConnInfo reads the client's address from them).
  const durableFetch = (async (request: Request, ...rest: never[]) => {
    const response = await app.fetch(request, ...rest);
    await composition.whenDurable();
    return response;
  }) as typeof app.fetch;
  const http = await listenHttp(separateMetrics ? withoutMetrics(durableFetch) : durableFetch, {
    hostname: config.SWX_HOST,
    port: config.PORT,
    limits,
    ...(tls === undefined ? {} : { tls }),
    onRefused: (address) => {
      if (Date.now() - lastRefusalLog < 10_000) return;
      lastRefusalLog = Date.now();
      log('warn', 'connection refused: too many open from one address (SWX_MAX_CONNECTIONS_PER_ADDRESS)', { address });
    },
  });
  url = `${tls === undefined ? 'http' : 'https'}://${hostForUrl(config.SWX_HOST)}:${http.port}`;
  const metricsServer: HttpServer | undefined =
    config.SWX_METRICS_PORT === undefined
      ? undefined
      : await listenHttp(
          metricsOnly(
            composition.deps.metrics,
            config.SWX_METRICS_TOKEN === undefined ? undefined : { token: config.SWX_METRICS_TOKEN, sha256: composition.deps.sha256 },
          ),
          { hostname: config.SWX_METRICS_HOST, port: config.SWX_METRICS_PORT, limits },
        );
  const metricsUrl = metricsServer === undefined ? undefined : `http://${hostForUrl(config.SWX_METRICS_HOST)}:${metricsServer.port}/metrics`;
  composition.start();
  log('info', `swx listening on ${url}`, {
    dataDir: composition.dataDir,
    simulators: [...composition.simulators.keys()],
    ...(metricsUrl === undefined ? {} : { metricsUrl }),
  });
  let stopping: Promise<ShutdownReport> | undefined;

  return {
    url,
    metricsUrl,
    dataDir: composition.dataDir,
    adminTokenPath: composition.adminTokenPath,
    simulators: composition.simulators,
    outbox: composition.outbox,
    checkpoints: composition.checkpoints,
    close() {
      stopping ??= (async () => {
        const started = performance.now();
        const [drain] = await Promise.all([http.drain(config.SWX_SHUTDOWN_GRACE_MS), metricsServer?.drain(0)]);
        await composition.close();
        await tracer?.shutdown();
        return { ...drain, stoppedInMs: Math.round(performance.now() - started) };
      })();
      return stopping;
    },
  };
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The HTTPS certificate and key of SWX_TLS_CERT and SWX_TLS_KEY, read and tried in a TLS context before anything starts
 * (a key that does not match the certificate stops the start naming both); none for plain HTTP.
 */
function readServerTls(config: Config): ServerTls | undefined {
  if (config.SWX_TLS_CERT === undefined || config.SWX_TLS_KEY === undefined) return undefined;
  const read = (name: 'SWX_TLS_CERT' | 'SWX_TLS_KEY', path: string, label: string, block: RegExp): string => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (cause) {
      throw new CoreError('CONFIG_INVALID', `${name}: cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
    }
    if (!block.test(text)) throw new CoreError('CONFIG_INVALID', `${name}: ${path} holds no ${label} PEM block`);
    return text;
  };
  const tls = {
    certificatePem: read('SWX_TLS_CERT', config.SWX_TLS_CERT, 'CERTIFICATE', /-----BEGIN CERTIFICATE-----/),
    keyPem: read('SWX_TLS_KEY', config.SWX_TLS_KEY, 'PRIVATE KEY', /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/),
  };
  try {
    createSecureContext({ cert: tls.certificatePem, key: tls.keyPem });
  } catch (cause) {
    throw new CoreError('CONFIG_INVALID', `SWX_TLS_CERT and SWX_TLS_KEY: not usable for TLS: ${(cause as Error).message}`, { cause });
  }
  return tls;
}
