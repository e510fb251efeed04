import { z } from 'zod';
import type { ExchangeMessage } from './exchange-store.js';
import { MessageSignature } from './message-signature.js';

/** What every view of an exchanged message shows: who sent what, when, and its ledger entry. */
export const MessageFields = z.object({
  messageId: z.string(),
  direction: z.enum(['OUT', 'IN']),
  partner: z.string(),
  documentType: z.string(),
  conversationId: z.string(),
  refTo: z.string().nullable(),
  declarationId: z.string().nullable(),
  ledgerIndex: z.int().nullable(),
  createdAt: z.string(),
});

/**
 * What `GET /v1/messages/{messageId}` shows: the message with its signed envelope and receipt, byte for byte, and
 * whether the envelope's signature holds.
 */
export const MessageView = MessageFields.extend({
  digest: z.string().meta({ description: 'Base64 SHA-256 of the envelope bytes' }),
  envelope: z.string().meta({ description: 'The signed envelope, exactly as sent or received' }),
  receipt: z.string().nullable().meta({ description: 'The signed receipt that answered it' }),
  signature: MessageSignature.meta({ description: 'The envelope’s signature checked as it is read, with whose certificate and when that lapses' }),
})
  .readonly()
  .meta({ id: 'ExchangeMessage' });
export type MessageView = z.infer<typeof MessageView>;

/**
 * A stored message as officers see it: absent values as null, the partner by its id, its signature as checked.
 * @example const view = viewMessage(message, checkMessageSignature(deps, message))
 */
export function viewMessage(message: ExchangeMessage, signature: MessageSignature): MessageView {
  return {
    messageId: message.messageId,
    direction: message.direction,
    partner: message.partnerId,
    documentType: message.documentType,
    conversationId: message.conversationId,
    refTo: message.refTo ?? null,
    declarationId: message.declarationId ?? null,
    ledgerIndex: message.ledgerIndex ?? null,
    digest: message.digest,
    createdAt: message.createdAt,
    envelope: message.envelope,
    receipt: message.receipt ?? null,
    signature,
  };
}
