import type { DeclarationDayCount, ExchangeReportQueries, MessageCount, Release } from '../../core/report/exchange-report.js';
import type { Period } from '../../core/report/period.js';
import { EXCHANGE_REPORT_SQL, REJECTED_MARKER, toRelease } from './exchange-report-sql.js';
import type { SqlDatabase } from './sql-database.js';

/**
 * The MIS report's figures in SQLite (exchange-report-sql.ts).
 * @example const queries: ExchangeReportQueries = new SqliteExchangeReportQueries(db)
 */
export class SqliteExchangeReportQueries implements ExchangeReportQueries {
  readonly #statements;

  constructor(db: SqlDatabase) {
    this.#statements = {
      messages: db.prepare(EXCHANGE_REPORT_SQL.messages),
      rejected: db.prepare(EXCHANGE_REPORT_SQL.rejected),
      releases: db.prepare(EXCHANGE_REPORT_SQL.releases),
      declarationsPerDay: db.prepare(EXCHANGE_REPORT_SQL.declarationsPerDay),
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
    const rows = this.#statements.releases.all({ from: period.from, until: period.until }) as Parameters<typeof toRelease>[0][];
    return Promise.resolve(rows.map(toRelease));
  }

  declarationsPerDay(period: Period): Promise<readonly DeclarationDayCount[]> {
    return Promise.resolve(this.#statements.declarationsPerDay.all({ from: period.from, until: period.until }) as DeclarationDayCount[]);
  }
}
