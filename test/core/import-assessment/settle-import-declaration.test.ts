import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formDValidUntil } from '../../../message-schemas/form-d/1/schema.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import type { Certificate } from '../../../src/core/certificate/certificate.js';
import { settleImportDeclaration } from '../../../src/core/import-assessment/settle-import-declaration.js';
import { aFormD, anImportCiting } from '../../helpers/import-preference.js';
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

function receivedFormD(reference: string): Certificate {
  const formD = aFormD(reference);
  return {
    id: randomUUID(),
    documentType: 'FORM_D',
    direction: 'IN',
    referenceNumber: reference,
    issuingCountry: 'TH',
    importingCountry: 'VN',
    partnerId: 'TH',
    agencyId: 'VN-CUSTOMS',
    status: 'RECEIVED',
    document: formD,
    messageId: undefined,
    replaces: undefined,
    issueDate: formD.issueDate,
    validUntil: formDValidUntil(formD.issueDate),
    utilisation: [],
    createdAt: at,
    updatedAt: at,
  };
}

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
      const formD = receivedFormD('TH-S-2');
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
