import { z } from 'zod';
import { CountryCode, expected, XML_CHARACTERS } from './common-types.js';

/**
 * The UN/CEFACT SPSCertificate (D16B, package 17) as national ePhyto systems, the IPPC ePhyto hub and animal
 * health systems exchange it, in the JSON shape swx validates and agencies post. The XML form is read by
 * sps-certificate-reader.ts and written by sps-certificate-writer.ts; the published XSDs are sps-certificate-ram.xsd and
 * sps-certificate-udt.xsd beside this file, imported by ephyto/1/ephyto.xsd and eah/1/eah.xsd.
 *
 * As tolerant as the IPPC ePhyto hub's schema (../../../../shared/reference/ippc-hub/, see ephyto/1/README.md):
 * texts of any length, codes and date-times as written, repeated names. Only what swx needs to route and match a
 * certificate is required beyond it (the business rules listed in ephyto/1/README.md: number, type, status, issue
 * date, consignee, export and import countries, a trade line item). Optional elements a certificate leaves empty,
 * as real ones do (`<ram:Name/>`, an empty `udt:DateTimeString`), are simply absent.
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

/** Text as the hub's xs:string carries it: any length; trimmed, and not blank where it is given at all. */
function text() {
  return z.string().trim().min(1, { error: 'must not be empty' }).regex(XML_CHARACTERS, { error: 'contains a character XML cannot carry' });
}

/** A certificate number or other identifier, as the certificate writes it. */
export const SpsIdentifier = text();
/** A code, as the certificate writes it (package types, treatment types, note subjects, transport modes). */
export const SpsCode = text();
/** Free text: a name, a description, a note. */
export const SpsText = text();

/**
 * A date-time as the certificate writes it (`udt:DateTimeString`, the hub's xs:string): kept as written,
 * `2026-11-20`, `2026-11-20T09:00:00`, `2026-11-20T09:00:00.000+07:00`, `20261120`.
 */
export const SpsDateTime = text();

/**
 * The certificate's issue date-time: as SpsDateTime, beginning with its date as `YYYY-MM-DD` or `YYYYMMDD` (a
 * business rule: swx records the certificate's issue date; see spsIssueDate).
 * @example SpsIssueDateTime.parse('2026-11-20T09:00:00+07:00')
 */
export const SpsIssueDateTime = text().refine((value) => spsIssueDate(value) !== undefined, {
  error: expected('a date-time beginning with its date, such as 2026-11-20T09:00:00+07:00'),
});

/**
 * The calendar date (`YYYY-MM-DD`) a date-time begins with, `YYYY-MM-DD...` or `YYYYMMDD...`; undefined when it
 * begins with none or names no real day.
 * @example spsIssueDate('20261120T0900') // '2026-11-20'
 */
