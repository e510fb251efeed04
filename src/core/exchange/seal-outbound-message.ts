import type { LedgerEvent } from '../ledger/entry.js';
import type { Clock, IdGenerator, Sha256, XmlSigner } from '../primitives.js';
import type { ExchangeMessage } from './exchange-store.js';
import { writeEnvelope } from '../../../message-schemas/envelope/1/build.js';
import type { EnvelopeAction, GatewayAddress } from '../../../message-schemas/envelope/1/schema.js';
import type { DocumentType } from '../document/document-type.js';
import { toBase64 } from '../encoding.js';

/** A gateway as envelopes name it; our own appears in the From of every envelope we send. */
export type GatewayIdentity = GatewayAddress;

export interface OutboundDocument {
  readonly partner: GatewayIdentity;
  readonly documentType: DocumentType;
  readonly action: EnvelopeAction;
  /** The business document, in canonical XML (see core/xml/canonical-writer.ts). */
  readonly bodyXml: string;
  readonly conversationId?: string;
  readonly refTo?: string;
  readonly declarationId?: string;
}

export interface SealedMessage {
  readonly message: ExchangeMessage;
  readonly events: readonly [LedgerEvent, LedgerEvent];
}

export interface SealDeps {
  readonly signer: XmlSigner;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly sha256: Sha256;
  readonly self: GatewayIdentity;
}

interface DraftEnvelope {
  readonly messageId: string;
  readonly conversationId: string;
  readonly createdAt: string;
  readonly unsigned: string;
}

/**
 * Wraps a business document in an envelope addressed to a partner gateway and signs it, ready for the outbox.
 * 1. Header: fresh message id, the conversation it continues, From us and To the partner.
 * 2. Sign the canonical envelope (no re-parsing: it was written canonical) through the XmlSigner port.
 * 3. Two ledger events: the document signed (with the envelope's digest) and the message queued.
 * @example const { message, events } = await sealOutboundMessage(deps, { partner, documentType: 'ACDD', action: 'SUBMIT', bodyXml })
 */
export async function sealOutboundMessage(deps: SealDeps, document: OutboundDocument): Promise<SealedMessage> {
  const draft = draftEnvelope(deps, document);
  return sealedMessage(deps, document, draft, await deps.signer.sign(draft.unsigned));
}

function draftEnvelope(deps: SealDeps, document: OutboundDocument): DraftEnvelope {
  const messageId = deps.ids.uuid();
  const createdAt = deps.clock.now().toISOString();
  const conversationId = document.conversationId ?? messageId;
  const unsigned = writeEnvelope(
    {
      messageId,
      conversationId,
      ...(document.refTo === undefined ? {} : { refToMessageId: document.refTo }),
      from: { gatewayId: deps.self.gatewayId, country: deps.self.country },
      to: { gatewayId: document.partner.gatewayId, country: document.partner.country },
      documentType: document.documentType,
      documentVersion: '1',
      action: document.action,
      createdAt,
    },
    document.bodyXml,
  );
  return { messageId, conversationId, createdAt, unsigned };
}

function sealedMessage(deps: SealDeps, document: OutboundDocument, draft: DraftEnvelope, envelope: string): SealedMessage {
  const { messageId, conversationId, createdAt } = draft;
  const digest = toBase64(deps.sha256(new TextEncoder().encode(envelope)));
  const message: ExchangeMessage = {
    messageId,
    direction: 'OUT',
    partnerId: document.partner.gatewayId,
    documentType: document.documentType,
    conversationId,
    refTo: document.refTo,
    declarationId: document.declarationId,
    envelope,
    digest,
    receipt: undefined,
    ledgerIndex: undefined,
    createdAt,
  };
  const subject = messageId;
  return {
    message,
    events: [
      {
        type: 'DOCUMENT_SIGNED',
        subject,
        at: createdAt,
        data: { documentType: document.documentType, envelopeDigest: digest, to: document.partner.gatewayId },
      },
      { type: 'MESSAGE_QUEUED', subject, at: createdAt, data: { partner: document.partner.gatewayId, documentType: document.documentType } },
    ],
  };
}
