import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import { acknowledgeSpsCertificate } from '../../../src/core/certificate/acknowledge-sps-certificate.js';
import type { Certificate } from '../../../src/core/certificate/certificate.js';
import { routeSpsCertificate } from '../../../src/core/certificate/route-sps-certificate.js';
import { submitImportDeclaration } from '../../../src/core/declaration/submit-import-declaration.js';
import type { InboundContext } from '../../../src/core/documents/document-descriptor.js';
import { isCoreError } from '../../../src/core/errors.js';
import { ChangeBuilder } from '../../../src/core/exchange/change-builder.js';
import type { ExchangeMessage } from '../../../src/core/exchange/exchange-store.js';
import type { Partner } from '../../../src/core/partner.js';
import { coreFixture, type CoreFixture } from '../../helpers/core-deps.js';
import { anEnvelope } from '../../helpers/envelope-builder.js';
import { anImportNeeding, WORKED_EPHYTO } from '../../helpers/sps-certificates.js';

let fixture: CoreFixture;
let deps: CoreFixture['deps'];
beforeAll(async () => {
  fixture = await coreFixture();
});
beforeEach(() => {
  deps = fixture.withFreshStore();
});
afterAll(() => fixture.remove());

/** Records ePhyto `certificateNumber` from ID as reception does (its message and routing in one commit): RECEIVED for VN-PPD. */
async function receivedEphyto(certificateNumber: string): Promise<Certificate> {
  const header = anEnvelope().from('ID').carrying('EPHYTO').header();
  const partner = deps.partners.get('ID') as Partner;
  const at = new Date().toISOString();
  const context: InboundContext = { deps, header, partner, at, declarationId: undefined };
  const routing = await routeSpsCertificate('EPHYTO', { ...WORKED_EPHYTO, certificateNumber }, context);
  const message: ExchangeMessage = {
    messageId: header.messageId,
    direction: 'IN',
    partnerId: 'ID',
    documentType: 'EPHYTO',
    conversationId: header.conversationId,
    refTo: undefined,
    declarationId: undefined,
    envelope: '<Envelope/>',
    digest: 'not checked here',
    receipt: undefined,
    ledgerIndex: undefined,
    createdAt: at,
  };
  const received = { type: 'DOCUMENT_RECEIVED' as const, subject: header.messageId, at, data: { documentType: 'EPHYTO' } };
  await deps.store.commit(new ChangeBuilder().receive(received, message).include(routing.change).build());
  const [certificate] = await deps.store.findCertificates({ documentType: 'EPHYTO', direction: 'IN', referenceNumber: certificateNumber });
  return certificate as Certificate;
}