export function spsIssueDate(value: string): string | undefined {
  const match = /^(\d{4})(-?)(\d{2})\2(\d{2})/.exec(value.trim());
  if (match === null) return undefined;
  const date = `${match[1]}-${match[3]}-${match[4]}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date) ? date : undefined;
}

/**
 * A quantity (the hub's xs:double, any sign) with its unit as written (UN/ECE Recommendation 20 `KGM`, `TNE`,
 * ...). A value written `INF`, `-INF` or `NaN` is no quantity: the measure then has its unit only.
 */
export const SpsMeasure = z.strictObject({
  value: z.number().optional(),
  unitCode: SpsCode.optional(),
});
export type SpsMeasure = z.infer<typeof SpsMeasure>;

/**
 * A postal address: up to five lines (LineOne to LineFive), postcode, city and country (its code as written; one that
 * is not ISO 3166-1 alpha-2 is a warning, see sps-certificate-warnings.ts).
 */
export const SpsAddress = z.strictObject({
  lines: z.array(SpsText).max(5, { error: 'at most 5 lines (LineOne to LineFive)' }).default([]),
  postcode: SpsCode.optional(),
  cityName: SpsText.optional(),
  countryId: SpsCode.optional(),
});
export type SpsAddress = z.infer<typeof SpsAddress>;

/**
 * A party (issuer, consignor, consignee): its name, and its id with the scheme that issued it when given
 * (a consignee's `VN-TIN` tax id lets swx match it to the importer without comparing names).
 */
export const SpsParty = z.strictObject({
  id: SpsIdentifier.optional(),
  idScheme: SpsCode.optional(),
  name: SpsText.optional(),
  address: SpsAddress.optional(),
});
export type SpsParty = z.infer<typeof SpsParty>;

/** A party that must be named: the consignee, whom swx matches to the importer (a business rule). */
export const SpsNamedParty = SpsParty.extend({ name: SpsText });
export type SpsNamedParty = z.infer<typeof SpsNamedParty>;

/** The export or import country: by ISO 3166-1 alpha-2 code (a business rule: swx routes by it), with its name. */
export const SpsCountry = z.strictObject({ id: CountryCode, name: SpsText.optional() });
export type SpsCountry = z.infer<typeof SpsCountry>;

/** A transit or origin country, as the certificate gives it: its id and name, either optional. */
export const SpsCountryMention = z.strictObject({ id: SpsCode.optional(), name: SpsText.optional() });
export type SpsCountryMention = z.infer<typeof SpsCountryMention>;

/** A note such as an additional declaration: its subject and its text, one per language. */
export const SpsNote = z.strictObject({ subject: SpsText.optional(), contents: z.array(SpsText).default([]) });
export type SpsNote = z.infer<typeof SpsNote>;

/** A clause the signatory attests: its id (real systems give the id alone, the text being standard) and its text. */
export const SpsClause = z.strictObject({ id: SpsCode.optional(), contents: z.array(SpsText).default([]) });
export type SpsClause = z.infer<typeof SpsClause>;

/** Who signed the certificate, when and where, and the clauses they attest. */
export const SpsSignatory = z.strictObject({
  signedAt: SpsDateTime.optional(),
  location: SpsText.optional(),
  authority: SpsText.optional(),
  signer: SpsText.optional(),
  clauses: z.array(SpsClause).default([]),
});
export type SpsSignatory = z.infer<typeof SpsSignatory>;

/**
 * A file carried inside the certificate (the certificate as PDF, a lab report): its content as written, white
 * space removed (base64 by intent; the hub's type is xs:string, so content that does not decode is carried too).
 */
export const SpsAttachment = z.strictObject({
  filename: SpsText.optional(),
  mimeCode: SpsCode.optional(),
  content: z.string().min(1, { error: 'must not be empty' }),
});
export type SpsAttachment = z.infer<typeof SpsAttachment>;

/** A document the certificate refers to: an attachment, an import permit, or the certificate it replaces (see REPLACES_RELATIONSHIP). */
export const SpsReferencedDocument = z.strictObject({
  id: SpsIdentifier.optional(),
  typeCode: SpsCode.optional(),
  relationshipTypeCode: SpsCode.optional(),
  issuedAt: SpsDateTime.optional(),
  information: SpsText.optional(),
  attachment: SpsAttachment.optional(),
});
export type SpsReferencedDocument = z.infer<typeof SpsReferencedDocument>;

/** A place (the unloading port), by UN/LOCODE or name. */
export const SpsLocation = z.strictObject({ id: SpsCode.optional(), name: SpsText.optional() });
export type SpsLocation = z.infer<typeof SpsLocation>;

/** A leg of carriage: its UN/ECE Recommendation 19 mode as written (1 sea, 4 air, ...) and the vessel, flight or vehicle. */
export const SpsTransportMovement = z.strictObject({
  id: SpsIdentifier.optional(),
  modeCode: SpsCode.optional(),
  transportMeans: SpsText.optional(),
});
export type SpsTransportMovement = z.infer<typeof SpsTransportMovement>;

/** A commodity classification: `HS` with a Harmonized System code, or another system (IPPC commodity classes, ...); a class may have several names (one per language). */
export const SpsClassification = z.strictObject({
  systemId: SpsCode.optional(),
  systemName: SpsText.optional(),
  classCode: SpsCode.optional(),
  classNames: z.array(SpsText).default([]),
});
export type SpsClassification = z.infer<typeof SpsClassification>;

/** Packaging: level (1 outermost), UN/ECE Recommendation 21 type code (CT carton, BG bag, ...), count. */
export const SpsPackage = z.strictObject({
  levelCode: SpsCode.optional(),
  typeCode: SpsCode.optional(),
  quantity: z.number().optional(),
});
export type SpsPackage = z.infer<typeof SpsPackage>;

/** A treatment applied to the goods (fumigation, heat, cold): its type, period and characteristics. */
export const SpsTreatment = z.strictObject({
  typeCode: SpsCode.optional(),
  startedAt: SpsDateTime.optional(),
  endedAt: SpsDateTime.optional(),
  duration: SpsMeasure.optional(),
  characteristics: z.array(SpsText).default([]),
});
export type SpsTreatment = z.infer<typeof SpsTreatment>;

/**
 * One trade line item: its sequence number (the hub's xs:int: real systems number from 0), what the goods are
 * (descriptions, common and scientific names, each repeatable), how much, from where.
 */
export const SpsTradeLineItem = z.strictObject({
  sequence: z.int({ error: expected('a whole number') }),
  descriptions: z.array(SpsText).default([]),
  commonNames: z.array(SpsText).default([]),
  scientificNames: z.array(SpsText).default([]),
  netWeight: SpsMeasure.optional(),
  grossWeight: SpsMeasure.optional(),
  classifications: z.array(SpsClassification).default([]),
  packages: z.array(SpsPackage).default([]),
  originCountries: z.array(SpsCountryMention).default([]),
  treatments: z.array(SpsTreatment).default([]),
});
export type SpsTradeLineItem = z.infer<typeof SpsTradeLineItem>;

/**
 * The goods: who sends them to whom, from and to which country, how, and the trade line items. Business rules
 * (message-schemas/ephyto/1/README.md): the consignee is named, both countries are given, and at least one trade
 * line item.
 */
export const SpsConsignment = z.strictObject({
  consignor: SpsParty.optional(),
  consignee: SpsNamedParty,
  exportCountry: SpsCountry,
  importCountry: SpsCountry,
  transitCountries: z.array(SpsCountryMention).default([]),
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
    name: SpsText.optional(),
    typeCode: z.enum(typeCodes, { error: expected(typeCodes.join(' or ')) }),
    statusCode: SpsStatusCode,
    issuedAt: SpsIssueDateTime,
    issuer: SpsParty.optional(),
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
    (document) => document.relationshipTypeCode === REPLACES_RELATIONSHIP && document.typeCode === certificate.typeCode && document.id !== undefined,
  )?.id;
}
