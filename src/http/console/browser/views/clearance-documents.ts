/**
 * The documents exchanged about a declaration, received and sent, each with where it stands (queued, delivered,
 * receipted, failing, given up, answered with a receipt), read from the history steps about it.
 */
import type { ClearanceView } from '../api-types.js';
import { button, h, table } from '../dom.js';
import { inIct } from '../format.js';
import { term } from '../terms.js';
import { stackOnPhones } from './stack-on-phones.js';

type Document = ClearanceView['documents'][number];

const STANDING: Readonly<Record<string, (detail: Readonly<Record<string, unknown>>) => string>> = {
  MESSAGE_QUEUED: () => 'queued for delivery',
  DELIVERY_FAILED: (d) => `delivery failing (attempt ${String(d['attempt'])})`,
  MESSAGE_DEAD_LETTERED: () => 'given up: dead letter',
  MESSAGE_DELIVERED: () => 'delivered, awaiting its receipt',
  RECEIPT_VERIFIED: (d) => `delivered; receipt ${String(d['status'])}`,
  RECEIPT_SENT: (d) => `received; our receipt ${String(d['status'])} sent`,
};

/** Where a document stands: the last history step about it that says so, else whether it was receipted. */
function standing(document: Document, view: ClearanceView): string {
  const steps = view.history.filter((step) => step.messageId === document.messageId && Object.hasOwn(STANDING, step.type));
  const last = steps.at(-1);
  if (last) return STANDING[last.type]?.(last.detail) ?? '';
  if (document.direction === 'IN') return document.receipted ? 'received; receipt sent' : 'received';
  return document.receipted ? 'delivered and receipted' : 'not receipted yet';
}

/**
 * The documents section; `open` shows a message below the history.
 * @example root.append(documentsBlock(view, (id) => showMessage(panel, problem, id)))
 */
export function documentsBlock(view: ClearanceView, open: (messageId: string) => void): HTMLElement {
  const { box } = table(
    'documents',
    ['Direction', term('documentType'), term('partner'), 'At', term('status'), term('ledger')],
    view.documents.map((document) =>
      h(
        'tr',
        { 'data-message-id': document.messageId },
        h('td', {}, document.direction === 'IN' ? 'Received' : 'Sent'),
        h(
          'td',
          {},
          button(document.documentType, () => open(document.messageId), 'link'),
        ),
        h('td', {}, document.partner),
        h('td', {}, inIct(document.createdAt)),
        h('td', { class: 'standing' }, standing(document, view)),
        h('td', {}, document.ledgerIndex === undefined ? '–' : `#${document.ledgerIndex}`),
      ),
    ),
  );
  stackOnPhones(box);
  const empty = h('p', {}, 'No document exchanged yet.');
  return h(
    'section',
    { 'aria-labelledby': 'documents-heading' },
    h('h3', { id: 'documents-heading' }, term('documents')),
    view.documents.length === 0 ? empty : box,
  );
}
