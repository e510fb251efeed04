import { z } from 'zod';
import { defineDocumentSpec } from '../../../src/core/document/document-spec.js';
import { CountryCode, Description, expected, Identifier, IsoDateTime, PositiveDecimal } from '../../common/1/common-types.js';

/**
 * What the importing country did with an e-Form D: UTILISED (the preference was given for every declared
 * item), PARTLY_UTILISED (for some), NOT_ACCEPTED (for none; box 4 says why).
 */
export const FormDUtilisation = z.enum(['UTILISED', 'PARTLY_UTILISED', 'NOT_ACCEPTED'], {
  error: expected('UTILISED, PARTLY_UTILISED or NOT_ACCEPTED'),
});
export type FormDUtilisation = z.infer<typeof FormDUtilisation>;

/** The outcome for one declared item: granted with the quantity utilised, or denied with the reason. */
export const FormDStatusItem = z
  .strictObject({
    /** The line of the import declaration (1-based). */
    declarationLine: z
      .int({ error: expected('a whole number') })
      .min(1, { error: 'must be at least 1' })
      .max(999, { error: 'must be at most 999' }),
    /** The e-Form D item the line was matched to, when one was. */
    formDItemNumber: z
      .int({ error: expected('a whole number') })
      .min(1, { error: 'must be at least 1' })
      .max(50, { error: 'must be at most 50' })
      .optional(),
    outcome: z.enum(['GRANTED', 'DENIED'], { error: expected('GRANTED or DENIED') }),
    utilisedQuantity: PositiveDecimal.optional(),
    reason: Description.optional(),
  })
  .superRefine((item, context) => {
    if (item.outcome === 'GRANTED' && item.utilisedQuantity === undefined) {
      context.addIssue({ code: 'custom', path: ['utilisedQuantity'], message: 'a granted item states the quantity utilised', input: undefined });
    }
    if (item.outcome === 'GRANTED' && item.formDItemNumber === undefined) {
      context.addIssue({ code: 'custom', path: ['formDItemNumber'], message: 'a granted item names the e-Form D item it used', input: undefined });
    }
    if (item.outcome === 'DENIED' && item.utilisedQuantity !== undefined) {
      context.addIssue({ code: 'custom', path: ['utilisedQuantity'], message: 'a denied item utilises nothing', input: item.utilisedQuantity });
    }
    if (item.outcome === 'DENIED' && item.reason === undefined) {
      context.addIssue({ code: 'custom', path: ['reason'], message: 'a denied item states the reason', input: undefined });
    }
  });
export type FormDStatusItem = z.infer<typeof FormDStatusItem>;

/**
 * The e-Form D utilisation status the importing country sends back to the issuing country (a business
 * response, design.md 3.4).
 * @example const status: FormDStatus = FormDStatus.parse(json)
 */
export const FormDStatus = z
  .strictObject({
    formDReference: Identifier,
    issuingCountry: CountryCode,
    importingCountry: CountryCode,
    importDeclarationNumber: Identifier,
    status: FormDUtilisation,
    items: z.array(FormDStatusItem).min(1, { error: 'must have at least 1 item' }).max(999, { error: 'must have at most 999 items' }),
    /** Box 4: why the preference was not given; required when NOT_ACCEPTED. */
    reason: Description.optional(),
    decidedAt: IsoDateTime,
  })
  .superRefine((status, context) => {
    if (status.status === 'NOT_ACCEPTED' && status.reason === undefined) {
      context.addIssue({ code: 'custom', path: ['reason'], message: 'a Form D not accepted states the reason (box 4)', input: undefined });
    }
    if (status.items.length === 0) return;
    const granted = status.items.filter((item) => item.outcome === 'GRANTED').length;
    const expectedStatus = granted === 0 ? 'NOT_ACCEPTED' : granted === status.items.length ? 'UTILISED' : 'PARTLY_UTILISED';
    if (status.status !== expectedStatus) {
      context.addIssue({
        code: 'custom',
        path: ['status'],
        message: `${granted} of ${status.items.length} items granted: the status is ${expectedStatus}`,
        input: status.status,
      });
    }
  });
export type FormDStatus = z.infer<typeof FormDStatus>;

/**
 * The status's XML form: `<FormDStatus xmlns="urn:swx:xsd:form-d-status:1">`, described by form-d-status.xsd.
 */
export const formDStatusSpec = defineDocumentSpec({
  documentType: 'FORM_D_STATUS',
  rootElement: 'FormDStatus',
  namespace: 'urn:swx:xsd:form-d-status:1',
  schema: FormDStatus,
  itemElements: { items: 'Item' },
});
