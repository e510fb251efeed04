import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ephytoCodec, Ephyto } from '../../../message-schemas/ephyto/1/schema.js';
import { spsAckSpec } from '../../../message-schemas/sps-ack/1/schema.js';
import { parseXml } from '../../../src/adapters/xml/xml-codec.js';
import { codecOfSpec } from '../../../src/core/document/document-codec.js';
import { findDocument } from '../../../src/core/documents/document-table.js';
import { anEnvelope } from '../../helpers/envelope-builder.js';

const worked = Ephyto.parse(
  JSON.parse(readFileSync(new URL('../../../message-schemas/ephyto/1/examples/valid-id-worked-example.json', import.meta.url), 'utf8')),
);
/** The worked example turned round: Viet Nam's plant protection certifies goods for import into Indonesia. */
const toIndonesia = {
  ...worked,
  certificateNumber: 'VN-PPD-2026-001204',
  consignment: { ...worked.consignment, exportCountry: { id: 'VN' as const }, importCountry: { id: 'ID' as const } },
};
const header = anEnvelope().from('VN').to('ID').carrying('EPHYTO').identifiedAs('m-1', 'c-1').createdAt('2026-11-22T03:00:00.000Z').header();
const context = (country: 'ID' | 'TH') => ({
  self: { gatewayId: country, country },
  clock: { now: () => new Date('2026-11-22T03:00:05.000Z') },
  random: () => 0.5,
});
const answer = (country: 'ID' | 'TH') => {
  const response = findDocument(header.documentType)?.simulatorResponse?.(parseXml(ephytoCodec.write(toIndonesia)), { header, ...context(country) });
  return { response, ack: response && codecOfSpec(spsAckSpec).read(parseXml(response.bodyXml)) };
};

describe('a simulated gateway receiving an ePhyto', () => {
  it('acknowledges it as ACCEPTED when the goods are for its own country', () => {
    const { response, ack } = answer('ID');
    expect(response?.documentType).toBe('SPS_ACK');
    expect(response?.action).toBe('RESPOND');
    expect(ack).toEqual({
      certificateNumber: 'VN-PPD-2026-001204',
      certificateType: 'EPHYTO',
      issuingCountry: 'VN',
      acknowledgingCountry: 'ID',
      status: 'ACCEPTED',
      acknowledgedAt: '2026-11-22T03:00:05.000Z',
    });
  });

  it('rejects it, saying why, when the goods are for another country', () => {
    expect(answer('TH').ack).toMatchObject({ status: 'REJECTED', reason: 'the certificate is for import into ID, not TH' });
  });
});
