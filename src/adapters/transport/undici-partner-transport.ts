import { Pool } from 'undici';
import { CoreError } from '../../core/errors.js';
import type { PartnerTransport, TransportAnswer } from '../../core/delivery/partner-transport.js';

/**
 * Delivers envelopes with undici: one keep-alive pool per partner origin, so a burst of messages to one
 * gateway reuses its connections, with the connect and response timeouts of the partner file.
 * @example const transport: PartnerTransport = new UndiciPartnerTransport()
 */
export class UndiciPartnerTransport implements PartnerTransport {
  readonly #pools = new Map<string, Pool>();

  constructor(private readonly connections = 16) {}

  async post(endpoint: string, envelope: string, timeouts: { readonly connectMs: number; readonly responseMs: number }): Promise<TransportAnswer> {
    const url = new URL(endpoint);
    try {
      const response = await this.#pool(url.origin, timeouts.connectMs).request({
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        headers: { 'content-type': 'application/xml; charset=utf-8' },
        body: envelope,
        headersTimeout: timeouts.responseMs,
        bodyTimeout: timeouts.responseMs,
      });
      return { status: response.statusCode, body: await response.body.text() };
    } catch (cause) {
      const reason = (cause as { code?: string }).code ?? (cause as Error).message;
      throw new CoreError('DELIVERY_FAILED', `no answer from ${url.origin}: ${reason}`, { cause });
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.close()));
    this.#pools.clear();
  }

  #pool(origin: string, connectMs: number): Pool {
    const key = `${origin}#${connectMs}`;
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new Pool(origin, { connections: this.connections, connect: { timeout: connectMs }, keepAliveTimeout: 30_000 });
      this.#pools.set(key, pool);
    }
    return pool;
  }
}
