import { z } from 'zod';
import type { Principal } from '../auth/api-key.js';
import { DeclarationView, LinkedMessage, viewDeclaration } from '../declaration/declaration-view.js';
import type { ExchangeStore } from '../exchange/exchange-store.js';
import { allowedActions, readClearanceState, OfficerAction } from './clearance-transitions.js';

const messageLinkView = z.string().meta({ example: '/v1/messages/0b7c…', description: 'The raw signed envelope and its receipt' });

/** A step of the history; a step about an exchanged message links to its signed bytes (`/v1/messages/{messageId}`). */
export const HistoryStep = z
  .object({
    ledgerIndex: z.int(),
    type: z.string().meta({ example: 'DECISION_RECORDED' }),
    at: z.string(),
    messageId: z.string().optional(),
    message: messageLinkView.optional(),
    detail: z.record(z.string(), z.unknown()).readonly(),
  })
  .readonly();
export type HistoryStep = z.infer<typeof HistoryStep>;

/** An officer's decision, as the ledger recorded it. */
export const RecordedDecision = z
  .object({
    ledgerIndex: z.int(),
    at: z.string(),
    officer: z.unknown().meta({ description: 'The officer’s agency (the deciding key’s party)' }),
    officerName: z.unknown().meta({ description: 'The officer: the deciding key’s name' }),
    action: z.unknown(),
    reason: z.unknown(),
  })
  .readonly();
export type RecordedDecision = z.infer<typeof RecordedDecision>;

/**
 * What `GET /v1/clearances/{id}` shows an officer: the declaration as its trader sees it (channel reasons, linked
 * documents, the preference decision of an import under ATIGA), what may be decided now, and its whole history.
 */
export const ClearanceHistory = DeclarationView.unwrap()
  .omit({ timeline: true, documents: true })
  .extend({
    partyId: z.string(),
    allowedActions: z.array(OfficerAction).readonly().meta({ description: 'What an officer may decide now' }),
    documents: z.array(LinkedMessage.unwrap().extend({ message: messageLinkView }).readonly()).readonly(),
    decisions: z.array(RecordedDecision).readonly(),
    history: z.array(HistoryStep).readonly(),
  })
  .readonly()
  .meta({ id: 'ClearanceHistory' });
export type ClearanceHistory = z.infer<typeof ClearanceHistory>;

const messageLink = (messageId: string): string => `/v1/messages/${encodeURIComponent(messageId)}`;

/**
 * A declaration's clearance history for officers: every timeline step with its ledger index, links to the raw
 * messages, the officers' decisions and the actions allowed now, beside what the trader sees.
 * @example const history = await buildClearanceHistory(store, id, officer)
 */
export async function buildClearanceHistory(store: ExchangeStore, id: string, officer: Principal): Promise<ClearanceHistory> {
  const { timeline, documents, ...view } = await viewDeclaration(store, id, officer);
  const declaration = await store.getDeclaration(id);
  return {
    ...view,
    partyId: declaration?.partyId ?? '',
    allowedActions: allowedActions(readClearanceState(view, timeline)),
    documents: documents.map((document) => ({ ...document, message: messageLink(document.messageId) })),
    decisions: timeline
      .filter((step) => step.type === 'DECISION_RECORDED')
      .map((step) => ({
        ledgerIndex: step.ledgerIndex,
        at: step.at,
        officer: step.detail['officer'],
        officerName: step.detail['officerName'],
        action: step.detail['action'],
        reason: step.detail['reason'],
      })),
    history: timeline.map((step) => ({ ...step, message: step.messageId === undefined ? undefined : messageLink(step.messageId) })),
  };
}
