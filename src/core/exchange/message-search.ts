import { z } from 'zod';
import { encodeCursor, type ClearanceCursor } from '../clearance/clearance-search.js';
import { MessageFields } from './message-view.js';

/** What officers list exchanged messages by; `routedTo` is the national agency reception routed a message to. */
export interface MessageFilter {
  readonly direction?: 'IN' | 'OUT' | undefined;
  readonly documentType?: string | undefined;
  readonly partner?: string | undefined;
  readonly routedTo?: string | undefined;
  readonly after?: ClearanceCursor | undefined;
  readonly limit: number;
}

/** One message in a list: who sent what, when, its ledger entry, and what that entry recorded of it. */
export const MessageSummary = MessageFields.extend({
  routedTo: z.string().nullable().meta({ description: 'The national agency an inbound document was routed to (from its ledger entry)' }),
  /** The ledger entry's summary of the document (e.g. an inbound ACDD's exporter, consignee, port of discharge). */
  summary: z.record(z.string(), z.unknown()).readonly().nullable().meta({ description: 'What the ledger entry recorded of the document' }),
})
  .readonly()
  .meta({ id: 'ExchangeMessageSummary' });
export type MessageSummary = z.infer<typeof MessageSummary>;

/** One page of `GET /v1/messages`. */
export const MessagePage = z
  .object({
    items: z.array(MessageSummary).readonly(),
    /** Pass as `cursor` for the next page; null on the last page. */
    nextCursor: z.string().nullable(),
  })
  .readonly();
export type MessagePage = z.infer<typeof MessagePage>;

/**
 * One page of messages matching the filter, newest first (creation time, then message id), and the next cursor.
 * @example await searchMessages(queries, { direction: 'IN', documentType: 'ACDD', limit: 50 })
 */
export async function searchMessages(queries: MessageQueries, filter: MessageFilter): Promise<MessagePage> {
  const rows = await queries.search({ ...filter, limit: filter.limit + 1 });
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.messageId }) : null };
}

/** Officers' list of exchanged messages (`GET /v1/messages`): read-only, newest first. */
export interface MessageQueries {
  /** Up to `filter.limit` messages matching the filter, after `filter.after`, by creation time then message id, descending. */
  search(filter: MessageFilter): Promise<readonly MessageSummary[]>;
}
