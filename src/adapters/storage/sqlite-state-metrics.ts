import type { SqliteDatabase } from './sqlite-database.js';

/** Declarations counted by kind, status and channel. */
export interface DeclarationCount {
  readonly kind: string;
  readonly status: string;
  readonly channel: string;
  readonly count: number;
}

/** Outbox messages of one partner in one state, and the creation time of the oldest (ISO-8601). */
export interface OutboxStateCount {
  readonly partnerId: string;
  readonly state: string;
  readonly count: number;
  readonly oldestCreatedAt: string;
}

/** Accepted inbound envelopes by partner and document type. */
export interface InboundCount {
  readonly partnerId: string;
  readonly documentType: string;
  readonly count: number;
}

/** Cleared declarations (released or rejected) of one channel and outcome: how many took at most each bound. */
export interface ClearanceBuckets {
  readonly channel: string;
  readonly status: string;
  /** Cumulative counts, one per bound of `bounds`, in order. */
  readonly cumulative: readonly number[];
  readonly count: number;
  readonly sumSeconds: number;
}

/**
 * The state /metrics reports, read from swx's SQLite database at scrape time with one query per family (aggregates
 * over indexed columns; the clearance histogram scans the released and rejected declarations).
 * @example const state = new SqliteStateMetrics(db); state.outbox() // [{ partnerId: 'TH', state: 'PENDING', count: 2, oldestCreatedAt: '…' }]
 */
export class SqliteStateMetrics {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  declarations(): readonly DeclarationCount[] {
    return this.#db
      .prepare('SELECT kind, status, channel, COUNT(*) AS count FROM declarations GROUP BY kind, status, channel')
      .all() as DeclarationCount[];
  }

  outbox(): readonly OutboxStateCount[] {
    return this.#db
      .prepare('SELECT partner_id AS partnerId, state, COUNT(*) AS count, MIN(created_at) AS oldestCreatedAt FROM outbox GROUP BY partner_id, state')
      .all() as OutboxStateCount[];
  }

  inbound(): readonly InboundCount[] {
    return this.#db
      .prepare(
        `SELECT partner_id AS partnerId, document_type AS documentType, COUNT(*) AS count FROM messages WHERE direction = 'IN' GROUP BY partner_id, document_type`,
      )
      .all() as InboundCount[];
  }

  /** Seconds from creation to the last change of every released or rejected declaration, bucketed by `bounds`. */
  clearance(bounds: readonly number[]): readonly ClearanceBuckets[] {
    const seconds = '(julianday(updated_at) - julianday(created_at)) * 86400.0';
    const columns = bounds.map((bound, index) => `SUM(CASE WHEN ${seconds} <= ${Number(bound)} THEN 1 ELSE 0 END) AS b${index}`).join(', ');
    const rows = this.#db
      .prepare(
        `SELECT channel, status, COUNT(*) AS count, SUM(${seconds}) AS sumSeconds, ${columns}
         FROM declarations WHERE status IN ('RELEASED', 'REJECTED') GROUP BY channel, status`,
      )
      .all() as Record<string, string | number>[];
    return rows.map((row) => ({
      channel: String(row.channel),
      status: String(row.status),
      count: Number(row.count),
      sumSeconds: Number(row.sumSeconds),
      cumulative: bounds.map((_, index) => Number(row[`b${index}`])),
    }));
  }

  /** Entries in the ledger, and when the newest checkpoint was published (undefined before the first). */
  ledger(): { readonly entries: number; readonly lastCheckpointAt: string | undefined } {
    const row = this.#db
      .prepare(
        'SELECT (SELECT COALESCE(MAX(entry_index) + 1, 0) FROM ledger_entries) AS entries, (SELECT MAX(published_at) FROM ledger_checkpoints) AS lastCheckpointAt',
      )
      .get() as { entries: number; lastCheckpointAt: string | null };
    return { entries: row.entries, lastCheckpointAt: row.lastCheckpointAt ?? undefined };
  }
}
