import type { MessageFilter, MessageSummary } from '../../core/exchange/message-search.js';

/** A row of the message list, as SQLite answers it. */
export interface MessageSummaryRow {
  readonly message_id: string;
  readonly direction: 'IN' | 'OUT';
  readonly partner_id: string;
  readonly document_type: string;
  readonly conversation_id: string;
  readonly ref_to: string | null;
  readonly declaration_id: string | null;
  readonly ledger_index: number | null;
  readonly created_at: string;
  readonly routed_to: string | null;
  readonly summary: string | null;
}

/** A field of the message's own ledger entry (its canonical JSON bytes). */
const entryField = (path: string) => `json_extract(CAST(e.bytes AS TEXT), '$.data.${path}')`;

/**
 * Officers' message list: the messages table beside the ledger entry each message records, from which the routing and
 * the document summary are read (the ledger is where reception wrote them). `@name` parameters, bound from
 * messageSearchParams: the same text for better-sqlite3, the EXCHANGE object and D1.
 */
export const MESSAGE_SEARCH_SQL = `SELECT m.message_id, m.direction, m.partner_id, m.document_type, m.conversation_id, m.ref_to, m.declaration_id,
        m.ledger_index, m.created_at, ${entryField('routedTo')} AS routed_to, ${entryField('summary')} AS summary
 FROM messages m LEFT JOIN ledger_entries e ON e.entry_index = m.ledger_index
 WHERE (@direction IS NULL OR m.direction = @direction)
   AND (@documentType IS NULL OR m.document_type = @documentType)
   AND (@partner IS NULL OR m.partner_id = @partner)
   AND (@routedTo IS NULL OR ${entryField('routedTo')} = @routedTo)
   AND (@afterAt IS NULL OR m.created_at < @afterAt OR (m.created_at = @afterAt AND m.message_id < @afterId))
 ORDER BY m.created_at DESC, m.message_id DESC
 LIMIT @limit`;

/** The parameters of MESSAGE_SEARCH_SQL for a filter. */
export function messageSearchParams(filter: MessageFilter): Record<string, string | number | null> {
  return {
    direction: filter.direction ?? null,
    documentType: filter.documentType ?? null,
    partner: filter.partner ?? null,
    routedTo: filter.routedTo ?? null,
    afterAt: filter.after?.createdAt ?? null,
    afterId: filter.after?.id ?? null,
    limit: filter.limit,
  };
}

/** A message list row as the port answers it. */
export function toMessageSummary(row: MessageSummaryRow): MessageSummary {
  return {
    messageId: row.message_id,
    direction: row.direction,
    partner: row.partner_id,
    documentType: row.document_type,
    conversationId: row.conversation_id,
    refTo: row.ref_to,
    declarationId: row.declaration_id,
    ledgerIndex: row.ledger_index,
    createdAt: row.created_at,
    routedTo: row.routed_to,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as Record<string, unknown>),
  };
}
