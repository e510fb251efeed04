import { z } from 'zod';
import { defineDocumentSpec } from '../../../src/core/document/document-spec.js';
import { CountryCode, Description, expected, Identifier, IsoDateTime } from '../../common/1/common-types.js';

/**
 * Where the importing country's customs stands with the goods an ACDD announced: RECEIVED (the ACDD is on
 * file), ACCEPTED (an import declaration refers to it), CLEARED (goods released), REJECTED (with a reason).
 */
export const CustomsResponseStatus = z.enum(['RECEIVED', 'ACCEPTED', 'CLEARED', 'REJECTED'], {
  error: expected('RECEIVED, ACCEPTED, CLEARED or REJECTED'),
});
export type CustomsResponseStatus = z.infer<typeof CustomsResponseStatus>;

/**
 * A partner customs administration's answer to an ACDD. A REJECTED response must give its reason; XSD 1.0
 * cannot say that, so customs-response.xsd leaves the reason optional and only this schema enforces it.
 * @example CustomsResponse.parse({ respondingCountry: 'TH', exportDeclarationNumber: '326000000011', status: 'CLEARED', decidedAt: '2026-11-21T09:30:00+07:00' })
 */
export const CustomsResponse = z
  .strictObject({
    respondingCountry: CountryCode,
    /** The export declaration number the ACDD carried. */
    exportDeclarationNumber: Identifier,
    importDeclarationNumber: Identifier.optional(),
    status: CustomsResponseStatus,
    reason: Description.optional(),
    decidedAt: IsoDateTime,
  })
  .superRefine((response, context) => {
    if (response.status === 'REJECTED' && response.reason === undefined) {
      context.addIssue({ code: 'custom', path: ['reason'], message: 'required when the status is REJECTED', input: response.reason });
    }
  });
export type CustomsResponse = z.infer<typeof CustomsResponse>;

/** The Customs Response's XML form: `<CustomsResponse xmlns="urn:swx:xsd:customs-response:1">`. */
export const customsResponseSpec = defineDocumentSpec({
  documentType: 'CUSTOMS_RESPONSE',
  rootElement: 'CustomsResponse',
  namespace: 'urn:swx:xsd:customs-response:1',
  schema: CustomsResponse,
  itemElements: {},
});
