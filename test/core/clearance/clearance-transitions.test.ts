import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  readClearanceState,
  nextStatus,
  type ClearanceState,
  type OfficerAction,
} from '../../../src/core/clearance/clearance-transitions.js';
import type { DeclarationStatus, TimelineStep } from '../../../src/core/declaration/declaration.js';
import { thrownCoreError } from '../../helpers/core-error.js';

const ACTIONS: readonly OfficerAction[] = ['release', 'hold', 'inspect', 'reject'];
const state = (status: DeclarationStatus, overrides: Partial<ClearanceState> = {}): ClearanceState => ({
  status,
  channel: 'YELLOW',
  inspected: false,
  ...overrides,
});
const step = (type: string, detail: Record<string, unknown>, ledgerIndex = 0): TimelineStep => ({
  ledgerIndex,
  type,
  at: '2026-11-21T03:00:00.000Z',
  messageId: undefined,
  detail,
});

/** Every (status, action) an officer may take on a yellow declaration with its documents, and where it leads. */
const LEGAL: Readonly<Record<DeclarationStatus, Partial<Record<OfficerAction, DeclarationStatus>>>> = {
  AWAITING_DOCUMENTS: { reject: 'REJECTED' },
  UNDER_REVIEW: { release: 'RELEASED', hold: 'HELD', inspect: 'INSPECTION', reject: 'REJECTED' },
  HELD: { release: 'RELEASED', inspect: 'INSPECTION', reject: 'REJECTED' },
  INSPECTION: { release: 'RELEASED', hold: 'HELD', reject: 'REJECTED' },
  RELEASED: {},
  REJECTED: {},
  CANCELLED: {},
};

describe('nextStatus', () => {
  for (const [status, legal] of Object.entries(LEGAL) as [DeclarationStatus, Partial<Record<OfficerAction, DeclarationStatus>>][]) {
    describe(`from ${status}`, () => {
      for (const action of ACTIONS) {
        const target = legal[action];
        if (target !== undefined) {
          it(`${action} leads to ${target}`, () => expect(nextStatus(state(status), action)).toBe(target));
        } else {
          it(`refuses ${action} with DOCUMENT_STATE_CONFLICT`, () => {
            const error = thrownCoreError(() => nextStatus(state(status), action));
            expect(error.code).toBe('DOCUMENT_STATE_CONFLICT');
            expect(error.message).toContain(`cannot ${action} a declaration that is ${status}`);
          });
        }
      }
    });
  }

  describe('when the channel is red', () => {
    it('refuses a release before any inspection', () => {
      for (const status of ['UNDER_REVIEW', 'HELD'] as const) {
        expect(thrownCoreError(() => nextStatus(state(status, { channel: 'RED' }), 'release')).message).toContain('physical inspection');
      }
    });
    it('allows it once inspected, from inspection or a later hold', () => {
      expect(nextStatus(state('INSPECTION', { channel: 'RED', inspected: true }), 'release')).toBe('RELEASED');
      expect(nextStatus(state('HELD', { channel: 'RED', inspected: true }), 'release')).toBe('RELEASED');
    });
  });
});

describe('allowedActions', () => {
  it('lists what nextStatus accepts', () => {
    expect(allowedActions(state('UNDER_REVIEW'))).toEqual(['release', 'hold', 'inspect', 'reject']);
    expect(allowedActions(state('UNDER_REVIEW', { channel: 'RED' }))).toEqual(['hold', 'inspect', 'reject']);
    expect(allowedActions(state('AWAITING_DOCUMENTS'))).toEqual(['reject']);
    expect(allowedActions(state('RELEASED'))).toEqual([]);
  });
});

describe('readClearanceState', () => {
  const red = { status: 'HELD' as const, channel: 'RED' as const };

  it('knows an inspection took place from an inspect decision in the timeline', () => {
    expect(readClearanceState(red, [step('STATUS_CHANGED', { status: 'UNDER_REVIEW' })]).inspected).toBe(false);
    const timeline = [
      step('STATUS_CHANGED', { status: 'UNDER_REVIEW' }, 1),
      step('DECISION_RECORDED', { action: 'inspect' }, 2),
      step('STATUS_CHANGED', { status: 'INSPECTION' }, 3),
      step('DECISION_RECORDED', { action: 'hold' }, 4),
      step('STATUS_CHANGED', { status: 'HELD' }, 5),
    ];
    expect(readClearanceState(red, timeline)).toEqual({ status: 'HELD', channel: 'RED', inspected: true });
  });
});
