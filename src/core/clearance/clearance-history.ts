import type { Principal } from '../auth/api-key.js';
import { viewDeclaration, type DeclarationView, type LinkedMessage } from '../declaration/declaration-view.js';
import type { ExchangeStore } from '../ports.js';
import { allowedActions, clearanceStateOf, type OfficerAction } from './clearance-transitions.js';

/** A step of the history; a step about an exchanged message links to its signed bytes. */
export interface HistoryStep {
  readonly ledgerIndex: number;
  readonly type: string;
  readonly at: string;
  readonly messageId: string | undefined;
  /** `/v1/messages/{messageId}`: the envelope exactly as sent or received, and its receipt. */
  readonly message: string | undefined;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** An officer's decision, as the ledger recorded it. */
export interface RecordedDecision {
  readonly ledgerIndex: number;
  readonly at: string;
  readonly officer: unknown;
  readonly action: unknown;
  readonly reason: unknown;
}

/**
 * What `GET /v1/clearances/{id}` shows an officer: the declaration as its trader sees it (channel reasons, linked
 * documents, the preference decision of an import under ATIGA), what may be decided now, and its whole history.
 */
export interface ClearanceHistory extends Omit<DeclarationView, 'timeline' | 'documents'> {
  readonly partyId: string;
  readonly allowedActions: readonly OfficerAction[];
  readonly documents: readonly (LinkedMessage & { readonly message: string })[];
  readonly decisions: readonly RecordedDecision[];
  readonly history: readonly HistoryStep[];
}

const messageLink = (messageId: string): string => `/v1/messages/${encodeURIComponent(messageId)}`;

/**
 * A declaration's clearance history for officers: every timeline step with its ledger index, links to the raw
 * messages, the officers' decisions and the actions allowed now, beside what the trader sees.
 * @example const history = await clearanceHistory(store, id, officer)
 */
export async function clearanceHistory(store: ExchangeStore, id: string, officer: Principal): Promise<ClearanceHistory> {
  const { timeline, documents, ...view } = await viewDeclaration(store, id, officer);
  const declaration = await store.getDeclaration(id);
  return {
    ...view,
    partyId: declaration?.partyId ?? '',
    allowedActions: allowedActions(clearanceStateOf(view, timeline)),
    documents: documents.map((document) => ({ ...document, message: messageLink(document.messageId) })),
    decisions: timeline
      .filter((step) => step.type === 'DECISION_RECORDED')
      .map((step) => ({
        ledgerIndex: step.ledgerIndex,
        at: step.at,
        officer: step.detail['officer'],
        action: step.detail['action'],
        reason: step.detail['reason'],
      })),
    history: timeline.map((step) => ({ ...step, message: step.messageId === undefined ? undefined : messageLink(step.messageId) })),
  };
}
