import type { PartnerCircuitLog, PartnerCircuitRecord } from '../../core/delivery/partner-circuit-log.js';
import type { SqlDatabase } from './sql-database.js';

interface CircuitRow {
  partner_id: string;
  state: PartnerCircuitRecord['state'];
  consecutive_failures: number;
  opened_at: string | null;
  probe_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
  recorded_at: string;
}

const COLUMNS = 'partner_id, state, consecutive_failures, opened_at, probe_at, last_failure_at, last_error, recorded_at';

/**
 * Partner circuits in the swx SQLite database (migration 0007_partner_circuits.sql).
 * @example const circuits: PartnerCircuitLog = new SqlitePartnerCircuitLog(openDatabase('./data/swx.db'))
 */
export class SqlitePartnerCircuitLog implements PartnerCircuitLog {
  readonly #db: SqlDatabase;
  readonly #upsert;
  readonly #clear;
  readonly #all;

  constructor(db: SqlDatabase) {
    this.#db = db;
    this.#upsert = db.prepare<[CircuitRow]>(
      `INSERT OR REPLACE INTO partner_circuits (${COLUMNS})
       VALUES (@partner_id, @state, @consecutive_failures, @opened_at, @probe_at, @last_failure_at, @last_error, @recorded_at)`,
    );
    this.#clear = db.prepare('DELETE FROM partner_circuits');
    this.#all = db.prepare<[], CircuitRow>(`SELECT ${COLUMNS} FROM partner_circuits ORDER BY partner_id`);
  }

  async reset(records: readonly PartnerCircuitRecord[]): Promise<void> {
    this.#db.transaction(() => {
      this.#clear.run();
      for (const record of records) this.#upsert.run(toRow(record));
    })();
  }

  async save(record: PartnerCircuitRecord): Promise<void> {
    this.#upsert.run(toRow(record));
  }

  async list(): Promise<readonly PartnerCircuitRecord[]> {
    return this.#all.all().map((row) => ({
      partnerId: row.partner_id,
      state: row.state,
      consecutiveFailures: row.consecutive_failures,
      openedAt: row.opened_at ?? undefined,
      probeAt: row.probe_at ?? undefined,
      lastFailureAt: row.last_failure_at ?? undefined,
      lastError: row.last_error ?? undefined,
      recordedAt: row.recorded_at,
    }));
  }
}

function toRow(record: PartnerCircuitRecord): CircuitRow {
  return {
    partner_id: record.partnerId,
    state: record.state,
    consecutive_failures: record.consecutiveFailures,
    opened_at: record.openedAt ?? null,
    probe_at: record.probeAt ?? null,
    last_failure_at: record.lastFailureAt ?? null,
    last_error: record.lastError ?? null,
    recorded_at: record.recordedAt,
  };
}
