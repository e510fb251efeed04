import fc from 'fast-check';
import { SPS_CERTIFICATE_NAMESPACE, SPS_RAM_NAMESPACE, SPS_UDT_NAMESPACE } from '../../message-schemas/common/1/sps-certificate.js';

/**
 * fast-check arbitraries for SPSCertificate documents in the value space of the IPPC ePhyto hub's schema
 * (../shared/reference/ippc-hub/hub-1.xsd and the RABIE types of hub-3.xsd, hub-6.xsd), element by element in the
 * hub's order and cardinalities: optional elements absent, empty (`<x/>` or `<x></x>`) or given; repeated elements
 * 0 to 3 times; texts of the whole xs:string space (empty, blank, Unicode, markup characters, very long); xs:int and
 * xs:double in all their lexical forms and at their bounds; the hub's anyType elements with attributes or xsi:nil;
 * the unqualified elements the hub declares; any namespace prefixes, default namespaces included, declared on the
 * root or on every element. The business rules swx adds (message-schemas/ephyto/1/README.md) always hold: a
 * certificate number, type 851 or 657, status 70 or 40, an issue date, a named consignee, ISO export and import
 * countries, at least one trade line item.
 */

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
type Ns = 'rsm' | 'ram' | 'udt' | 'none';

/** An element to write: its namespace, local name, attributes and either text or children. */
export interface Node {
  readonly ns: Ns;
  readonly name: string;
  readonly attributes: readonly (readonly [string, string])[];
  readonly content: string | readonly Node[];
  readonly nil?: boolean;
}

/** How a document writes its namespaces: a prefix per namespace ('' for the default), declared on the root or on every element. */
export interface Style {
  readonly prefixes: Readonly<Record<'rsm' | 'ram' | 'udt', string>>;
  readonly declareEverywhere: boolean;
  readonly selfClose: boolean;
}

const node = (ns: Ns, name: string, content: string | readonly Node[], attributes: readonly (readonly [string, string])[] = []): Node => ({
  ns,
  name,
  attributes,
  content,
});
const ram = (name: string, content: string | readonly Node[], attributes: readonly (readonly [string, string])[] = []): Node =>
  node('ram', name, content, attributes);
const compact = (nodes: readonly (Node | undefined | readonly Node[])[]): Node[] =>
  nodes.flat().filter((child): child is Node => child !== undefined);

const XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Any xs:string: empty, blank, ASCII, Unicode (astral included), markup characters, very long. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\n\t ',
      '\u3000',
      '\u00a0x\u00a0',
      '0',
      '-1',
      'Tỉnh Đồng Nai – cà phê',
      '木瓜',
      '🍍 ananas',
      'a & b < c > d " \' ]]>',
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map((text) => text.replace(XML_CHAR, '')), weight: 2 },
  { arbitrary: fc.integer({ min: 300, max: 6000 }).map((length) => 'Ñ'.repeat(length)), weight: 1 },
);
/** Text that is not blank once trimmed (the business rules' names and numbers). */
const someText = anyText.filter((text) => text.trim() !== '');

/** An xs:int in any lexical form libxml2 takes (sign, leading zeros; not surrounding white space), at the bounds. */
export function xsInt(values: fc.Arbitrary<number>): fc.Arbitrary<string> {
  return fc.tuple(values, fc.constantFrom('', '+', '00')).map(([value, form]) => {
    if (form === '+') return value < 0 ? String(value) : `+${value}`;
    if (form === '00') return value < 0 ? `-00${-value}` : `00${value}`;
    return String(value);
  });
}
const anyInt = xsInt(fc.oneof(fc.constantFrom(0, 1, -1, 2147483647, -2147483648), fc.integer({ min: -2147483648, max: 2147483647 })));

/** An xs:double in any lexical form: exponents, signs, INF, NaN, bounds. */
export const anyDouble: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '0.0',
    '1',
    '12000',
    '4.5E3',
    '1e-7',
    '.5',
    '5.',
    '-12.75',
    '1.7976931348623157E308',
    '4.9E-324',
    'INF',
    '-INF',
    'NaN',
    ' 42 ',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
);

const dateTime = fc.constantFrom(
  '2026-11-20',
  '2026-11-20T09:00:00',
  '2026-11-20T09:00:00Z',
  '2026-11-20T09:00:00+07:00',
  '2026-11-20T09:00:00.1234567-03:00',
  '2026-02-28T23:59:59.999',
  '20261120',
  '202611200900',
  '2026-11-20 09:00',
);
const anyDateTimeText = fc.oneof(dateTime, anyText);

