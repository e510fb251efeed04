/**
 * The operator's view (admins): dead letters with their last error and a re-drive button (GET /v1/admin/outbox,
 * POST /v1/admin/outbox/redrive), the partners' pinned certificates and when they lapse (GET /v1/partners), and the
 * ledger's status (GET /v1/ledger/checkpoint) with the command that verifies it offline.
 */
import type { OutboxItemView } from '../../../../core/delivery/outbox-view.js';
import type { RedriveAnswer } from '../../../../core/delivery/redrive-dead-letters.js';
import type { PartnerView } from '../../../../core/exchange/partner-view.js';
import { attempt, button, dl, h, problemLine, row, table } from '../dom.js';
import { inIct } from '../format.js';
import { call } from '../http.js';
import { term } from '../terms.js';
import type { View } from '../view.js';
import { partnerCell } from './partner-cell.js';
import { stackOnPhones } from './stack-on-phones.js';

/** GET /v1/ledger/checkpoint's answer, as far as this view shows it. */
interface LedgerCheckpoint {
  readonly checkpoint: string;
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly keyId: string;
  readonly verifierKey: string;
}

/** A section of the view, and its first load (mount resolves once every section has loaded). */
interface Part {
  readonly section: HTMLElement;
  readonly loaded: Promise<void>;
}

function deadLetters(): Part {
  const problem = problemLine('dead-letters-problem');
  const done = h('p', { id: 'dead-letters-done', class: 'done', role: 'status', tabindex: -1 });
  const { box, body } = table('dead-letters', [term('message'), term('partner'), term('attempts'), term('lastError'), term('action')]);
  const empty = h('p', { id: 'dead-letters-empty', hidden: true }, 'No dead letters.');
  const load = async (): Promise<void> => {
    const { items } = await call<{ items: OutboxItemView[] }>('GET', 'v1/admin/outbox?state=DEAD_LETTER&limit=200');
    body.replaceChildren(
      ...items.map((item) => {
        const redrive = button(term('redrive'), () =>
          attempt(problem, async () => {
            redrive.disabled = true;
            const { redriven } = await call<RedriveAnswer>('POST', 'v1/admin/outbox/redrive', { messageIds: [item.messageId] });
            done.textContent = `Re-queued for ${item.partner}: ${redriven.join(', ')}`;
            await load();
            // The row and its button are gone: keep the keyboard's place on the result.
            done.focus();
          }).finally(() => {
            redrive.disabled = false;
          }),
        );
        redrive.setAttribute('aria-label', `Re-drive message ${item.messageId} to ${item.partner}`);
        const tr = row([h('code', {}, item.messageId), item.partner, item.attempts, item.lastError ?? '', redrive]);
        tr.dataset['messageId'] = item.messageId;
        return tr;
      }),
    );
    empty.hidden = items.length > 0;
    stackOnPhones(box);
  };
  const section = h(
    'section',
    { 'aria-labelledby': 'dead-letters-title' },
    h('h3', { id: 'dead-letters-title' }, term('deadLetters')),
    h('p', {}, 'Messages whose retry budget ran out. Re-driving sends the same message (same id and bytes) with a fresh budget.'),
    problem,
    done,
    box,
    empty,
  );
  return { section, loaded: attempt(problem, load) };
}

function certificates(): Part {
  const problem = problemLine('certificates-problem');
  const { box, body } = table('partner-certificates', [term('partner'), term('state'), term('notAfter'), term('daysLeft'), term('warning')]);
  const loaded = attempt(problem, async () => {
    const { items } = await call<{ items: PartnerView[] }>('GET', 'v1/partners');
    const gateways = items.filter((partner) => partner.kind === 'gateway');
    body.replaceChildren(
      ...gateways.map((partner) => {
        const certificate = partner.certificate;
        const tr = row([
          partnerCell(partner),
          partner.state,
          certificate === null ? 'unknown' : inIct(certificate.notAfter),
          certificate?.daysLeft ?? '',
          certificate?.warning ? h('span', { class: 'warning' }, certificate.warning) : '',
        ]);
        tr.dataset['partner'] = partner.id;
        return tr;
      }),
    );
    stackOnPhones(box);
  });
  const section = h(
    'section',
    { 'aria-labelledby': 'partner-certificates-title' },
    h('h3', { id: 'partner-certificates-title' }, term('partnerCertificates')),
    problem,
    box,
  );
  return { section, loaded };
}

function ledger(): Part {
  const problem = problemLine('ledger-problem');
  const section = h('section', { 'aria-labelledby': 'ledger-title' }, h('h3', { id: 'ledger-title' }, term('ledgerStatus')), problem);
  const loaded = attempt(problem, async () => {
    const latest = await call<LedgerCheckpoint>('GET', 'v1/ledger/checkpoint');
    section.append(
      dl('ledger-status', [
        [term('ledgerSize'), latest.treeSize, 'size'],
        ['Origin', latest.origin, 'origin'],
        ['Root hash', h('code', {}, latest.rootHash), 'root'],
        ['Checkpoint key', h('code', {}, latest.keyId), 'key'],
      ]),
      h('details', {}, h('summary', {}, term('lastCheckpoint')), h('pre', { id: 'ledger-checkpoint' }, latest.checkpoint)),
      h('p', {}, term('verifyCommand'), ': on the host holding the database (exit 0: intact; 1: names the first divergent entry):'),
      h('pre', { id: 'ledger-verify-command' }, `npx swx ledger verify --data-dir <SWX_DATA_DIR> --key '${latest.verifierKey}'`),
    );
  });
  return { section, loaded };
}

export const operatorView: View = {
  id: 'operator',
  label: 'operator',
  roles: ['admin'],
  async mount(root) {
    const parts = [deadLetters(), certificates(), ledger()];
    root.append(h('h2', {}, term('operator')), ...parts.map((part) => part.section));
    await Promise.all(parts.map((part) => part.loaded));
  },
};
