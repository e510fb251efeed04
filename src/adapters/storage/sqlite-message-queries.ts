import type { MessageFilter, MessageQueries, MessageSummary } from '../../core/exchange/message-search.js';
import { MESSAGE_SEARCH_SQL, type MessageSummaryRow, messageSearchParams, toMessageSummary } from './message-search-sql.js';
import type { SqlDatabase } from './sql-database.js';

/**
 * Officers' message list in SQLite (message-search-sql.ts).
 * @example const queries: MessageQueries = new SqliteMessageQueries(db)
 */
export class SqliteMessageQueries implements MessageQueries {
  readonly #search;

  constructor(db: SqlDatabase) {
    this.#search = db.prepare<Record<string, string | number | null>, MessageSummaryRow>(MESSAGE_SEARCH_SQL);
  }

  search(filter: MessageFilter): Promise<readonly MessageSummary[]> {
    return Promise.resolve(this.#search.all(messageSearchParams(filter)).map(toMessageSummary));
  }
}
