import { CountryCode, UnitCode } from './common-types.js';
import type { SpsCertificate, SpsMeasure, SpsParty } from './sps-certificate.js';

/**
 * Defects of an SPS certificate that do not touch its meaning: swx accepts the certificate and records them, as the
 * IPPC hub delivers such a certificate "DeliveredWithWarnings" (table in ../../ephyto/1/README.md):
 * - ATTACHMENT_NOT_BASE64: an `AttachmentBinaryObject` whose content does not decode as base64 (RFC 4648 section 4);
 * - UNIT_CODE_UNKNOWN: a measure's `unitCode` not of the form of a UN/ECE Recommendation 20 code (swx's UnitCode);
 * - COUNTRY_CODE_UNKNOWN: a transit or origin country's `ID`, or an address's `CountryID`, not an assigned
 *   ISO 3166-1 alpha-2 code (swx's CountryCode);
 * - TRANSPORT_MODE_UNKNOWN: a `ModeCode` not one of UN/ECE Recommendation 19's (0 to 9);
 * - TEXT_UNREADABLE: a text with U+FFFD replacement characters or control characters (a character-set conversion
 *   gone wrong upstream);
 * - GOODS_NOT_DESCRIBED: a trade line item with no description, common name or scientific name.
 */
export const SPS_WARNING_CODES = [
  'ATTACHMENT_NOT_BASE64',
  'UNIT_CODE_UNKNOWN',
  'COUNTRY_CODE_UNKNOWN',
  'TRANSPORT_MODE_UNKNOWN',
  'TEXT_UNREADABLE',
  'GOODS_NOT_DESCRIBED',
] as const;
export type SpsWarningCode = (typeof SPS_WARNING_CODES)[number];

/** One warning: its code, the JSON pointer of the field in the certificate's JSON form, and what is wrong. */
export interface SpsWarning {
  readonly code: SpsWarningCode;
  readonly pointer: string;
  readonly message: string;
}

/** U+FFFD, and the control characters an XML 1.0 text may hold (DEL and the C1 range; the schema refuses the others). */
const UNREADABLE = /[\uFFFD\u007F-\u009F]/u;
/** The base64 alphabet by character code (RFC 4648 table 1); a loop over it is twice as fast as a regular expression on a 200 KB PDF. */
const BASE64_ALPHABET = new Uint8Array(128);
for (const character of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64_ALPHABET[character.charCodeAt(0)] = 1;
const RECOMMENDATION_19_MODE = /^[0-9]$/;

/**
 * The warnings of a validated SPS certificate, in document order (texts last). A pure function of the document, so
 * the certificate view computes the same list from the stored certificate as the receipt listed.
 * @example spsCertificateWarnings(ephyto) // [{ code: 'ATTACHMENT_NOT_BASE64', pointer: '/referencedDocuments/0/attachment/content', message: '…' }]
 */
export function spsCertificateWarnings(certificate: SpsCertificate): SpsWarning[] {
  const warnings: SpsWarning[] = [];
  const warn = (code: SpsWarningCode, pointer: string, message: string): void => {
    warnings.push({ code, pointer, message });
  };
  const country = (id: string | undefined, pointer: string): void => {
    if (id !== undefined && !CountryCode.safeParse(id).success)
      warn('COUNTRY_CODE_UNKNOWN', pointer, `${quote(id)} is not an ISO 3166-1 alpha-2 country code`);
  };
  const measure = (value: SpsMeasure | undefined, pointer: string): void => {
    const unit = value?.unitCode;
    if (unit !== undefined && !UnitCode.safeParse(unit).success) {
      warn('UNIT_CODE_UNKNOWN', `${pointer}/unitCode`, `${quote(unit)} is not a UN/ECE Recommendation 20 unit code (such as KGM)`);
    }
  };
  const party = (value: SpsParty | undefined, pointer: string): void => country(value?.address?.countryId, `${pointer}/address/countryId`);

  party(certificate.issuer, '/issuer');
  certificate.referencedDocuments.forEach((document, index) => {
    const content = document.attachment?.content;
    if (content !== undefined && !isBase64(content)) {
      warn(
        'ATTACHMENT_NOT_BASE64',
        `/referencedDocuments/${index}/attachment/content`,
        'the attachment does not decode as base64: it is carried as written, but cannot be opened',
      );
    }
  });
  const { consignment } = certificate;
  party(consignment.consignor, '/consignment/consignor');
  party(consignment.consignee, '/consignment/consignee');
  for (const [index, transit] of consignment.transitCountries.entries()) country(transit.id, `/consignment/transitCountries/${index}/id`);
  consignment.transportMovements.forEach((movement, index) => {
    const mode = movement.modeCode;
    if (mode !== undefined && !RECOMMENDATION_19_MODE.test(mode)) {
      warn(
        'TRANSPORT_MODE_UNKNOWN',
        `/consignment/transportMovements/${index}/modeCode`,
        `${quote(mode)} is not a UN/ECE Recommendation 19 transport mode (0 to 9)`,
      );
    }
  });
  consignment.items.forEach((item, index) => {
    const at = `/consignment/items/${index}`;
    if (item.descriptions.length === 0 && item.commonNames.length === 0 && item.scientificNames.length === 0) {
      warn('GOODS_NOT_DESCRIBED', at, 'the trade line item has no description, common name or scientific name');
    }
    measure(item.netWeight, `${at}/netWeight`);
    measure(item.grossWeight, `${at}/grossWeight`);
    for (const [position, origin] of item.originCountries.entries()) country(origin.id, `${at}/originCountries/${position}/id`);
    for (const [position, treatment] of item.treatments.entries()) measure(treatment.duration, `${at}/treatments/${position}/duration`);
  });
  for (const [pointer, text] of texts(certificate, '')) {
    if (UNREADABLE.test(text)) {
      warn('TEXT_UNREADABLE', pointer, 'the text holds U+FFFD replacement or control characters: it was damaged in a character-set conversion');
    }
  }
  return warnings;
}

/** Whether the text is base64 (RFC 4648 section 4): the alphabet, padded to a multiple of 4 characters. */
function isBase64(content: string): boolean {
  if (content.length % 4 !== 0) return false;
  const padding = content.endsWith('==') ? 2 : content.endsWith('=') ? 1 : 0;
  for (let index = 0; index < content.length - padding; index += 1) {
    if (BASE64_ALPHABET[content.charCodeAt(index)] !== 1) return false;
  }
  return true;
}

/** Every string of the document with its JSON pointer, attachments' content aside (it is base64, not text). */
function* texts(value: unknown, pointer: string): Generator<readonly [string, string]> {
  if (typeof value === 'string') {
    yield [pointer, value];
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* texts(item, `${pointer}/${index}`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (!(key === 'content' && pointer.endsWith('/attachment'))) yield* texts(item, `${pointer}/${key}`);
    }
  }
}

/** A value quoted for a message, cut to 40 characters (a warning must stay short whatever the certificate holds). */
function quote(value: string): string {
  return JSON.stringify(value.length <= 40 ? value : `${value.slice(0, 39)}…`);
}
