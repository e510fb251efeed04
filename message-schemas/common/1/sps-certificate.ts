import { z } from 'zod';
import { CountryCode, Description, expected, PartyName } from './common-types.js';

/**
 * The UN/CEFACT SPSCertificate (D16B, package 17) as national ePhyto systems, the IPPC ePhyto hub and animal
 * health systems exchange it, in the JSON shape swx validates and agencies post. The XML form is read by
 * sps-certificate-reader.ts and written by sps-certificate-writer.ts; the published XSDs are sps-certificate-ram.xsd and
 * sps-certificate-udt.xsd beside this file, imported by ephyto/1/ephyto.xsd and eah/1/eah.xsd.
 *
 * Only what clearance needs is required (number, type, status, issue time, consignor and consignee, export and
 * import countries, at least one trade line item with a description or a scientific name). Optional elements a
 * certificate leaves empty, as real ones do (`<ram:Name/>`, an empty `udt:DateTimeString`), are simply absent.
 */

export const SPS_CERTIFICATE_NAMESPACE = 'urn:un:unece:uncefact:data:standard:SPSCertificate:17';
export const SPS_RAM_NAMESPACE = 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:21';
export const SPS_UDT_NAMESPACE = 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:21';

/** UN/EDIFACT 1001 codes: 851 phytosanitary certificate, 657 re-export phytosanitary certificate, 853 veterinary certificate. */
export const SPS_CERTIFICATE_TYPE_CODES = ['851', '657', '853'] as const;
export type SpsCertificateTypeCode = (typeof SPS_CERTIFICATE_TYPE_CODES)[number];

/**
 * The certificate's status (ePhyto StatusCode list): 70 issued; 40 withdrawn by the issuing authority. A
 * withdrawal carries the withdrawn certificate's own number.
 */
export const SpsStatusCode = z.enum(['70', '40'], { error: expected('70 (issued) or 40 (withdrawn)') });
export type SpsStatusCode = z.infer<typeof SpsStatusCode>;

/**
 * How a replacement certificate names the one it replaces (the IPPC ePhyto convention): a referenced document
 * with RelationshipTypeCode ACW (UN/EDIFACT 1153 "reference to previous message"), TypeCode the certificate's
 * own type (851, 853, ...), and ID the replaced certificate's number.
 */
export const REPLACES_RELATIONSHIP = 'ACW';

const XML_CHARACTERS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

function text(maxLength: number) {
  return z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(maxLength, { error: `must be at most ${maxLength} characters` })
    .regex(XML_CHARACTERS, { error: 'contains a character XML cannot carry' });
}

/** A certificate number or other identifier: up to 70 characters (national ePhyto numbers run longer than an..35). */
export const SpsIdentifier = text(70);
/** A code from a list the certificate names (package types, treatment types, note subjects). */
export const SpsCode = text(35);

/**
 * A date-time as SPS certificates write it in `udt:DateTimeString`: ISO 8601, a date alone or a date and time,
 * seconds, fraction and UTC offset optional (`2026-11-20`, `2026-11-20T09:00:00`, `2026-11-20T09:00:00+07:00`).
 * @example SpsDateTime.parse('2026-11-20T09:00:00+07:00')
 */
export const SpsDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/, {
    error: expected('an ISO 8601 date or date-time such as 2026-11-20T09:00:00+07:00'),
  })
  .refine((value) => !Number.isNaN(Date.parse(value.length === 10 ? value : value.replace(/(T\d{2}:\d{2})$/, '$1:00'))), {
    error: 'is not a real date',
  });

/** A quantity with its UN/ECE Recommendation 20 unit (`KGM`, `TNE`, `LTR`, ...). */
export const SpsMeasure = z.strictObject({
  value: z.number().nonnegative({ error: 'must not be negative' }),
  unitCode: z.string().regex(/^[A-Z0-9]{1,3}$/, { error: 'expected a UN/ECE Recommendation 20 unit code such as KGM' }).optional(),
});
export type SpsMeasure = z.infer<typeof SpsMeasure>;

