import { z } from 'zod';
import { acddCancellationSpec, type AcddCancellation } from '../../../message-schemas/acdd-cancellation/1/schema.js';
import { Description } from '../../../message-schemas/common/1/common-types.js';
import type { Principal } from '../auth/api-key.js';
import { FINAL_STATUSES } from '../clearance/clearance-transitions.js';
import { validateDocument } from '../document/validate-document.js';
import { encodeDocumentXml } from '../document/xml-mapping.js';
import { CoreError } from '../errors.js';
import { sealOutboundMessage, type SealedMessage } from '../exchange/seal-outbound-message.js';
import type { ExchangeMessage } from '../exchange/exchange-store.js';
import { ChangeBuilder, findLedgerIndex } from '../exchange/change-builder.js';
import { DeclarationStatus, type Declaration } from './declaration.js';
import type { SubmitDeclarationDeps } from './submit-declaration.js';

/** A trader's cancellation as sent to `POST /v1/declarations/{id}/cancel`; the reason travels in the ACDD cancellation. */
export const CancellationRequest = z.strictObject({ reason: Description }).meta({ id: 'CancellationRequest' });
export type CancellationRequest = z.infer<typeof CancellationRequest>;

/** Why an ACDD cancellation was or was not sent, as the ledger records it. */
export const AcddCancellationOutcome = z.enum(['QUEUED', 'NO_ACDD_SENT', 'ACDD_REFUSED_BY_PARTNER', 'PARTNER_DOES_NOT_RECEIVE_ACDD_CANCELLATION']);
export type AcddCancellationOutcome = z.infer<typeof AcddCancellationOutcome>;

/** The answer to a cancellation (200): the declaration's new status and what became of its ACDD. */
export const CancellationAnswer = z
  .object({
    id: z.string(),
    declarationNumber: z.string(),
    status: DeclarationStatus,
    previousStatus: DeclarationStatus,
    ledgerIndex: z.int().meta({ description: 'Index of the DECLARATION_CANCELLED ledger entry' }),
    acddCancellation: z
      .object({
        outcome: AcddCancellationOutcome,
        messageId: z.string().nullable().meta({ description: 'The ACDD cancellation sent to the partner gateway' }),
        partner: z.string().nullable(),
      })
      .readonly(),
  })
  .readonly()
  .meta({ id: 'CancellationAnswer' });
export type CancellationAnswer = z.infer<typeof CancellationAnswer>;

export type CancelDeclarationDeps = Omit<SubmitDeclarationDeps, 'rules'>;

/**
 * Cancels a trader's own declaration before release and withdraws the ACDD sent for it.
 * 1. Another trader's declaration is "not found"; a released, rejected or cancelled one is 409.
 * 2. When an ACDD went to a partner gateway (and the partner did not refuse it), an ACDD cancellation is signed
 *    for that gateway, in the ACDD's conversation and referring to it.
 * 3. One commit: DECLARATION_CANCELLED and STATUS_CHANGED in the timeline, the status (only if it is still the one
 *    cancelled from), and the cancellation's message and outbox row.
 * `requestId`: the HTTP request's id, which the cancellation's deliveries send as X-Request-Id.
 * @example const answer = await cancelDeclaration(deps, id, trader, { reason: 'Contract cancelled by the buyer' }, c.var.requestId)
 */
export async function cancelDeclaration(
  deps: CancelDeclarationDeps,
  id: string,
  trader: Principal,
  request: CancellationRequest,
  requestId?: string,
): Promise<CancellationAnswer> {
  const declaration = await deps.store.getDeclaration(id);
  if (!declaration || declaration.partyId !== trader.partyId) throw new CoreError('NOT_FOUND', `no declaration ${id}`);
  if (FINAL_STATUSES.has(declaration.status)) {
    throw new CoreError(
      'DOCUMENT_STATE_CONFLICT',
      `declaration ${declaration.declarationNumber} is ${declaration.status} and can no longer be cancelled`,
    );
  }
  const at = deps.clock.now().toISOString();
  const withdrawal = await withdrawAcdd(deps, declaration, request.reason, at);
  const sealed = withdrawal.sealed;
  const cancellation = new ChangeBuilder()
    .event(
      {
        type: 'DECLARATION_CANCELLED',
        subject: id,
        at,
        data: { reason: request.reason, by: trader.partyId, from: declaration.status, acddCancellation: withdrawal.outcome },
      },
      { declarationId: id, label: 'cancelled' },
    )
    .event({ type: 'STATUS_CHANGED', subject: id, at, data: { status: 'CANCELLED', from: declaration.status } }, { declarationId: id })
    .updateDeclaration({ id, status: 'CANCELLED', updatedAt: at, expectedStatus: declaration.status });
  if (sealed) cancellation.queue(sealed, { declarationId: id, notBefore: Date.parse(at) });
  const change = cancellation.requestedBy(requestId).build();
  const entries = await deps.store.commit(change);
  return {
    id,
    declarationNumber: declaration.declarationNumber,
    status: 'CANCELLED',
    previousStatus: declaration.status,
    ledgerIndex: findLedgerIndex(change, entries, 'cancelled'),
    acddCancellation: { outcome: withdrawal.outcome, messageId: sealed?.message.messageId ?? null, partner: sealed?.message.partnerId ?? null },
  };
}

/** The ACDD cancellation to send, if an ACDD was sent that the partner did not refuse. */
async function withdrawAcdd(
  deps: CancelDeclarationDeps,
  declaration: Declaration,
  reason: string,
  at: string,
): Promise<{ outcome: AcddCancellationOutcome; sealed?: SealedMessage }> {
  const messages = await deps.store.listMessages(declaration.id);
  const acdd = messages.find((message: ExchangeMessage) => message.direction === 'OUT' && message.documentType === 'ACDD');
  if (!acdd) return { outcome: 'NO_ACDD_SENT' };
  if ((await deps.store.getOutbox(acdd.messageId))?.state === 'REJECTED') return { outcome: 'ACDD_REFUSED_BY_PARTNER' };
  const partner = deps.partners.gatewayFor(acdd.partnerId);
  if (!partner?.documents.receive.some((entry) => entry.type === 'ACDD_CANCELLATION')) {
    return { outcome: 'PARTNER_DOES_NOT_RECEIVE_ACDD_CANCELLATION' };
  }
  const cancellation: AcddCancellation = validateDocument(acddCancellationSpec.schema, {
    exportDeclarationNumber: declaration.declarationNumber,
    reason,
    cancelledAt: at,
  });
  const sealed = await sealOutboundMessage(deps, {
    partner: { gatewayId: partner.id, country: partner.country },
    documentType: 'ACDD_CANCELLATION',
    action: 'CANCEL',
    bodyXml: encodeDocumentXml(acddCancellationSpec, cancellation),
    conversationId: acdd.conversationId,
    refTo: acdd.messageId,
    declarationId: declaration.id,
  });
  return { outcome: 'QUEUED', sealed };
}
