import { encodeCursor, type ClearanceCursor } from '../clearance/clearance-search.js';
import type { MessageQueries } from '../ports.js';

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
export interface MessageSummary {
  readonly messageId: string;
  readonly direction: 'IN' | 'OUT';
  readonly partner: string;
  readonly documentType: string;
  readonly conversationId: string;
  readonly refTo: string | null;
  readonly declarationId: string | null;
  readonly ledgerIndex: number | null;
  readonly createdAt: string;
  /** The national agency an inbound document was routed to, as its reception's ledger entry says. */
  readonly routedTo: string | null;
  /** The ledger entry's summary of the document (e.g. an inbound ACDD's exporter, consignee, port of discharge). */
  readonly summary: Readonly<Record<string, unknown>> | null;
}

export interface MessagePage {
  readonly items: readonly MessageSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

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
