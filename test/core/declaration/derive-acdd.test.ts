import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Acdd } from '../../../message-schemas/acdd/1/schema.js';
import { ExportDeclaration } from '../../../message-schemas/export-declaration/1/schema.js';
import { deriveAcdd } from '../../../src/core/declaration/derive-acdd.js';

const examples = new URL('../../../message-schemas/', import.meta.url).pathname;
const read = (path: string): unknown => JSON.parse(readFileSync(`${examples}${path}`, 'utf8'));
const coffee = ExportDeclaration.parse(read('export-declaration/1/examples/valid-coffee-to-thailand.json'));
const garments = ExportDeclaration.parse(read('export-declaration/1/examples/valid-garments-by-road-no-agent.json'));

describe('deriveAcdd', () => {
  it('carries the fifteen agreed data elements of the declaration, numbered', () => {
    expect(deriveAcdd(coffee, '326000000011')).toEqual(read('acdd/1/examples/valid-coffee-from-viet-nam.json'));
  });

  it('gives a document the ACDD schema accepts', () => {
    expect(Acdd.safeParse(deriveAcdd(coffee, '326000000011')).success).toBe(true);
    expect(Acdd.safeParse(deriveAcdd(garments, '326000000028')).success).toBe(true);
  });

  it('numbers items from 1 in the declaration order', () => {
    const acdd = deriveAcdd(coffee, '326000000011');
    expect(acdd.items.map((item) => [item.serialNumber, item.hsCode])).toEqual([
      [1, '09011190'],
      [2, '09012120'],
    ]);
  });

  describe('when the exporter declares without an agent', () => {
    it('leaves the declaring agent out', () => {
      expect(garments.declaringAgent).toBeUndefined();
      expect(deriveAcdd(garments, '326000000028')).not.toHaveProperty('declaringAgent');
    });
  });

  it('shares nothing beyond the agreed elements (no values, weights, invoice or consignee country)', () => {
    const acdd = deriveAcdd(coffee, '326000000011');
    expect(Object.keys(acdd).sort()).toEqual([
      'consignee',
      'declaringAgent',
      'departureDate',
      'exportDeclarationNumber',
      'exporter',
      'items',
      'outwardTransportMode',
      'portOfDischarge',
    ]);
    expect(Object.keys(acdd.consignee).sort()).toEqual(['address', 'name']);
    expect(Object.keys(acdd.items[0] ?? {}).sort()).toEqual(['countryOfOrigin', 'hsCode', 'quantity', 'serialNumber', 'unit']);
  });
});
