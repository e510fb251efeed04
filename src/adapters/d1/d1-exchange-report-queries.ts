import type { DeclarationDayCount, ExchangeReportQueries, MessageCount, Release } from '../../core/report/exchange-report.js';
import type { Period } from '../../core/report/period.js';
import { EXCHANGE_REPORT_SQL, REJECTED_MARKER, toRelease } from '../storage/exchange-report-sql.js';
import { D1NamedStatements } from './d1-named-statements.js';

/**
 * The MIS report's figures over D1's read model: the statements of the SQLite adapter (exchange-report-sql.ts).
 * @example const queries: ExchangeReportQueries = new D1ExchangeReportQueries(env.DB)
 */
export class D1ExchangeReportQueries implements ExchangeReportQueries {
  readonly #statements: D1NamedStatements;

  constructor(db: D1Database) {
    this.#statements = new D1NamedStatements(db);
  }

  async messageCounts(period: Period): Promise<readonly MessageCount[]> {
    const { from, until } = period;
    const [messages, rejected] = await Promise.all([
      this.#statements.prepare(EXCHANGE_REPORT_SQL.messages, { from, until }).all<MessageCount>(),
      this.#statements.prepare(EXCHANGE_REPORT_SQL.rejected, { from, until, marker: REJECTED_MARKER }).all<MessageCount>(),
    ]);
    return [...messages.results, ...rejected.results];
  }

  async releases(period: Period): Promise<readonly Release[]> {
    const { results } = await this.#statements
      .prepare(EXCHANGE_REPORT_SQL.releases, { from: period.from, until: period.until })
      .all<Parameters<typeof toRelease>[0]>();
    return results.map(toRelease);
  }

  async declarationsPerDay(period: Period): Promise<readonly DeclarationDayCount[]> {
    const { results } = await this.#statements
      .prepare(EXCHANGE_REPORT_SQL.declarationsPerDay, { from: period.from, until: period.until })
      .all<DeclarationDayCount>();
    return results;
  }
}
