import { acddSpec, type Acdd } from '../../../message-schemas/acdd/1/schema.js';
import { customsResponseSpec, type CustomsResponse } from '../../../message-schemas/customs-response/1/schema.js';
import { codecOfSpec } from '../document/document-codec.js';
import { validateDocument } from '../document/validate-document.js';
import { decodeDocumentXml, encodeDocumentXml } from '../document/xml-mapping.js';
import { routeToAgency } from '../exchange/route-to-agency.js';
import type { DocumentDescriptor } from './document-descriptor.js';

/**
 * The ASEAN Customs Declaration Document (design.md 1, flow A): swx derives it from an export declaration and
 * sends it to the destination's gateway; one received from a partner goes to the national agency that receives
 * ACDDs (pre-arrival information). A simulated destination answers with its customs' Customs Response (ACCEPTED,
 * an import declaration now refers to the goods).
 */
export const acdd: DocumentDescriptor<Acdd, 'ACDD'> = {
  type: 'ACDD',
  codec: codecOfSpec(acddSpec),
  inbound: {
    validate: (body) => validateDocument(acddSpec.schema, decodeDocumentXml(acddSpec, body)),
    summarise: (document) => ({
      exportDeclarationNumber: document.exportDeclarationNumber,
      exporter: document.exporter.name,
      consignee: document.consignee.name,
      departureDate: document.departureDate,
      portOfDischarge: document.portOfDischarge,
      items: document.items.length,
    }),
    route: (_document, context) => routeToAgency('ACDD', context),
  },
  simulatorResponse(body, { self, clock, random }) {
    const document = validateDocument(acddSpec.schema, decodeDocumentXml(acddSpec, body));
    const response: CustomsResponse = {
      respondingCountry: self.country,
      exportDeclarationNumber: document.exportDeclarationNumber,
      importDeclarationNumber: `${self.country}${String(Math.floor(random() * 1e12)).padStart(12, '0')}`,
      status: 'ACCEPTED',
      decidedAt: clock.now().toISOString(),
    };
    return { documentType: 'CUSTOMS_RESPONSE', action: 'RESPOND', bodyXml: encodeDocumentXml(customsResponseSpec, response) };
  },
};
