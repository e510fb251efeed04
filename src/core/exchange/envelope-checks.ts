import { EnvelopeHeader, readEnvelope } from '../../../message-schemas/envelope/1/build.js';
import { ENVELOPE_NAMESPACE } from '../../../message-schemas/envelope/1/schema.js';
import { CoreError } from '../errors.js';
import type { GatewayPartner } from '../partner.js';
import type { Clock } from '../primitives.js';
import type { ParsedXml } from '../xml/parsed-xml.js';
import { elementOf, fieldsOf, isList } from '../xml/xml-fields.js';
import { businessAcknowledgement } from './business-acknowledgement.js';
import type { InboundDocument } from '../documents/document-descriptor.js';
import { findDocument } from '../documents/document-table.js';
import type { GatewayIdentity } from './seal-outbound-message.js';

/**
 * The checks of an inbound envelope that record nothing, each throwing the CoreError the envelope is refused
 * with: receiveEnvelope calls them in its order and stops at the first, the conformance report
 * (check-conformance.ts) runs them all and lists each.
 */

/** Clocks of two gateways may disagree a little; an envelope further ahead than this is "from the future". */
const FUTURE_SKEW_MS = 60_000;

/**
 * The Header of an envelope not yet verified, whatever else the envelope holds (extra elements, a second Body,
 * a wrapped signed copy are the signature profile's to refuse). Throws readEnvelope's VALIDATION_FAILED when
 * there is no one valid Header to read the sender from.
 * @example const partner = deps.partners.get(claimedHeader(deps.parseXml(envelope)).from.gatewayId)
 */
export function claimedHeader(parsed: ParsedXml): EnvelopeHeader {
  const root = parsed.root === 'Envelope' && parsed.namespace === ENVELOPE_NAMESPACE ? elementOf(parsed.value) : undefined;
  const value = root?.['Header'];
  const claimed = value === undefined || isList(value) ? undefined : EnvelopeHeader.safeParse(fieldsOf(value));
  if (claimed?.success) return claimed.data;
  return readEnvelope(parsed).header;
}

/**
 * The signed From (gateway and country) is the partner file whose certificate verified the signature
 * (SENDER_NOT_SIGNER otherwise).
 * @example checkSender(header, partners.get('TH'))
 */
export function checkSender(header: EnvelopeHeader, signer: GatewayPartner): void {
  if (header.from.gatewayId !== signer.id || header.from.country !== signer.country) {
    throw new CoreError(
      'SENDER_NOT_SIGNER',
      `the envelope says it is from ${header.from.gatewayId} (${header.from.country}) but is signed with the key of ${signer.id} (${signer.country})`,
    );
  }
}

/**
 * The envelope is addressed to this gateway (ENVELOPE_NOT_FOR_US otherwise).
 * @example checkAddressee({ gatewayId: 'VN', country: 'VN' }, header)
 */
export function checkAddressee(self: GatewayIdentity, header: EnvelopeHeader): void {
  if (header.to.gatewayId !== self.gatewayId || header.to.country !== self.country) {
    throw new CoreError('ENVELOPE_NOT_FOR_US', `envelope is addressed to ${header.to.gatewayId}, not ${self.gatewayId}`);
  }
}

/**
 * The creation time is at most `windowSeconds` old and not ahead of our clock by more than a minute
 * (ENVELOPE_STALE, ENVELOPE_FROM_FUTURE).
 * @example checkWindow({ clock, windowSeconds: 900 }, header)
 */
export function checkWindow(deps: { readonly clock: Clock; readonly windowSeconds: number }, header: EnvelopeHeader): void {
  const created = Date.parse(header.createdAt);
  const now = deps.clock.now().getTime();
  if (created > now + FUTURE_SKEW_MS) {
    throw new CoreError('ENVELOPE_FROM_FUTURE', `envelope created at ${header.createdAt}, ahead of our clock`);
  }
  if (now - created > deps.windowSeconds * 1000) {
    throw new CoreError('ENVELOPE_STALE', `envelope created at ${header.createdAt}, older than ${deps.windowSeconds} s`);
  }
}

/**
 * How swx reads the envelope's document: a business acknowledgement (action ACKNOWLEDGE) of a document type the
 * partner receives from us, else a document of a type it sends and swx accepts (DOCUMENT_TYPE_NOT_SUPPORTED otherwise).
 * @example const document = findInboundHandler(partner, header).validate(body)
 */
export function findInboundHandler(partner: GatewayPartner, header: EnvelopeHeader): InboundDocument {
  const acknowledgement = header.action === 'ACKNOWLEDGE';
  if (!(acknowledgement ? partner.documents.receive : partner.documents.send).some((entry) => entry.type === header.documentType)) {
    throw new CoreError(
      'DOCUMENT_TYPE_NOT_SUPPORTED',
      `${partner.id} is not configured to ${acknowledgement ? 'acknowledge' : 'send'} ${header.documentType}`,
    );
  }
  const handler = acknowledgement ? businessAcknowledgement : findDocument(header.documentType)?.inbound;
  if (!handler) throw new CoreError('DOCUMENT_TYPE_NOT_SUPPORTED', `swx does not accept ${header.documentType} from partner gateways`);
  return handler;
}
