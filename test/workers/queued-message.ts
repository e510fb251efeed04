import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { toBase64 } from '../../src/core/encoding.js';
import { ChangeBuilder } from '../../src/core/exchange/change-builder.js';
import type { ExchangeChange, ExchangeMessage, ExchangeStore } from '../../src/core/exchange/exchange-store.js';

/**
 * An outbound message to TH carrying `envelope` (its id taken from the envelope's MessageId), and the change that
 * queues it due now, as sealOutboundMessage's change would; queued by the HTTP request `requestId` when given.
 * @example const { message, change } = queueingToTh(envelope, 'EPHYTO'); await store.commit(change)
 */
export function queueingToTh(envelope: string, documentType: string, requestId?: string): { message: ExchangeMessage; change: ExchangeChange } {
  const messageId = /<MessageId>([^<]+)</.exec(envelope)?.[1] ?? crypto.randomUUID();
  const digest = toBase64(nodeSha256(new TextEncoder().encode(envelope)));
  const at = new Date().toISOString();
  const message: ExchangeMessage = {
    messageId,
    direction: 'OUT',
    partnerId: 'TH',
    documentType,
    conversationId: messageId,
    refTo: undefined,
    declarationId: undefined,
    envelope,
    digest,
    receipt: undefined,
    ledgerIndex: undefined,
    createdAt: at,
  };
  const events = [
    { type: 'DOCUMENT_SIGNED', subject: messageId, at, data: { documentType, envelopeDigest: digest, to: 'TH' } },
    { type: 'MESSAGE_QUEUED', subject: messageId, at, data: { partner: 'TH', documentType } },
  ] as const;
  return { message, change: new ChangeBuilder().queue({ message, events }, { notBefore: Date.now() }).requestedBy(requestId).build() };
}

/** Queues an outbound ACDD envelope for TH in the EXCHANGE object, due now; answers its message id. */
export async function queueForTh(store: ExchangeStore): Promise<string> {
  const { message, change } = queueingToTh(`<Envelope xmlns="urn:swx:envelope:1"><MessageId>${crypto.randomUUID()}</MessageId></Envelope>`, 'ACDD');
  await store.commit(change);
  return message.messageId;
}
