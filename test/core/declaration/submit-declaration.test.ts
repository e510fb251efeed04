import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import { submitDeclaration, type DeclarationSubmission } from '../../../src/core/declaration/submit-declaration.js';
import { isCoreError } from '../../../src/core/errors.js';
import { coreFixture, type CoreFixture } from '../../helpers/core-deps.js';
import { anExportDeclaration, type ExportDeclarationOptions } from '../../helpers/export-declarations.js';

let fixture: CoreFixture;
let deps: CoreFixture['deps'];
beforeAll(async () => {
  fixture = await coreFixture();
});
beforeEach(() => {
  deps = fixture.withFreshStore();
});
afterAll(() => fixture.remove());

function submission(options: ExportDeclarationOptions = {}, idempotencyKey?: string): DeclarationSubmission {
  const document = anExportDeclaration(options);
  return {
    partyId: document.exporter.taxId,
    document,
    mediaType: 'application/json',
    body: new TextEncoder().encode(JSON.stringify(document)),
    idempotencyKey,
  };
}

describe('submitDeclaration', () => {
  describe('when the trader consents and the destination gateway is live and receives ACDDs', () => {
    it('records the declaration, its timeline and an ACDD signed by VN, queued for TH, in one commit', async () => {
      const answer = await submitDeclaration(deps, submission({ destination: 'TH' }));
      const entries = deps.store.ledgerEntries();
      expect(entries.map((entry) => entry.type)).toEqual([
        'DOCUMENT_RECEIVED',
        'DECLARATION_ACCEPTED',
        'CHANNEL_ASSIGNED',
        'STATUS_CHANGED',
        'DOCUMENT_SIGNED',
        'MESSAGE_QUEUED',
      ]);
      expect(answer.ledgerIndex).toBe(entries[1]?.index);
      expect(await deps.store.getDeclaration(answer.id)).toMatchObject({
        declarationNumber: answer.declarationNumber,
        status: answer.status,
        partnerId: 'TH',
      });
      expect((await deps.store.getTimeline(answer.id)).map((step) => step.type)).toEqual(entries.map((entry) => entry.type));

      const [acdd] = await deps.store.listMessages(answer.id);
      expect(acdd).toMatchObject({ direction: 'OUT', partnerId: 'TH', documentType: 'ACDD', ledgerIndex: entries[5]?.index });
      expect(new XmlDsigVerifier().verify(acdd?.envelope ?? '', deps.signer.certificatePem).outcome).toBe('VALID');
      expect(await deps.store.getOutbox(acdd?.messageId ?? '')).toMatchObject({ partnerId: 'TH', state: 'PENDING', attempts: 0 });
    });
  });

  describe('when the trader did not consent to the ACDD', () => {
    it('records the declaration and says why no ACDD was sent', async () => {
      const answer = await submitDeclaration(deps, submission({ acddConsent: false }));
      expect(deps.store.ledgerEntries()[1]?.data).toMatchObject({ acdd: 'NOT_CONSENTED' });
      expect(await deps.store.listMessages(answer.id)).toEqual([]);
    });
  });

  describe('with an Idempotency-Key', () => {
    it('answers the same body again with the first answer, writing nothing more', async () => {
      const first = await submitDeclaration(deps, submission({}, 'key-1'));
      const size = deps.store.ledgerEntries().length;
      expect(await submitDeclaration(deps, submission({}, 'key-1'))).toEqual(first);
      expect(deps.store.ledgerEntries()).toHaveLength(size);
    });

    it('refuses another body under the same key with IDEMPOTENCY_CONFLICT', async () => {
      await submitDeclaration(deps, submission({}, 'key-2'));
      const error = await submitDeclaration(deps, submission({ channel: 'RED' }, 'key-2')).catch((failure: unknown) => failure);
      expect(isCoreError(error, 'IDEMPOTENCY_CONFLICT')).toBe(true);
    });

    it('answers two concurrent requests with the same key and body alike, recording one declaration', async () => {
      const [a, b] = await Promise.all([submitDeclaration(deps, submission({}, 'key-3')), submitDeclaration(deps, submission({}, 'key-3'))]);
      expect(b).toEqual(a);
      expect(deps.store.ledgerEntries().filter((entry) => entry.type === 'DECLARATION_ACCEPTED')).toHaveLength(1);
    });
  });

  describe('when a field is invalid', () => {
    it('refuses it with VALIDATION_FAILED and writes nothing', async () => {
      const bad = { ...submission(), document: { ...anExportDeclaration(), destinationCountry: 'XX' } };
      const error = await submitDeclaration(deps, bad).catch((failure: unknown) => failure);
      expect(isCoreError(error, 'VALIDATION_FAILED')).toBe(true);
      expect(deps.store.ledgerEntries()).toEqual([]);
    });
  });
});
