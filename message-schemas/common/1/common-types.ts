import { z } from 'zod';

/**
 * Data types shared by swx's business documents. Each one has a same-named simple type in
 * common-types.xsd (namespace `urn:swx:xsd:common:1`) that accepts exactly the same values, so a
 * document's zod schema and its published XSD agree.
 */

/** ISO 3166-1 alpha-2 country codes, as listed by the iso-codes project (4.15). */
const ISO_3166_ALPHA_2 = [
  'AD',
  'AE',
  'AF',
  'AG',
  'AI',
  'AL',
  'AM',
  'AO',
  'AQ',
  'AR',
  'AS',
  'AT',
  'AU',
  'AW',
  'AX',
  'AZ',
  'BA',
  'BB',
  'BD',
  'BE',
  'BF',
  'BG',
  'BH',
  'BI',
  'BJ',
  'BL',
  'BM',
  'BN',
  'BO',
  'BQ',
  'BR',
  'BS',
  'BT',
  'BV',
  'BW',
  'BY',
  'BZ',
  'CA',
  'CC',
  'CD',
  'CF',
  'CG',
  'CH',
  'CI',
  'CK',
  'CL',
  'CM',
  'CN',
  'CO',
  'CR',
  'CU',
  'CV',
  'CW',
  'CX',
  'CY',
  'CZ',
  'DE',
  'DJ',
  'DK',
  'DM',
  'DO',
  'DZ',
  'EC',
  'EE',
  'EG',
  'EH',
  'ER',
  'ES',
  'ET',
  'FI',
  'FJ',
  'FK',
  'FM',
  'FO',
  'FR',
  'GA',
  'GB',
  'GD',
  'GE',
  'GF',
  'GG',
  'GH',
  'GI',
  'GL',
  'GM',
  'GN',
  'GP',
  'GQ',
  'GR',
  'GS',
  'GT',
  'GU',
  'GW',
  'GY',
  'HK',
  'HM',
  'HN',
  'HR',
  'HT',
  'HU',
  'ID',
  'IE',
  'IL',
  'IM',
  'IN',
  'IO',
  'IQ',
  'IR',
  'IS',
  'IT',
  'JE',
  'JM',
  'JO',
  'JP',
  'KE',
  'KG',
  'KH',
  'KI',
  'KM',
  'KN',
  'KP',
  'KR',
  'KW',
  'KY',
  'KZ',
  'LA',
  'LB',
  'LC',
  'LI',
  'LK',
  'LR',
  'LS',
  'LT',
  'LU',
  'LV',
  'LY',
  'MA',
  'MC',
  'MD',
  'ME',
  'MF',
  'MG',
  'MH',
  'MK',
  'ML',
  'MM',
  'MN',
  'MO',
  'MP',
  'MQ',
  'MR',
  'MS',
  'MT',
  'MU',
  'MV',
  'MW',
  'MX',
  'MY',
  'MZ',
  'NA',
  'NC',
  'NE',
  'NF',
  'NG',
  'NI',
  'NL',
  'NO',
  'NP',
  'NR',
  'NU',
  'NZ',
  'OM',
  'PA',
  'PE',
  'PF',
  'PG',
  'PH',
  'PK',
  'PL',
  'PM',
  'PN',
  'PR',
  'PS',
  'PT',
  'PW',
  'PY',
  'QA',
  'RE',
  'RO',
  'RS',
  'RU',
  'RW',
  'SA',
  'SB',
  'SC',
  'SD',
  'SE',
  'SG',
  'SH',
  'SI',
  'SJ',
  'SK',
  'SL',
  'SM',
  'SN',
  'SO',
  'SR',
  'SS',
  'ST',
  'SV',
  'SX',
  'SY',
  'SZ',
  'TC',
  'TD',
  'TF',
  'TG',
  'TH',
  'TJ',
  'TK',
  'TL',
  'TM',
  'TN',
  'TO',
  'TR',
  'TT',
  'TV',
  'TW',
  'TZ',
  'UA',
  'UG',
  'UM',
  'US',
  'UY',
  'UZ',
  'VA',
  'VC',
  'VE',
  'VG',
  'VI',
  'VN',
  'VU',
  'WF',
  'WS',
  'YE',
  'YT',
  'ZA',
  'ZM',
  'ZW',
] as const;

/**
 * ISO 4217 codes an invoice can be written in: the iso-codes 4.15 list without fund codes (BOV, CHE, ...),
 * precious metals, bond-market units, SDR, and the testing and "no currency" codes.
 */
