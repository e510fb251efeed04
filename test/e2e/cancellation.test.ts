import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, submitExport } from '../helpers/api-client.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { waitFor } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';
import { xmlsec1Verify } from '../helpers/xmlsec1.js';

/**
 * A trader cancels a declaration before release, over real HTTP: the declaration is CANCELLED in the ledger and the
 * Thai gateway (the simulator) that received the ACDD receives, verifies and receipts a signed ACDD cancellation.
 * On both runtimes (test/helpers/runtimes.ts).
 */

interface Step {
  ledgerIndex: number;
  type: string;
  messageId?: string;
  detail: Record<string, unknown>;
}

interface View {
  status: string;
  documents: { messageId: string; documentType: string; receipted: boolean }[];
  timeline: Step[];
}

interface Cancellation {
  id: string;
  status: string;
  previousStatus: string;
  ledgerIndex: number;
  acddCancellation: { outcome: string; messageId: string | null; partner: string | null };
}

interface Message {
  messageId: string;
  direction: string;
  partner: string;
  documentType: string;
  conversationId: string;
  refTo: string | null;
  declarationId: string | null;
  envelope: string;
  receipt: string | null;
}

describe.each(RUNTIMES)('cancelling a declaration, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let trader: string;
  let otherTrader: string;
  let officer: string;

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    [trader, otherTrader, officer] = await Promise.all([
      swx.createKey('trader', '0301234567'),
      swx.createKey('trader', '0109876543'),
      swx.createKey('officer', 'HQ-0042'),
    ]);
  });
  afterAll(() => swx?.close());

  const view = async (id: string, token = trader) => (await call<View>(swx, token, 'GET', `/v1/declarations/${id}`)).body;
  const cancel = (id: string, reason = 'Contract cancelled by the buyer', token = trader) =>
    call<Cancellation>(swx, token, 'POST', `/v1/declarations/${id}/cancel`, { reason });
  const message = async (messageId: string) => (await call<Message>(swx, officer, 'GET', `/v1/messages/${messageId}`)).body;

  describe('after its ACDD went to Thailand', () => {
    it('sends Thailand a signed ACDD cancellation, which the Thai gateway verifies, validates and receipts', async () => {
      const { id, declarationNumber } = await submitExport(swx, trader, anExportDeclaration({ channel: 'YELLOW' }));
      // Thailand has the ACDD, and its Customs Response is in: nothing else is under way for this declaration.
      const before = await waitFor(
        () => view(id),
        (v) => ['RECEIPT_VERIFIED', 'RECEIPT_SENT'].every((type) => v.timeline.some((step) => step.type === type)),
      );
      const acdd = before.documents.find((document) => document.documentType === 'ACDD');
      expect(acdd?.receipted).toBe(true);

      const answer = await cancel(id);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).toMatchObject({
        id,
        status: 'CANCELLED',
        previousStatus: 'UNDER_REVIEW',
        acddCancellation: { outcome: 'QUEUED', partner: 'TH' },
      });
      const cancellationId = answer.body.acddCancellation.messageId ?? '';

      // The simulated Thai gateway received it (signature checked against the pinned VN certificate, document
      // validated) and answered with a signed RECEIVED receipt of its exact bytes, which swx verified (below).
      const after = await waitFor(
        () => view(id),
        (v) => v.timeline.some((step) => step.type === 'RECEIPT_VERIFIED' && step.messageId === cancellationId),
      );
      expect(after.status).toBe('CANCELLED');
      const steps = after.timeline.filter((step) => step.ledgerIndex >= answer.body.ledgerIndex).map((step) => [step.type, step.messageId ?? null]);
      expect(steps).toEqual([
        ['DECLARATION_CANCELLED', null],
        ['STATUS_CHANGED', null],
        ['DOCUMENT_SIGNED', cancellationId],
        ['MESSAGE_QUEUED', cancellationId],
        ['MESSAGE_DELIVERED', cancellationId],
        ['RECEIPT_VERIFIED', cancellationId],
      ]);
      expect(after.timeline.find((step) => step.type === 'DECLARATION_CANCELLED')?.detail).toMatchObject({
        reason: 'Contract cancelled by the buyer',
        by: '0301234567',
        from: 'UNDER_REVIEW',
        acddCancellation: 'QUEUED',
      });

      // The envelope: in the ACDD's conversation, referring to it, signed by VN (xmlsec1 agrees), and receipted by TH
      // (RECEIVED, signed by TH, the digest of exactly these bytes).
      const sent = await message(cancellationId);
      expect(sent).toMatchObject({
        direction: 'OUT',
        partner: 'TH',
        documentType: 'ACDD_CANCELLATION',
        conversationId: (await message(acdd?.messageId ?? '')).conversationId,
        refTo: acdd?.messageId,
        declarationId: id,
      });
      expect(sent.envelope).toContain('<Action>CANCEL</Action>');
      expect(sent.envelope).toContain(`<ExportDeclarationNumber>${declarationNumber}</ExportDeclarationNumber>`);
      expect(sent.envelope).toContain('<Reason>Contract cancelled by the buyer</Reason>');
      expect(xmlsec1Verify(sent.envelope, join(swx.pkiDir, 'gateways', 'VN.cert.pem')).ok).toBe(true);
      expect(xmlsec1Verify(sent.receipt ?? '', join(swx.pkiDir, 'gateways', 'TH.cert.pem')).ok).toBe(true);
      expect(sent.receipt).toContain('<Status>RECEIVED</Status>');
      expect(sent.receipt).toContain(createHash('sha256').update(sent.envelope).digest('base64'));

      const entries = await call<{ entries: { type: string; subject: string; data: Record<string, unknown> }[] }>(
        swx,
        officer,
        'GET',
        `/v1/ledger/entries?start=${answer.body.ledgerIndex}&end=${answer.body.ledgerIndex}`,
      );
      expect(entries.body.entries[0]).toMatchObject({ type: 'DECLARATION_CANCELLED', subject: id });
    });
  });

  describe('without an ACDD', () => {
    it('cancels and sends nothing when the trader gave no ACDD consent', async () => {
      const { id } = await submitExport(swx, trader, anExportDeclaration({ channel: 'YELLOW', acddConsent: false }));
      const answer = await cancel(id);
      expect(answer.body).toMatchObject({ status: 'CANCELLED', acddCancellation: { outcome: 'NO_ACDD_SENT', messageId: null, partner: null } });
      expect((await view(id)).documents).toEqual([]);
    });
  });

  describe('when it may not be cancelled', () => {
    it('is 409 once released, rejected or already cancelled, and writes nothing', async () => {
      const released = (await submitExport(swx, trader, anExportDeclaration({ channel: 'GREEN', acddConsent: false }))).id;
      const rejected = (await submitExport(swx, trader, anExportDeclaration({ channel: 'YELLOW', acddConsent: false }))).id;
      expect((await call(swx, officer, 'POST', `/v1/clearances/${rejected}/decision`, { action: 'reject', reason: 'Licence missing' })).status).toBe(
        200,
      );
      const cancelled = (await submitExport(swx, trader, anExportDeclaration({ channel: 'YELLOW', acddConsent: false }))).id;
      expect((await cancel(cancelled)).status).toBe(200);

      for (const [id, status] of [
        [released, 'RELEASED'],
        [rejected, 'REJECTED'],
        [cancelled, 'CANCELLED'],
      ] as const) {
        const before = (await view(id)).timeline.length;
        const problem = expectProblem(await cancel(id), 409, 'DOCUMENT_STATE_CONFLICT');
        expect(problem.detail).toContain(`is ${status} and can no longer be cancelled`);
        const after = await view(id);
        expect(after.status).toBe(status);
        expect(after.timeline.length).toBe(before);
      }
    });

    it('cancels a held declaration, after which officers can no longer decide', async () => {
      const { id } = await submitExport(swx, trader, anExportDeclaration({ channel: 'YELLOW', acddConsent: false }));
      expect((await call(swx, officer, 'POST', `/v1/clearances/${id}/decision`, { action: 'hold', reason: 'Price check' })).status).toBe(200);
      expect((await cancel(id)).body).toMatchObject({ previousStatus: 'HELD', status: 'CANCELLED' });
      expectProblem(
        await call(swx, officer, 'POST', `/v1/clearances/${id}/decision`, { action: 'release', reason: 'ok' }),
        409,
        'DOCUMENT_STATE_CONFLICT',
      );
    });
  });

  describe('who may cancel', () => {
    it('is the trader who declared: another trader gets 404 and the declaration goes on', async () => {
      const { id } = await submitExport(swx, trader, anExportDeclaration({ channel: 'YELLOW', acddConsent: false }));
      expectProblem(await cancel(id, 'Not mine but let us try', otherTrader), 404, 'NOT_FOUND');
      expectProblem(await cancel('no-such-declaration'), 404, 'NOT_FOUND');
      expectProblem(await cancel(id, 'Officers decide, they do not cancel', officer), 403, 'FORBIDDEN');
      expectProblem(await call(swx, undefined, 'POST', `/v1/declarations/${id}/cancel`, { reason: 'x' }), 401, 'UNAUTHENTICATED');
      expect((await view(id)).status).toBe('UNDER_REVIEW');
      expect((await view(id)).timeline.some((step) => step.type === 'DECLARATION_CANCELLED')).toBe(false);
    });

    it('needs a reason (422)', async () => {
      const { id } = await submitExport(swx, trader, anExportDeclaration({ channel: 'YELLOW', acddConsent: false }));
      const missing = expectProblem(await call(swx, trader, 'POST', `/v1/declarations/${id}/cancel`, {}), 422, 'VALIDATION_FAILED');
      expect(missing.errors?.map((error) => error.pointer)).toEqual(['/reason']);
      expectProblem(await cancel(id, ''), 422, 'VALIDATION_FAILED');
      expect((await view(id)).status).toBe('UNDER_REVIEW');
    });
  });
});
