import type { MessageFilter, MessageQueries, MessageSummary } from '../../core/exchange/message-search.js';
import { MESSAGE_SEARCH_SQL, type MessageSummaryRow, messageSearchParams, toMessageSummary } from '../storage/message-search-sql.js';
import { D1NamedStatements } from './d1-named-statements.js';

/**
 * Officers' message list over D1's read model: the statement of the SQLite adapter (message-search-sql.ts).
 * @example const queries: MessageQueries = new D1MessageQueries(env.DB)
 */
export class D1MessageQueries implements MessageQueries {
  readonly #statements: D1NamedStatements;

  constructor(db: D1Database) {
    this.#statements = new D1NamedStatements(db);
  }

  async search(filter: MessageFilter): Promise<readonly MessageSummary[]> {
    const { results } = await this.#statements.prepare(MESSAGE_SEARCH_SQL, messageSearchParams(filter)).all<MessageSummaryRow>();
    return results.map(toMessageSummary);
  }
}