const ISO_4217_INVOICE_CURRENCIES = [
  'AED',
  'AFN',
  'ALL',
  'AMD',
  'ANG',
  'AOA',
  'ARS',
  'AUD',
  'AWG',
  'AZN',
  'BAM',
  'BBD',
  'BDT',
  'BGN',
  'BHD',
  'BIF',
  'BMD',
  'BND',
  'BOB',
  'BRL',
  'BSD',
  'BTN',
  'BWP',
  'BYN',
  'BZD',
  'CAD',
  'CDF',
  'CHF',
  'CLP',
  'CNY',
  'COP',
  'CRC',
  'CUC',
  'CUP',
  'CVE',
  'CZK',
  'DJF',
  'DKK',
  'DOP',
  'DZD',
  'EGP',
  'ERN',
  'ETB',
  'EUR',
  'FJD',
  'FKP',
  'GBP',
  'GEL',
  'GHS',
  'GIP',
  'GMD',
  'GNF',
  'GTQ',
  'GYD',
  'HKD',
  'HNL',
  'HRK',
  'HTG',
  'HUF',
  'IDR',
  'ILS',
  'INR',
  'IQD',
  'IRR',
  'ISK',
  'JMD',
  'JOD',
  'JPY',
  'KES',
  'KGS',
  'KHR',
  'KMF',
  'KPW',
  'KRW',
  'KWD',
  'KYD',
  'KZT',
  'LAK',
  'LBP',
  'LKR',
  'LRD',
  'LSL',
  'LYD',
  'MAD',
  'MDL',
  'MGA',
  'MKD',
  'MMK',
  'MNT',
  'MOP',
  'MRU',
  'MUR',
  'MVR',
  'MWK',
  'MXN',
  'MYR',
  'MZN',
  'NAD',
  'NGN',
  'NIO',
  'NOK',
  'NPR',
  'NZD',
  'OMR',
  'PAB',
  'PEN',
  'PGK',
  'PHP',
  'PKR',
  'PLN',
  'PYG',
  'QAR',
  'RON',
  'RSD',
  'RUB',
  'RWF',
  'SAR',
  'SBD',
  'SCR',
  'SDG',
  'SEK',
  'SGD',
  'SHP',
  'SLE',
  'SLL',
  'SOS',
  'SRD',
  'SSP',
  'STN',
  'SVC',
  'SYP',
  'SZL',
  'THB',
  'TJS',
  'TMT',
  'TND',
  'TOP',
  'TRY',
  'TTD',
  'TWD',
  'TZS',
  'UAH',
  'UGX',
  'USD',
  'UYU',
  'UZS',
  'VED',
  'VES',
  'VND',
  'VUV',
  'WST',
  'XAF',
  'XCD',
  'XOF',
  'XPF',
  'YER',
  'ZAR',
  'ZMW',
  'ZWL',
] as const;

/**
 * A schema-level error message for a value of the wrong form; a missing value is left to the
 * validator's "required" message.
 * @example z.enum(['A', 'B'], { error: expected('A or B') })
 */
export function expected(what: string): (issue: { readonly input?: unknown }) => string | undefined {
  return (issue) => (issue.input === undefined ? undefined : `expected ${what}`);
}

/**
 * Only the characters XML 1.0 can carry (https://www.w3.org/TR/xml/#charsets): tab, line feed, carriage return,
 * U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF. Written as everything else excluded, with a surrogate pair as
 * its own alternative, so the pattern means the same with or without the `u` flag: the form JSON Schema's `pattern`
 * (ECMA-262, compiled either way by validators) and client generators can read, unlike `\u{10000}` escapes.
 * Lone surrogates are refused in both readings.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters XML 1.0 cannot carry are what this excludes
export const XML_CHARACTERS = /^(?:[^\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

/**
 * The day a value written YYYY-MM-DD… names when the calendar has no such day (2026-02-30, 2025-02-29, 2026-04-31),
 * else undefined (a real day, or not a date of that form at all).
 * @example nonexistentDay('2026-02-30T10:00:00Z') // '2026-02-30'
 */
export function nonexistentDay(value: string): string | undefined {
  const match = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)/.exec(value);
  if (match === null) return undefined;
  const [day, year, month, dayOfMonth] = match as unknown as [string, string, string, string];
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  return Number(dayOfMonth) > daysInMonth ? day : undefined;
}

/**
 * expected() for a date or date-time: a day the calendar does not have says so (`2026-02-30 does not exist`)
 * rather than that the form is wrong.
 * @example z.iso.date({ error: expectedDate('a date as YYYY-MM-DD') })
 */
