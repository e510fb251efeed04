import { acddSpec } from '../../../message-schemas/acdd/1/schema.js';
import { customsResponseSpec, type CustomsResponse } from '../../../message-schemas/customs-response/1/schema.js';
import type { Acdd } from '../../../message-schemas/acdd/1/schema.js';
import type { DocumentSpec } from '../document/document-spec.js';
import type { DocumentType } from '../document/document-type.js';
import { validateDocument } from '../document/validate-document.js';
import { decodeDocumentXml } from '../document/xml-mapping.js';
import type { JsonObject } from '../ledger/entry.js';
import type { ParsedXml } from '../xml/parsed-xml.js';

/** How swx reads one kind of business document a partner gateway sends, and what of it the ledger records. */
export interface InboundDocument<T = unknown> {
  /** Decodes and validates the envelope's Body document; throws VALIDATION_FAILED listing every issue. */
  validate(body: ParsedXml): T;
  summarise(document: T): JsonObject;
}

function inbound<T>(spec: DocumentSpec, summarise: (document: T) => JsonObject): InboundDocument {
  return {
    validate: (body) => validateDocument(spec.schema, decodeDocumentXml(spec, body)) as T,
    summarise: (document) => summarise(document as T),
  };
}

/** The business documents swx accepts from partner gateways, by document type. */
export const inboundDocuments: Partial<Record<DocumentType, InboundDocument>> = {
  CUSTOMS_RESPONSE: inbound<CustomsResponse>(customsResponseSpec, (response) => ({
    status: response.status,
    respondingCountry: response.respondingCountry,
    exportDeclarationNumber: response.exportDeclarationNumber,
    importDeclarationNumber: response.importDeclarationNumber ?? null,
    reason: response.reason ?? null,
    decidedAt: response.decidedAt,
  })),
  ACDD: inbound<Acdd>(acddSpec, (acdd) => ({
    exportDeclarationNumber: acdd.exportDeclarationNumber,
    exporter: acdd.exporter.name,
    items: acdd.items.length,
  })),
};
