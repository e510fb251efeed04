import { z } from 'zod';
import { defineDocumentSpec } from '../../../src/core/document/document-spec.js';
import {
  CountryCode,
  CurrencyCode,
  Description,
  expected,
  HsCode,
  Identifier,
  IsoDate,
  PartyName,
  PositiveDecimal,
  UnitCode,
  UnLocode,
} from '../../common/1/common-types.js';
import { ForeignParty } from '../../common/1/declaration-parts.js';

/** At most this many items on one e-Form D. */
export const FORM_D_MAX_ITEMS = 50;

/** An e-Form D is valid for this many months from its issue date (ATIGA Annex 8, Rule 9). */
export const FORM_D_VALIDITY_MONTHS = 12;

/**
 * ATIGA origin criteria (box 8): WO wholly obtained, PE produced exclusively from originating materials,
 * CTH change of tariff heading, CC change of chapter, CTSH change of tariff subheading, RVC regional value content.
 */
export const OriginCriterionCode = z.enum(['WO', 'PE', 'CTH', 'CC', 'CTSH', 'RVC'], {
  error: expected('an ATIGA origin criterion: WO, PE, CTH, CC, CTSH or RVC'),
});
export type OriginCriterionCode = z.infer<typeof OriginCriterionCode>;

/** One origin criterion; RVC carries its percentage (e.g. 45), the others none. */
export const OriginCriterion = z.strictObject({
  code: OriginCriterionCode,
  percentage: z.number().gt(0, { error: 'must be greater than 0' }).max(100, { error: 'must be at most 100' }).optional(),
});
export type OriginCriterion = z.infer<typeof OriginCriterion>;

/**
 * One item (boxes 5 to 9): number, marks, packages, description, HS code, the origin criteria met (one, or a
 * combination such as CTH with RVC 40), quantity, and the FOB value where RVC is used.
 */
export const FormDItem = z
  .strictObject({
    itemNumber: z
      .int({ error: expected('a whole number') })
      .min(1, { error: 'must be at least 1' })
      .max(FORM_D_MAX_ITEMS, { error: `must be at most ${FORM_D_MAX_ITEMS}` }),
    marks: Description,
    packageCount: z
      .int({ error: expected('a whole number') })
      .min(1, { error: 'must be at least 1' })
      .max(999_999_999, { error: 'must be at most 999999999' }),
    packageKind: Description,
    description: Description,
    hsCode: HsCode,
    originCriteria: z
      .array(OriginCriterion)
      .min(1, { error: 'must name at least 1 origin criterion' })
      .max(3, { error: 'must name at most 3 origin criteria' }),
    quantity: PositiveDecimal,
    unit: UnitCode,
    fobValue: PositiveDecimal.optional(),
    fobCurrency: CurrencyCode.optional(),
  })
  .superRefine((item, context) => {
    const codes = item.originCriteria.map((criterion) => criterion.code);
    item.originCriteria.forEach((criterion, index) => {
      const path = ['originCriteria', index, 'percentage'];
      if (criterion.code === 'RVC' && criterion.percentage === undefined)
        context.addIssue({ code: 'custom', path, message: 'RVC needs its percentage', input: undefined });
      if (criterion.code !== 'RVC' && criterion.percentage !== undefined)
        context.addIssue({ code: 'custom', path, message: `only RVC has a percentage, not ${criterion.code}`, input: criterion.percentage });
      if (codes.indexOf(criterion.code) !== index)
        context.addIssue({
          code: 'custom',
          path: ['originCriteria', index, 'code'],
          message: `${criterion.code} is listed twice`,
          input: criterion.code,
        });
    });
    if (codes.includes('WO') && codes.length > 1)
      context.addIssue({ code: 'custom', path: ['originCriteria'], message: 'WO (wholly obtained) stands alone', input: codes });
    if (codes.includes('RVC')) {
      if (item.fobValue === undefined)
        context.addIssue({ code: 'custom', path: ['fobValue'], message: 'the FOB value is required where RVC is used', input: undefined });
      if (item.fobCurrency === undefined)
        context.addIssue({ code: 'custom', path: ['fobCurrency'], message: 'the FOB currency is required where RVC is used', input: undefined });
    }
    if ((item.fobValue === undefined) !== (item.fobCurrency === undefined)) {
      const missing = item.fobValue === undefined ? 'fobValue' : 'fobCurrency';
      if (!codes.includes('RVC'))
        context.addIssue({ code: 'custom', path: [missing], message: 'give the FOB value and its currency together', input: undefined });
    }
  });
