/**
 * The agency's worklist (agency keys: plant protection, animal health, the trade ministry): its certificates a page at
 * a time (GET /v1/certificates, items and nextCursor), the inbound ePhytos and e-AHs awaiting it first, and the form
 * that accepts or rejects one with a reason (POST /v1/certificates/{id}/acknowledgement), which sends the SPS
 * acknowledgement to the issuing country.
 */
import type { SpsAcknowledgement } from '../../../../core/certificate/acknowledge-sps-certificate.js';
import type { Certificate } from '../api-types.js';
import type { CertificatePage, CertificateSummary } from '../../../../core/certificate/list-certificates.js';
import { attempt, button, h, problemLine, row, table } from '../dom.js';
import { inIct } from '../format.js';
import { call } from '../http.js';
import { go, href } from '../router.js';
import { english, term } from '../terms.js';
import type { View } from '../view.js';
import { certificateFacts } from './certificate-facts.js';
import { stackOnPhones } from './stack-on-phones.js';

const STATUSES = ['RECEIVED', 'ACCEPTED', 'REJECTED', ''] as const;
const ACKNOWLEDGEABLE = new Set(['EPHYTO', 'EAH']);

function filterForm(direction: string, status: string): HTMLFormElement {
  const directionSelect = h(
    'select',
    { id: 'worklist-direction' },
    h('option', { value: 'IN', selected: direction === 'IN' }, 'Inbound'),
    h('option', { value: 'OUT', selected: direction === 'OUT' }, 'Outbound'),
  );
  const statusSelect = h(
    'select',
    { id: 'worklist-status' },
    ...STATUSES.map((value) =>
      h('option', { value, selected: value === status }, value === '' ? 'any' : value === 'RECEIVED' ? 'RECEIVED (awaiting you)' : value),
    ),
  );
  const form = h(
    'form',
    { id: 'worklist-filter', class: 'filters' },
    h('label', { for: 'worklist-direction' }, 'Direction'),
    directionSelect,
    h('label', { for: 'worklist-status' }, term('status')),
    statusSelect,
    h('button', { type: 'submit' }, term('show')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go('worklist', { direction: directionSelect.value, status: statusSelect.value || 'any' });
  });
  return form;
}

/** The decision form for one certificate, with its facts; `decided` runs once the acknowledgement is recorded. */
function decisionForm(certificate: CertificateSummary, facts: HTMLElement, decided: (answer: SpsAcknowledgement) => Promise<void>): HTMLFormElement {
  const problem = problemLine('acknowledgement-problem');
  const choice = (value: 'ACCEPTED' | 'REJECTED', label: string) =>
    h('label', {}, h('input', { type: 'radio', name: 'sps-decision', value, required: true }), ` ${label}`);
  const reason = h('textarea', { id: 'acknowledgement-reason', rows: 3, maxlength: 512 });
  const form = h(
    'form',
    { id: 'acknowledgement-form', 'aria-labelledby': 'acknowledgement-title' },
    h('h3', { id: 'acknowledgement-title' }, term('acknowledge'), `: ${certificate.documentType} ${certificate.referenceNumber}`),
    h('p', {}, `From ${certificate.partner}, issued ${certificate.issueDate}, received ${inIct(certificate.createdAt)}.`),
    facts,
    h('fieldset', {}, h('legend', {}, term('decision')), choice('ACCEPTED', 'Accept'), choice('REJECTED', 'Reject')),
    h('label', { for: 'acknowledgement-reason' }, term('reason'), ' (required to reject; sent to the issuing country)'),
    reason,
    h('button', { type: 'submit' }, term('sendAcknowledgement')),
    problem,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const picked = form.querySelector<HTMLInputElement>('input[name="sps-decision"]:checked')?.value;
    const text = reason.value.trim();
    if (picked === 'REJECTED' && text === '') {
      problem.textContent = 'A rejection needs a reason: the issuing country is told why.';
      reason.focus();
      return;
    }
    void attempt(problem, async () => {
      const answer = await call<SpsAcknowledgement>('POST', `v1/certificates/${encodeURIComponent(certificate.id)}/acknowledgement`, {
        decision: picked,
        ...(text === '' ? {} : { reason: text }),
      });
      await decided(answer);
    });
  });
  return form;
}

