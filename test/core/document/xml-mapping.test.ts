import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseXml } from '../../../src/adapters/xml/xml-codec.js';
import { defineDocumentSpec } from '../../../src/core/document/document-spec.js';
import { validateDocument } from '../../../src/core/document/validate-document.js';
import { decodeDocumentXml, encodeDocumentXml } from '../../../src/core/document/xml-mapping.js';
import { thrownCoreError } from '../../helpers/core-error.js';

const Parcel = z.strictObject({
  code: z.string(),
  note: z.string().optional(),
  weight: z.number(),
  pieces: z.int(),
  fragile: z.boolean(),
  sender: z.strictObject({ name: z.string() }),
  lines: z.array(z.strictObject({ hsCode: z.string(), quantity: z.number() })),
  tags: z.array(z.enum(['COLD', 'DRY'])).optional(),
});
const spec = defineDocumentSpec({
  documentType: 'ACDD',
  rootElement: 'Parcel',
  namespace: 'urn:test:parcel',
  schema: Parcel,
  itemElements: { lines: 'Line', tags: 'Tag' },
});
const parcel: z.infer<typeof Parcel> = {
  code: '0012',
  weight: 12.5,
  pieces: 3,
  fragile: false,
  sender: { name: 'Lim & Tan <Pte>' },
  lines: [{ hsCode: '09011190', quantity: 2 }],
};
const decode = (xml: string): unknown => decodeDocumentXml(spec, parseXml(xml));
const wrap = (content: string): string => `<Parcel xmlns="urn:test:parcel">${content}</Parcel>`;
const required = '<Code>0012</Code><Weight>12.5</Weight><Pieces>3</Pieces><Fragile>false</Fragile><Sender><Name>x</Name></Sender>';

describe('defineDocumentSpec', () => {
  it('names elements by the properties in PascalCase, in schema order', () => {
    expect(spec.layout.fields.map((field) => field.element)).toEqual(['Code', 'Note', 'Weight', 'Pieces', 'Fragile', 'Sender', 'Lines', 'Tags']);
  });

  describe('when the schema cannot be carried', () => {
    it.each([
      ['an array without its item element', z.strictObject({ lines: z.array(z.string()) }), {}],
      ['an item element naming no array', z.strictObject({ code: z.string() }), { lines: 'Line' }],
      ['a union', z.strictObject({ code: z.union([z.string(), z.number()]) }), {}],
      ['a nullable', z.strictObject({ code: z.string().nullable() }), {}],
      ['an array of arrays', z.strictObject({ lines: z.array(z.array(z.string())) }), { lines: 'Line' }],
      ['a property not in camelCase', z.strictObject({ HsCode: z.string() }), {}],
    ])('refuses %s', (_, schema, itemElements) => {
      const error = thrownCoreError(() => defineDocumentSpec({ documentType: 'ACDD', rootElement: 'R', namespace: 'urn:r', schema, itemElements }));
      expect(error.code).toBe('INTERNAL');
    });
  });
});

describe('encodeDocumentXml', () => {
  it('writes canonical XML: default namespace on the root, schema order, no whitespace, text escaped', () => {
    expect(encodeDocumentXml(spec, { ...parcel, note: 'a\r\nb', tags: ['COLD', 'DRY'] })).toBe(
      '<Parcel xmlns="urn:test:parcel"><Code>0012</Code><Note>a&#xD;\nb</Note><Weight>12.5</Weight><Pieces>3</Pieces>' +
        '<Fragile>false</Fragile><Sender><Name>Lim &amp; Tan &lt;Pte&gt;</Name></Sender>' +
        '<Lines><Line><HsCode>09011190</HsCode><Quantity>2</Quantity></Line></Lines><Tags><Tag>COLD</Tag><Tag>DRY</Tag></Tags></Parcel>',
    );
  });

  it('leaves absent optional properties out', () => {
    expect(encodeDocumentXml(spec, parcel)).not.toMatch(/<Note>|<Tags>/);
  });

  it('writes decimals without an exponent, as xs:decimal requires', () => {
    expect(encodeDocumentXml(spec, { ...parcel, weight: 1e-7 })).toContain('<Weight>0.0000001</Weight>');
    expect(encodeDocumentXml(spec, { ...parcel, weight: 999_999_999_999_999.9 })).toContain('<Weight>999999999999999.9</Weight>');
  });

  it('refuses a value that does not fit the schema, rather than writing nonsense', () => {
    const notValidated = { ...parcel, weight: '12.5' } as unknown as z.infer<typeof Parcel>;
    expect(thrownCoreError(() => encodeDocumentXml(spec, notValidated)).code).toBe('INTERNAL');
    const infinite = { ...parcel, weight: Number.POSITIVE_INFINITY };
    expect(thrownCoreError(() => encodeDocumentXml(spec, infinite)).code).toBe('INTERNAL');
  });

  it('reads back what it writes', () => {
    const full = { ...parcel, note: 'n', tags: ['DRY' as const], lines: [...parcel.lines, { hsCode: '0306', quantity: 0.25 }] };
    expect(validateDocument(Parcel, decode(encodeDocumentXml(spec, full)))).toEqual(full);
  });
});

