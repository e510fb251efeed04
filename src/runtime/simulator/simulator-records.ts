import { z } from 'zod';

/** A message a simulated gateway received and receipted: asked again with the same bytes, it answers the same receipt. */
export const ReceivedMessage = z.object({
  messageId: z.string(),
  digest: z.string(),
  status: z.number().int(),
  receipt: z.string(),
});
export type ReceivedMessage = z.infer<typeof ReceivedMessage>;

/** One envelope a simulated gateway owes swx, signed once (a re-send is the same bytes), not sent before `notBefore` (epoch ms). */
export const OwedEnvelope = z.object({
  documentType: z.string(),
  refToMessageId: z.string(),
  notBefore: z.number(),
  envelope: z.string(),
});
export type OwedEnvelope = z.infer<typeof OwedEnvelope>;

/**
 * What a gateway owes for one received message, sent in order (a business acknowledgement before the response),
 * with the receipt record of that message, so that both are kept in one write.
 */
export const PendingResponse = z.object({
  id: z.string(),
  steps: z.array(OwedEnvelope).min(1),
  received: ReceivedMessage.optional(),
});
export type PendingResponse = z.infer<typeof PendingResponse>;
