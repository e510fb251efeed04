import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/adapters/xml/xml-codec.js';
import { thrownCoreError } from '../../helpers/core-error.js';

const base64 = 'JVBERi0xLjQK'.repeat(400);
const wrapped = base64.match(/.{1,76}/g)?.join('\n') ?? '';

describe('parseXml with long texts', () => {
  it('gives a long text back exactly, trimmed, with its line ends normalised', () => {
    const parsed = parseXml(`<a xmlns="urn:a"><pdf name="x.pdf">\r\n  ${wrapped.replaceAll('\n', '\r\n')}\r\n  </pdf><b>short</b></a>`);
    expect(parsed.value).toEqual({ pdf: { '@_name': 'x.pdf', '#text': wrapped }, b: 'short' });
  });

  it('gives repeated long elements and mixed content back in their places', () => {
    const parsed = parseXml(`<a xmlns="urn:a"><p>${base64}</p><p>${base64.toLowerCase()}</p><m>${base64}<i/>tail</m></a>`);
    expect(parsed.value).toMatchObject({ p: [base64, base64.toLowerCase()] });
    expect(JSON.stringify(parsed.value)).toContain(base64);
    expect(JSON.stringify(parsed.value)).not.toContain('\uE000');
  });

  it('leaves text that only looks long from inside a tag, a comment or a CDATA section as the parser reads it', () => {
    const long = 'x'.repeat(2000);
    const parsed = parseXml(`<a xmlns="urn:a"><b title="1 > 0 ${long}"/><!-- a > ${long} --><c><![CDATA[ > ${long} ]]></c></a>`);
    expect(parsed.value).toEqual({ b: { '@_title': `1 > 0 ${long}` }, c: ` > ${long} ` });
  });

  it('keeps a text that imitates a placeholder as it is', () => {
    const forged = `\uE0000123456789abcdef0123456789abcdef.0\uE001`;
    expect(parseXml(`<a xmlns="urn:a"><b>${forged}</b><c>${base64}</c></a>`).value).toEqual({ b: forged, c: base64 });
  });

  it('reports a malformed document at its own line and column, as if nothing was set aside', () => {
    const error = thrownCoreError(() => parseXml(`<a xmlns="urn:a">\n<pdf>${wrapped}</pdf>\n<b>1</c></a>`));
    const lines = wrapped.split('\n').length;
    expect(error.code).toBe('MALFORMED_REQUEST');
    expect(error.message).toMatch(new RegExp(`line ${lines + 2}, column \\d+`));
  });
});
