import { acddSpec } from '../../../message-schemas/acdd/1/schema.js';
import { acddCancellationSpec } from '../../../message-schemas/acdd-cancellation/1/schema.js';
import { customsResponseSpec, type CustomsResponse } from '../../../message-schemas/customs-response/1/schema.js';
import type { EnvelopeAction, EnvelopeHeader, GatewayAddress } from '../../../message-schemas/envelope/1/schema.js';
import type { DocumentType } from '../../core/document/document-type.js';
import { validateDocument } from '../../core/document/validate-document.js';
import { decodeDocumentXml, encodeDocumentXml } from '../../core/document/xml-mapping.js';
import type { Clock } from '../../core/ports.js';
import type { ParsedXml } from '../../core/xml/parsed-xml.js';
import { spsAckFor } from './sps-ack-response.js';
import { formDStatusFor } from './form-d-status-response.js';

/** A business response a simulated gateway sends back on its own initiative, in a new envelope. */
export interface BusinessResponse {
  readonly documentType: DocumentType;
  readonly action: EnvelopeAction;
  readonly bodyXml: string;
}

/**
 * The business response a real partner gateway would send for a document it received: its customs'
 * Customs Response to an ACDD (the goods were announced and an import declaration now refers to them), its
 * competent authority's SPS acknowledgement of an ePhyto or e-AH (sps-ack-response.ts), the utilisation status of
 * an e-Form D (form-d-status-response.ts).
 * Undefined for documents that get no business response; throws VALIDATION_FAILED for an invalid ACDD or ACDD cancellation.
 * @example businessResponseFor(header, body, { self, clock, random })?.documentType // 'CUSTOMS_RESPONSE'
 */
export function businessResponseFor(
  header: EnvelopeHeader,
  body: ParsedXml,
  context: { readonly self: GatewayAddress; readonly clock: Clock; readonly random: () => number },
): BusinessResponse | undefined {
  switch (header.documentType) {
    case 'ACDD': {
      const acdd = validateDocument(acddSpec.schema, decodeDocumentXml(acddSpec, body));
      const response: CustomsResponse = {
        respondingCountry: context.self.country,
        exportDeclarationNumber: acdd.exportDeclarationNumber,
        importDeclarationNumber: `${context.self.country}${String(Math.floor(context.random() * 1e12)).padStart(12, '0')}`,
        status: 'ACCEPTED',
        decidedAt: context.clock.now().toISOString(),
      };
      return { documentType: 'CUSTOMS_RESPONSE', action: 'RESPOND', bodyXml: encodeDocumentXml(customsResponseSpec, response) };
    }
    case 'ACDD_CANCELLATION':
      // Validated (an invalid one is refused with an error receipt); a cancellation gets no business response.
      validateDocument(acddCancellationSpec.schema, decodeDocumentXml(acddCancellationSpec, body));
      return undefined;
    case 'FORM_D':
      return formDStatusFor(body, context);
    case 'EPHYTO':
    case 'EAH':
      return spsAckFor({ ...header, documentType: header.documentType }, body, context);
    default:
      return undefined;
  }
}
