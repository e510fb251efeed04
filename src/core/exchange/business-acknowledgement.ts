import { readReceipt } from '../../../message-schemas/receipt/1/build.js';
import type { Receipt } from '../../../message-schemas/receipt/1/schema.js';
import { CoreError } from '../errors.js';
import type { InboundDocument } from '../documents/document-descriptor.js';

/**
 * A partner gateway's business acknowledgement of a message swx sent it (design.md 3.4: the level between the
 * synchronous receipt and the business response), for partners that validate after receipting: an envelope with
 * action ACKNOWLEDGE, the acknowledged message's document type and its id as RefToMessageId, whose Body is a
 * receipt/1 Receipt of that message by that partner: Status RECEIVED when it accepted the document after
 * validation, REJECTED with its Errors when it did not. It joins the timeline of the acknowledged message's
 * declaration; anything that does not acknowledge a message swx sent that partner is refused (VALIDATION_FAILED).
 * @example const handler = header.action === 'ACKNOWLEDGE' ? businessAcknowledgement : DOCUMENTS[header.documentType].inbound
 */
export const businessAcknowledgement: InboundDocument = {
  validate: (body) => readReceipt(body),
  summarise: (document) => {
    const receipt = document as Receipt;
    return {
      acknowledgement: receipt.status === 'RECEIVED' ? 'ACCEPTED' : 'REJECTED',
      acknowledges: receipt.messageId ?? null,
      partnerLedgerIndex: receipt.ledgerIndex ?? null,
      errors: receipt.errors.map((error) => ({ code: error.code, message: error.message })),
    };
  },
  async route(document, { deps, header, partner }) {
    const receipt = document as Receipt;
    const acknowledged = header.refToMessageId === undefined ? undefined : await deps.store.getMessage(header.refToMessageId);
    const refuse = (pointer: string, detail: string) => {
      throw new CoreError('VALIDATION_FAILED', `not a business acknowledgement of a message swx sent to ${partner.id}: ${detail}`, {
        issues: [{ pointer, detail }],
      });
    };
    if (acknowledged?.direction !== 'OUT' || acknowledged.partnerId !== partner.id || acknowledged.documentType !== header.documentType) {
      return refuse('/header/refToMessageId', `must be the id of a ${header.documentType} swx sent to ${partner.id}`);
    }
    if (receipt.messageId !== acknowledged.messageId) return refuse('/body/messageId', `must be ${acknowledged.messageId}, the message acknowledged`);
    if (receipt.from.gatewayId !== partner.id) return refuse('/body/from/gatewayId', `must be ${partner.id}, the acknowledging gateway`);
    if (receipt.envelopeDigest !== acknowledged.digest) return refuse('/body/envelopeDigest', 'must be the SHA-256 digest of the envelope swx sent');
    return acknowledged.declarationId === undefined ? {} : { declarationId: acknowledged.declarationId };
  },
};
