import { buildConnector, Pool } from 'undici';
import type { PartnerTransport, PostOptions, TransportAnswer } from '../../core/delivery/partner-transport.js';
import type { PartnerTlsMaterial } from '../../core/partner.js';
import { AnswerTooLarge, DEFAULT_MAX_ANSWER_BYTES, deliveryFailed, networkReason, readAnswer } from './partner-answer.js';
import { requestIdHeader } from './request-id-header.js';
import { tlsFailureReason } from './tls-failure-reason.js';

export interface UndiciPartnerTransportOptions {
  /** Keep-alive connections per partner origin. */
  readonly connections?: number;
  /** The most bytes of an answer read; a larger one is a delivery failure. */
  readonly maxAnswerBytes?: number;
  /** The TLS settings of each partner whose file has `tls` (readPartnerTls), keyed by partner id. */
  readonly tls?: ReadonlyMap<string, PartnerTlsMaterial>;
}

/**
 * Delivers envelopes with undici: one keep-alive pool per partner and origin, so a burst of messages to one
 * gateway reuses its connections, with the connect and response timeouts of the partner file: `connectMs` bounds
 * the TCP connect (and the TLS handshake), `responseMs` the wait for the response headers and each pause while the body
 * streams. An https pool connects with its partner's TLS settings: client certificate, server roots, server name.
 * Redirects are not followed: a 3xx is the partner's answer. No answer, one over `maxAnswerBytes`, or a TLS refusal
 * (`TLS: certificate of th-gateway.example not trusted (…)`, see tlsFailureReason) is DELIVERY_FAILED.
 * @example const transport: PartnerTransport = new UndiciPartnerTransport()
 */
export class UndiciPartnerTransport implements PartnerTransport {
  readonly #pools = new Map<string, PartnerPool>();
  readonly #connections: number;
  readonly #maxAnswerBytes: number;
  readonly #tls: ReadonlyMap<string, PartnerTlsMaterial>;

  constructor(options: UndiciPartnerTransportOptions = {}) {
    this.#connections = options.connections ?? 16;
    this.#maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    this.#tls = options.tls ?? new Map();
  }

  async post(endpoint: string, envelope: string, timeouts: PostOptions): Promise<TransportAnswer> {
    const url = new URL(endpoint);
    const tls = timeouts.partner === undefined ? undefined : this.#tls.get(timeouts.partner);
    const pool = this.#pool(url.origin, timeouts, tls);
    try {
      const response = await pool.pool.request({
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        headers: { 'content-type': 'application/xml; charset=utf-8', ...requestIdHeader(timeouts) },
        body: envelope,
        headersTimeout: timeouts.responseMs,
        bodyTimeout: timeouts.responseMs,
      });
      const length = response.headers['content-length'];
      return { status: response.statusCode, body: await readAnswer(response.body, Array.isArray(length) ? length[0] : length, this.#maxAnswerBytes) };
    } catch (cause) {
      throw deliveryFailed(url.origin, reasonFor(cause, timeouts, pool, tls?.serverName ?? url.hostname), cause);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map(({ pool }) => pool.close()));
    this.#pools.clear();
  }

  #pool(origin: string, options: PostOptions, tls: PartnerTlsMaterial | undefined): PartnerPool {
    const key = `${options.partner ?? ''}#${origin}#${options.connectMs}`;
    let entry = this.#pools.get(key);
    if (!entry) {
      const connect = buildConnector({
        timeout: options.connectMs,
        ...(tls?.serverRootPems === undefined ? {} : { ca: [...tls.serverRootPems] }),
        ...(tls?.clientCertificatePem === undefined ? {} : { cert: tls.clientCertificatePem, key: tls.clientKeyPem }),
        ...(tls?.serverName === undefined ? {} : { servername: tls.serverName }),
      });
      const created: PartnerPool = {
        // A server that refuses our client certificate does so with an alert after the handshake (TLS 1.3); undici
        // then reports only `other side closed`, so the alert a new connection meets is kept to say why.
        pool: new Pool(origin, {
          connections: this.#connections,
          keepAliveTimeout: 30_000,
          connect: (connectOptions, callback) =>
            connect(connectOptions, (error, socket) => {
              created.tlsAlert = undefined;
              socket?.on('error', (socketError: NodeJS.ErrnoException) => {
                if (socketError.code?.startsWith('ERR_SSL_') === true) created.tlsAlert = socketError.code;
              });
              if (error === null) callback(null, socket);
              else callback(error, null);
            }),
        }),
      };
      entry = created;
      this.#pools.set(key, entry);
    }
    return entry;
  }
}

/** One partner's pool, and the TLS alert its latest connection met, if any. */
interface PartnerPool {
  readonly pool: Pool;
  tlsAlert?: string | undefined;
}

function reasonFor(cause: unknown, timeouts: PostOptions, pool: PartnerPool, host: string): string {
  if (cause instanceof AnswerTooLarge) return cause.message;
  const network = networkReason(cause);
  const reason = network === 'UND_ERR_SOCKET' && pool.tlsAlert !== undefined ? pool.tlsAlert : network;
  const tls = tlsFailureReason(reason, host);
  if (tls !== undefined) return tls;
  if (reason === 'UND_ERR_CONNECT_TIMEOUT') return `no connection within ${timeouts.connectMs} ms`;
  if (reason === 'UND_ERR_HEADERS_TIMEOUT' || reason === 'UND_ERR_BODY_TIMEOUT') return `no response within ${timeouts.responseMs} ms`;
  return reason;
}
