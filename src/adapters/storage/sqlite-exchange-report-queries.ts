import type { ExchangeReportQueries, MessageCount, Release } from '../../core/report/exchange-report.js';
import type { Period } from '../../core/report/period.js';
import type { SqlDatabase } from './sql-database.js';

/** Bytes every DOCUMENT_REJECTED entry holds: a cheap byte search before any JSON is parsed. */
const REJECTED_MARKER = new TextEncoder().encode('"type":"DOCUMENT_REJECTED"');

/**
 * The MIS report's figures in SQLite: messages with their outbox state, refused inbound envelopes from
 * the ledger (DOCUMENT_REJECTED entries that name an envelope digest), and releases from the declarations' timelines.
 * @example const queries: ExchangeReportQueries = new SqliteExchangeReportQueries(db)
 */
export class SqliteExchangeReportQueries implements ExchangeReportQueries {
  readonly #statements;

  constructor(db: SqlDatabase) {
    this.#statements = {
      messages: db.prepare(
        `SELECT m.partner_id AS partner, m.document_type AS documentType, m.direction,
                CASE WHEN m.direction = 'IN' THEN 'ACCEPTED' ELSE coalesce(o.state, 'PENDING') END AS outcome, count(*) AS count
         FROM messages m LEFT JOIN outbox o ON o.message_id = m.message_id
         WHERE m.created_at >= @from AND m.created_at < @until
         GROUP BY 1, 2, 3, 4`,
      ),
      rejected: db.prepare(
        `SELECT json_extract(entry, '$.data.from') AS partner, json_extract(entry, '$.data.documentType') AS documentType,
                'IN' AS direction, 'REJECTED' AS outcome, count(*) AS count
         FROM (SELECT CAST(bytes AS TEXT) AS entry FROM ledger_entries WHERE instr(bytes, @marker) > 0)
         WHERE json_extract(entry, '$.type') = 'DOCUMENT_REJECTED' AND json_extract(entry, '$.data.envelopeDigest') IS NOT NULL
           AND json_extract(entry, '$.at') >= @from AND json_extract(entry, '$.at') < @until
         GROUP BY 1, 2`,
      ),
      releases: db.prepare(
        `SELECT d.channel, d.created_at AS submittedAt, t.at AS releasedAt,
                EXISTS (SELECT 1 FROM declaration_timeline x
                        WHERE x.declaration_id = t.declaration_id AND x.type = 'DECISION_RECORDED' AND x.ledger_index < t.ledger_index) AS manual
         FROM declaration_timeline t JOIN declarations d ON d.id = t.declaration_id
         WHERE t.type = 'STATUS_CHANGED' AND t.at >= @from AND t.at < @until AND json_extract(t.detail, '$.status') = 'RELEASED'`,
      ),
    };
  }

  messageCounts(period: Period): Promise<readonly MessageCount[]> {
    const { from, until } = period;
    return Promise.resolve([
      ...(this.#statements.messages.all({ from, until }) as MessageCount[]),
      ...(this.#statements.rejected.all({ from, until, marker: REJECTED_MARKER }) as MessageCount[]),
    ]);
  }

  releases(period: Period): Promise<readonly Release[]> {
    const rows = this.#statements.releases.all({ from: period.from, until: period.until }) as (Omit<Release, 'manual'> & { manual: number })[];
    return Promise.resolve(rows.map((row) => ({ ...row, manual: row.manual === 1 })));
  }
}
