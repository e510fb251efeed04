/** What a partner gateway answered over HTTP. */
export interface TransportAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * Carries a signed envelope to a partner gateway's exchange endpoint. Resolves with whatever HTTP answer came back;
 * rejects with CoreError('DELIVERY_FAILED') when none did (refused, reset, timed out).
 */
export interface PartnerTransport {
  post(endpoint: string, envelope: string, timeouts: { readonly connectMs: number; readonly responseMs: number }): Promise<TransportAnswer>;
  close(): Promise<void>;
}
