import type { ClearanceFilter, ClearanceQueries, ClearanceSummary } from '../../core/clearance/clearance-search.js';
import { type ClearanceSummaryRow, clearanceSearchStatement, toClearanceSummary } from '../storage/clearance-search-sql.js';
import { D1NamedStatements } from './d1-named-statements.js';

/**
 * Officers' declaration search over D1's read model: the statement of the SQLite adapter (clearance-search-sql.ts),
 * whose `q` needs no LIKE pattern (D1 refuses those over 50 bytes).
 * @example const queries: ClearanceQueries = new D1ClearanceQueries(env.DB)
 */
export class D1ClearanceQueries implements ClearanceQueries {
  readonly #statements: D1NamedStatements;

  constructor(db: D1Database) {
    this.#statements = new D1NamedStatements(db);
  }

  async search(filter: ClearanceFilter): Promise<readonly ClearanceSummary[]> {
    const { sql, params } = clearanceSearchStatement(filter);
    const { results } = await this.#statements.prepare(sql, params).all<ClearanceSummaryRow>();
    return results.map(toClearanceSummary);
  }
}
