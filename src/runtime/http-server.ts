import { serve, type ServerType } from '@hono/node-server';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { CoreError } from '../core/errors.js';

/** How many connections swx holds and how long a client may take to send its request (README, Configuration). */
export interface ConnectionLimits {
  /** Connections open at once; beyond it the kernel-accepted socket is closed at once. */
  readonly maxConnections: number;
  /** Connections open at once from one remote address; 0 for no cap (behind a proxy every client shares its address). */
  readonly maxConnectionsPerAddress: number;
  /** Time to receive the request line and headers. */
  readonly headersTimeoutMs: number;
  /** Time to receive the whole request, body included; answered 408 and closed past it. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  readonly keepAliveTimeoutMs: number;
}

/** What a drain did: answers sent in full while draining, requests cut off at the end of the grace period, and how long it took. */
export interface DrainReport {
  readonly drained: number;
  readonly cutOff: number;
  readonly durationMs: number;
}

/** The HTTP server of swx, with its limits, and a drain for a graceful stop. */
export interface HttpServer {
  readonly port: number;
  /** True from the start of drain(): `/readyz` answers 503. */
  readonly draining: boolean;
  /**
   * Stops accepting connections, closes idle keep-alive ones, lets requests in flight finish (their answers say
   * `Connection: close`) and, after graceMs, closes whatever is still open.
   */
  drain(graceMs: number): Promise<DrainReport>;
}

/** The certificate (chain included) and private key HTTPS is served with, PEM. */
export interface ServerTls {
  readonly certificatePem: string;
  readonly keyPem: string;
}

export interface ListenOptions {
  readonly hostname: string;
  readonly port: number;
  readonly limits: ConnectionLimits;
  /** Serves HTTPS with this certificate; plain HTTP without. */
  readonly tls?: ServerTls;
  /** Called when a connection is refused because its address holds maxConnectionsPerAddress already. */
  readonly onRefused?: (address: string) => void;
}

/**
 * Serves `fetch` with @hono/node-server on hostname:port, over HTTPS when `tls` is given, within the connection limits.
 * Node checks the header and request timeouts on an interval: a quarter of the shorter one (at most 1 s). Over HTTPS the
 * limits hold the same (they count TCP connections, before the handshake), and a client that does not finish its TLS
 * handshake within the headers timeout is cut off too.
 * @example const http = await listenHttp(app.fetch, { hostname: '127.0.0.1', port: 0, limits }); await http.drain(10_000)
 */
export function listenHttp(fetch: (request: Request) => Response | Promise<Response>, options: ListenOptions): Promise<HttpServer> {
  const { limits } = options;
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const serverOptions = {
    headersTimeout,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
  };
  const tls = options.tls === undefined ? undefined : { cert: options.tls.certificatePem, key: options.tls.keyPem, handshakeTimeout: headersTimeout };
  return new Promise((resolve, reject) => {
    const { hostname, port } = options;
    const listening = () => resolve(drainable(server as Server, (server.address() as AddressInfo).port));
    const server: ServerType =
      tls === undefined
        ? serve({ fetch, hostname, port, serverOptions }, listening)
        : serve({ fetch, hostname, port, createServer: createHttpsServer, serverOptions: { ...serverOptions, ...tls } }, listening);
    server.maxConnections = limits.maxConnections;
    if (limits.maxConnectionsPerAddress > 0) capPerAddress(server as Server, limits.maxConnectionsPerAddress, options.onRefused);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new CoreError('CONFIG_INVALID', `PORT ${options.port} is already in use on ${options.hostname}`) : error),
    );
  });
}

/** Closes a new connection at once when its remote address already holds `cap` open ones. */
function capPerAddress(server: Server, cap: number, onRefused: ((address: string) => void) | undefined): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > cap) {
      socket.destroy();
      onRefused?.(address);
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

function drainable(server: Server, port: number): HttpServer {
  const active = new Set<ServerResponse>();
  let draining = false;
  let drained = 0;
  server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
    active.add(response);
    if (draining) response.shouldKeepAlive = false;
    response.once('finish', () => {
      if (draining) drained += 1;
    });
    response.once('close', () => active.delete(response));
  });
  let drainPromise: Promise<DrainReport> | undefined;
  return {
    port,
    get draining() {
      return draining;
    },
    drain(graceMs) {
      drainPromise ??= new Promise((resolve) => {
        draining = true;
        const started = performance.now();
        let cutOff = 0;
        // Answers still to be written tell their client not to reuse the connection.
        for (const response of active) if (!response.headersSent) response.shouldKeepAlive = false;
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const deadline = setTimeout(() => {
          cutOff = active.size;
          server.closeAllConnections();
        }, graceMs);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(deadline);
          resolve({ drained, cutOff, durationMs: Math.round(performance.now() - started) });
        });
        server.closeIdleConnections();
      });
      return drainPromise;
    },
  };
}
