import { formDStatusSpec, type FormDStatus } from '../../../message-schemas/form-d-status/1/schema.js';
import { codecOfSpec } from '../document/document-codec.js';
import { validateDocument } from '../document/validate-document.js';
import { decodeDocumentXml } from '../document/xml-mapping.js';
import { routeFormDStatus } from '../preference/route-form-d-status.js';
import type { DocumentDescriptor } from './document-descriptor.js';

/** The importing country's utilisation status of an e-Form D: sent by swx for the ones it received, routed to the ones it issued. */
export const formDStatus: DocumentDescriptor<FormDStatus, 'FORM_D_STATUS'> = {
  type: 'FORM_D_STATUS',
  codec: codecOfSpec(formDStatusSpec),
  defaultAction: 'RESPOND',
  inbound: {
    validate: (body) => validateDocument(formDStatusSpec.schema, decodeDocumentXml(formDStatusSpec, body)),
    summarise: (document) => ({
      formDReference: document.formDReference,
      status: document.status,
      importDeclarationNumber: document.importDeclarationNumber,
      reason: document.reason ?? null,
    }),
    route: routeFormDStatus,
  },
};
