import type { ClearanceFilter, ClearanceSummary } from '../../core/clearance/clearance-search.js';

/** A row of the clearance search, as SQLite answers it. */
export interface ClearanceSummaryRow {
  readonly id: string;
  readonly declaration_number: string;
  readonly kind: ClearanceSummary['kind'];
  readonly status: ClearanceSummary['status'];
  readonly channel: ClearanceSummary['channel'];
  readonly partner_id: string | null;
  readonly party_id: string;
  readonly trader: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

/** The Vietnamese trader's name: the exporter of an export declaration, the importer of an import declaration. */
const TRADER = `CASE d.kind WHEN 'IMPORT' THEN json_extract(d.document, '$.importer.name') ELSE json_extract(d.document, '$.exporter.name') END`;

/**
 * The officers' declaration search as one SQLite statement holding only the conditions asked for (so SQLite picks the
 * status, partner or submission-time index), with `@name` parameters: the same text for better-sqlite3, the
 * EXCHANGE object and D1. `q` is matched with instr() and substr(), not LIKE: D1 refuses LIKE patterns over 50 bytes,
 * and `q` may hold 200 characters. `lower()` folds ASCII letters only, as LIKE does.
 * @example const { sql, params } = clearanceSearchStatement({ status: 'UNDER_REVIEW', limit: 51 })
 */
export function clearanceSearchStatement(filter: ClearanceFilter): { readonly sql: string; readonly params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: filter.limit };
  const add = (condition: string, values: Record<string, string>) => {
    where.push(condition);
    Object.assign(params, values);
  };
  const anyOf = (column: string, name: string, values: string | readonly string[] | undefined) => {
    if (values === undefined) return;
    const list = typeof values === 'string' ? [values] : values;
    if (list.length === 0) return add('0 = 1', {});
    const names = list.map((_, index) => `${name}${index}`);
    add(`${column} IN (${names.map((n) => `@${n}`).join(', ')})`, Object.fromEntries(list.map((value, index) => [names[index], value])));
  };
  anyOf('d.status', 'status', filter.status);
  anyOf('d.channel', 'channel', filter.channel);
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
        OR instr(lower(${TRADER}), lower(@q)) > 0
        OR EXISTS (SELECT 1 FROM json_each(d.document, '$.items') AS item
                   WHERE lower(substr(json_extract(item.value, '$.hsCode'), 1, length(@q))) = lower(@q)))`,
      { q: filter.q },
    );
  }
  const oldest = filter.order === 'oldest';
  if (filter.after !== undefined) {
    const past = oldest ? '>' : '<';
    add(`(d.created_at ${past} @afterAt OR (d.created_at = @afterAt AND d.id ${past} @afterId))`, {
      afterAt: filter.after.createdAt,
      afterId: filter.after.id,
    });
  }
  const sql = `SELECT d.id, d.declaration_number, d.kind, d.status, d.channel, d.partner_id, d.party_id, ${TRADER} AS trader, d.created_at, d.updated_at
    FROM declarations d ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${oldest ? 'd.created_at ASC, d.id ASC' : 'd.created_at DESC, d.id DESC'} LIMIT @limit`;
  return { sql, params };
}

/** A clearance search row as the port answers it. */
export function toClearanceSummary(row: ClearanceSummaryRow): ClearanceSummary {
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