describe('decodeDocumentXml', () => {
  it('reads one repeated element or several as an array', () => {
    const one = decode(wrap(`${required}<Lines><Line><HsCode>1</HsCode><Quantity>1</Quantity></Line></Lines>`));
    expect(one).toMatchObject({ lines: [{ hsCode: '1', quantity: 1 }] });
    const two = decode(
      wrap(`${required}<Lines><Line><HsCode>1</HsCode><Quantity>1</Quantity></Line><Line><HsCode>2</HsCode><Quantity>2</Quantity></Line></Lines>`),
    );
    expect(two).toMatchObject({ lines: [{ hsCode: '1' }, { hsCode: '2' }] });
  });

  it('reads an empty wrapper as an empty array and an empty element as an empty object', () => {
    expect(decode(wrap('<Sender></Sender><Lines/>'))).toEqual({ sender: {}, lines: [] });
  });

  it('keeps codes as text, leading zeros and all', () => {
    expect(decode(wrap('<Code>0012</Code>'))).toEqual({ code: '0012' });
  });

  it.each([
    [' +12.50 ', 12.5],
    ['.5', 0.5],
    ['7.', 7],
    ['-3', -3],
  ])('reads the xs:decimal %j as %d', (text, value) => {
    expect(decode(wrap(`<Weight>${text}</Weight>`))).toEqual({ weight: value });
  });

  it.each(['1e3', '12 kg', 'NaN', '', '0x10'])('leaves %j as text for the schema to refuse', (text) => {
    expect(decode(wrap(`<Weight>${text}</Weight>`))).toEqual({ weight: text.trim() });
  });

  it('reads integers only from xs:integer text', () => {
    expect(decode(wrap('<Pieces>03</Pieces>'))).toEqual({ pieces: 3 });
    expect(decode(wrap('<Pieces>3.0</Pieces>'))).toEqual({ pieces: '3.0' });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
    ['yes', 'yes'],
  ])('reads the xs:boolean %j as %j', (text, value) => {
    expect(decode(wrap(`<Fragile>${text}</Fragile>`))).toEqual({ fragile: value });
  });

  it('refuses attributes by default, each named by its pointer, as unknown JSON properties are', () => {
    const error = thrownCoreError(() => decode(wrap('<Code kind="x">A1</Code><Sender id="7"><Name>n</Name></Sender>')));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues.map((issue) => issue.pointer)).toEqual(['/code/@kind', '/sender/@id']);
  });

  it("ignores attributes when asked to (partners' documents)", () => {
    const xml = parseXml(wrap('<Code kind="x">A1</Code><Sender id="7"><Name>n</Name></Sender>'));
    expect(decodeDocumentXml(spec, xml, { attributes: 'ignore' })).toEqual({ code: 'A1', sender: { name: 'n' } });
  });

  it('keeps unknown elements under <Name>, so a strict schema names them', () => {
    const decoded = decode(
      wrap(`${required}<Lines><Line><HsCode>1</HsCode><Quantity>1</Quantity><Colour>red</Colour></Line></Lines><hsCode>9</hsCode>`),
    );
    expect(decoded).toMatchObject({ lines: [{ '<Colour>': 'red' }], '<hsCode>': '9' });
    const error = thrownCoreError(() => validateDocument(Parcel, decoded));
    expect(error.issues.map((issue) => issue.pointer).sort()).toEqual(['/<hsCode>', '/lines/0/<Colour>']);
  });

  it('leaves a wrapper holding anything but its item element for the schema to refuse', () => {
    const decoded = decode(wrap(`${required}<Lines><Item><HsCode>1</HsCode></Item></Lines>`));
    expect(thrownCoreError(() => validateDocument(Parcel, decoded)).issues).toEqual([
      { pointer: '/lines', detail: 'Invalid input: expected array, received object' },
    ]);
  });

  it('leaves child elements where text is expected for the schema to refuse', () => {
    expect(decode(wrap('<Code><Part>1</Part></Code>'))).toEqual({ code: { Part: '1' } });
  });

  describe('when the root is not the document', () => {
    it.each([
      ['another root element', '<Box xmlns="urn:test:parcel"/>'],
      ['another namespace', '<Parcel xmlns="urn:test:parcel:2"/>'],
      ['no namespace', '<Parcel/>'],
    ])('refuses %s with an issue at the root', (_, xml) => {
      const error = thrownCoreError(() => decode(xml));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]?.pointer).toBe('');
    });
  });
});
