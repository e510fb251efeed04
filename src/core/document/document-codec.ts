import type { ParsedXml } from '../xml/parsed-xml.js';
import type { DocumentSpec } from './document-spec.js';
import type { DocumentType } from './document-type.js';
import { validateDocument } from './validate-document.js';
import { decodeDocumentXml, encodeDocumentXml } from './xml-mapping.js';

/**
 * How one business document type is validated, read from XML and written to XML, whatever its mapping: the
 * schema-driven one of a DocumentSpec (`codecOfSpec`), or a standard's own (the SPS certificates'
 * SpsCertificateCodec, whose elements live in several namespaces). Each method throws VALIDATION_FAILED listing
 * every issue by JSON pointer.
 */
export interface DocumentCodec {
  readonly documentType: DocumentType;
  /** The XML root element's local name and namespace. */
  readonly rootElement: string;
  readonly namespace: string;
  /** Validates the JSON form. */
  validate(input: unknown): unknown;
  /** Reads and validates a parsed XML document. */
  read(parsed: ParsedXml): unknown;
  /** Writes a validated document as canonical XML, ready to sign. */
  write(document: unknown): string;
}

/** The documents traders file, read strictly. */
const TRADER_DOCUMENTS: ReadonlySet<DocumentType> = new Set(['EXPORT_DECLARATION', 'IMPORT_DECLARATION']);

/**
 * The codec of a document declared with defineDocumentSpec. XML attributes are refused in trader documents (as
 * unknown JSON properties are) and ignored in partners' documents, as they always were.
 * @example codecOfSpec(acddSpec).read(parseXml(xml))
 */
export function codecOfSpec(spec: DocumentSpec): DocumentCodec {
  return {
    documentType: spec.documentType,
    rootElement: spec.rootElement,
    namespace: spec.namespace,
    validate: (input) => validateDocument(spec.schema, input),
    read: (parsed) =>
      validateDocument(spec.schema, decodeDocumentXml(spec, parsed, { attributes: TRADER_DOCUMENTS.has(spec.documentType) ? 'refuse' : 'ignore' })),
    write: (document) => encodeDocumentXml(spec, document as Parameters<typeof encodeDocumentXml>[1]),
  };
}
