import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExportDeclaration } from '../../../message-schemas/export-declaration/1/schema.js';
import type { GoodsItem } from '../../../message-schemas/common/1/declaration-parts.js';
import { assignChannel } from '../../../src/core/clearance/assign-channel.js';
import { ChannelRules } from '../../../src/core/clearance/channel-rules.js';

const schemas = new URL('../../../message-schemas/', import.meta.url).pathname;
const garments = ExportDeclaration.parse(
  JSON.parse(readFileSync(`${schemas}export-declaration/1/examples/valid-garments-by-road-no-agent.json`, 'utf8')),
);
const context = { partyId: garments.exporter.taxId };

const noRules: ChannelRules = {
  defaultChannel: 'GREEN',
  sensitiveGoods: [],
  flaggedTraders: [],
  valueThresholds: [],
  requiredCertificates: [],
};
const rules = (overrides: Partial<ChannelRules>): ChannelRules => ChannelRules.parse({ ...noRules, ...overrides });
const withItems = (...items: Partial<GoodsItem>[]): ExportDeclaration => ({
  ...garments,
  items: items.map((item) => ({ ...garments.items[0]!, ...item })),
});

describe('assignChannel', () => {
  describe('when no rule matches', () => {
    it('gives the default channel with no reasons', () => {
      expect(assignChannel(garments, noRules, context)).toEqual({ channel: 'GREEN', reasons: [] });
      expect(assignChannel(garments, rules({ defaultChannel: 'YELLOW' }), context)).toEqual({ channel: 'YELLOW', reasons: [] });
    });
  });

  describe('sensitive goods', () => {
    const sensitive = rules({
      sensitiveGoods: [
        { id: 'arms', hsPrefixes: ['93'], channel: 'RED', description: 'Arms' },
        { id: 'tobacco', hsPrefixes: ['2402', '2403'], channel: 'YELLOW', description: 'Tobacco' },
      ],
    });

    it('matches items whose HS code begins with a listed prefix, naming them', () => {
      const result = assignChannel(withItems({ hsCode: '24022090' }, { hsCode: '62034290' }), sensitive, context);
      expect(result).toEqual({ channel: 'YELLOW', reasons: [{ rule: 'tobacco', detail: 'Tobacco: item 1 (HS 24022090)' }] });
    });

    it('does not match a code that only contains the prefix further in', () => {
      expect(assignChannel(withItems({ hsCode: '62402000' }), sensitive, context).channel).toBe('GREEN');
    });

    it('gives the strictest channel and lists every matching rule', () => {
      const result = assignChannel(withItems({ hsCode: '24022090' }, { hsCode: '93020000' }), sensitive, context);
      expect(result.channel).toBe('RED');
      expect(result.reasons.map((reason) => reason.rule)).toEqual(['arms', 'tobacco']);
    });
  });

  describe('flagged traders', () => {
    const flagged = rules({
      flaggedTraders: [
        { id: 'watch-red', taxIds: ['0101234567'], channel: 'RED', description: 'Risk alert' },
        { id: 'watch-yellow', taxIds: ['0312345678'], channel: 'YELLOW', description: 'Documentary alert' },
      ],
    });

    it('matches a branch (13 digits) of a flagged company (10 digits)', () => {
      expect(garments.exporter.taxId).toBe('0101234567001');
      expect(assignChannel(garments, flagged, context)).toEqual({
        channel: 'RED',
        reasons: [{ rule: 'watch-red', detail: 'Risk alert: exporter 0101234567001, submitting party 0101234567001' }],
      });
    });

    it('matches the declaring agent and the submitting party too', () => {
      const declaration = {
        ...garments,
        exporter: { ...garments.exporter, taxId: '0309999999' },
        declaringAgent: { taxId: '0312345678', name: 'Agent' },
      };
      expect(assignChannel(declaration, flagged, { partyId: 'agent-key' }).reasons).toEqual([
        { rule: 'watch-yellow', detail: 'Documentary alert: declaring agent 0312345678' },
      ]);
      expect(
        assignChannel({ ...garments, exporter: { ...garments.exporter, taxId: '0309999999' } }, flagged, { partyId: '0312345678' }).reasons,
      ).toEqual([{ rule: 'watch-yellow', detail: 'Documentary alert: submitting party 0312345678' }]);
    });

    it('does not match a different company sharing the first digits', () => {
      const declaration = { ...garments, exporter: { ...garments.exporter, taxId: '0101234568' } };
      expect(assignChannel(declaration, flagged, { partyId: 'p' }).channel).toBe('GREEN');
    });
  });

  describe('unknown exporter', () => {
    const unknown = rules({ unknownExporter: { id: 'new-exporter', channel: 'YELLOW', description: 'No record' } });

    it('applies only when the runtime says customs has no record of the exporter', () => {
      expect(assignChannel(garments, unknown, { ...context, exporterKnown: false })).toEqual({
        channel: 'YELLOW',
        reasons: [{ rule: 'new-exporter', detail: 'No record: exporter 0101234567001' }],
      });
      expect(assignChannel(garments, unknown, { ...context, exporterKnown: true }).channel).toBe('GREEN');
      expect(assignChannel(garments, unknown, context).channel).toBe('GREEN');
    });
  });

  describe('value thresholds', () => {
    const thresholds = rules({
      valueThresholds: [
        { id: 'high-vnd', currency: 'VND', above: 400_000_000, channel: 'YELLOW', description: 'High value' },
        { id: 'high-usd', currency: 'USD', above: 40_000, channel: 'YELLOW', description: 'High value' },
      ],
    });

    it('compares the sum of the items customs values in the invoice currency', () => {
      const declaration = withItems({ customsValue: 250_000_000 }, { customsValue: 150_000_001 });
      expect(assignChannel(declaration, thresholds, context)).toEqual({
        channel: 'YELLOW',
        reasons: [{ rule: 'high-vnd', detail: 'High value: customs value 400000001 VND is above 400000000 VND' }],
      });
    });

    it('does not match a value equal to the threshold', () => {
      expect(assignChannel(withItems({ customsValue: 400_000_000 }), thresholds, context).channel).toBe('GREEN');
    });

    it('ignores thresholds in another currency', () => {
      const declaration = { ...withItems({ customsValue: 50_000 }), invoice: { ...garments.invoice, currency: 'EUR' as const } };
      expect(assignChannel(declaration, thresholds, context).channel).toBe('GREEN');
    });
  });

  describe('required certificates', () => {
    const certificates = rules({
      requiredCertificates: [
        { id: 'phyto', hsPrefixes: ['09'], certificateTypeCodes: ['851'], channel: 'YELLOW', description: 'Needs a phytosanitary certificate' },
      ],
    });
    const coffee = withItems({ hsCode: '09011190' }, { hsCode: '62034290' });

    it('matches goods that travel without one of the listed certificates', () => {
      expect(assignChannel(coffee, certificates, context)).toEqual({
        channel: 'YELLOW',
        reasons: [{ rule: 'phyto', detail: 'Needs a phytosanitary certificate: no certificate of type 851 for item 1 (HS 09011190)' }],
      });
      const wrongType = { ...coffee, certificates: [{ typeCode: '861', referenceNumber: 'CO-1' }] };
      expect(assignChannel(wrongType, certificates, context).channel).toBe('YELLOW');
    });

    it('is satisfied by a certificate of a listed type', () => {
      const declaration = { ...coffee, certificates: [{ typeCode: '851', referenceNumber: 'PC-1' }] };
      expect(assignChannel(declaration, certificates, context)).toEqual({ channel: 'GREEN', reasons: [] });
    });
  });
});