export function expectedDate(what: string): (issue: { readonly input?: unknown }) => string | undefined {
  return (issue) => {
    if (issue.input === undefined) return undefined;
    const missing = typeof issue.input === 'string' ? nonexistentDay(issue.input) : undefined;
    return missing === undefined ? `expected ${what}` : `${missing} does not exist`;
  };
}

/** Free text: trimmed, not empty, at most `maxLength` characters, only characters XML 1.0 allows. */
function text(maxLength: number) {
  return z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(maxLength, { error: `must be at most ${maxLength} characters` })
    .regex(XML_CHARACTERS, { error: 'contains a character XML cannot carry' });
}

/** A reference or identifier (invoice number, means of transport, declaration number): up to 35 characters, as UN/EDIFACT an..35. */
export const Identifier = text(35);
/** The name of a party. */
export const PartyName = text(256);
/** A postal address, in one text. */
export const Address = text(512);
/** A description or a reason. */
export const Description = text(512);

/**
 * ISO 3166-1 alpha-2 country code.
 * @example CountryCode.parse('TH')
 */
export const CountryCode = z.enum(ISO_3166_ALPHA_2, { error: expected('an ISO 3166-1 alpha-2 country code') });
export type CountryCode = z.infer<typeof CountryCode>;

/**
 * ISO 4217 currency code.
 * @example CurrencyCode.parse('VND')
 */
export const CurrencyCode = z.enum(ISO_4217_INVOICE_CURRENCIES, { error: expected('an ISO 4217 currency code') });
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/**
 * UN/LOCODE: the ISO country code and three letters or digits 2-9 (UN/LOCODE avoids 0 and 1).
 * @example UnLocode.parse('THLCH') // Laem Chabang
 */
export const UnLocode = z.string().regex(/^[A-Z]{2}[A-Z2-9]{3}$/, { error: 'expected a UN/LOCODE such as THLCH' });

/**
 * A UN/LOCODE in Viet Nam: where an export leaves from.
 * @example VietnamUnLocode.parse('VNSGN') // Ho Chi Minh City
 */
export const VietnamUnLocode = z.string().regex(/^VN[A-Z2-9]{3}$/, { error: 'expected a UN/LOCODE in Viet Nam such as VNSGN' });

/**
 * Vietnamese tax identification number (MST): 10 digits, or 13 for a dependent unit (branch).
 * @example VietnamTaxId.parse('0101234567')
 */
export const VietnamTaxId = z.string().regex(/^[0-9]{10}([0-9]{3})?$/, { error: 'expected a Vietnamese tax id of 10 or 13 digits' });

/**
 * Harmonized System code, 6 digits (HS) to 10 (national tariff lines; AHTN uses 8), kept as a string.
 * @example HsCode.parse('09012110')
 */
export const HsCode = z.string().regex(/^[0-9]{6,10}$/, { error: 'expected an HS code of 6 to 10 digits' });

/**
 * UN/ECE Recommendation 19 mode of transport: 1 maritime, 2 rail, 3 road, 4 air, 5 mail, 6 multimodal,
 * 7 fixed installation, 8 inland water.
 * @example TransportModeCode.parse('1')
 */
export const TransportModeCode = z.enum(['1', '2', '3', '4', '5', '6', '7', '8'], {
  error: expected('a UN/ECE Recommendation 19 transport mode code, 1 to 8'),
});
export type TransportModeCode = z.infer<typeof TransportModeCode>;

/**
 * UN/ECE Recommendation 20 unit of measure code (KGM, C62, TNE, MTR, ...).
 * @example UnitCode.parse('KGM')
 */
export const UnitCode = z.string().regex(/^[A-Z0-9]{2,3}$/, { error: 'expected a UN/ECE Recommendation 20 unit code such as KGM' });

/**
 * A strictly positive decimal below 10^15: quantities, weights and values (10^15 VND is about 40 billion USD).
 * @example PositiveDecimal.parse(12.5)
 */
export const PositiveDecimal = z.number().gt(0, { error: 'must be greater than 0' }).lt(1e15, { error: 'must be less than 1000000000000000' });

/**
 * A calendar date, YYYY-MM-DD.
 * @example IsoDate.parse('2026-11-20')
 */
export const IsoDate = z.iso.date({ error: expectedDate('a date as YYYY-MM-DD') });

/**
 * A point in time with its UTC offset, e.g. 2026-11-20T14:05:00+07:00.
 * @example IsoDateTime.parse('2026-11-20T07:05:00Z')
 */
export const IsoDateTime = z.iso.datetime({
  offset: true,
  error: expectedDate('a date and time with its offset, such as 2026-11-20T14:05:00+07:00'),
});
