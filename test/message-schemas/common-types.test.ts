import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CountryCode, CurrencyCode, TransportModeCode } from '../../message-schemas/common/1/common-types.js';
import { CustomsResponseStatus } from '../../message-schemas/customs-response/1/schema.js';
import { ExportTypeCode } from '../../message-schemas/export-declaration/1/schema.js';

const schemas = new URL('../../message-schemas/', import.meta.url).pathname;

/** The enumeration values of one named simple type, or of the simple type inside one named element. */
function enumeration(xsdPath: string, name: string): string[] {
  const xsd = readFileSync(`${schemas}${xsdPath}`, 'utf8');
  const start = xsd.search(new RegExp(`<xs:(simpleType|element) name="${name}"`));
  expect(start).toBeGreaterThanOrEqual(0);
  const body = xsd.slice(start, xsd.indexOf('</xs:restriction>', start));
  return [...body.matchAll(/<xs:enumeration value="([^"]*)"\/>/g)].map((match) => match[1] ?? '');
}

describe('the code lists of the XSDs and the zod schemas', () => {
  it.each([
    ['common/1/common-types.xsd', 'CountryCode', CountryCode.options],
    ['common/1/common-types.xsd', 'CurrencyCode', CurrencyCode.options],
    ['common/1/common-types.xsd', 'TransportModeCode', TransportModeCode.options],
    ['export-declaration/1/export-declaration.xsd', 'ExportTypeCode', ExportTypeCode.options],
    ['customs-response/1/customs-response.xsd', 'Status', CustomsResponseStatus.options],
  ])('%s %s lists the same codes', (xsd, name, options) => {
    expect(enumeration(xsd, name)).toEqual([...options]);
  });

  it('list the 249 ISO 3166-1 countries, Viet Nam and the ASEAN members among them', () => {
    expect(CountryCode.options).toHaveLength(249);
    expect(CountryCode.options).toEqual(expect.arrayContaining(['VN', 'TH', 'SG', 'MY', 'ID', 'PH', 'BN', 'KH', 'LA', 'MM']));
  });

  it('leave out currency codes no invoice is written in', () => {
    expect(CurrencyCode.options).toEqual(expect.arrayContaining(['VND', 'USD', 'THB', 'EUR', 'XOF']));
    for (const code of ['XAU', 'XTS', 'XXX', 'XDR', 'USN']) expect(CurrencyCode.options).not.toContain(code);
  });
});
