import { z } from 'zod';
import { DocumentType } from '../../../src/core/document/document-type.js';
import { CountryCode, expectedDate, expected } from '../../common/1/common-types.js';

/** The envelope's XML namespace (envelope.xsd's target namespace). */
export const ENVELOPE_NAMESPACE = 'urn:swx:xsd:envelope:1';

/**
 * A message, conversation or receipt id: a UUID, or a partner gateway's own id of up to 128 letters,
 * digits and `. _ : -`. Same as `MessageId` in envelope.xsd.
 * @example MessageId.parse('0b9c3a4e-6d1f-4c53-9a57-0f7a3c1e2d45')
 */
export const MessageId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, { error: expected('an id of at most 128 letters, digits and . _ : -') });

/**
 * A gateway's id in partners/ (a partner gateway's id is its country code). Same as `GatewayId` in envelope.xsd.
 * @example GatewayId.parse('TH')
 */
export const GatewayId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: expected('a gateway id of at most 64 letters, digits and . _ -') });

/**
 * A gateway and its country: the From and To of envelopes and receipts.
 * @example GatewayAddress.parse({ gatewayId: 'VN', country: 'VN' })
 */
export const GatewayAddress = z.strictObject({ gatewayId: GatewayId, country: CountryCode });
export type GatewayAddress = z.infer<typeof GatewayAddress>;

/**
 * What the sender asks of the receiver with this document.
 * @example EnvelopeAction.parse('SUBMIT')
 */
export const EnvelopeAction = z.enum(['SUBMIT', 'CANCEL', 'RESPOND', 'ACKNOWLEDGE'], {
  error: expected('SUBMIT, CANCEL, RESPOND or ACKNOWLEDGE'),
});
export type EnvelopeAction = z.infer<typeof EnvelopeAction>;

/**
 * The version of the business document's schema: its folder under message-schemas/<type>/.
 * @example DocumentVersion.parse('1')
 */
export const DocumentVersion = z.string().regex(/^[1-9][0-9]{0,2}$/, { error: expected('a schema version such as 1') });

/**
 * A point in time in UTC, ISO 8601 with the `Z` designator, as `new Date().toISOString()` writes it.
 * @example UtcDateTime.parse('2026-11-20T07:05:00.000Z')
 */
export const UtcDateTime = z.iso.datetime({ error: expectedDate('a UTC date and time such as 2026-11-20T07:05:00Z') });

/**
 * The envelope header (design.md 3.4): who sends what to whom, in which conversation, and when.
 * @example
 * EnvelopeHeader.parse({
 *   messageId: '0b9c3a4e-6d1f-4c53-9a57-0f7a3c1e2d45', conversationId: '0b9c3a4e-6d1f-4c53-9a57-0f7a3c1e2d45',
 *   from: { gatewayId: 'VN', country: 'VN' }, to: { gatewayId: 'TH', country: 'TH' },
 *   documentType: 'ACDD', documentVersion: '1', action: 'SUBMIT', createdAt: '2026-11-20T07:05:00.000Z',
 * })
 */
export const EnvelopeHeader = z.strictObject({
  messageId: MessageId,
  conversationId: MessageId,
  refToMessageId: MessageId.optional(),
  from: GatewayAddress,
  to: GatewayAddress,
  documentType: DocumentType,
  documentVersion: DocumentVersion,
  action: EnvelopeAction,
  createdAt: UtcDateTime,
});
export type EnvelopeHeader = z.infer<typeof EnvelopeHeader>;
