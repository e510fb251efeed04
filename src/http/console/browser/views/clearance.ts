/**
 * A declaration's detail (#clearance?id=…): its status and the officer's decision beside what was declared (parties,
 * goods, invoice, transport, certificates), why it got its channel, the certificates it needs, the preference decision,
 * the documents exchanged and its history with ledger proofs.
 */
import type { Certificate, ClearanceView, Decision, Preference, Requirement } from '../api-types.js';
import { attempt, channelBadge, dl, el, h, problemLine, row, table } from '../dom.js';
import { inIct } from '../format.js';
import { call, messageOf, request, SignedOut } from '../http.js';
import { href } from '../router.js';
import { term } from '../terms.js';
import type { View } from '../view.js';
import { decisionBlock, type Redraw } from './clearance-decision.js';
import { documentsBlock } from './clearance-documents.js';
import { historyBlock } from './clearance-history.js';
import { declarationContent, filedOf, traderOf } from './declaration-content.js';
import { showMessage } from './message-panel.js';
import { stackOnPhones } from './stack-on-phones.js';

function summary(view: ClearanceView): HTMLDListElement {
  return dl('detail-summary', [
    [term('status'), view.status, 'status'],
    [term('channel'), channelBadge(view.channel), 'channel'],
    [term(view.kind === 'IMPORT' ? 'importer' : 'exporter'), traderOf(filedOf(view)), 'trader'],
    ['Filed by', view.partyId, 'party'],
    [term('partner'), view.partner || '–', 'partner'],
    [term('submitted'), inIct(view.submittedAt), 'submitted'],
    [term('updated'), inIct(view.updatedAt), 'updated'],
  ]);
}

/** A certificate requirement; the warnings its certificate was accepted with follow once read (GET v1/certificates/{id}). */
function requirementItem(requirement: Requirement): HTMLLIElement {
  const item = el('li', `${requirement.documentType} ${requirement.state}: ${requirement.detail}`);
  if (requirement.certificateId) showCertificateWarnings(item, requirement.certificateId);
  return item;
}

async function showCertificateWarnings(item: HTMLLIElement, certificateId: string): Promise<void> {
  try {
    const certificate = await call<Certificate>('GET', `v1/certificates/${encodeURIComponent(certificateId)}`);
    if (!Array.isArray(certificate.warnings) || certificate.warnings.length === 0) return;
    const warnings = h('ul', { class: 'warnings' }, ...certificate.warnings.map((w) => el('li', `${w.code} at ${w.pointer}: ${w.message}`)));
    item.append(el('p', `Accepted with ${certificate.warnings.length} warning(s):`, 'warning'), warnings);
  } catch (error) {
    if (!(error instanceof SignedOut)) item.append(el('p', `Its warnings could not be read: ${messageOf(error)}`, 'problem'));
  }
}

function preferenceBlock(preference: Preference): HTMLElement {
  const { box } = table(
    'preference-lines',
    ['Line', term('hsCode'), term('quantity'), 'Outcome', 'Form D item', term('reason')],
    preference.lines.map((line) =>
      row([line.line, line.hsCode, `${line.quantity} ${line.unit}`, line.outcome, line.formDItemNumber, line.reasons.join('; ')]),
    ),
  );
  stackOnPhones(box);
  const reasons = preference.reasons.length === 0 ? '' : h('p', {}, `For the whole e-Form D: ${preference.reasons.join('; ')}`);
  return h(
    'section',
    { id: 'preference-block' },
    h('h3', {}, term('preference')),
    h('p', { id: 'preference-summary' }, `${preference.outcome} under e-Form D ${preference.formDReference} from ${preference.issuingCountry}`),
    reasons,
    box,
  );
}

const decisionItem = (d: Decision): HTMLLIElement =>
  el(
    'li',
    `#${d.ledgerIndex} ${inIct(d.at)} ${String(d.action)} by ${d.officerName ? `${String(d.officerName)} (${String(d.officer)})` : String(d.officer)}: ${String(d.reason)}`,
  );

/** Draws the declaration into `root` (replacing what it held). */
function render(root: HTMLElement, view: ClearanceView, etag: string | null, redraw: Redraw): void {
  const panel = h('section', { id: 'message-block', hidden: true, 'aria-label': 'Message' });
  const problem = problemLine('message-problem');
  const open = (messageId: string) => showMessage(panel, problem, messageId);
  const filed = filedOf(view);
  root.replaceChildren(
    h('a', { href: href('clearances'), class: 'back' }, '← ', term('back')),
    h('h2', { id: 'detail-title' }, `${view.kind === 'IMPORT' ? 'Import' : 'Export'} declaration ${view.declarationNumber}`),
    h(
      'div',
      { class: 'detail-grid' },
      h(
        'aside',
        { class: 'detail-side' },
        summary(view),
        decisionBlock(view, etag, redraw),
        h('h3', {}, term('decisions')),
        h('ul', { id: 'decisions' }, ...(view.decisions.length === 0 ? [el('li', 'None yet.')] : view.decisions.map(decisionItem))),
      ),
      h(
        'div',
        { class: 'detail-main' },
        h('h3', {}, term('channelReasons')),
        h(
          'ul',
          { id: 'channel-reasons' },
          ...(view.channelReasons.length === 0 ? [el('li', 'No rule matched.')] : view.channelReasons.map((r) => el('li', `${r.rule}: ${r.detail}`))),
        ),
        ...(filed ? declarationContent(filed) : []),
        view.requirements.length === 0
          ? ''
          : h(
              'section',
              { id: 'requirements-block' },
              h('h3', {}, 'Certificate requirements'),
              h('ul', { id: 'requirements' }, ...view.requirements.map(requirementItem)),
            ),
        view.preference ? preferenceBlock(view.preference) : '',
        documentsBlock(view, open),
        historyBlock(view, open),
        problem,
        panel,
      ),
    ),
  );
}

export const clearanceView: View = {
  id: 'clearance',
  label: 'declaration',
  roles: ['officer'],
  hidden: true,
  async mount(root, params) {
    const id = params.get('id') ?? '';
    const detail = h('div', { id: 'detail-view' });
    const problem = problemLine('detail-problem');
    root.append(problem, detail);
    const redraw: Redraw = async (notice) => {
      await attempt(problem, async () => {
        const { answer, etag } = await request<ClearanceView>('GET', `v1/clearances/${encodeURIComponent(id)}`);
        render(detail, answer, etag, redraw);
      });
      const line = notice.done ? detail.querySelector<HTMLElement>('#decision-done') : detail.querySelector<HTMLElement>('#decision-problem');
      if (line) {
        line.textContent = notice.done ?? notice.problem ?? '';
        if (line.textContent !== '') line.focus();
      }
    };
    await redraw({});
  },
};
