import { acddCancellationSpec, type AcddCancellation } from '../../../message-schemas/acdd-cancellation/1/schema.js';
import { codecOfSpec } from '../document/document-codec.js';
import { validateDocument } from '../document/validate-document.js';
import { decodeDocumentXml } from '../document/xml-mapping.js';
import type { DocumentDescriptor } from './document-descriptor.js';

/**
 * The cancellation of an ACDD swx sent, when the trader cancels the export declaration. A simulated partner
 * validates it (an invalid one is refused with an error receipt) and sends no business response.
 */
export const acddCancellation: DocumentDescriptor<AcddCancellation, 'ACDD_CANCELLATION'> = {
  type: 'ACDD_CANCELLATION',
  codec: codecOfSpec(acddCancellationSpec),
  defaultAction: 'CANCEL',
  simulatorResponse(body) {
    validateDocument(acddCancellationSpec.schema, decodeDocumentXml(acddCancellationSpec, body));
    return undefined;
  },
};
