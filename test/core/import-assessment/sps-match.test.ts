import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ephyto } from '../../../message-schemas/ephyto/1/schema.js';
import { Eah } from '../../../message-schemas/eah/1/schema.js';
import { ImportDeclaration } from '../../../message-schemas/import-declaration/1/schema.js';
import type { SpsCertificate } from '../../../message-schemas/common/1/sps-certificate.js';
import type { Certificate, CertificateStatus } from '../../../src/core/certificate/certificate.js';
import { assessSpsNeed, consigneeIsImporter, readHsCodes, listSpsNeeds } from '../../../src/core/import-assessment/sps-match.js';
import { ChannelRules } from '../../../src/core/clearance/channel-rules.js';
import defaultRules from '../../../src/core/clearance/default-channel-rules.json' with { type: 'json' };

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../../message-schemas/${path}`, import.meta.url), 'utf8'));
const rules = ChannelRules.parse(defaultRules);
const ephyto = Ephyto.parse(read('ephyto/1/examples/valid-id-worked-example.json'));
const declaration = ImportDeclaration.parse(read('import-declaration/1/examples/valid-with-ephyto.json'));
const uncited = { ...declaration, certificates: undefined } as unknown as ImportDeclaration;

let sequence = 0;
function held(document: SpsCertificate, status: CertificateStatus, changes: Partial<Certificate> = {}): Certificate {
  sequence += 1;
  return {
    id: `c-${sequence}`,
    documentType: document.typeCode === '853' ? 'EAH' : 'EPHYTO',
    direction: 'IN',
    referenceNumber: document.certificateNumber,
    issuingCountry: document.consignment.exportCountry.id,
    importingCountry: document.consignment.importCountry.id,
    partnerId: document.consignment.exportCountry.id,
    agencyId: document.typeCode === '853' ? 'VN-DAH' : 'VN-PPD',
    status,
    document,
    messageId: `m-${sequence}`,
    replaces: undefined,
    issueDate: document.issuedAt.slice(0, 10),
    validUntil: undefined,
    utilisation: [],
    createdAt: `2026-11-22T08:00:${String(sequence % 60).padStart(2, '0')}.000Z`,
    updatedAt: '2026-11-22T08:00:00.000Z',
    ...changes,
  };
}
const withConsignment = (changes: Partial<SpsCertificate['consignment']>, number = ephyto.certificateNumber): SpsCertificate => ({
  ...ephyto,
  certificateNumber: number,
  consignment: { ...ephyto.consignment, ...changes },
});

const [need] = listSpsNeeds(declaration, rules);
const assess = (certificates: readonly Certificate[], on: ImportDeclaration = declaration) => assessSpsNeed(on, need!, certificates, 'VN');
const states = (findings: ReturnType<typeof assess>) =>
  findings.map((finding) => [finding.state, finding.items, finding.certificate?.referenceNumber]);

describe('listSpsNeeds', () => {
  it('finds the ePhyto rule for the fruit and ginger of the worked example, with its agency', () => {
    expect(listSpsNeeds(declaration, rules).map((found) => [found.rule.id, found.rule.documentType, found.rule.agency, found.items])).toEqual([
      ['phytosanitary-certificate', 'EPHYTO', 'VN-PPD', [0, 1]],
    ]);
  });

  it('finds the e-AH rule for frozen chicken and nothing for brake pads', () => {
    const chicken = { ...declaration, items: [{ ...declaration.items[0]!, hsCode: '02071400' }] };
    const pads = { ...declaration, items: [{ ...declaration.items[0]!, hsCode: '87083010' }] };
    expect(listSpsNeeds(chicken, rules).map((found) => [found.rule.documentType, found.rule.agency])).toEqual([['EAH', 'VN-DAH']]);
    expect(listSpsNeeds(pads, rules)).toEqual([]);
  });
});

describe('assessSpsNeed', () => {
  it('awaits the cited ePhyto while none arrived', () => {
    const [finding] = assess([]);
    expect(finding?.state).toBe('AWAITED');
    expect(finding?.detail).toBe('awaiting ePhyto ID-EPHYTO-2026-000458 for items 1, 2 (HS 08109099, 09101100) from ID');
  });

  it('awaits the agency while the certificate is only received, and is met once it is accepted', () => {
    expect(states(assess([held(ephyto, 'RECEIVED')]))).toEqual([['AWAITED', [0, 1], 'ID-EPHYTO-2026-000458']]);
    const met = assess([held(ephyto, 'ACCEPTED')]);
    expect(states(met)).toEqual([['MET', [0, 1], 'ID-EPHYTO-2026-000458']]);
    expect(met[0]?.detail).toBe('ePhyto ID-EPHYTO-2026-000458 from ID (items 1, 2) accepted by VN-PPD');
  });

  it('is not met when the agency rejected the certificate', () => {
    const [finding] = assess([held(ephyto, 'REJECTED')]);
    expect(finding?.state).toBe('NOT_MET');
    expect(finding?.detail).toBe('ePhyto ID-EPHYTO-2026-000458 from ID (items 1, 2) rejected by VN-PPD');
  });

  it('prefers an accepted certificate to a rejected one covering the same goods', () => {
    const rejected = held(ephyto, 'REJECTED');
    const accepted = held(withConsignment({}, 'ID-EPHYTO-2026-000999'), 'ACCEPTED');
    expect(states(assess([rejected, accepted], uncited))).toEqual([['MET', [0, 1], 'ID-EPHYTO-2026-000999']]);
  });

  it('ignores withdrawn and superseded certificates and those of another document type', () => {
    const veterinary = held(Eah.parse({ ...ephyto, typeCode: '853' }), 'ACCEPTED');
    expect(states(assess([held(ephyto, 'WITHDRAWN'), held(ephyto, 'SUPERSEDED'), veterinary]))).toEqual([['AWAITED', [0, 1], undefined]]);
  });

  describe('when the declaration cites no certificate', () => {
    it('takes a certificate whose consignee is the importer by tax id', () => {
      expect(states(assess([held(ephyto, 'ACCEPTED')], uncited))).toEqual([['MET', [0, 1], 'ID-EPHYTO-2026-000458']]);
    });

    it('ignores certificates for another consignee or another importing country', () => {
      const otherImporter = withConsignment({ consignee: { ...ephyto.consignment.consignee, id: '0109999999' } });
      const toThailand = withConsignment({ importCountry: { id: 'TH' } });
      expect(
        states(
          assess([held(otherImporter, 'ACCEPTED'), held(toThailand, 'ACCEPTED', { importingCountry: 'TH' }), held(toThailand, 'ACCEPTED')], uncited),
        ),
      ).toEqual([['AWAITED', [0, 1], undefined]]);
    });

    it('covers items by HS code at 6 digits and awaits the others', () => {
      const mangosteensOnly = withConsignment({ items: [ephyto.consignment.items[0]!] });
      expect(states(assess([held(mangosteensOnly, 'ACCEPTED')], uncited))).toEqual([
        ['MET', [0], 'ID-EPHYTO-2026-000458'],
        ['AWAITED', [1], undefined],
      ]);
    });
  });

  describe('when the declaration cites a certificate', () => {
    it('does not take another certificate, even one for the importer', () => {
      expect(states(assess([held(withConsignment({}, 'ID-EPHYTO-2026-000777'), 'ACCEPTED')]))).toEqual([['AWAITED', [0, 1], undefined]]);
    });

    it('takes its replacement', () => {
      const replacement = Ephyto.parse(read('ephyto/1/examples/valid-replacement.json'));
      expect(states(assess([held(ephyto, 'SUPERSEDED'), held(replacement, 'ACCEPTED')]))).toEqual([['MET', [0, 1], 'ID-EPHYTO-2026-000471']]);
    });

    it('is not met when the cited certificate names another consignee', () => {
      const [finding] = assess([held(withConsignment({ consignee: { name: 'Mekong Fruit Co' } }), 'ACCEPTED')]);
      expect(finding?.state).toBe('NOT_MET');
      expect(finding?.detail).toBe(
        'ePhyto ID-EPHYTO-2026-000458 names Mekong Fruit Co as consignee, not the importer Saigon Fresh Produce Import JSC (0312345678)',
      );
    });

    it('is not met for the items the cited certificate does not cover', () => {
      const gingerOnly = withConsignment({ items: [ephyto.consignment.items[1]!] });
      expect(states(assess([held(gingerOnly, 'ACCEPTED')]))).toEqual([
        ['MET', [1], 'ID-EPHYTO-2026-000458'],
        ['NOT_MET', [0], undefined],
      ]);
    });

    it('trusts the citation for a certificate that gives no HS code', () => {
      const unclassified = withConsignment({ items: ephyto.consignment.items.map((item) => ({ ...item, classifications: [] })) });
      expect(states(assess([held(unclassified, 'ACCEPTED')]))).toEqual([['MET', [0, 1], 'ID-EPHYTO-2026-000458']]);
      expect(states(assess([held(unclassified, 'ACCEPTED')], uncited))).toEqual([['AWAITED', [0, 1], undefined]]);
    });
  });
});

describe('consigneeIsImporter', () => {
  const importer = { taxId: '0312345678', name: 'Saigon Fresh Produce Import JSC' };
  it('compares names without case, accents, punctuation or spaces when there is no tax id', () => {
    expect(consigneeIsImporter({ name: 'SAIGON FRESH PRODUCE IMPORT J.S.C.' }, importer)).toBe(true);
    expect(consigneeIsImporter({ name: 'Sài Gòn Fresh Produce Import JSC' }, importer)).toBe(true);
    expect(consigneeIsImporter({ name: 'Saigon Fresh Produce Export JSC' }, importer)).toBe(false);
  });
  it('goes by the tax id when the certificate gives one, whatever the name', () => {
    expect(consigneeIsImporter({ id: '0312345678', name: 'SFP Import' }, importer)).toBe(true);
    expect(consigneeIsImporter({ id: '0312345679', name: importer.name }, importer)).toBe(false);
  });
});

describe('readHsCodes', () => {
  it('reads HS classifications only, digits only', () => {
    expect(readHsCodes(ephyto)).toEqual(['081090', '091011']);
    const dotted = withConsignment({
      items: [
        {
          ...ephyto.consignment.items[0]!,
          classifications: [
            { systemName: 'Harmonized System 2022', classCode: '0810.90', classNames: [] },
            { systemName: 'IPPC', classCode: '0810', classNames: [] },
          ],
        },
      ],
    });
    expect(readHsCodes(dotted)).toEqual(['081090']);
  });
});