/** Optional: absent, empty, or given. */
const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arbitrary, { nil: undefined, freq: 2 });
const many = <T>(arbitrary: fc.Arbitrary<T>, maxLength = 3): fc.Arbitrary<T[]> => fc.array(arbitrary, { maxLength });
const attributes = fc
  .array(fc.tuple(fc.constantFrom('schemeID', 'listID', 'name', 'languageID', 'schemeAgencyID'), anyText), { maxLength: 2 })
  .map((pairs) => [...new Map(pairs)]);

/** An xs:string element (no attributes). */
const str = (name: string, value: fc.Arbitrary<string> = anyText): fc.Arbitrary<Node> => value.map((text) => ram(name, text));
/** A textType element: xs:string with an optional languageID. */
const textType = (name: string): fc.Arbitrary<Node> =>
  fc
    .tuple(anyText, optional(fc.constantFrom('en', 'vi', 'fr', '')))
    .map(([text, language]) => ram(name, text, language === undefined ? [] : [['languageID', language]]));
/** A global anyType element of the hub (ID, TypeCode): text with any attributes, or xsi:nil. */
const anyTypeText = (name: string, value: fc.Arbitrary<string> = anyText): fc.Arbitrary<Node> =>
  fc.oneof(
    fc.tuple(value, attributes).map(([text, pairs]) => ram(name, text, pairs)),
    fc.constant({ ...ram(name, ''), nil: true }),
  );
const measure = (name: string): fc.Arbitrary<Node> =>
  fc
    .tuple(anyDouble, optional(fc.constantFrom('KGM', 'TNE', 'LTR', 'MTQ', 'kg', '')))
    .map(([value, unit]) => ram(name, value, unit === undefined ? [] : [['unitCode', unit]]));
/** A udt:DateTimeString holder (actualDateTime, startDateTime: element-only). */
const dateTimeHolder = (name: string): fc.Arbitrary<Node> =>
  optional(anyDateTimeText).map((text) => ram(name, text === undefined ? [] : [node('udt', 'DateTimeString', text)]));

/** The hub's IssueDateTime (anyType): a udt:DateTimeString, or the text itself, with any attributes. */
const issueDateTime = (value: fc.Arbitrary<string>): fc.Arbitrary<Node> =>
  fc
    .tuple(value, fc.boolean(), attributes)
    .map(([text, wrapped, pairs]) => ram('IssueDateTime', wrapped ? [node('udt', 'DateTimeString', text)] : text, pairs));

const nameOnly = (name: string): fc.Arbitrary<Node> => optional(str('Name')).map((child) => ram(name, compact([child])));

const address = fc
  .tuple(...['LineOne', 'LineTwo', 'LineThree', 'LineFour', 'LineFive'].map((line) => optional(str(line))))
  .map((lines) => ram('SpecifiedSPSAddress', compact(lines)));

const party = (name: string, partyName: fc.Arbitrary<Node | undefined>): fc.Arbitrary<Node> =>
  fc.tuple(partyName, many(anyTypeText('TypeCode'), 2), optional(address)).map(([named, codes, where]) => ram(name, compact([named, codes, where])));

const note = fc.tuple(optional(str('Subject')), optional(textType('Content'))).map((children) => ram('IncludedSPSNote', compact(children)));

const clause = fc.tuple(anyInt, optional(str('Content'))).map(([id, content]) => ram('IncludedSPSClause', compact([ram('ID', id), content])));

const signatory = fc
  .tuple(
    optional(dateTimeHolder('ActualDateTime')),
    optional(nameOnly('IssueSPSLocation')),
    optional(fc.tuple(optional(str('Name')), optional(nameOnly('SpecifiedSPSPerson'))).map((children) => ram('ProviderSPSParty', compact(children)))),
    many(clause),
  )
  .map((children) => ram('SignatorySPSAuthentication', compact(children)));

const base64 = fc.uint8Array({ maxLength: 48 }).map((bytes) => Buffer.from(bytes).toString('base64'));
const referencedDocument = fc
  .tuple(
    optional(issueDateTime(anyDateTimeText)),
    anyTypeText('TypeCode', fc.constantFrom('851', '657', 'ACW', '')),
    optional(str('RelationshipTypeCode', fc.oneof(fc.constant('ACW'), anyText))),
    optional(anyTypeText('ID')),
    optional(
      fc
        .tuple(fc.oneof(base64, anyText), optional(anyText))
        .map(([content, filename]) => ram('AttachmentBinaryObject', content, filename === undefined ? [] : [['filename', filename]])),
    ),
    optional(textType('Information')),
  )
  .map((children) => ram('ReferenceSPSReferencedDocument', compact(children)));

