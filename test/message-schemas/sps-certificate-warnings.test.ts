import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spsCertificateWarnings } from '../../message-schemas/common/1/sps-certificate-warnings.js';
import { eahCodec } from '../../message-schemas/eah/1/schema.js';
import { Ephyto, ephytoCodec } from '../../message-schemas/ephyto/1/schema.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { thrownCoreError } from '../helpers/core-error.js';

const examples = new URL('../../message-schemas/ephyto/1/examples/', import.meta.url);
const WORKED = Ephyto.parse(JSON.parse(readFileSync(new URL('valid-id-worked-example.json', examples), 'utf8')));
const [FIRST, SECOND] = WORKED.consignment.items;
if (FIRST === undefined || SECOND === undefined) throw new Error('the worked ePhyto has two items');

const warningsOf = (changes: Partial<Ephyto>) => spsCertificateWarnings(Ephyto.parse({ ...WORKED, ...changes }));
const codesOf = (changes: Partial<Ephyto>) => warningsOf(changes).map((warning) => `${warning.code} ${warning.pointer}`);
const withAttachment = (content: string): Partial<Ephyto> => ({ referencedDocuments: [{ typeCode: '916', attachment: { content } }] });
const withFirstItem = (changes: Partial<typeof FIRST>): Partial<Ephyto> => ({
  consignment: { ...WORKED.consignment, items: [{ ...FIRST, ...changes }, SECOND] },
});

describe('spsCertificateWarnings', () => {
  it('finds none in the worked example', () => {
    expect(warningsOf({})).toEqual([]);
  });

  describe('ATTACHMENT_NOT_BASE64', () => {
    it.each(['JVBERi0xLjQK', 'QQ==', 'QUI=', 'QUJD', '+/+/'])('accepts the base64 %s', (content) => {
      expect(warningsOf(withAttachment(content))).toEqual([]);
    });
    it.each(['not-base64!', 'QQ=', 'Q===', 'QQ==QUJD', 'QUJD_-', 'ABC'])('warns of %s, naming the content', (content) => {
      expect(codesOf(withAttachment(content))).toEqual(['ATTACHMENT_NOT_BASE64 /referencedDocuments/0/attachment/content']);
    });
  });

  describe('UNIT_CODE_UNKNOWN', () => {
    it('accepts codes of the UN/ECE Recommendation 20 form (KGM, TNE, C62)', () => {
      expect(warningsOf(withFirstItem({ netWeight: { value: 1, unitCode: 'TNE' }, grossWeight: { value: 1, unitCode: 'C62' } }))).toEqual([]);
    });
    it('warns of a net weight, gross weight and treatment duration in units it does not know, quoting the unit', () => {
      const treatment = { ...FIRST.treatments[0], duration: { value: 20, unitCode: 'minutes' }, characteristics: [] };
      const warnings = warningsOf(
        withFirstItem({ netWeight: { value: 1, unitCode: 'kg' }, grossWeight: { unitCode: 'KILOGRAM' }, treatments: [treatment] }),
      );
      expect(warnings.map((warning) => warning.pointer)).toEqual([
        '/consignment/items/0/netWeight/unitCode',
        '/consignment/items/0/grossWeight/unitCode',
        '/consignment/items/0/treatments/0/duration/unitCode',
      ]);
      expect(warnings[0]).toEqual({
        code: 'UNIT_CODE_UNKNOWN',
        pointer: '/consignment/items/0/netWeight/unitCode',
        message: '"kg" is not a UN/ECE Recommendation 20 unit code (such as KGM)',
      });
    });
    it('cuts a long code in its message', () => {
      const [warning] = warningsOf(withFirstItem({ netWeight: { unitCode: 'x'.repeat(5000) } }));
      expect(warning?.message.length).toBeLessThan(120);
    });
  });

  describe('COUNTRY_CODE_UNKNOWN and TRANSPORT_MODE_UNKNOWN', () => {
    it('warns of transit, origin and address countries that are not assigned ISO codes, and of transport modes outside Recommendation 19', () => {
      const consignment = {
        ...WORKED.consignment,
        consignee: { ...WORKED.consignment.consignee, address: { lines: [], countryId: 'VNM' } },
        transitCountries: [{ id: 'SG' }, { id: 'XX' }, { name: 'Singapore' }],
        transportMovements: [{ modeCode: '0' }, { modeCode: '9' }, { modeCode: '10' }],
        items: [{ ...FIRST, originCountries: [{ id: 'id' }] }, SECOND],
      };
      expect(codesOf({ consignment })).toEqual([
        'COUNTRY_CODE_UNKNOWN /consignment/consignee/address/countryId',
        'COUNTRY_CODE_UNKNOWN /consignment/transitCountries/1/id',
        'TRANSPORT_MODE_UNKNOWN /consignment/transportMovements/2/modeCode',
        'COUNTRY_CODE_UNKNOWN /consignment/items/0/originCountries/0/id',
      ]);
    });
  });

  describe('TEXT_UNREADABLE and GOODS_NOT_DESCRIBED', () => {
    it('warns of any text holding U+FFFD, DEL or a C1 control character, wherever it is, but not of an attachment', () => {
      const changes = {
        ...withAttachment('QUJD'),
        name: 'Phytosanitary Certificate \u0092',
        notes: [{ contents: ['fine', 'caf\uFFFD'] }],
        issuer: { name: 'Quarantine\u007F' },
      };
      expect(codesOf(changes)).toEqual(['TEXT_UNREADABLE /name', 'TEXT_UNREADABLE /issuer/name', 'TEXT_UNREADABLE /notes/0/contents/1']);
      expect(warningsOf({ notes: [{ contents: ['Tab\tand\nnew lines, accents: cà phê, 芒果'] }] })).toEqual([]);
    });
    it('warns of an item with no description, common or scientific name, not of one with any of them', () => {
      expect(codesOf(withFirstItem({ descriptions: [], commonNames: [], scientificNames: [] }))).toEqual([
        'GOODS_NOT_DESCRIBED /consignment/items/0',
      ]);
      expect(warningsOf(withFirstItem({ descriptions: [], commonNames: [], scientificNames: ['Garcinia mangostana'] }))).toEqual([]);
    });
  });
});

