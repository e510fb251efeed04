import { z } from 'zod';

const rate = z.coerce.number().min(0).max(1);

/**
 * The faults a simulated gateway can inject, so operators and tests see how swx behaves against a
 * misbehaving partner. Rates are probabilities per request.
 */
export const Faults = z.object({
  /** Added to every answer, in milliseconds. */
  latencyMs: z.coerce.number().int().min(0).default(0),
  /** Share of requests answered 503 with no receipt. */
  errorRate: rate.default(0),
  /** Share of connections closed before any answer. */
  dropRate: rate.default(0),
  /** Share of answers whose body trickles out slowly (one chunk per second). */
  slowBodyRate: rate.default(0),
  /** Share of receipts whose signature does not verify. */
  badSignatureRate: rate.default(0),
  /** Share of receipts naming another message id. */
  wrongReceiptRate: rate.default(0),
  /** Share of received documents (SUBMIT or CANCEL) acknowledged at the business level, in an ACKNOWLEDGE envelope, before any business response. */
  businessAckRate: rate.default(0),
  /** Share of those business acknowledgements that reject the document (then no business response follows). */
  businessRejectRate: rate.default(0),
  /** Delay before the business response (e.g. the Customs Response) is sent back, in milliseconds. */
  responseDelayMs: z.coerce.number().int().min(0).default(200),
});
export type Faults = z.infer<typeof Faults>;

export const NO_FAULTS: Faults = Faults.parse({});