const exchangedDocument = fc
  .tuple(
    optional(str('Name')),
    str('ID', someText),
    xsInt(fc.constantFrom(851, 657)).map((code) => ram('TypeCode', code)),
    xsInt(fc.constantFrom(70, 40)).map((code) => ram('StatusCode', code)),
    issueDateTime(dateTime),
    optional(nameOnly('IssuerSPSParty')),
    many(note),
    many(referencedDocument, 2),
    optional(signatory),
  )
  .map((children) => node('rsm', 'SPSExchangedDocument', compact(children)));

const ISO = fc.constantFrom('VN', 'ID', 'MY', 'TH', 'NZ', 'FR', 'US', 'CN', 'KE', 'NL');
const country = (name: string, id: fc.Arbitrary<Node | undefined>): fc.Arbitrary<Node> =>
  fc.tuple(id, optional(str('Name'))).map((children) => ram(name, compact(children)));
const isoCountry = (name: string): fc.Arbitrary<Node> =>
  country(
    name,
    ISO.map((code) => ram('ID', code)),
  );

const classification = fc
  .tuple(
    optional(str('SystemName', fc.oneof(fc.constantFrom('HS', 'Harmonized System 2022', 'IPPC'), anyText))),
    optional(str('ClassCode')),
    many(textType('ClassName')),
  )
  .map((children) => ram('ApplicableSPSClassification', compact(children)));
const physicalPackage = fc
  .tuple(anyInt, optional(str('TypeCode')), anyDouble)
  .map(([level, type, quantity]) => ram('PhysicalSPSPackage', compact([ram('LevelCode', level), type, ram('ItemQuantity', quantity)])));
const subdivision = fc
  .tuple(optional(str('Name')), optional(str('HierarchicalLevelCode')))
  .map((children) => ram('SubordinateSPSCountrySubDivision', compact(children)));
const origin = fc
  .tuple(optional(str('ID')), optional(str('Name')), optional(subdivision))
  .map((children) => ram('OriginSPSCountry', compact(children)));
const period = fc
  .tuple(optional(dateTimeHolder('StartDateTime')), optional(dateTimeHolder('EndDateTime')), optional(measure('DurationMeasure')))
  .map((children) => ram('CompletionSPSPeriod', compact(children)));
const characteristic = fc
  .tuple(many(textType('Description')), optional(measure('ValueMeasure')))
  .map((children) => ram('ApplicableSPSProcessCharacteristic', compact(children)));
const process = fc
  .tuple(optional(str('TypeCode')), optional(period), many(characteristic, 2))
  .map((children) => ram('AppliedSPSProcess', compact(children)));
const additionalNote = fc
  .tuple(optional(str('Subject')), many(textType('Content')))
  .map((children) => ram('AdditionalInformationSPSNote', compact(children)));

const tradeLineItem = fc
  .tuple(
    anyInt.map((sequence) => ram('SequenceNumeric', sequence)),
    many(textType('Description')),
    many(textType('CommonName')),
    many(textType('ScientificName')),
    many(textType('IntendedUse')),
    optional(measure('NetWeightMeasure')),
    optional(measure('GrossWeightMeasure')),
    optional(measure('NetVolumeMeasure')),
    optional(measure('GrossVolumeMeasure')),
    many(additionalNote, 2),
    many(classification),
    many(physicalPackage, 2),
    many(origin, 2),
    many(process, 2),
  )
  .map((children) => ram('IncludedSPSTradeLineItem', compact(children)));

const cargo = optional(str('TypeCode')).map((type) =>
  node('none', 'NatureIdentificationSPSCargo', type === undefined ? [] : [node('none', 'TypeCode', type.content)]),
);
const consignmentItem = (lines: fc.Arbitrary<Node[]>): fc.Arbitrary<Node> =>
  fc.tuple(optional(cargo), lines).map((children) => ram('IncludedSPSConsignmentItem', compact(children)));
const movement = fc
  .tuple(
    optional(str('ID')),
    anyInt.map((mode) => ram('ModeCode', mode)),
    optional(nameOnly('UsedSPSTransportMeans')),
  )
  .map((children) => ram('MainCarriageSPSTransportMovement', compact(children)));
const equipment = fc
  .tuple(
    optional(anyText.map((id) => node('none', 'ID', id))),
    optional(optional(anyText).map((id) => ram('AffixedSPSSeal', id === undefined ? [] : [node('none', 'ID', id)]))),
  )
  .map((children) => ram('UtilizedSPSTransportEquipment', compact(children)));

