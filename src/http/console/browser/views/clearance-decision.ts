/**
 * The decision form of a declaration's detail: the actions its status allows, a reason, and the decision sent with
 * If-Match (the version the officer decided from), so a declaration changed meanwhile is a 409 that says what changed.
 */
import type { ClearanceView } from '../api-types.js';
import { h, problemLine } from '../dom.js';
import { Problem, request } from '../http.js';
import { english, term } from '../terms.js';
import { ACTIONS } from './declaration-words.js';

/** What the decision answered, for the line that confirms it. */
interface DecisionAnswer {
  readonly action: string;
  readonly previousStatus: string;
  readonly status: string;
  readonly ledgerIndex: number;
}

/** How the detail view redraws itself after a decision, with a line saying what happened. */
export type Redraw = (notice: { readonly done?: string; readonly problem?: string }) => Promise<void>;

/**
 * The decision block: the form (or why no decision is possible), its problem and confirmation lines.
 * @example root.append(decisionBlock(view, etag, redraw))
 */
export function decisionBlock(view: ClearanceView, etag: string | null, redraw: Redraw): HTMLElement {
  const allowed = view.allowedActions.filter((action) => Object.hasOwn(ACTIONS, action));
  const problem = problemLine('decision-problem');
  problem.tabIndex = -1;
  const done = h('p', { id: 'decision-done', class: 'done', role: 'status', tabindex: -1 });
  const reason = h('textarea', { id: 'decision-reason', rows: 3, maxlength: 2000, required: true });
  const form = h(
    'form',
    { id: 'decision-form', hidden: allowed.length === 0 },
    h(
      'fieldset',
      { id: 'decision-actions' },
      h('legend', {}, term('action')),
      ...allowed.map((action) =>
        h('label', {}, h('input', { type: 'radio', name: 'action', value: action, required: true }), ' ', term(ACTIONS[action] ?? 'action')),
      ),
    ),
    h('label', { for: 'decision-reason' }, term('reason')),
    reason,
    h('button', { type: 'submit' }, term('recordDecision')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = form.querySelector<HTMLInputElement>('input[name="action"]:checked');
    done.textContent = '';
    if (!chosen || reason.value.trim() === '') {
      problem.textContent = 'Choose an action and give the reason.';
      return;
    }
    decide(view.id, { action: chosen.value, reason: reason.value.trim() }, etag, redraw);
  });
  const none = h('p', { id: 'no-decision', hidden: allowed.length > 0 }, `No decision is possible while the declaration is ${view.status}.`);
  return h(
    'section',
    { class: 'decision', 'aria-labelledby': 'decision-heading' },
    h('h3', { id: 'decision-heading' }, term('decision')),
    form,
    none,
    problem,
    done,
  );
}

/** Sends the decision; whatever the answer, the declaration is shown again as it now stands, with what happened. */
async function decide(id: string, decision: { action: string; reason: string }, etag: string | null, redraw: Redraw): Promise<void> {
  try {
    const { answer } = await request<DecisionAnswer>(
      'POST',
      `v1/clearances/${encodeURIComponent(id)}/decision`,
      decision,
      etag ? { 'If-Match': etag } : {},
    );
    const label = english(ACTIONS[answer.action] ?? 'action');
    await redraw({ done: `${label} recorded: ${answer.previousStatus} → ${answer.status} (ledger index ${answer.ledgerIndex}).` });
  } catch (error) {
    // Another officer decided first, or the status moved on: the declaration as it is now, with the problem.
    if (error instanceof Problem) await redraw({ problem: error.message });
    else throw error;
  }
}
