import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import type { Principal } from '../../../src/core/auth/api-key.js';
import { cancelDeclaration } from '../../../src/core/declaration/cancel-declaration.js';
import { submitDeclaration } from '../../../src/core/declaration/submit-declaration.js';
import { isCoreError } from '../../../src/core/errors.js';
import { coreFixture, type CoreFixture } from '../../helpers/core-deps.js';
import { anExportDeclaration } from '../../helpers/export-declarations.js';

let fixture: CoreFixture;
let deps: CoreFixture['deps'];
beforeAll(async () => {
  fixture = await coreFixture();
});
beforeEach(() => {
  deps = fixture.withFreshStore();
});
afterAll(() => fixture.remove());

async function submitted(acddConsent = true): Promise<{ id: string; trader: Principal }> {
  const document = anExportDeclaration({ acddConsent });
  const partyId = document.exporter.taxId;
  const body = new TextEncoder().encode(JSON.stringify(document));
  const { id } = await submitDeclaration(deps, { partyId, document, mediaType: 'application/json', body, idempotencyKey: undefined });
  return { id, trader: { keyId: 'k-1', role: 'trader', name: 'Exporter', partyId } };
}

describe('cancelDeclaration', () => {
  describe('when an ACDD went to the destination gateway', () => {
    it('cancels the declaration and queues an ACDD cancellation in the ACDD conversation, referring to it', async () => {
      const { id, trader } = await submitted();
      const answer = await cancelDeclaration(deps, id, trader, { reason: 'Contract cancelled by the buyer' });
      const [acdd, cancellation] = await deps.store.listMessages(id);
      expect(answer).toMatchObject({
        status: 'CANCELLED',
        acddCancellation: { outcome: 'QUEUED', messageId: cancellation?.messageId, partner: 'TH' },
      });
      expect(cancellation).toMatchObject({ documentType: 'ACDD_CANCELLATION', refTo: acdd?.messageId, conversationId: acdd?.conversationId });
      expect(new XmlDsigVerifier().verify(cancellation?.envelope ?? '', deps.signer.certificatePem).outcome).toBe('VALID');
      expect(await deps.store.getOutbox(cancellation?.messageId ?? '')).toMatchObject({ state: 'PENDING', partnerId: 'TH' });
      const entry = deps.store.ledgerEntries()[answer.ledgerIndex];
      expect(entry).toMatchObject({ type: 'DECLARATION_CANCELLED', subject: id, data: { acddCancellation: 'QUEUED' } });
      expect((await deps.store.getDeclaration(id))?.status).toBe('CANCELLED');
    });
  });

  describe('when no ACDD was sent', () => {
    it('cancels the declaration and sends nothing', async () => {
      const { id, trader } = await submitted(false);
      const answer = await cancelDeclaration(deps, id, trader, { reason: 'Not shipping' });
      expect(answer.acddCancellation).toEqual({ outcome: 'NO_ACDD_SENT', messageId: null, partner: null });
      expect(await deps.store.listMessages(id)).toEqual([]);
    });
  });

  describe('when the declaration is closed or not the trader’s', () => {
    it('refuses a second cancellation with DOCUMENT_STATE_CONFLICT', async () => {
      const { id, trader } = await submitted();
      await cancelDeclaration(deps, id, trader, { reason: 'First' });
      const error = await cancelDeclaration(deps, id, trader, { reason: 'Again' }).catch((failure: unknown) => failure);
      expect(isCoreError(error, 'DOCUMENT_STATE_CONFLICT')).toBe(true);
    });

    it('answers NOT_FOUND to another trader', async () => {
      const { id, trader } = await submitted();
      const error = await cancelDeclaration(deps, id, { ...trader, partyId: '0309999999' }, { reason: 'Not mine' }).catch(
        (failure: unknown) => failure,
      );
      expect(isCoreError(error, 'NOT_FOUND')).toBe(true);
      expect((await deps.store.getDeclaration(id))?.status).not.toBe('CANCELLED');
    });
  });
});
