/**
 * A declaration's history: every step with its ledger index, and the exchanged message behind a step (its envelope
 * and receipt) on demand.
 */
import type { ClearanceView, Message } from '../api-types.js';
import { attempt, button, el, h, problemLine, row, table } from '../dom.js';
import { call } from '../http.js';
import { term } from '../terms.js';

function detailText(detail: Readonly<Record<string, unknown>> | null | undefined): string {
  return Object.entries(detail || {})
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

async function showMessage(panel: HTMLElement, problem: HTMLElement, messageId: string): Promise<void> {
  await attempt(problem, async () => {
    const message = await call<Message>('GET', `v1/messages/${encodeURIComponent(messageId)}`);
    panel.replaceChildren(
      h(
        'h3',
        { id: 'message-title' },
        `${message.direction} ${message.documentType} ${message.messageId} (${message.partner}, ledger index ${message.ledgerIndex})`,
      ),
      h('h4', {}, 'Envelope'),
      h('pre', { id: 'message-envelope' }, message.envelope),
      h('h4', {}, 'Receipt'),
      h('pre', { id: 'message-receipt' }, message.receipt === null ? 'No receipt.' : message.receipt),
    );
    panel.hidden = false;
    panel.scrollIntoView();
  });
}

/** The history section of a declaration's detail. */
export function historyBlock(view: ClearanceView): HTMLElement {
  const panel = h('div', { id: 'message-block', hidden: true });
  const problem = problemLine('history-problem');
  const { box } = table(
    'history',
    ['Ledger index', 'Step', 'At', 'Detail', 'Message'],
    view.history.map((step) => {
      const { messageId } = step;
      const message = messageId ? button(messageId, () => showMessage(panel, problem, messageId), 'link') : '';
      const tr = row([step.ledgerIndex, step.type, step.at, el('span', detailText(step.detail), 'detail'), message]);
      tr.dataset['ledgerIndex'] = String(step.ledgerIndex);
      return tr;
    }),
  );
  return h('section', {}, h('h3', {}, term('history')), problem, box, panel);
}
