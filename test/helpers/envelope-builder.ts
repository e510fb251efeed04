import { randomUUID } from 'node:crypto';
import type { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import type { DocumentType } from '../../src/core/document/document-type.js';
import { writeEnvelope } from '../../message-schemas/envelope/1/build.js';
import type { EnvelopeAction, EnvelopeHeader } from '../../message-schemas/envelope/1/schema.js';

/**
 * A test data builder for partner envelopes: a header from a partner gateway to VN, created now, with a fresh message
 * id starting its own conversation, then changed step by step, written around a business document and signed.
 * @example
 * const xml = anEnvelope().from('TH').carrying('CUSTOMS_RESPONSE').inReplyTo(acdd).signedBy(thSigner, bodyXml)
 */
export class EnvelopeBuilder {
  readonly #header: EnvelopeHeader;

  constructor(header: EnvelopeHeader) {
    this.#header = header;
  }

  /** From gateway `gatewayId`, whose country is the same unless given. */
  from(gatewayId: string, country: string = gatewayId): EnvelopeBuilder {
    return this.with({ from: { gatewayId, country: country as EnvelopeHeader['from']['country'] } });
  }

  /** To gateway `gatewayId` (VN by default). */
  to(gatewayId: string, country: string = gatewayId): EnvelopeBuilder {
    return this.with({ to: { gatewayId, country: country as EnvelopeHeader['to']['country'] } });
  }

  /** Carrying a document of this type, with the action a partner sends it with (RESPOND for responses and acknowledgements of status, SUBMIT otherwise). */
  carrying(documentType: DocumentType, action: EnvelopeAction = RESPONSES.has(documentType) ? 'RESPOND' : 'SUBMIT'): EnvelopeBuilder {
    return this.with({ documentType, action });
  }

  /** In the conversation of `message`, referring to it. */
  inReplyTo(message: { readonly messageId: string; readonly conversationId: string }): EnvelopeBuilder {
    return this.with({ refToMessageId: message.messageId, conversationId: message.conversationId });
  }

  /** Referring to message `messageId`, in whatever conversation the envelope is in. */
  referringTo(messageId: string): EnvelopeBuilder {
    return this.with({ refToMessageId: messageId });
  }

  /** Under message id `messageId`, in conversation `conversationId` (a conversation of its own unless given). */
  identifiedAs(messageId: string, conversationId: string = messageId): EnvelopeBuilder {
    return this.with({ messageId, conversationId });
  }

  /** In conversation `conversationId`, keeping the message id. */
  inConversation(conversationId: string): EnvelopeBuilder {
    return this.with({ conversationId });
  }

  /** Created at `createdAt` (an ISO 8601 date-time, kept as written). */
  createdAt(createdAt: string): EnvelopeBuilder {
    return this.with({ createdAt });
  }

  /** Created `seconds` ago. */
  createdSecondsAgo(seconds: number): EnvelopeBuilder {
    return this.with({ createdAt: new Date(Date.now() - seconds * 1000).toISOString() });
  }

  /** With any header fields replaced, for cases the named steps do not cover. */
  with(changes: Partial<EnvelopeHeader>): EnvelopeBuilder {
    return new EnvelopeBuilder({ ...this.#header, ...changes });
  }

  /** The header as built. */
  header(): EnvelopeHeader {
    return this.#header;
  }

  /** The envelope around `bodyXml` (a canonical business document), unsigned. */
  unsigned(bodyXml: string): string {
    return writeEnvelope(this.#header, bodyXml);
  }

  /** The envelope around `bodyXml`, signed by `signer` (the From gateway's key, another gateway's, or a forger's). */
  signedBy(signer: Pick<XmlDsigSigner, 'signSync'>, bodyXml: string): string {
    return signer.signSync(this.unsigned(bodyXml));
  }
}

const RESPONSES: ReadonlySet<DocumentType> = new Set<DocumentType>(['CUSTOMS_RESPONSE', 'FORM_D_STATUS', 'SPS_ACK']);

/**
 * A new envelope builder: from TH to VN, a CUSTOMS_RESPONSE, created now, a fresh message id starting its own conversation.
 * @example const header = anEnvelope().from('ID').carrying('EPHYTO').header()
 */
export function anEnvelope(): EnvelopeBuilder {
  const messageId = randomUUID();
  return new EnvelopeBuilder({
    messageId,
    conversationId: messageId,
    from: { gatewayId: 'TH', country: 'TH' },
    to: { gatewayId: 'VN', country: 'VN' },
    documentType: 'CUSTOMS_RESPONSE',
    documentVersion: '1',
    action: 'RESPOND',
    createdAt: new Date().toISOString(),
  });
}
