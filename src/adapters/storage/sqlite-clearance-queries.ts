import type { ClearanceFilter, ClearanceQueries, ClearanceSummary } from '../../core/clearance/clearance-search.js';
import type { SqlDatabase, SqlStatement } from './sql-database.js';

interface SummaryRow {
  id: string;
  declaration_number: string;
  kind: ClearanceSummary['kind'];
  status: ClearanceSummary['status'];
  channel: ClearanceSummary['channel'];
  partner_id: string | null;
  party_id: string;
  trader: string | null;
  created_at: string;
  updated_at: string;
}

/** The Vietnamese trader's name: the exporter of an export declaration, the importer of an import declaration. */
const TRADER = `CASE d.kind WHEN 'IMPORT' THEN json_extract(d.document, '$.importer.name') ELSE json_extract(d.document, '$.exporter.name') END`;

/** LIKE text matching `text` literally (its own % and _ escaped). */
const literal = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Officers' declaration search in SQLite. Each search runs one statement holding only the conditions
 * asked for (so SQLite picks the status, partner or submission-time index), prepared once per shape.
 * @example const queries: ClearanceQueries = new SqliteClearanceQueries(db)
 */
export class SqliteClearanceQueries implements ClearanceQueries {
  readonly #db: SqlDatabase;
  readonly #statements = new Map<string, SqlStatement>();

  constructor(db: SqlDatabase) {
    this.#db = db;
  }

  search(filter: ClearanceFilter): Promise<readonly ClearanceSummary[]> {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: filter.limit };
    const add = (condition: string, values: Record<string, string>) => {
      where.push(condition);
      Object.assign(params, values);
    };
    if (filter.status !== undefined) add('d.status = @status', { status: filter.status });
    if (filter.channel !== undefined) add('d.channel = @channel', { channel: filter.channel });
    if (filter.partner !== undefined) add('d.partner_id = @partner', { partner: filter.partner });
    if (filter.period?.from !== undefined) add('d.created_at >= @from', { from: filter.period.from });
    if (filter.period?.until !== undefined) add('d.created_at < @until', { until: filter.period.until });
    if (filter.documentType !== undefined) {
      add(
        `(d.kind || '_DECLARATION' = @documentType
          OR EXISTS (SELECT 1 FROM messages m WHERE m.declaration_id = d.id AND m.document_type = @documentType))`,
        { documentType: filter.documentType },
      );
    }
    if (filter.q !== undefined) {
      add(
        `(d.declaration_number = @q OR d.party_id = @q
          OR ${TRADER} LIKE @qAnywhere ESCAPE '\\'
          OR EXISTS (SELECT 1 FROM json_each(d.document, '$.items') AS item WHERE json_extract(item.value, '$.hsCode') LIKE @qPrefix ESCAPE '\\'))`,
        { q: filter.q, qAnywhere: `%${literal(filter.q)}%`, qPrefix: `${literal(filter.q)}%` },
      );
    }
    if (filter.after !== undefined) {
      add('(d.created_at < @afterAt OR (d.created_at = @afterAt AND d.id < @afterId))', {
        afterAt: filter.after.createdAt,
        afterId: filter.after.id,
      });
    }
    const sql = `SELECT d.id, d.declaration_number, d.kind, d.status, d.channel, d.partner_id, d.party_id, ${TRADER} AS trader, d.created_at, d.updated_at
      FROM declarations d ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY d.created_at DESC, d.id DESC LIMIT @limit`;
    const rows = this.#statement(sql).all(params) as SummaryRow[];
    return Promise.resolve(rows.map(toSummary));
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

function toSummary(row: SummaryRow): ClearanceSummary {
  return {
    id: row.id,
    declarationNumber: row.declaration_number,
    kind: row.kind,
    status: row.status,
    channel: row.channel,
    partner: row.partner_id,
    partyId: row.party_id,
    trader: row.trader,
    submittedAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
