/**
 * The officer's queue (#queue): yellow and red declarations awaiting an officer's decision (under review, under
 * inspection or held), oldest first, with how long each has waited since it was filed. It is one search,
 * GET /v1/clearances?order=oldest with the three statuses and two channels, read a page at a time (`#queue?limit=`,
 * 50 by default): "Show more" appends the next page after the last row and moves the focus to its first declaration.
 */
import type { ClearancePage } from '../api-types.js';
import { attempt, button, channelBadge, h, problemLine, table } from '../dom.js';
import { age, inIct } from '../format.js';
import { call } from '../http.js';
import { href } from '../router.js';
import { english, term } from '../terms.js';
import type { View } from '../view.js';
import { stackOnPhones } from './stack-on-phones.js';

type Summary = ClearancePage['items'][number];

/** The statuses in which a declaration waits for an officer, and the channels an officer looks at. */
const WAITING = ['UNDER_REVIEW', 'INSPECTION', 'HELD'] as const;
const CHANNELS = ['YELLOW', 'RED'] as const;

/** The query of one page of the queue: after `cursor`, `limit` declarations (the API's default when not given). */
function pageQuery(limit: string | null, cursor: string | null): string {
  const query = new URLSearchParams({ order: 'oldest' });
  for (const status of WAITING) query.append('status', status);
  for (const channel of CHANNELS) query.append('channel', channel);
  if (limit !== null) query.set('limit', limit);
  if (cursor !== null) query.set('cursor', cursor);
  return query.toString();
}

function queueRow(item: Summary, now: Date): HTMLTableRowElement {
  return h(
    'tr',
    {},
    h('td', {}, h('a', { href: href('clearance', { id: item.id }) }, item.declarationNumber)),
    h('td', { class: 'number age' }, age(item.submittedAt, now)),
    h('td', {}, channelBadge(item.channel)),
    h('td', {}, item.status),
    h('td', {}, item.kind),
    h('td', {}, item.trader),
    h('td', {}, item.partner),
    h('td', {}, h('time', { datetime: item.submittedAt }, inIct(item.submittedAt))),
  );
}

export const queueView: View = {
  id: 'queue',
  label: 'queue',
  roles: ['officer'],
  async mount(root, params) {
    const problem = problemLine('queue-problem');
    const note = h('p', { id: 'queue-note' });
    const { box, body } = table('queue', [
      term('declaration'),
      term('age'),
      term('channel'),
      term('status'),
      term('kind'),
      term('trader'),
      term('partner'),
      term('submitted'),
    ]);
    const pages = h('nav', { class: 'pages', 'aria-label': 'Pages' });
    root.append(h('h2', {}, term('queue')), h('p', {}, 'Yellow and red declarations awaiting a decision, oldest first.'), problem, note, box, pages);
    const limit = params.get('limit');
    let shown = 0;
    const more = async (cursor: string | null) => {
      await attempt(problem, async () => {
        const page = await call<ClearancePage>('GET', `v1/clearances?${pageQuery(limit, cursor)}`);
        const now = new Date();
        const rows = page.items.map((item) => queueRow(item, now));
        body.append(...rows);
        stackOnPhones(box);
        if (cursor !== null) rows[0]?.querySelector('a')?.focus();
        shown += page.items.length;
        const { nextCursor } = page;
        if (nextCursor === null) {
          note.textContent = shown === 0 ? 'Nothing awaits a decision.' : `${shown} declaration(s) await a decision.`;
          pages.replaceChildren();
        } else {
          note.textContent = `The oldest ${shown} declaration(s) awaiting a decision are shown; more wait after them.`;
          pages.replaceChildren(button(english('showMore'), () => void more(nextCursor)));
        }
      });
    };
    await more(null);
  },
};
