/** What a partner gateway answered over HTTP. */
export interface TransportAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * How one post goes: the partner file's timeouts, and the partner it is for, whose TLS settings (PartnerTls) a
 * transport that can honour them connects with.
 */
export interface PostOptions {
  readonly connectMs: number;
  readonly responseMs: number;
  readonly partner?: string;
  /**
   * Sent as `X-Request-Id`, so the partner's logs and swx's meet on one id: the request that queued the message, else the
   * outbox message's id (requestIdOf).
   */
  readonly requestId?: string;
}

/**
 * Carries a signed envelope to a partner gateway's exchange endpoint. Resolves with whatever HTTP answer came back;
 * rejects with CoreError('DELIVERY_FAILED') when none did (refused, reset, timed out, TLS refused).
 */
export interface PartnerTransport {
  post(endpoint: string, envelope: string, options: PostOptions): Promise<TransportAnswer>;
  close(): Promise<void>;
}