export const agencyView: View = {
  id: 'worklist',
  label: 'worklist',
  roles: ['agency'],
  async mount(root, params) {
    const direction = params.get('direction') === 'OUT' ? 'OUT' : 'IN';
    const asked = params.get('status');
    const status = asked === 'any' ? '' : (STATUSES.find((value) => value === asked) ?? (direction === 'IN' ? 'RECEIVED' : ''));
    const cursor = params.get('cursor') ?? '';
    const problem = problemLine('worklist-problem');
    const done = h('p', { id: 'acknowledgement-done', class: 'done', role: 'status', tabindex: -1 });
    const panel = h('div', { id: 'acknowledgement-panel' });
    const { box, body } = table('worklist', [
      term('certificate'),
      term('documentType'),
      term('partner'),
      term('status'),
      term('issued'),
      term('received'),
      term('action'),
    ]);
    const empty = h('p', { id: 'worklist-empty', hidden: true }, 'No certificate here.');
    const next = h('a', { id: 'worklist-next', hidden: true }, term('nextPage'));
    root.append(h('h2', {}, term('worklist')), filterForm(direction, status), problem, done, box, empty, h('nav', {}, next), panel);

    const load = async (): Promise<void> => {
      const query = new URLSearchParams({ direction, limit: '50', ...(status === '' ? {} : { status }), ...(cursor === '' ? {} : { cursor }) });
      const page = await call<CertificatePage>('GET', `v1/certificates?${query}`);
      body.replaceChildren(
        ...page.items.map((certificate) => {
          const canDecide = certificate.direction === 'IN' && certificate.status === 'RECEIVED' && ACKNOWLEDGEABLE.has(certificate.documentType);
          const decide = canDecide
            ? button(term('acknowledge'), () =>
                attempt(problem, async () => {
                  const full = await call<Certificate>('GET', `v1/certificates/${encodeURIComponent(certificate.id)}`);
                  const form = decisionForm(certificate, certificateFacts(full), async (answer) => {
                    done.textContent = `${answer.documentType} ${answer.referenceNumber} ${answer.status}: ledger entry ${answer.ledgerIndex}${
                      answer.acknowledgementMessageId === null ? '' : `, SPS acknowledgement ${answer.acknowledgementMessageId} queued`
                    }${answer.declarations.length === 0 ? '' : `, declarations settled: ${answer.declarations.join(', ')}`}.`;
                    panel.replaceChildren();
                    await load();
                    // The form and the row are gone: keep the keyboard's place on the result.
                    done.focus();
                  });
                  panel.replaceChildren(form);
                  form.querySelector('input')?.focus();
                }),
              )
            : '';
          if (decide instanceof HTMLButtonElement) decide.setAttribute('aria-label', `${english('acknowledge')} ${certificate.referenceNumber}`);
          const tr = row([
            certificate.referenceNumber,
            certificate.documentType,
            certificate.partner === certificate.issuingCountry ? certificate.partner : `${certificate.partner} (${certificate.issuingCountry})`,
            certificate.statusReason === null ? certificate.status : `${certificate.status}: ${certificate.statusReason}`,
            certificate.issueDate,
            inIct(certificate.createdAt),
            decide,
          ]);
          tr.dataset['certificateId'] = certificate.id;
          return tr;
        }),
      );
      empty.hidden = page.items.length > 0;
      stackOnPhones(box);
      next.hidden = page.nextCursor === null;
      if (page.nextCursor !== null) next.setAttribute('href', href('worklist', { direction, status: status || 'any', cursor: page.nextCursor }));
    };
    await attempt(problem, load);
  },
};
