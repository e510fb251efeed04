import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Ephyto } from '../../../message-schemas/ephyto/1/schema.js';
import { routeSpsCertificate } from '../../../src/core/certificate/route-sps-certificate.js';
import type { InboundContext } from '../../../src/core/documents/document-descriptor.js';
import { isCoreError } from '../../../src/core/errors.js';
import { ChangeBuilder } from '../../../src/core/exchange/change-builder.js';
import type { Partner } from '../../../src/core/partner.js';
import { coreFixture, type CoreFixture } from '../../helpers/core-deps.js';
import { anEnvelope } from '../../helpers/envelope-builder.js';
import { WORKED_EPHYTO } from '../../helpers/sps-certificates.js';

let fixture: CoreFixture;
let deps: CoreFixture['deps'];
let indonesia: Partner;
beforeAll(async () => {
  fixture = await coreFixture();
  indonesia = fixture.deps.partners.get('ID') as Partner;
});
beforeEach(() => {
  deps = fixture.withFreshStore();
});
afterAll(() => fixture.remove());

/** Routes an ePhyto as reception would, and commits what routing changed with a stand-in for the reception event. */
async function receive(ephyto: Ephyto) {
  const header = anEnvelope().from('ID').carrying('EPHYTO').header();
  const context: InboundContext = { deps, header, partner: indonesia, at: new Date().toISOString(), declarationId: undefined };
  const routing = await routeSpsCertificate('EPHYTO', ephyto, context);
  const received = { type: 'DOCUMENT_RECEIVED' as const, subject: header.messageId, at: context.at, data: { documentType: 'EPHYTO' } };
  await deps.store.commit(new ChangeBuilder().event(received, { messageId: header.messageId }).include(routing.change).build());
  return { routing, header };
}

describe('routeSpsCertificate', () => {
  describe('an ePhyto issued by the sending gateway’s country for ours', () => {
    it('records it RECEIVED for plant protection (VN-PPD), awaiting its acknowledgement', async () => {
      const { routing, header } = await receive(WORKED_EPHYTO);
      expect(routing.routedTo).toBe('VN-PPD');
      const [certificate] = await deps.store.findCertificates({
        documentType: 'EPHYTO',
        direction: 'IN',
        referenceNumber: WORKED_EPHYTO.certificateNumber,
      });
      expect(certificate).toMatchObject({ status: 'RECEIVED', issuingCountry: 'ID', agencyId: 'VN-PPD', messageId: header.messageId });
    });

    it('refuses the same number received again with DOCUMENT_STATE_CONFLICT', async () => {
      await receive(WORKED_EPHYTO);
      const error = await receive(WORKED_EPHYTO).catch((failure: unknown) => failure);
      expect(isCoreError(error, 'DOCUMENT_STATE_CONFLICT')).toBe(true);
    });
  });

  describe('a withdrawal (status 40)', () => {
    it('marks the certificate received before WITHDRAWN', async () => {
      await receive(WORKED_EPHYTO);
      await receive({ ...WORKED_EPHYTO, statusCode: '40' });
      const [certificate] = await deps.store.findCertificates({
        documentType: 'EPHYTO',
        direction: 'IN',
        referenceNumber: WORKED_EPHYTO.certificateNumber,
      });
      expect(certificate?.status).toBe('WITHDRAWN');
    });

    it('refuses the withdrawal of a certificate never received with VALIDATION_FAILED', async () => {
      const error = await receive({ ...WORKED_EPHYTO, statusCode: '40' }).catch((failure: unknown) => failure);
      expect(isCoreError(error, 'VALIDATION_FAILED')).toBe(true);
    });
  });

  describe('an ePhyto for goods not exported from the sending gateway’s country', () => {
    it('refuses it with VALIDATION_FAILED naming the field, and records nothing', async () => {
      const consignment = { ...WORKED_EPHYTO.consignment, exportCountry: { ...WORKED_EPHYTO.consignment.exportCountry, id: 'TH' as const } };
      const error = await receive({ ...WORKED_EPHYTO, consignment }).catch((failure: unknown) => failure);
      expect(isCoreError(error, 'VALIDATION_FAILED')).toBe(true);
      expect(deps.store.ledgerEntries()).toEqual([]);
    });
  });
});