/** A postal address: up to five lines, postcode, city and country. */
export const SpsAddress = z.strictObject({
  lines: z.array(text(256)).max(5, { error: 'at most 5 lines (LineOne to LineFive)' }).default([]),
  postcode: SpsCode.optional(),
  cityName: text(256).optional(),
  countryId: CountryCode.optional(),
});
export type SpsAddress = z.infer<typeof SpsAddress>;

/**
 * A party (issuer, consignor, consignee): its name, and its id with the scheme that issued it when given
 * (a consignee's `VN-TIN` tax id lets swx match it to the importer without comparing names).
 */
export const SpsParty = z.strictObject({
  id: SpsIdentifier.optional(),
  idScheme: SpsCode.optional(),
  name: PartyName,
  address: SpsAddress.optional(),
});
export type SpsParty = z.infer<typeof SpsParty>;

/** A country by ISO 3166-1 alpha-2 code, with the name the certificate gives it. */
export const SpsCountry = z.strictObject({ id: CountryCode, name: text(256).optional() });
export type SpsCountry = z.infer<typeof SpsCountry>;

/** A note such as an additional declaration: its subject and its text, one per language. */
export const SpsNote = z.strictObject({ subject: text(256).optional(), contents: z.array(text(4000)).default([]) });
export type SpsNote = z.infer<typeof SpsNote>;

/** Who signed the certificate, when and where, and the clauses they attest. */
export const SpsSignatory = z.strictObject({
  signedAt: SpsDateTime.optional(),
  location: text(256).optional(),
  authority: PartyName.optional(),
  signer: PartyName.optional(),
  clauses: z.array(z.strictObject({ id: SpsCode.optional(), contents: z.array(text(4000)).min(1, { error: 'at least one content' }) })).default([]),
});
export type SpsSignatory = z.infer<typeof SpsSignatory>;

/** A file carried inside the certificate (the certificate as PDF, a lab report), base64 without line breaks. */
export const SpsAttachment = z.strictObject({
  filename: text(256).optional(),
  mimeCode: SpsCode.optional(),
  // One character class and a length check: a pattern of 4-character groups backtracks through a 200 KB PDF for 10 ms.
  content: z
    .string()
    .min(4, { error: 'must not be empty' })
    .refine((value) => value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value), { error: 'expected base64' }),
});
export type SpsAttachment = z.infer<typeof SpsAttachment>;

/** A document the certificate refers to: an attachment, an import permit, or the certificate it replaces (see REPLACES_RELATIONSHIP). */
export const SpsReferencedDocument = z.strictObject({
  id: SpsIdentifier,
  typeCode: SpsCode.optional(),
  relationshipTypeCode: SpsCode.optional(),
  issuedAt: SpsDateTime.optional(),
  information: text(4000).optional(),
  attachment: SpsAttachment.optional(),
});
export type SpsReferencedDocument = z.infer<typeof SpsReferencedDocument>;

/** A place (the unloading port), by UN/LOCODE or name. */
export const SpsLocation = z.strictObject({ id: SpsCode.optional(), name: text(256).optional() });
export type SpsLocation = z.infer<typeof SpsLocation>;

/** A leg of carriage: UN/ECE Recommendation 19 mode (1 sea, 4 air, ...) and the vessel, flight or vehicle. */
export const SpsTransportMovement = z.strictObject({
  id: SpsIdentifier.optional(),
  modeCode: z.enum(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], { error: expected('a UN/ECE Recommendation 19 mode code, 0 to 9') }).optional(),
  transportMeans: text(256).optional(),
});
export type SpsTransportMovement = z.infer<typeof SpsTransportMovement>;

/** A commodity classification: `HS` with a Harmonized System code, or another system (IPPC commodity classes, ...). */
export const SpsClassification = z.strictObject({
  systemId: SpsCode.optional(),
  systemName: text(256).optional(),
  classCode: SpsCode.optional(),
  className: text(512).optional(),
});
export type SpsClassification = z.infer<typeof SpsClassification>;

