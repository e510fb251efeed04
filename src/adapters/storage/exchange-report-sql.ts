import type { Release } from '../../core/report/exchange-report.js';

/** Bytes every DOCUMENT_REJECTED entry holds: a cheap byte search before any JSON is parsed (the `marker` parameter). */
export const REJECTED_MARKER = new TextEncoder().encode('"type":"DOCUMENT_REJECTED"');

/**
 * The MIS report's statements, `@from` and `@until` bounding the period: messages with their outbox state, refused
 * inbound envelopes from the ledger (DOCUMENT_REJECTED entries that name an envelope digest; `@marker` is
 * REJECTED_MARKER), releases from the declarations' timelines, and declarations submitted per UTC day and channel
 * (created_at is ISO 8601 UTC, so its first ten characters are the day). The same text for better-sqlite3, the EXCHANGE
 * object and D1.
 */
export const EXCHANGE_REPORT_SQL = {
  messages: `SELECT m.partner_id AS partner, m.document_type AS documentType, m.direction,
                    CASE WHEN m.direction = 'IN' THEN 'ACCEPTED' ELSE coalesce(o.state, 'PENDING') END AS outcome, count(*) AS count
             FROM messages m LEFT JOIN outbox o ON o.message_id = m.message_id
             WHERE m.created_at >= @from AND m.created_at < @until
             GROUP BY 1, 2, 3, 4`,
  rejected: `SELECT json_extract(entry, '$.data.from') AS partner, json_extract(entry, '$.data.documentType') AS documentType,
                    'IN' AS direction, 'REJECTED' AS outcome, count(*) AS count
             FROM (SELECT CAST(bytes AS TEXT) AS entry FROM ledger_entries WHERE instr(bytes, @marker) > 0)
             WHERE json_extract(entry, '$.type') = 'DOCUMENT_REJECTED' AND json_extract(entry, '$.data.envelopeDigest') IS NOT NULL
               AND json_extract(entry, '$.at') >= @from AND json_extract(entry, '$.at') < @until
             GROUP BY 1, 2`,
  releases: `SELECT d.channel, d.created_at AS submittedAt, t.at AS releasedAt,
                    EXISTS (SELECT 1 FROM declaration_timeline x
                            WHERE x.declaration_id = t.declaration_id AND x.type = 'DECISION_RECORDED' AND x.ledger_index < t.ledger_index) AS manual
             FROM declaration_timeline t JOIN declarations d ON d.id = t.declaration_id
             WHERE t.type = 'STATUS_CHANGED' AND t.at >= @from AND t.at < @until AND json_extract(t.detail, '$.status') = 'RELEASED'`,
  declarationsPerDay: `SELECT substr(created_at, 1, 10) AS day, channel, count(*) AS count
             FROM declarations WHERE created_at >= @from AND created_at < @until
             GROUP BY 1, 2`,
} as const;

/** A release row (`manual` is SQLite's 0 or 1) as the port answers it. */
export function toRelease(row: Omit<Release, 'manual'> & { readonly manual: number }): Release {
  return { channel: row.channel, submittedAt: row.submittedAt, releasedAt: row.releasedAt, manual: row.manual === 1 };
}
