import { customsResponseSpec, type CustomsResponse } from '../../../message-schemas/customs-response/1/schema.js';
import { codecOfSpec } from '../document/document-codec.js';
import { validateDocument } from '../document/validate-document.js';
import { decodeDocumentXml } from '../document/xml-mapping.js';
import type { DocumentDescriptor } from './document-descriptor.js';

/** The importing country's customs' answer to an ACDD swx sent (the business response of flow A). */
export const customsResponse: DocumentDescriptor<CustomsResponse, 'CUSTOMS_RESPONSE'> = {
  type: 'CUSTOMS_RESPONSE',
  codec: codecOfSpec(customsResponseSpec),
  defaultAction: 'RESPOND',
  inbound: {
    receivedAs: 'RESPONSE_RECEIVED',
    validate: (body) => validateDocument(customsResponseSpec.schema, decodeDocumentXml(customsResponseSpec, body)),
    summarise: (document) => ({
      status: document.status,
      respondingCountry: document.respondingCountry,
      exportDeclarationNumber: document.exportDeclarationNumber,
      importDeclarationNumber: document.importDeclarationNumber ?? null,
      reason: document.reason ?? null,
      decidedAt: document.decidedAt,
    }),
  },
};