/** Packaging: level (1 outermost), UN/ECE Recommendation 21 type code (CT carton, BG bag, ...), count. */
export const SpsPackage = z.strictObject({
  levelCode: SpsCode.optional(),
  typeCode: SpsCode.optional(),
  quantity: z.number().nonnegative({ error: 'must not be negative' }).optional(),
});
export type SpsPackage = z.infer<typeof SpsPackage>;

/** A treatment applied to the goods (fumigation, heat, cold): its type, period and characteristics. */
export const SpsTreatment = z.strictObject({
  typeCode: SpsCode.optional(),
  startedAt: SpsDateTime.optional(),
  endedAt: SpsDateTime.optional(),
  duration: SpsMeasure.optional(),
  characteristics: z.array(text(4000)).default([]),
});
export type SpsTreatment = z.infer<typeof SpsTreatment>;

/** One trade line item: what the goods are (a description or a scientific name at least), how much, from where. */
export const SpsTradeLineItem = z
  .strictObject({
    sequence: z.int({ error: expected('a whole number') }).min(1, { error: 'must be 1 or more' }),
    descriptions: z.array(Description).default([]),
    commonNames: z.array(text(512)).default([]),
    scientificName: text(512).optional(),
    netWeight: SpsMeasure.optional(),
    grossWeight: SpsMeasure.optional(),
    classifications: z.array(SpsClassification).default([]),
    packages: z.array(SpsPackage).default([]),
    originCountries: z.array(SpsCountry).default([]),
    treatments: z.array(SpsTreatment).default([]),
  })
  .superRefine((item, context) => {
    if (item.descriptions.length === 0 && item.scientificName === undefined) {
      context.addIssue({ code: 'custom', path: ['descriptions'], message: 'give a description or a scientific name', input: item.descriptions });
    }
  });
export type SpsTradeLineItem = z.infer<typeof SpsTradeLineItem>;

/** The goods: who sends them to whom, from and to which country, how, and the trade line items. */
export const SpsConsignment = z.strictObject({
  consignor: SpsParty,
  consignee: SpsParty,
  exportCountry: SpsCountry,
  importCountry: SpsCountry,
  transitCountries: z.array(SpsCountry).default([]),
  unloadingPort: SpsLocation.optional(),
  transportMovements: z.array(SpsTransportMovement).default([]),
  items: z.array(SpsTradeLineItem).min(1, { error: 'at least one trade line item' }),
});
export type SpsConsignment = z.infer<typeof SpsConsignment>;

/**
 * An SPS certificate whose TypeCode is one of `typeCodes`: ePhyto (851, 657) or e-AH (853).
 * @example const Ephyto = spsCertificateSchema(['851', '657'])
 */
export function spsCertificateSchema<const Codes extends readonly [SpsCertificateTypeCode, ...SpsCertificateTypeCode[]]>(typeCodes: Codes) {
  return z.strictObject({
    certificateNumber: SpsIdentifier,
    name: text(256).optional(),
    typeCode: z.enum(typeCodes, { error: expected(typeCodes.join(' or ')) }),
    statusCode: SpsStatusCode,
    issuedAt: SpsDateTime,
    issuer: SpsParty,
    notes: z.array(SpsNote).default([]),
    signatory: SpsSignatory.optional(),
    referencedDocuments: z.array(SpsReferencedDocument).default([]),
    consignment: SpsConsignment,
  });
}

/** Any SPS certificate swx handles, whatever its type. */
export const SpsCertificate = spsCertificateSchema(SPS_CERTIFICATE_TYPE_CODES);
export type SpsCertificate = z.infer<typeof SpsCertificate>;

/**
 * The number of the certificate this one replaces, if it is a replacement (see REPLACES_RELATIONSHIP).
 * @example replacedCertificateNumber(certificate) // 'ID-EPHYTO-2026-000458'
 */
export function replacedCertificateNumber(certificate: SpsCertificate): string | undefined {
  return certificate.referencedDocuments.find(
    (document) => document.relationshipTypeCode === REPLACES_RELATIONSHIP && document.typeCode === certificate.typeCode,
  )?.id;
}
