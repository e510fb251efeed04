/**
 * The officer's queue (#queue): yellow and red declarations awaiting an officer's decision (under review, under
 * inspection or held), oldest first, with how long each has waited since it was filed. GET /v1/clearances lists newest
 * first, one status and channel at a time, so the queue reads each pair's pages (up to QUEUE_LIMIT declarations)
 * and sorts them here.
 */
import type { ClearancePage } from '../api-types.js';
import { attempt, channelBadge, h, problemLine, table } from '../dom.js';
import { age, inIct } from '../format.js';
import { call } from '../http.js';
import { href } from '../router.js';
import { term } from '../terms.js';
import type { View } from '../view.js';
import { stackOnPhones } from './stack-on-phones.js';

type Summary = ClearancePage['items'][number];

/** The statuses in which a declaration waits for an officer, and the channels an officer looks at. */
const WAITING = ['UNDER_REVIEW', 'INSPECTION', 'HELD'] as const;
const CHANNELS = ['YELLOW', 'RED'] as const;
/** At most this many declarations are read for the queue; past it, the queue says so. */
export const QUEUE_LIMIT = 1000;

async function waiting(status: string, channel: string, budget: number): Promise<{ items: Summary[]; more: boolean }> {
  const items: Summary[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ status, channel, limit: '200' });
    if (cursor) query.set('cursor', cursor);
    const page: ClearancePage = await call<ClearancePage>('GET', `v1/clearances?${query.toString()}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < budget);
  return { items, more: cursor !== null };
}

export const queueView: View = {
  id: 'queue',
  label: 'queue',
  roles: ['officer'],
  async mount(root) {
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
    root.append(h('h2', {}, term('queue')), h('p', {}, 'Yellow and red declarations awaiting a decision, oldest first.'), problem, note, box);
    await attempt(problem, async () => {
      const budget = Math.floor(QUEUE_LIMIT / (WAITING.length * CHANNELS.length));
      const reads = await Promise.all(WAITING.flatMap((status) => CHANNELS.map((channel) => waiting(status, channel, budget))));
      const items = reads.flatMap((read) => read.items).sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
      const now = new Date();
      body.replaceChildren(
        ...items.map((item) =>
          h(
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
          ),
        ),
      );
      stackOnPhones(box);
      const more = reads.some((read) => read.more)
        ? ` Only the newest ${QUEUE_LIMIT} are read: narrow the list with filters under Declarations.`
        : '';
      note.textContent = items.length === 0 ? 'Nothing awaits a decision.' : `${items.length} declaration(s) await a decision.${more}`;
    });
  },
};
