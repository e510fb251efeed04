/**
 * The declarations list (#clearances): filters by status, channel, partner, document type, submission dates and a
 * search text, as GET /v1/clearances takes them, kept in the hash so the back button and a copied link keep them.
 */
import type { ClearancePage } from '../api-types.js';
import { attempt, button, channelBadge, h, problemLine, row, table } from '../dom.js';
import { inIct } from '../format.js';
import { call } from '../http.js';
import { go, href } from '../router.js';
import { english, term } from '../terms.js';
import type { View } from '../view.js';
import { CHANNELS, DOCUMENT_TYPES, STATUSES } from './declaration-words.js';
import { stackOnPhones } from './stack-on-phones.js';

/** The list's filters, as the hash and the API name them. */
const FILTERS = ['status', 'channel', 'partner', 'documentType', 'from', 'to', 'q', 'limit'] as const;

const choice = (id: string, values: readonly string[], selected: string | null, any = 'any'): HTMLSelectElement =>
  h(
    'select',
    { id },
    h('option', { value: '' }, any),
    ...values.map((value) => h('option', { value, selected: value === selected }, value.replaceAll('_', ' ').toLowerCase())),
  );

const labelled = (label: Node | string, control: HTMLElement): HTMLLabelElement => h('label', {}, h('span', {}, label), control);

function filterForm(params: URLSearchParams): HTMLFormElement {
  const value = (name: string) => params.get(name) ?? '';
  const form = h(
    'form',
    { id: 'filter-form', 'aria-label': 'Filters' },
    labelled(term('status'), choice('filter-status', STATUSES, params.get('status'))),
    labelled(term('channel'), choice('filter-channel', CHANNELS, params.get('channel'))),
    labelled(term('partner'), h('input', { id: 'filter-partner', maxlength: 64, value: value('partner'), placeholder: 'TH, ID, …', size: 8 })),
    labelled(term('documentType'), choice('filter-documentType', DOCUMENT_TYPES, params.get('documentType'))),
    labelled(term('from'), h('input', { id: 'filter-from', type: 'date', value: value('from') })),
    labelled(term('to'), h('input', { id: 'filter-to', type: 'date', value: value('to') })),
    labelled(
      term('search'),
      h('input', { type: 'search', id: 'filter-q', maxlength: 200, value: value('q'), placeholder: 'number, party, HS code or trader' }),
    ),
    labelled(
      term('perPage'),
      h('select', { id: 'filter-limit' }, ...['10', '50', '200'].map((n) => h('option', { selected: n === (params.get('limit') ?? '50') }, n))),
    ),
    h('button', { type: 'submit' }, term('search')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const field = (name: string) => (form.querySelector<HTMLInputElement | HTMLSelectElement>(`#filter-${name}`)?.value ?? '').trim();
    go('clearances', Object.fromEntries(FILTERS.map((name) => [name, field(name)])));
  });
  return form;
}

export const clearancesView: View = {
  id: 'clearances',
  label: 'declarations',
  roles: ['officer'],
  async mount(root, params) {
    const problem = problemLine('list-problem');
    const { box, body } = table('clearances', [
      term('declaration'),
      term('kind'),
      term('status'),
      term('channel'),
      term('partner'),
      term('trader'),
      term('submitted'),
    ]);
    const empty = h('p', { id: 'list-empty', hidden: true }, 'No declaration matches.');
    const pages = h('nav', { class: 'pages', 'aria-label': 'Pages' });
    root.append(h('h2', {}, term('declarations')), filterForm(params), problem, box, empty, pages);
    await attempt(problem, async () => {
      const query = new URLSearchParams([...params].filter(([name]) => (FILTERS as readonly string[]).includes(name) || name === 'cursor'));
      const page = await call<ClearancePage>('GET', `v1/clearances?${query.toString()}`);
      body.replaceChildren(
        ...page.items.map((item) =>
          row([
            h('a', { href: href('clearance', { id: item.id }) }, item.declarationNumber),
            item.kind,
            item.status,
            channelBadge(item.channel),
            item.partner,
            item.trader,
            h('time', { datetime: item.submittedAt }, inIct(item.submittedAt)),
          ]),
        ),
      );
      stackOnPhones(box);
      empty.hidden = page.items.length > 0;
      const { nextCursor } = page;
      const first = new URLSearchParams(params);
      first.delete('cursor');
      if (params.has('cursor')) pages.append(button(english('firstPage'), () => go('clearances', first)));
      if (nextCursor) pages.append(button(english('nextPage'), () => go('clearances', { ...Object.fromEntries(first), cursor: nextCursor })));
    });
  },
};