/** An import declaration of the mangosteens and ginger, waiting for ePhyto `certificateNumber`. */
async function awaitingImport(certificateNumber: string): Promise<string> {
  const document = anImportNeeding(certificateNumber);
  const body = new TextEncoder().encode(JSON.stringify(document));
  const answer = await submitImportDeclaration(deps, {
    partyId: document.importer.taxId,
    document,
    mediaType: 'application/json',
    body,
    idempotencyKey: undefined,
  });
  expect(answer.status).toBe('AWAITING_DOCUMENTS');
  return answer.id;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('acknowledgeSpsCertificate', () => {
  describe('the plant protection agency accepting an ePhyto a declaration awaits', () => {
    it('marks it ACCEPTED with its ledger entry, queues a signed SPS_ACK for ID replying to the ePhyto, and settles the declaration', async () => {
      const declarationId = await awaitingImport('ID-A-1');
      const certificate = await receivedEphyto('ID-A-1');
      const done = await acknowledgeSpsCertificate(deps, 'VN-PPD', certificate.id, { decision: 'ACCEPTED' });

      expect(done.certificate.status).toBe('ACCEPTED');
      expect((await deps.store.getCertificate(certificate.id))?.status).toBe('ACCEPTED');
      const entry = deps.store.ledgerEntries().find((candidate) => candidate.index === done.ledgerIndex);
      expect(entry).toMatchObject({
        type: 'CERTIFICATE_ACKNOWLEDGED',
        subject: certificate.id,
        data: { agency: 'VN-PPD', decision: 'ACCEPTED', reason: null },
      });

      const ack = await deps.store.getMessage(done.messageId ?? '');
      expect(ack).toMatchObject({ direction: 'OUT', partnerId: 'ID', documentType: 'SPS_ACK', refTo: certificate.messageId });
      expect(ack?.envelope).toContain('ACCEPTED');
      expect(new XmlDsigVerifier().verify(ack?.envelope ?? '', deps.signer.certificatePem).outcome).toBe('VALID');
      expect(await deps.store.getOutbox(done.messageId ?? '')).toMatchObject({ partnerId: 'ID', state: 'PENDING' });

      expect(done.declarationIds).toEqual([declarationId]);
      expect((await deps.store.getDeclaration(declarationId))?.status).not.toBe('AWAITING_DOCUMENTS');
      expect((await deps.store.getAssessment(declarationId))?.requirements).toMatchObject([{ state: 'MET', certificateId: certificate.id }]);
    });
  });

  describe('rejecting with a reason', () => {
    it('marks it REJECTED with the reason, sends the reason to ID, and sends the waiting declaration to an officer', async () => {
      const declarationId = await awaitingImport('ID-A-2');
      const certificate = await receivedEphyto('ID-A-2');
      const done = await acknowledgeSpsCertificate(deps, 'VN-PPD', certificate.id, {
        decision: 'REJECTED',
        reason: '  Fruit flies found on inspection ',
      });

      expect(await deps.store.getCertificate(certificate.id)).toMatchObject({ status: 'REJECTED', statusReason: 'Fruit flies found on inspection' });
      expect(deps.store.ledgerEntries().find((entry) => entry.index === done.ledgerIndex)?.data).toMatchObject({
        decision: 'REJECTED',
        reason: 'Fruit flies found on inspection',
      });
      const ack = await deps.store.getMessage(done.messageId ?? '');
      expect(ack?.envelope).toContain('Fruit flies found on inspection');
      expect(done.declarationIds).toEqual([declarationId]);
      const declaration = await deps.store.getDeclaration(declarationId);
      expect(declaration?.status).toBe('UNDER_REVIEW');
      expect(JSON.stringify(declaration?.channelReasons)).toContain('Fruit flies found on inspection');
    });

    it('refuses a rejection without a reason with VALIDATION_FAILED, leaving the certificate RECEIVED', async () => {
      const certificate = await receivedEphyto('ID-A-3');
      const size = deps.store.ledgerEntries().length;
      const error = await failure(acknowledgeSpsCertificate(deps, 'VN-PPD', certificate.id, { decision: 'REJECTED', reason: ' ' }));
      expect(isCoreError(error, 'VALIDATION_FAILED')).toBe(true);
      expect((await deps.store.getCertificate(certificate.id))?.status).toBe('RECEIVED');
      expect(deps.store.ledgerEntries()).toHaveLength(size);
    });
  });

  describe('another agency deciding', () => {
    it('is told NOT_FOUND (the certificate is not its own), and nothing changes', async () => {
      const certificate = await receivedEphyto('ID-A-4');
      const size = deps.store.ledgerEntries().length;
      const error = await failure(acknowledgeSpsCertificate(deps, 'VN-DAH', certificate.id, { decision: 'ACCEPTED' }));
      expect(isCoreError(error, 'NOT_FOUND')).toBe(true);
      expect((await deps.store.getCertificate(certificate.id))?.status).toBe('RECEIVED');
      expect(deps.store.ledgerEntries()).toHaveLength(size);
    });
  });

  describe('a certificate already decided', () => {
    it('refuses a second decision with DOCUMENT_STATE_CONFLICT, keeping the first and sending no second SPS_ACK', async () => {
      const certificate = await receivedEphyto('ID-A-5');
      await acknowledgeSpsCertificate(deps, 'VN-PPD', certificate.id, { decision: 'ACCEPTED' });
      const size = deps.store.ledgerEntries().length;
      const error = await failure(acknowledgeSpsCertificate(deps, 'VN-PPD', certificate.id, { decision: 'REJECTED', reason: 'changed our mind' }));
      expect(isCoreError(error, 'DOCUMENT_STATE_CONFLICT')).toBe(true);
      expect((await deps.store.getCertificate(certificate.id))?.status).toBe('ACCEPTED');
      expect(deps.store.ledgerEntries()).toHaveLength(size);
      expect(await deps.store.listOutbox({ state: 'PENDING', partnerId: 'ID', limit: 10 })).toHaveLength(1);
    });
  });
});
