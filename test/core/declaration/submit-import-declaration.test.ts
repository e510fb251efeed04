import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FormD } from '../../../message-schemas/form-d/1/schema.js';
import type { ImportDeclaration } from '../../../message-schemas/import-declaration/1/schema.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import type { Certificate } from '../../../src/core/certificate/certificate.js';
import { submitImportDeclaration } from '../../../src/core/declaration/submit-import-declaration.js';
import type { DeclarationSubmission } from '../../../src/core/declaration/submit-declaration.js';
import { ChangeBuilder } from '../../../src/core/exchange/change-builder.js';
import { coreFixture, type CoreFixture } from '../../helpers/core-deps.js';
import { aFormD, aReceivedFormD, anImportCiting, WORKED_FORM_D } from '../../helpers/import-preference.js';
import { anImportNeeding } from '../../helpers/sps-certificates.js';

let fixture: CoreFixture;
let deps: CoreFixture['deps'];
beforeAll(async () => {
  fixture = await coreFixture();
});
beforeEach(() => {
  deps = fixture.withFreshStore();
});
afterAll(() => fixture.remove());

function submission(document: ImportDeclaration): DeclarationSubmission {
  return {
    partyId: document.importer.taxId,
    document,
    mediaType: 'application/json',
    body: new TextEncoder().encode(JSON.stringify(document)),
    idempotencyKey: undefined,
  };
}

/** Records e-Form D `formD` as received from TH for VN's customs, as reception does. */
async function receivedFormD(formD: FormD): Promise<Certificate> {
  const certificate = aReceivedFormD(formD);
  await deps.store.commit(new ChangeBuilder().insertCertificate(certificate).build());
  return certificate;
}

const types = () => deps.store.ledgerEntries().map((entry) => entry.type);

describe('submitImportDeclaration', () => {
  describe('citing an e-Form D not received yet', () => {
    it('records the declaration AWAITING_DOCUMENTS, naming the e-Form D awaited, with nothing sent', async () => {
      const answer = await submitImportDeclaration(deps, submission(anImportCiting('TH-I-1')));
      expect(answer.status).toBe('AWAITING_DOCUMENTS');
      expect(types()).toEqual(['DOCUMENT_RECEIVED', 'DECLARATION_ACCEPTED', 'CHANNEL_ASSIGNED', 'STATUS_CHANGED']);
      expect(answer.ledgerIndex).toBe(deps.store.ledgerEntries()[1]?.index);
      expect(JSON.stringify(deps.store.ledgerEntries()[1]?.data)).toContain('TH-I-1');
      expect(await deps.store.getDeclaration(answer.id)).toMatchObject({ kind: 'IMPORT', status: 'AWAITING_DOCUMENTS', partnerId: 'TH' });
      expect((await deps.store.getAssessment(answer.id))?.requirements).toMatchObject([
        { requirement: 'form-d-preference', state: 'AWAITED', referenceNumber: 'TH-I-1' },
      ]);
      expect(await deps.store.listMessages(answer.id)).toEqual([]);
    });
  });

  describe('citing an e-Form D already received that matches', () => {
    it('grants the preference, uses the certificate up, and queues the e-Form D status for TH signed by VN', async () => {
      const formD = await receivedFormD(aFormD('TH-I-2'));
      const answer = await submitImportDeclaration(deps, submission(anImportCiting('TH-I-2')));
      expect(answer.status).not.toBe('AWAITING_DOCUMENTS');
      expect(types()).toEqual([
        'DOCUMENT_RECEIVED',
        'DECLARATION_ACCEPTED',
        'PREFERENCE_DECIDED',
        'DOCUMENT_SIGNED',
        'MESSAGE_QUEUED',
        'CHANNEL_ASSIGNED',
        'STATUS_CHANGED',
      ]);
      expect((await deps.store.getAssessment(answer.id))?.preference?.outcome).toBe('GRANTED');
      const certificate = await deps.store.getCertificate(formD.id);
      expect(certificate?.utilisation.map((use) => use.declarationId)).toContain(answer.id);

      const [status] = await deps.store.listMessages(answer.id);
      expect(status).toMatchObject({ direction: 'OUT', partnerId: 'TH', documentType: 'FORM_D_STATUS' });
      expect(new XmlDsigVerifier().verify(status?.envelope ?? '', deps.signer.certificatePem).outcome).toBe('VALID');
      expect(await deps.store.getOutbox(status?.messageId ?? '')).toMatchObject({ partnerId: 'TH', state: 'PENDING' });
      expect((await deps.store.getTimeline(answer.id)).map((step) => step.type)).toEqual(types());
    });
  });

  describe('citing an e-Form D received for another consignee', () => {
    it('denies the preference with the reason, and leaves the certificate unused', async () => {
      const formD = await receivedFormD(aFormD('TH-I-3', { consignee: { ...WORKED_FORM_D.consignee, name: 'Someone Else Trading Co' } }));
      const answer = await submitImportDeclaration(deps, submission(anImportCiting('TH-I-3')));
      const preference = (await deps.store.getAssessment(answer.id))?.preference;
      expect(preference?.outcome).toBe('DENIED');
      expect(preference?.reasons.length).toBeGreaterThan(0);
      expect(types()).toContain('PREFERENCE_DECIDED');
      expect((await deps.store.getCertificate(formD.id))?.utilisation).toEqual([]);
    });
  });

  describe('needing an ePhyto not received yet', () => {
    it('records the declaration AWAITING_DOCUMENTS with the ePhyto requirement awaited', async () => {
      const answer = await submitImportDeclaration(deps, submission(anImportNeeding('ID-I-1')));
      expect(answer.status).toBe('AWAITING_DOCUMENTS');
      expect(await deps.store.getDeclaration(answer.id)).toMatchObject({ status: 'AWAITING_DOCUMENTS' });
      expect((await deps.store.getAssessment(answer.id))?.requirements).toMatchObject([
        { requirement: 'sps-certificates', state: 'AWAITED', documentType: 'EPHYTO', detail: expect.stringContaining('ID-I-1') },
      ]);
      expect(await deps.store.listAwaitingDeclarations('EPHYTO')).toMatchObject([{ id: answer.id }]);
    });
  });
});