export type FormDItem = z.infer<typeof FormDItem>;

/**
 * An ATIGA e-Form D: the certificate of origin under which goods from an ASEAN member get the preferential
 * tariff in the importing member. Valid for FORM_D_VALIDITY_MONTHS from `issueDate`.
 * @example const formD: FormD = FormD.parse(json)
 */
export const FormD = z
  .strictObject({
    referenceNumber: Identifier,
    issuingCountry: CountryCode,
    importingCountry: CountryCode,
    /** Box 1: the exporter. */
    exporter: ForeignParty,
    /** Box 2: the consignee in the importing country. */
    consignee: ForeignParty,
    /** Box 3: the means of transport and route. */
    transport: z.strictObject({
      departureDate: IsoDate,
      /** Vessel name or IMO number, or flight number. */
      vesselOrFlight: Identifier,
      portOfLoading: UnLocode,
      portOfDischarge: UnLocode,
    }),
    items: z
      .array(FormDItem)
      .min(1, { error: 'must have at least 1 item' })
      .max(FORM_D_MAX_ITEMS, { error: `must have at most ${FORM_D_MAX_ITEMS} items` }),
    /** Box 10: the invoices the goods travel with. */
    invoices: z
      .array(z.strictObject({ number: Identifier, date: IsoDate }))
      .min(1, { error: 'must have at least 1 invoice' })
      .max(20, { error: 'must have at most 20 invoices' }),
    /** Box 13's tick boxes. */
    specialCircumstances: z.strictObject({
      thirdCountryInvoicing: z.boolean(),
      backToBack: z.boolean(),
      issuedRetroactively: z.boolean(),
      exhibition: z.boolean(),
      deMinimis: z.boolean(),
      accumulation: z.boolean(),
      partialCumulation: z.boolean(),
    }),
    /** Box 12: the issuing authority that certified the declaration. */
    issuingAuthority: z.strictObject({ name: PartyName, place: PartyName }),
    issueDate: IsoDate,
  })
  .superRefine((formD, context) => {
    const seen = new Set<number>();
    formD.items.forEach((item, index) => {
      if (seen.has(item.itemNumber))
        context.addIssue({
          code: 'custom',
          path: ['items', index, 'itemNumber'],
          message: `item number ${item.itemNumber} is used twice`,
          input: item.itemNumber,
        });
      seen.add(item.itemNumber);
    });
    if (formD.issuingCountry === formD.importingCountry)
      context.addIssue({
        code: 'custom',
        path: ['importingCountry'],
        message: 'must differ from the issuing country',
        input: formD.importingCountry,
      });
  });
export type FormD = z.infer<typeof FormD>;

/**
 * The e-Form D's XML form: `<FormD xmlns="urn:swx:xsd:form-d:1">`, described by form-d.xsd beside this file.
 */
export const formDSpec = defineDocumentSpec({
  documentType: 'FORM_D',
  rootElement: 'FormD',
  namespace: 'urn:swx:xsd:form-d:1',
  schema: FormD,
  itemElements: { items: 'Item', originCriteria: 'OriginCriterion', invoices: 'Invoice' },
});

/**
 * The last day an e-Form D is valid: 12 months from its issue date, less a day (issued 2026-11-20, valid
 * through 2027-11-19). A date with no such day in the later month falls back to the month's last day.
 * @example formDValidUntil('2026-11-20') // '2027-11-19'
 */
export function formDValidUntil(issueDate: string): string {
  const [year, month, day] = issueDate.split('-').map(Number) as [number, number, number];
  const lastDayOfTargetMonth = new Date(Date.UTC(year + 1, month, 0)).getUTCDate();
  const anniversary = new Date(Date.UTC(year + 1, month - 1, Math.min(day, lastDayOfTargetMonth)));
  anniversary.setUTCDate(anniversary.getUTCDate() - 1);
  return anniversary.toISOString().slice(0, 10);
}
