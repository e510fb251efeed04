import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import { settleImportDeclaration } from '../../../src/core/import-assessment/settle-import-declaration.js';
import { aFormD, aReceivedFormD, anImportCiting } from '../../helpers/import-preference.js';
import { coreFixture, type CoreFixture } from '../../helpers/core-deps.js';

let fixture: CoreFixture;
let deps: CoreFixture['deps'];
beforeAll(async () => {
  fixture = await coreFixture();
});
beforeEach(() => {
  deps = fixture.withFreshStore();
});
afterAll(() => fixture.remove());

const at = new Date().toISOString();

const declaration = (reference: string) => ({
  id: randomUUID(),
  declarationNumber: '326000000099',
  partyId: '0201234567',
  document: anImportCiting(reference),
  lodgedAt: at,
});

describe('settleImportDeclaration', () => {
  describe('when the e-Form D it cites has not arrived', () => {
    it('awaits it, with nothing to send', async () => {
      const settlement = await settleImportDeclaration(deps, declaration('TH-S-1'), undefined, []);
      expect(settlement.status).toBe('AWAITING_DOCUMENTS');
      expect(settlement.assessment.requirements).toMatchObject([{ requirement: 'form-d-preference', state: 'AWAITED', referenceNumber: 'TH-S-1' }]);
      expect(settlement.effects.events).toEqual([]);
      expect(settlement.guards).toEqual([{ key: 'FORM_D|TH-S-1', expectedVersion: 0 }]);
    });
  });

  describe('when the e-Form D is there (arriving in the same commit)', () => {
    it('decides the preference, uses the certificate up, and signs the e-Form D status for TH, carried by its MESSAGE_QUEUED event', async () => {
      const formD = aReceivedFormD(aFormD('TH-S-2'));
      const settlement = await settleImportDeclaration(deps, declaration('TH-S-2'), undefined, [formD]);
      expect(settlement.assessment.preference?.outcome).toBe('GRANTED');
      expect(settlement.assessment.requirements).toMatchObject([{ state: 'MET', certificateId: formD.id }]);
      expect(settlement.certificates.map((certificate) => [certificate.id, certificate.utilisation.length > 0])).toEqual([[formD.id, true]]);

      const { events, enqueue } = settlement.effects;
      expect(events.map((bound) => bound.event.type)).toEqual(['PREFERENCE_DECIDED', 'DOCUMENT_SIGNED', 'MESSAGE_QUEUED']);
      const status = events[2]?.records;
      expect(status).toMatchObject({ documentType: 'FORM_D_STATUS', partnerId: 'TH', direction: 'OUT' });
      expect(new XmlDsigVerifier().verify(status?.envelope ?? '', deps.signer.certificatePem).outcome).toBe('VALID');
      expect(enqueue).toEqual([{ messageId: status?.messageId, partnerId: 'TH', notBefore: Date.parse(settlement.assessment.updatedAt) }]);
    });
  });
});
