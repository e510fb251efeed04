import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formDValidUntil, type FormD } from '../../../message-schemas/form-d/1/schema.js';
import type { ImportDeclaration, PreferenceClaim } from '../../../message-schemas/import-declaration/1/schema.js';
import type { Certificate } from '../../../src/core/certificate/certificate.js';
import { decidePreference, type PreferenceClaimant } from '../../../src/core/preference/decide-preference.js';

const read = <T>(path: string): T => JSON.parse(readFileSync(new URL(`../../../message-schemas/${path}`, import.meta.url), 'utf8')) as T;
const FORM_D = read<FormD>('form-d/1/examples/valid-th-worked-example.json');
const IMPORT = read<ImportDeclaration & { preference: PreferenceClaim }>('import-declaration/1/examples/valid-with-form-d.json');
const AT = '2026-11-24T03:00:00.000Z';

function certificate(changes: Partial<Certificate> = {}, formD: FormD = FORM_D): Certificate {
  return {
    id: 'cert-1',
    documentType: 'FORM_D',
    direction: 'IN',
    referenceNumber: formD.referenceNumber,
    issuingCountry: formD.issuingCountry,
    importingCountry: 'VN',
    partnerId: formD.issuingCountry,
    agencyId: 'VN-CUSTOMS',
    status: 'RECEIVED',
    document: formD,
    messageId: 'm-1',
    replaces: undefined,
    issueDate: formD.issueDate,
    validUntil: formDValidUntil(formD.issueDate),
    utilisation: [],
    createdAt: AT,
    updatedAt: AT,
    ...changes,
  };
}

function claimant(changes: Partial<ImportDeclaration> = {}, lodgedOn = '2026-11-24'): PreferenceClaimant {
  const document = { ...IMPORT, ...changes, preference: changes.preference ?? IMPORT.preference };
  return { id: 'd-1', declarationNumber: '126000000126', document, lodgedOn, country: 'VN' };
}

const outcomes = (decision: ReturnType<typeof decidePreference>['decision']) => decision.lines.map((line) => line.outcome);

