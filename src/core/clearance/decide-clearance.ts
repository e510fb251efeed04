import { z } from 'zod';
import type { Principal } from '../auth/api-key.js';
import { DeclarationStatus } from '../declaration/declaration.js';
import { CoreError } from '../errors.js';
import { ChangeBuilder, findLedgerIndex } from '../exchange/change-builder.js';
import type { Clock } from '../primitives.js';
import type { ExchangeStore } from '../exchange/exchange-store.js';
import { readClearanceState, nextStatus, OfficerAction } from './clearance-transitions.js';
import { checkDecisionPrecondition, formatClearanceETag } from './clearance-version.js';

/** An officer's decision as sent to `POST /v1/clearances/{id}/decision`. */
export const ClearanceDecision = z
  .strictObject({
    action: OfficerAction,
    reason: z.string().trim().min(1, { error: 'give the reason for the decision' }).max(2000),
    /** The status the officer decided from; 409 CLEARANCE_CHANGED when the declaration is no longer in it. */
    expectedStatus: DeclarationStatus.optional(),
  })
  .meta({ id: 'ClearanceDecision' });
export type ClearanceDecision = z.infer<typeof ClearanceDecision>;

/** What the officer gets back: the declaration's new status and the ledger entry of the decision. */
export const DecisionAnswer = z
  .object({
    id: z.string(),
    declarationNumber: z.string(),
    action: OfficerAction,
    previousStatus: DeclarationStatus,
    status: DeclarationStatus,
    ledgerIndex: z.int().meta({ description: 'Index of the DECISION_RECORDED ledger entry' }),
  })
  .readonly()
  .meta({ id: 'ClearanceDecisionAnswer' });
export type DecisionAnswer = z.infer<typeof DecisionAnswer>;

/**
 * Records an officer's decision on a declaration.
 * 0. The declaration must still be as the officer read it, when the decision says so: `ifMatch` (the ETag of
 *    `GET /v1/clearances/{id}`) and `expectedStatus`; else CLEARANCE_CHANGED (409) saying what changed. A decision
 *    with neither applies to the declaration as it is now.
 * 1. The action must be allowed from the declaration's status and history (clearance-transitions.ts); else 409.
 * 2. One commit: DECISION_RECORDED (officer, action, reason) and STATUS_CHANGED in its timeline, and the new status,
 *    applied only if the status is still the one decided from, so of two officers deciding at once one wins and
 *    the other gets 409.
 * Returns the answer and the clearance's new ETag (clearance-version.ts), for the next decision's If-Match.
 * @example await decideClearance({ store, clock }, id, officer, { action: 'release', reason: 'Documents in order' }, '"UNDER_REVIEW@12"')
 */
export async function decideClearance(
  deps: { readonly store: ExchangeStore; readonly clock: Clock },
  id: string,
  officer: Principal,
  decision: ClearanceDecision,
  ifMatch?: string,
): Promise<DecisionAnswer & { readonly etag: string }> {
  const declaration = await deps.store.getDeclaration(id);
  if (!declaration) throw new CoreError('NOT_FOUND', `no declaration ${id}`);
  const timeline = await deps.store.getTimeline(id);
  checkDecisionPrecondition(declaration, timeline, { ifMatch, expectedStatus: decision.expectedStatus });
  const state = readClearanceState(declaration, timeline);
  const status = nextStatus(state, decision.action);
  const at = deps.clock.now().toISOString();
  const change = new ChangeBuilder()
    .event(
      {
        type: 'DECISION_RECORDED',
        subject: id,
        at,
        data: {
          officer: officer.partyId,
          officerName: officer.name,
          keyId: officer.keyId,
          action: decision.action,
          reason: decision.reason,
          from: declaration.status,
          to: status,
        },
      },
      { declarationId: id, label: 'decided' },
    )
    .event({ type: 'STATUS_CHANGED', subject: id, at, data: { status, from: declaration.status } }, { declarationId: id, label: 'status' })
    .updateDeclaration({ id, status, updatedAt: at, expectedStatus: declaration.status })
    .build();
  const entries = await deps.store.commit(change);
  return {
    id,
    declarationNumber: declaration.declarationNumber,
    action: decision.action,
    previousStatus: declaration.status,
    status,
    ledgerIndex: findLedgerIndex(change, entries, 'decided'),
    etag: formatClearanceETag(status, findLedgerIndex(change, entries, 'status')),
  };
}
