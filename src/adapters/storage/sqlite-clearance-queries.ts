import type { ClearanceFilter, ClearanceQueries, ClearanceSummary } from '../../core/clearance/clearance-search.js';
import { type ClearanceSummaryRow, clearanceSearchStatement, toClearanceSummary } from './clearance-search-sql.js';
import type { SqlDatabase, SqlStatement } from './sql-database.js';

/**
 * Officers' declaration search in SQLite (clearance-search-sql.ts), each statement shape prepared once.
 * @example const queries: ClearanceQueries = new SqliteClearanceQueries(db)
 */
export class SqliteClearanceQueries implements ClearanceQueries {
  readonly #db: SqlDatabase;
  readonly #statements = new Map<string, SqlStatement>();

  constructor(db: SqlDatabase) {
    this.#db = db;
  }

  search(filter: ClearanceFilter): Promise<readonly ClearanceSummary[]> {
    const { sql, params } = clearanceSearchStatement(filter);
    const rows = this.#statement(sql).all(params) as ClearanceSummaryRow[];
    return Promise.resolve(rows.map(toClearanceSummary));
  }

  #statement(sql: string): SqlStatement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