describe('the SPS codecs with warnings', () => {
  it('read a certificate with its warnings (ePhyto)', () => {
    const xml = readFileSync(new URL('valid-with-warning-attachment-not-base64.xml', examples), 'utf8');
    const { document, warnings } = ephytoCodec.readWithWarnings(parseXml(xml));
    expect(document).toEqual(ephytoCodec.read(parseXml(xml)));
    expect(warnings).toEqual([expect.objectContaining({ code: 'ATTACHMENT_NOT_BASE64', pointer: '/referencedDocuments/0/attachment/content' })]);
  });

  it('read an e-AH with its warnings the same way', () => {
    const eah = eahCodec.validate(JSON.parse(readFileSync(new URL('../../../eah/1/examples/valid-th-frozen-chicken.json', examples), 'utf8')));
    const xml = eahCodec.write({ ...eah, consignment: { ...eah.consignment, transitCountries: [{ id: 'Malaysia' }] } });
    expect(eahCodec.readWithWarnings(parseXml(xml)).warnings).toEqual([
      expect.objectContaining({ code: 'COUNTRY_CODE_UNKNOWN', pointer: '/consignment/transitCountries/0/id' }),
    ]);
  });

  it('still refuse a structural defect, with no document to warn about', () => {
    const xml = readFileSync(new URL('invalid-consignor-in-rsm-namespace.xml', examples), 'utf8');
    expect(thrownCoreError(() => ephytoCodec.readWithWarnings(parseXml(xml))).code).toBe('VALIDATION_FAILED');
  });
});