describe('decidePreference', () => {
  describe('when everything matches', () => {
    it('grants every line under its e-Form D item and records what each uses', () => {
      const { decision, utilisation } = decidePreference(claimant(), certificate(), AT);
      expect(decision.outcome).toBe('GRANTED');
      expect(decision.lines.map((line) => [line.line, line.formDItemNumber, line.reasons])).toEqual([
        [1, 1, []],
        [2, 2, []],
        [3, 3, []],
      ]);
      expect(utilisation).toEqual([
        { itemNumber: 1, quantity: 8000, declarationNumber: '126000000126', declarationId: 'd-1', at: AT },
        { itemNumber: 2, quantity: 1200, declarationNumber: '126000000126', declarationId: 'd-1', at: AT },
        { itemNumber: 3, quantity: 6000, declarationNumber: '126000000126', declarationId: 'd-1', at: AT },
      ]);
    });

    it('compares names ignoring case, punctuation and spacing', () => {
      const exporter = { ...IMPORT.exporter, name: 'CHAO PHRAYA AUTO PARTS CO LTD' };
      expect(decidePreference(claimant({ exporter }), certificate(), AT).decision.outcome).toBe('GRANTED');
    });

    it('accepts the last valid day, 12 months less a day after issue', () => {
      expect(decidePreference(claimant({}, '2027-11-15'), certificate(), AT).decision.outcome).toBe('GRANTED');
    });
  });

  describe('when the certificate as a whole does not hold up', () => {
    it.each([
      ['another exporter', { exporter: { ...IMPORT.exporter, name: 'Siam Brake Co., Ltd.' } }, /^exporter: /],
      ['an exporter in another country', { exporter: { ...IMPORT.exporter, country: 'MY' as const } }, /^exporter: .*\(MY\)/],
      [
        'another importer than the consignee',
        { importer: { ...IMPORT.importer, name: 'Công ty TNHH Khác' } },
        /^consignee: the importer is "Công ty TNHH Khác"/,
      ],
      [
        'a claim citing another issuing country',
        { preference: { ...IMPORT.preference, issuingCountry: 'MY' as const } },
        /^issuing country: the declaration cites an e-Form D issued in MY; TH-2026-DFT-0045871 was issued in TH$/,
      ],
    ])('denies every line for %s', (_name, changes, reason) => {
      const { decision, utilisation } = decidePreference(claimant(changes), certificate(), AT);
      expect(decision.outcome).toBe('DENIED');
      expect(decision.reasons).toEqual([expect.stringMatching(reason)]);
      expect(decision.lines.every((line) => line.outcome === 'DENIED' && line.reasons.length === 1)).toBe(true);
      expect(utilisation).toEqual([]);
    });

    it('denies an expired e-Form D (lodged the day after its validity), and one issued after the declaration', () => {
      expect(decidePreference(claimant({}, '2027-11-16'), certificate(), AT).decision.reasons).toEqual([
        'expired: issued 2026-11-16, valid until 2027-11-15; the declaration was lodged on 2027-11-16',
      ]);
      expect(decidePreference(claimant({}, '2026-11-15'), certificate(), AT).decision.reasons).toEqual([
        'not yet valid: issued 2026-11-16, after the declaration was lodged on 2026-11-15',
      ]);
    });

    it('denies a withdrawn e-Form D, and one for another importing country', () => {
      expect(decidePreference(claimant(), certificate({ status: 'WITHDRAWN' }), AT).decision.reasons).toEqual([
        'the e-Form D was withdrawn by its issuing authority',
      ]);
      const forMalaysia = { ...FORM_D, importingCountry: 'MY' as const, consignee: { ...FORM_D.consignee, country: 'MY' as const } };
      expect(decidePreference(claimant(), certificate({}, forMalaysia), AT).decision.reasons).toHaveLength(2);
    });

    it('gives every reason at once', () => {
      const changes = { exporter: { ...IMPORT.exporter, name: 'X' }, importer: { ...IMPORT.importer, name: 'Y' } };
      expect(decidePreference(claimant(changes, '2028-01-01'), certificate(), AT).decision.reasons.map((reason) => reason.split(':')[0])).toEqual([
        'exporter',
        'consignee',
        'expired',
      ]);
    });
  });

  describe('line by line', () => {
    const items = IMPORT.items;

    it('denies a line whose HS subheading is on no item, granting the others', () => {
      const { decision } = decidePreference(claimant({ items: [items[0]!, { ...items[1]!, hsCode: '84151010' }] }), certificate(), AT);
      expect(decision.outcome).toBe('PARTLY_GRANTED');
      expect(decision.lines[1]).toMatchObject({
        outcome: 'DENIED',
        reasons: ['HS mismatch: no e-Form D item under HS 841510 (items are under 870830, 870891, 400931)'],
      });
      expect(decision.lines[1]?.formDItemNumber).toBeUndefined();
    });

    it('matches at 6 digits whatever the national tariff line', () => {
      expect(decidePreference(claimant({ items: [{ ...items[0]!, hsCode: '87083010' }] }), certificate(), AT).decision.outcome).toBe('GRANTED');
    });

    it('denies a quantity above the certified one, in another unit, or of goods originating elsewhere', () => {
      const { decision } = decidePreference(
        claimant({
          items: [
            { ...items[0]!, quantity: 8000.5 },
            { ...items[1]!, unit: 'KGM' },
            { ...items[2]!, countryOfOrigin: 'CN' },
          ],
        }),
        certificate(),
        AT,
      );
      expect(decision.outcome).toBe('DENIED');
      expect(decision.lines.map((line) => line.reasons[0])).toEqual([
        'quantity above the certificate: 8000.5 SET declared, 8000 SET certified on item 1',
        'unit: declared in KGM, e-Form D item 2 certifies 1200 H87',
        'origin: the goods are declared as originating in CN, the e-Form D was issued in TH',
      ]);
    });

    it('counts what earlier declarations and earlier lines used, and denies what is left over', () => {
      const earlier = [{ itemNumber: 1, quantity: 5000, declarationNumber: '126000000118', at: AT }];
      const { decision, utilisation } = decidePreference(
        claimant({
          items: [
            { ...items[0]!, quantity: 2000 },
            { ...items[0]!, quantity: 1000 },
            { ...items[0]!, quantity: 0.5 },
          ],
        }),
        certificate({ utilisation: earlier }),
        AT,
      );
      expect(outcomes(decision)).toEqual(['GRANTED', 'GRANTED', 'DENIED']);
      expect(decision.lines[2]?.reasons).toEqual([
        'already utilised: 8000 of 8000 SET on item 1 used by declaration 126000000118, 126000000126; 0 SET remain, 0.5 declared',
      ]);
      expect(utilisation.map((use) => use.quantity)).toEqual([2000, 1000]);
    });

    it('uses a second item of the same subheading when the first is used up', () => {
      const twoLots = { ...FORM_D, items: [FORM_D.items[0]!, { ...FORM_D.items[0]!, itemNumber: 4, quantity: 100 }] };
      const { decision } = decidePreference(claimant({ items: [items[0]!, { ...items[0]!, quantity: 100 }] }), certificate({}, twoLots), AT);
      expect(decision.lines.map((line) => line.formDItemNumber)).toEqual([1, 4]);
    });
  });
});
