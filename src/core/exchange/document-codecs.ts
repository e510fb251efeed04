import { acddCancellationSpec } from '../../../message-schemas/acdd-cancellation/1/schema.js';
import { acddSpec } from '../../../message-schemas/acdd/1/schema.js';
import { customsResponseSpec } from '../../../message-schemas/customs-response/1/schema.js';
import { eahCodec } from '../../../message-schemas/eah/1/schema.js';
import { ephytoCodec } from '../../../message-schemas/ephyto/1/schema.js';
import { exportDeclarationSpec } from '../../../message-schemas/export-declaration/1/schema.js';
import { formDStatusSpec } from '../../../message-schemas/form-d-status/1/schema.js';
import { formDSpec } from '../../../message-schemas/form-d/1/schema.js';
import { spsAckSpec } from '../../../message-schemas/sps-ack/1/schema.js';
import { codecOfSpec, type DocumentCodec } from '../document/document-codec.js';
import { DocumentType } from '../document/document-type.js';

/**
 * The business documents with a schema in message-schemas/ that travel in envelopes, by document type. EPHYTO
 * comes before EAH: both are an SPSCertificate, read as an ePhyto unless the type is given.
 */
export const envelopeDocumentCodecs: Readonly<Partial<Record<DocumentType, DocumentCodec>>> = Object.freeze({
  ACDD: codecOfSpec(acddSpec),
  ACDD_CANCELLATION: codecOfSpec(acddCancellationSpec),
  CUSTOMS_RESPONSE: codecOfSpec(customsResponseSpec),
  EXPORT_DECLARATION: codecOfSpec(exportDeclarationSpec),
  EPHYTO: ephytoCodec,
  EAH: eahCodec,
  SPS_ACK: codecOfSpec(spsAckSpec),
  FORM_D: codecOfSpec(formDSpec),
  FORM_D_STATUS: codecOfSpec(formDStatusSpec),
});

/** The document types of `envelopeDocumentCodecs`, sorted, for messages: `ACDD, ACDD_CANCELLATION, …`. */
export const ENVELOPE_DOCUMENT_TYPES = Object.keys(envelopeDocumentCodecs).sort().join(', ');

/**
 * The codec of a `--type` or `?type=` value (any case, `-` or `_`), or why there is none.
 * @example codecForType('customs-response') // { codec: … }
 */
export function codecForType(value: string): { codec: DocumentCodec } | { error: string } {
  const type = DocumentType.safeParse(value.trim().toUpperCase().replaceAll('-', '_'));
  if (!type.success) return { error: `unknown document type ${JSON.stringify(value)} (supported: ${ENVELOPE_DOCUMENT_TYPES})` };
  const codec = envelopeDocumentCodecs[type.data];
  if (codec === undefined) return { error: `${type.data} has no schema in message-schemas/ yet (supported: ${ENVELOPE_DOCUMENT_TYPES})` };
  return { codec };
}

/**
 * The codec whose root element is this one (an SPSCertificate is an ePhyto), or undefined.
 * @example codecForRoot('CustomsResponse', 'urn:swx:xsd:customs-response:1')?.documentType // 'CUSTOMS_RESPONSE'
 */
export function codecForRoot(root: string, namespace: string | undefined): DocumentCodec | undefined {
  return Object.values(envelopeDocumentCodecs).find((codec) => codec.rootElement === root && codec.namespace === namespace);
}
