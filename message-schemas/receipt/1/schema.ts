import { z } from 'zod';
import { expected, XML_CHARACTERS } from '../../common/1/common-types.js';
import { GatewayAddress, MessageId, UtcDateTime } from '../../envelope/1/schema.js';

/** The receipt's XML namespace (receipt.xsd's target namespace). */
export const RECEIPT_NAMESPACE = 'urn:swx:xsd:receipt:1';

/**
 * One reason a message was rejected: a CoreErrorCode (or a partner's own code) and a human-readable message.
 * @example ReceiptError.parse({ code: 'SIGNATURE_INVALID', message: 'the digest of the reference does not match' })
 */
export const ReceiptError = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, { error: expected('an error code in capitals such as SIGNATURE_INVALID') }),
  message: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(8192, { error: 'must be at most 8192 characters' })
    .regex(XML_CHARACTERS, { error: 'contains a character XML cannot carry' }),
});
export type ReceiptError = z.infer<typeof ReceiptError>;

/**
 * A defect the receiver accepted the document with (the IPPC hub's DeliveredWithWarnings): a code, the JSON pointer
 * of the field in the document's JSON form when there is one, and a human-readable message.
 * @example ReceiptWarning.parse({ code: 'ATTACHMENT_NOT_BASE64', pointer: '/referencedDocuments/0/attachment/content', message: 'the attachment does not decode as base64' })
 */
export const ReceiptWarning = z.strictObject({
  code: ReceiptError.shape.code,
  pointer: z
    .string()
    .max(1024, { error: 'must be at most 1024 characters' })
    .regex(XML_CHARACTERS, { error: 'contains a character XML cannot carry' })
    .optional(),
  message: ReceiptError.shape.message,
});
export type ReceiptWarning = z.infer<typeof ReceiptWarning>;

/**
 * The synchronous receipt for a received envelope (design.md 3.4): non-repudiation of receipt. `envelopeDigest`
 * is the base64 SHA-256 of the exact bytes received; `messageId` and `to` are absent only when the envelope
 * could not be read far enough to know them; `checkpoint` is the receiver's signed ledger checkpoint note;
 * `warnings`, on a RECEIVED receipt, lists the defects the document was accepted with (absent when there are none,
 * as in receipts written before warnings existed).
 * @example
 * Receipt.parse({
 *   receiptId: '5f0c…', messageId: '0b9c…', from: { gatewayId: 'VN', country: 'VN' }, to: { gatewayId: 'TH', country: 'TH' },
 *   status: 'RECEIVED', envelopeDigest: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', ledgerIndex: 41, errors: [],
 *   createdAt: '2026-11-20T07:05:01.000Z',
 * })
 */
export const Receipt = z.strictObject({
  receiptId: MessageId,
  messageId: MessageId.optional(),
  from: GatewayAddress,
  to: GatewayAddress.optional(),
  status: z.enum(['RECEIVED', 'REJECTED'], { error: expected('RECEIVED or REJECTED') }),
  envelopeDigest: z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, { error: expected('the base64 of a SHA-256 digest') }),
  ledgerIndex: z
    .int({ error: expected('a ledger index, a whole number from 0') })
    .min(0, { error: 'must be at least 0' })
    .max(Number.MAX_SAFE_INTEGER, { error: `must be at most ${Number.MAX_SAFE_INTEGER}` })
    .optional(),
  checkpoint: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(4096, { error: 'must be at most 4096 characters' })
    .regex(XML_CHARACTERS, { error: 'contains a character XML cannot carry' })
    .optional(),
  errors: z.array(ReceiptError),
  warnings: z.array(ReceiptWarning).optional(),
  createdAt: UtcDateTime,
});
export type Receipt = z.infer<typeof Receipt>;