describe('ChannelRules', () => {
  it('refuses two rules with one id, so reasons stay unambiguous', () => {
    const result = ChannelRules.safeParse({
      ...noRules,
      sensitiveGoods: [{ id: 'gold', hsPrefixes: ['7108'], channel: 'RED', description: 'Gold' }],
      valueThresholds: [{ id: 'gold', currency: 'USD', above: 1, channel: 'YELLOW', description: 'x' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['valueThresholds', 0, 'id']]);
  });

  it('refuses a rule that would make clearance lighter', () => {
    const result = ChannelRules.safeParse({
      ...noRules,
      sensitiveGoods: [{ id: 'coffee', hsPrefixes: ['09'], channel: 'GREEN', description: 'Coffee' }],
    });
    expect(result.success).toBe(false);
  });
});

describe('default-channel-rules.json', () => {
  const shipped = ChannelRules.parse(
    JSON.parse(readFileSync(new URL('../../../src/core/clearance/default-channel-rules.json', import.meta.url), 'utf8')),
  );

  it('is valid and releases ordinary goods to the green channel', () => {
    expect(assignChannel(garments, shipped, context)).toEqual({ channel: 'GREEN', reasons: [] });
  });

  it.each([
    ['93040000', 'RED', ['arms-ammunition', 'arms-export-licence']],
    ['71081200', 'RED', ['gold']],
    ['24022090', 'YELLOW', ['tobacco']],
    ['44039890', 'RED', ['natural-forest-timber']],
    ['09011190', 'YELLOW', ['phytosanitary-certificate']],
    ['03061719', 'YELLOW', ['veterinary-certificate']],
  ])('sends HS %s to %s', (hsCode, channel, matched) => {
    const result = assignChannel(withItems({ hsCode, customsValue: 1_000_000 }), shipped, context);
    expect(result.channel).toBe(channel);
    expect(result.reasons.map((reason) => reason.rule)).toEqual(matched);
  });

  it('sends consignments over 1,000,000,000 VND or 40,000 USD to yellow', () => {
    expect(assignChannel(withItems({ customsValue: 1_000_000_001 }), shipped, context).reasons.map((reason) => reason.rule)).toEqual([
      'high-value-vnd',
    ]);
    const usd = { ...withItems({ customsValue: 40_000.01 }), invoice: { ...garments.invoice, currency: 'USD' as const } };
    expect(assignChannel(usd, shipped, context).channel).toBe('YELLOW');
  });
});
