import { formDSpec, formDValidUntil, type FormD } from '../../../message-schemas/form-d/1/schema.js';
import { formDStatusSpec, type FormDStatus } from '../../../message-schemas/form-d-status/1/schema.js';
import { codecOfSpec } from '../document/document-codec.js';
import { validateDocument } from '../document/validate-document.js';
import { decodeDocumentXml, encodeDocumentXml } from '../document/xml-mapping.js';
import { routeFormD } from '../preference/route-form-d.js';
import type { BusinessResponse, DocumentDescriptor, SimulatorContext } from './document-descriptor.js';

/**
 * The ATIGA e-Form D (certificate of origin, design.md 1, flow B): received from the exporting country and matched
 * against import declarations claiming preference; issued by the trade ministry through swx for our exports.
 */
export const formD: DocumentDescriptor<FormD, 'FORM_D'> = {
  type: 'FORM_D',
  codec: codecOfSpec(formDSpec),
  inbound: {
    validate: (body) => validateDocument(formDSpec.schema, decodeDocumentXml(formDSpec, body)),
    summarise: (document) => ({
      referenceNumber: document.referenceNumber,
      issuingCountry: document.issuingCountry,
      exporter: document.exporter.name,
      consignee: document.consignee.name,
      issueDate: document.issueDate,
      items: document.items.length,
    }),
    route: routeFormD,
  },
  issue: {
    facts: (document) => ({
      referenceNumber: document.referenceNumber,
      issuingCountry: document.issuingCountry,
      importingCountry: document.importingCountry,
      issueDate: document.issueDate,
      validUntil: formDValidUntil(document.issueDate),
      summary: { exporter: document.exporter.name, consignee: document.consignee.name, items: document.items.length },
    }),
  },
  simulatorResponse: (body, context) => formDStatusFor(validateDocument(formDSpec.schema, decodeDocumentXml(formDSpec, body)), context),
};

/**
 * What a simulated importing country answers to an e-Form D addressed to it: its customs cleared an import
 * declaration under it and utilised every item in full (UTILISED). One addressed to another country is not
 * accepted (box 4).
 */
function formDStatusFor(document: FormD, { self, clock, random }: SimulatorContext): BusinessResponse {
  const ours = document.importingCountry === self.country;
  const status: FormDStatus = {
    formDReference: document.referenceNumber,
    issuingCountry: document.issuingCountry,
    importingCountry: self.country,
    importDeclarationNumber: `${self.country}${String(Math.floor(random() * 1e12)).padStart(12, '0')}`,
    status: ours ? 'UTILISED' : 'NOT_ACCEPTED',
    items: document.items.map((item, index) =>
      ours
        ? { declarationLine: index + 1, formDItemNumber: item.itemNumber, outcome: 'GRANTED' as const, utilisedQuantity: item.quantity }
        : {
            declarationLine: index + 1,
            formDItemNumber: item.itemNumber,
            outcome: 'DENIED' as const,
            reason: `the e-Form D is for ${document.importingCountry}`,
          },
    ),
    ...(ours ? {} : { reason: `the e-Form D is for ${document.importingCountry}, not ${self.country}` }),
    decidedAt: clock.now().toISOString(),
  };
  return { documentType: 'FORM_D_STATUS', action: 'RESPOND', bodyXml: encodeDocumentXml(formDStatusSpec, status) };
}
