import { z } from 'zod';
import { CoreError } from '../errors.js';
import type { Channel, DeclarationStatus, TimelineStep } from '../declaration/declaration.js';

/** What an officer decides about a declaration; each decision carries a reason. */
export const OfficerAction = z.enum(['release', 'hold', 'inspect', 'reject']);
export type OfficerAction = z.infer<typeof OfficerAction>;

/** The status each officer action leads to. */
export const ACTION_TARGETS: Readonly<Record<OfficerAction, DeclarationStatus>> = {
  release: 'RELEASED',
  hold: 'HELD',
  inspect: 'INSPECTION',
  reject: 'REJECTED',
};

/**
 * The actions an officer may take in each status: any that changes the status while the declaration is
 * under review, held or under inspection; only reject while documents are awaited (nothing to release or
 * inspect yet, and the declaration moves on by itself when they arrive); none once released, rejected or cancelled.
 */
export const OFFICER_ACTIONS_FROM: Readonly<Record<DeclarationStatus, readonly OfficerAction[]>> = {
  AWAITING_DOCUMENTS: ['reject'],
  UNDER_REVIEW: ['release', 'hold', 'inspect', 'reject'],
  HELD: ['release', 'inspect', 'reject'],
  INSPECTION: ['release', 'hold', 'reject'],
  RELEASED: [],
  REJECTED: [],
  CANCELLED: [],
};

/** Statuses nothing leaves: no officer decision and no cancellation applies to them. */
export const FINAL_STATUSES: ReadonlySet<DeclarationStatus> = new Set(['RELEASED', 'REJECTED', 'CANCELLED']);

/** What the clearance rules read of a declaration: where it stands and what its history holds. */
export interface ClearanceState {
  readonly status: DeclarationStatus;
  readonly channel: Channel;
  /** An officer decided `inspect` at some point (a physical inspection took place). */
  readonly inspected: boolean;
}

/**
 * Reads the clearance state from a declaration and its timeline.
 * @example readClearanceState(declaration, await store.getTimeline(declaration.id)).inspected // false
 */
export function readClearanceState(
  declaration: { readonly status: DeclarationStatus; readonly channel: Channel },
  timeline: readonly Pick<TimelineStep, 'type' | 'detail'>[],
): ClearanceState {
  const inspected = timeline.some((step) => step.type === 'DECISION_RECORDED' && step.detail['action'] === 'inspect');
  return { status: declaration.status, channel: declaration.channel, inspected };
}

/**
 * The actions an officer may take now: the table above, less a release the state forbids.
 * @example allowedActions({ status: 'UNDER_REVIEW', channel: 'RED', inspected: false }) // ['hold', 'inspect', 'reject']
 */
export function allowedActions(state: ClearanceState): OfficerAction[] {
  return OFFICER_ACTIONS_FROM[state.status].filter((action) => refusal(state, action) === undefined);
}

/**
 * The status an officer's action leads to; DOCUMENT_STATE_CONFLICT (409) when the action is not allowed now.
 * A red-channel declaration is released only after a physical inspection (national practice).
 * @example nextStatus({ status: 'UNDER_REVIEW', channel: 'YELLOW', inspected: false }, 'release') // 'RELEASED'
 */
export function nextStatus(state: ClearanceState, action: OfficerAction): DeclarationStatus {
  const reason = refusal(state, action);
  if (reason !== undefined) throw new CoreError('DOCUMENT_STATE_CONFLICT', `cannot ${action} a declaration that is ${state.status}: ${reason}`);
  return ACTION_TARGETS[action];
}

function refusal(state: ClearanceState, action: OfficerAction): string | undefined {
  if (FINAL_STATUSES.has(state.status)) return 'its clearance is over';
  if (!OFFICER_ACTIONS_FROM[state.status].includes(action)) {
    return ACTION_TARGETS[action] === state.status
      ? `it is ${state.status} already`
      : `allowed actions are ${OFFICER_ACTIONS_FROM[state.status].join(', ')}`;
  }
  if (action === 'release' && state.channel === 'RED' && !state.inspected) {
    return 'a red-channel declaration is released only after a physical inspection (decide inspect first)';
  }
  return undefined;
}
