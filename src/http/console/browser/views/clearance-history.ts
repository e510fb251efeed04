/**
 * A declaration's history as a list: each step in words, in Viet Nam time, who did it, and its ledger index with the
 * proof that the ledger holds it, checked in this browser against the latest signed checkpoint (a green tick, or a
 * red warning saying what failed). A step about an exchanged message opens that message.
 */
import type { ClearanceView } from '../api-types.js';
import { attempt, button, h } from '../dom.js';
import { inIct } from '../format.js';
import { call, messageOf, SignedOut } from '../http.js';
import { type Checkpoint, checkCheckpoint, type Inclusion, proveInclusion } from '../ledger-proof.js';
import { term } from '../terms.js';
import { partyNamesOf, filedOf } from './declaration-content.js';
import { describeStep } from './history-words.js';

type Step = ClearanceView['history'][number];

/** The proof of one step, drawn into its list item once checked. */
function proofBlock(step: Step, inclusion: Inclusion, checkpoint: Checkpoint): HTMLDetailsElement {
  const proved = inclusion.state === 'PROVED';
  const verdict =
    inclusion.state === 'PROVED'
      ? `in the ledger: proved against the checkpoint of ${checkpoint.treeSize} entries`
      : inclusion.state === 'PENDING'
        ? 'recorded after the latest checkpoint: not provable yet'
        : `NOT proved: ${inclusion.reason}`;
  const entry = inclusion.entry;
  return h(
    'details',
    { class: `proof ${proved ? 'proved' : inclusion.state === 'PENDING' ? 'pending' : 'unproved'}` },
    h(
      'summary',
      { 'aria-label': `Ledger index ${step.ledgerIndex}: ${verdict}` },
      h('span', { 'aria-hidden': 'true' }, proved ? '✔' : inclusion.state === 'PENDING' ? '…' : '✖'),
      ` #${step.ledgerIndex}`,
    ),
    h('p', {}, `Ledger entry ${step.ledgerIndex} ${verdict}.`),
    entry ? h('p', { class: 'hash' }, `Leaf hash ${entry.leafHash}`) : '',
    inclusion.state === 'PROVED' ? h('ol', { class: 'hash' }, ...inclusion.proof.map((node) => h('li', {}, node))) : '',
    inclusion.state === 'PROVED' ? h('p', { class: 'hash' }, `Root ${checkpoint.rootHash}`) : '',
    entry ? h('pre', {}, JSON.stringify({ type: entry.type, subject: entry.subject, at: entry.at, data: entry.data }, null, 2)) : '',
  );
}

/** Proves every step's entry and draws the outcome into its list item; a problem with the checkpoint goes to `status`. */
async function proveAll(view: ClearanceView, items: ReadonlyMap<number, HTMLElement>, status: HTMLElement): Promise<void> {
  await attempt(status, async () => {
    const checkpoint = await call<Checkpoint>('GET', 'v1/ledger/checkpoint');
    const bad = await checkCheckpoint(checkpoint);
    status.className = bad === null ? 'proved' : 'unproved';
    status.textContent =
      bad === null
        ? `✔ Latest checkpoint: ${checkpoint.treeSize} entries, signed by ${checkpoint.verifierKey.split('+').slice(0, 2).join('+')} (signature checked in this browser).`
        : `✖ The latest checkpoint is not to be trusted: ${bad}.`;
    const failures = await Promise.all(
      view.history.map(async (step) => {
        const item = items.get(step.ledgerIndex);
        const slot = item?.querySelector('.proof-slot');
        if (!item || !slot) return 0;
        let failure: string | null = null;
        try {
          const inclusion = await proveInclusion(step.ledgerIndex, step.type, checkpoint);
          slot.replaceChildren(proofBlock(step, inclusion, checkpoint));
          if (inclusion.state === 'FAILED') failure = inclusion.reason;
        } catch (error) {
          if (error instanceof SignedOut) return 0;
          failure = `the proof could not be read (${messageOf(error)})`;
          slot.replaceChildren(h('span', { class: 'unproved' }, `✖ #${step.ledgerIndex}`));
        }
        if (failure === null) return 0;
        item.classList.add('step-unproved');
        item.append(h('p', { class: 'unproved step-warning' }, `✖ Not proved by the ledger: ${failure}. Do not rely on this step.`));
        return 1;
      }),
    );
    const failed = failures.reduce<number>((sum, n) => sum + n, 0);
    if (failed > 0) {
      status.className = 'unproved';
      status.textContent = `✖ ${failed} step(s) of this history are NOT proved by the ledger (marked below). ${status.textContent ?? ''}`;
    }
  });
}

/**
 * The history section of a declaration's detail; the proofs fill in as they are checked; `open` shows a message.
 * @example root.append(historyBlock(view, (id) => showMessage(panel, problem, id)))
 */
export function historyBlock(view: ClearanceView, open: (messageId: string) => void): HTMLElement {
  const names = partyNamesOf(filedOf(view));
  const status = h('p', { id: 'checkpoint-status', role: 'status' }, 'Checking the ledger…');
  const items = new Map<number, HTMLElement>();
  const list = h(
    'ol',
    { id: 'history', class: 'history' },
    ...view.history.map((step) => {
      const { what, who } = describeStep(step, names);
      const { messageId } = step;
      const item = h(
        'li',
        { 'data-ledger-index': step.ledgerIndex, 'data-type': step.type },
        h('time', { datetime: step.at }, inIct(step.at)),
        h('p', { class: 'what' }, what),
        h('p', { class: 'who' }, `by ${who}`),
        h('div', { class: 'proof-slot' }, `#${step.ledgerIndex}`),
        messageId ? button(`Open the message ${messageId.slice(0, 8)}…`, () => open(messageId), 'link message-link') : '',
      );
      items.set(step.ledgerIndex, item);
      return item;
    }),
  );
  proveAll(view, items, status);
  return h('section', { 'aria-labelledby': 'history-heading' }, h('h3', { id: 'history-heading' }, term('history')), status, list);
}
