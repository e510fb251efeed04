import { ChangeBuilder } from '../../src/core/exchange/change-builder.js';
import type { ExchangeStore } from '../../src/core/exchange/exchange-store.js';

/** Queues an outbound ACDD envelope for TH in the EXCHANGE object, due now, as sealOutboundMessage's change would. */
export async function queueForTh(store: ExchangeStore): Promise<string> {
  const messageId = crypto.randomUUID();
  const envelope = `<Envelope xmlns="urn:swx:envelope:1"><MessageId>${messageId}</MessageId></Envelope>`;
  const digest = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(envelope)))));
  const at = new Date().toISOString();
  const message = {
    messageId,
    direction: 'OUT' as const,
    partnerId: 'TH',
    documentType: 'ACDD',
    conversationId: messageId,
    refTo: undefined,
    declarationId: undefined,
    envelope,
    digest,
    receipt: undefined,
    ledgerIndex: undefined,
    createdAt: at,
  };
  const sealed = {
    message,
    events: [
      { type: 'DOCUMENT_SIGNED', subject: messageId, at, data: { documentType: 'ACDD', envelopeDigest: digest, to: 'TH' } },
      { type: 'MESSAGE_QUEUED', subject: messageId, at, data: { partner: 'TH', documentType: 'ACDD' } },
    ],
  } as const;
  await store.commit(new ChangeBuilder().queue(sealed, { notBefore: Date.now() }).build());
  return messageId;
}