const consignment = fc
  .tuple(
    optional(party('ConsignorSPSParty', optional(str('Name')))),
    party('ConsigneeSPSParty', str('Name', someText)),
    isoCountry('ExportSPSCountry'),
    isoCountry('ImportSPSCountry'),
    many(country('TransitSPSCountry', optional(anyTypeText('ID')))),
    optional(fc.tuple(optional(anyTypeText('ID')), optional(str('Name'))).map((children) => ram('UnloadingBaseportSPSLocation', compact(children)))),
    optional(fc.option(nameOnly('OccurrenceSPSLocation'), { nil: undefined }).map((location) => ram('ExaminationSPSEvent', compact([location])))),
    many(movement, 2),
    optional(equipment),
    many(consignmentItem(many(tradeLineItem, 2)), 1),
    consignmentItem(fc.array(tradeLineItem, { minLength: 1, maxLength: 3 })),
    many(consignmentItem(many(tradeLineItem, 1)), 1),
  )
  .map((children) => node('rsm', 'SPSConsignment', compact(children)));

/** The whole certificate, in the hub's order. */
export const hubCertificate: fc.Arbitrary<Node> = fc.tuple(exchangedDocument, consignment).map((children) => node('rsm', 'SPSCertificate', children));

const PREFIXES = ['rsm', 'ram', 'udt', 'ns1', 'ns2', 'ns3', 'a', 'b', 'x', 'ephyto', 'ram21', ''] as const;
/** Distinct prefixes for the three namespaces, one of them possibly the default ('') one. */
export const style: fc.Arbitrary<Style> = fc
  .tuple(fc.uniqueArray(fc.constantFrom(...PREFIXES), { minLength: 3, maxLength: 3 }), fc.boolean(), fc.boolean())
  .map(([[rsm, ramPrefix, udt], declareEverywhere, selfClose]) => ({
    prefixes: { rsm: rsm!, ram: ramPrefix!, udt: udt! },
    declareEverywhere,
    selfClose,
  }));

const URIS = { rsm: SPS_CERTIFICATE_NAMESPACE, ram: SPS_RAM_NAMESPACE, udt: SPS_UDT_NAMESPACE } as const;

function escapeXml(text: string, quote = false): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
  return quote ? escaped.replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;') : escaped;
}

/**
 * The XML of a node tree in a style.
 * @example writeNode(tree, { prefixes: { rsm: '', ram: 'r', udt: 'u' }, declareEverywhere: false, selfClose: true })
 */
export function writeNode(tree: Node, style: Style): string {
  const hasDefault = Object.values(style.prefixes).includes('');
  const write = (current: Node, root: boolean): string => {
    const prefix = current.ns === 'none' ? '' : style.prefixes[current.ns];
    const qname = prefix === '' ? current.name : `${prefix}:${current.name}`;
    const declarations: string[] = [];
    if (root) {
      for (const ns of ['rsm', 'ram', 'udt'] as const)
        declarations.push(style.prefixes[ns] === '' ? `xmlns="${URIS[ns]}"` : `xmlns:${style.prefixes[ns]}="${URIS[ns]}"`);
      declarations.push(`xmlns:xsi="${XSI}"`);
    } else if (current.ns === 'none') {
      if (hasDefault) declarations.push('xmlns=""');
    } else if (style.declareEverywhere) {
      declarations.push(prefix === '' ? `xmlns="${URIS[current.ns]}"` : `xmlns:${prefix}="${URIS[current.ns]}"`);
    }
    const attributeText = [
      ...declarations,
      ...current.attributes.map(([name, value]) => `${name}="${escapeXml(value, true)}"`),
      ...(current.nil === true ? ['xsi:nil="true"'] : []),
    ]
      .map((item) => ` ${item}`)
      .join('');
    const inner = typeof current.content === 'string' ? escapeXml(current.content) : current.content.map((child) => write(child, false)).join('');
    return inner === '' && style.selfClose ? `<${qname}${attributeText}/>` : `<${qname}${attributeText}>${inner}</${qname}>`;
  };
  return write(tree, true);
}

/**
 * The same tree with the children of every element in another order (what the hub's JAXB schema refuses, and
 * real documents still do), repeated elements keeping their order among themselves (the third Description stays
 * the third): for checking that the reader does not depend on order.
 */
export function shuffled(tree: Node, random: () => number): Node {
  if (typeof tree.content === 'string') return tree;
  const children = tree.content.map((child) => shuffled(child, random));
  const names = children.map((child) => `${child.ns} ${child.name}`);
  for (let index = names.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [names[index], names[other]] = [names[other]!, names[index]!];
  }
  const queues = new Map<string, Node[]>();
  for (const child of children) queues.set(`${child.ns} ${child.name}`, [...(queues.get(`${child.ns} ${child.name}`) ?? []), child]);
  return { ...tree, content: names.map((name) => queues.get(name)!.shift()!) };
}
