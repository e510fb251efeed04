import { formDSpec } from '../../../message-schemas/form-d/1/schema.js';
import { formDStatusSpec, type FormDStatus } from '../../../message-schemas/form-d-status/1/schema.js';
import type { GatewayAddress } from '../../../message-schemas/envelope/1/schema.js';
import { validateDocument } from '../../core/document/validate-document.js';
import { decodeDocumentXml, encodeDocumentXml } from '../../core/document/xml-mapping.js';
import type { Clock } from '../../core/ports.js';
import type { ParsedXml } from '../../core/xml/parsed-xml.js';
import type { BusinessResponse } from './business-response.js';

/**
 * What a simulated importing country answers to an e-Form D addressed to it: its customs cleared an import
 * declaration under it and utilised every item in full (UTILISED). One addressed to another country is not
 * accepted (box 4). Throws VALIDATION_FAILED for an invalid e-Form D.
 * @example formDStatusFor(body, { self, clock, random }).documentType // 'FORM_D_STATUS'
 */
export function formDStatusFor(
  body: ParsedXml,
  context: { readonly self: GatewayAddress; readonly clock: Clock; readonly random: () => number },
): BusinessResponse {
  const formD = validateDocument(formDSpec.schema, decodeDocumentXml(formDSpec, body));
  const ours = formD.importingCountry === context.self.country;
  const status: FormDStatus = {
    formDReference: formD.referenceNumber,
    issuingCountry: formD.issuingCountry,
    importingCountry: context.self.country,
    importDeclarationNumber: `${context.self.country}${String(Math.floor(context.random() * 1e12)).padStart(12, '0')}`,
    status: ours ? 'UTILISED' : 'NOT_ACCEPTED',
    items: formD.items.map((item, index) =>
      ours
        ? { declarationLine: index + 1, formDItemNumber: item.itemNumber, outcome: 'GRANTED' as const, utilisedQuantity: item.quantity }
        : { declarationLine: index + 1, formDItemNumber: item.itemNumber, outcome: 'DENIED' as const, reason: `the e-Form D is for ${formD.importingCountry}` },
    ),
    ...(ours ? {} : { reason: `the e-Form D is for ${formD.importingCountry}, not ${context.self.country}` }),
    decidedAt: context.clock.now().toISOString(),
  };
  return { documentType: 'FORM_D_STATUS', action: 'RESPOND', bodyXml: encodeDocumentXml(formDStatusSpec, status) };
}
