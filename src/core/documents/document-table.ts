import type { DocumentCodec } from '../document/document-codec.js';
import type { DocumentType } from '../document/document-type.js';
import { acddCancellation } from './acdd-cancellation.js';
import { acdd } from './acdd.js';
import { customsResponse } from './customs-response.js';
import type { CertificateIssue, DocumentDescriptor } from './document-descriptor.js';
import { eah } from './eah.js';
import { ephyto } from './ephyto.js';
import { exportDeclaration } from './export-declaration.js';
import { formDStatus } from './form-d-status.js';
import { formD } from './form-d.js';
import { importDeclaration } from './import-declaration.js';
import { spsAck } from './sps-ack.js';

/**
 * Every document type swx knows, by its code: the one table reception, conformance checks, certificate issuance,
 * `swx simulate send` and the partner simulators read. A new type is its module (document-descriptor.ts) and one
 * line here. EPHYTO comes before EAH: both are an SPSCertificate, read as an ePhyto unless the type is given.
 */
const table = {
  EXPORT_DECLARATION: exportDeclaration,
  IMPORT_DECLARATION: importDeclaration,
  ACDD: acdd,
  ACDD_CANCELLATION: acddCancellation,
  CUSTOMS_RESPONSE: customsResponse,
  FORM_D: formD,
  FORM_D_STATUS: formDStatus,
  EPHYTO: ephyto,
  EAH: eah,
  SPS_ACK: spsAck,
};

/** The codes of the document types swx knows: the table's keys. */
export type KnownDocumentType = keyof typeof table;

export const DOCUMENTS: { readonly [K in KnownDocumentType]: DocumentDescriptor<unknown, K> } = Object.freeze(table);

const descriptors: readonly DocumentDescriptor[] = Object.values(DOCUMENTS);

/** The codes swx knows, in table order. */
export const DOCUMENT_TYPES = Object.keys(DOCUMENTS) as readonly KnownDocumentType[];

/**
 * The descriptor of a type code, or undefined for a code swx does not know (read from an envelope, a partner file or
 * a query, where any code-shaped string may arrive).
 * @example findDocument('ACDD')?.inbound
 */
export function findDocument(type: DocumentType): DocumentDescriptor | undefined {
  return Object.hasOwn(DOCUMENTS, type) ? (DOCUMENTS as Readonly<Record<DocumentType, DocumentDescriptor>>)[type] : undefined;
}

/** The codecs of the types that travel in envelopes, in table order. */
const codecs: readonly DocumentCodec[] = descriptors.flatMap((descriptor) => (descriptor.codec === undefined ? [] : [descriptor.codec]));

/** The document types with an envelope codec, sorted, for messages: `ACDD, ACDD_CANCELLATION, …`. */
export const ENVELOPE_DOCUMENT_TYPES = codecs
  .map((codec) => codec.documentType)
  .sort()
  .join(', ');

/**
 * The codec of a `--type` or `?type=` value (any case, `-` or `_`), or why there is none.
 * @example codecForType('customs-response') // { codec: … }
 */
export function codecForType(value: string): { codec: DocumentCodec } | { error: string } {
  const type = value.trim().toUpperCase().replaceAll('-', '_');
  const descriptor = findDocument(type);
  if (descriptor === undefined) return { error: `unknown document type ${JSON.stringify(value)} (supported: ${ENVELOPE_DOCUMENT_TYPES})` };
  const codec = descriptor.codec;
  if (codec === undefined) return { error: `${type} has no schema in message-schemas/ yet (supported: ${ENVELOPE_DOCUMENT_TYPES})` };
  return { codec };
}

/**
 * The codec whose root element is this one (an SPSCertificate is an ePhyto), or undefined; among `types` only when given.
 * @example codecForRoot('CustomsResponse', 'urn:swx:xsd:customs-response:1')?.documentType // 'CUSTOMS_RESPONSE'
 */
export function codecForRoot(root: string, namespace: string | undefined, types?: readonly DocumentType[]): DocumentCodec | undefined {
  return codecs.find(
    (codec) => codec.rootElement === root && codec.namespace === namespace && (types === undefined || types.includes(codec.documentType)),
  );
}

/** The types agencies issue through swx (POST /v1/certificates), in table order. */
export const ISSUED_DOCUMENT_TYPES: readonly DocumentType[] = descriptors.flatMap((descriptor) =>
  descriptor.issue === undefined ? [] : [descriptor.type],
);

/**
 * How an agency's certificate of this type is read, described and written for POST /v1/certificates, or undefined
 * when swx does not issue the type.
 * @example const issuer = findCertificateIssuer('FORM_D'); issuer?.facts(issuer.codec.validate(json))
 */
export function findCertificateIssuer(type: DocumentType): (CertificateIssue & { readonly codec: DocumentCodec }) | undefined {
  const { codec, issue } = findDocument(type) ?? {};
  return codec === undefined || issue === undefined ? undefined : { codec, facts: (document) => issue.facts(document) };
}
