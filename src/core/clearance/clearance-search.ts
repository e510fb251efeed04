import { z } from 'zod';
import { Channel, DeclarationKind, DeclarationStatus } from '../declaration/declaration.js';
import { fromBase64, toBase64 } from '../encoding.js';
import { CoreError } from '../errors.js';
import type { Period } from '../report/period.js';

/** A position in the newest-first order of declarations: the last one a page held. */
export interface ClearanceCursor {
  readonly createdAt: string;
  readonly id: string;
}

/**
 * What officers search declarations by. `documentType` matches the declaration's own type (EXPORT_DECLARATION,
 * IMPORT_DECLARATION) or the type of any message exchanged about it (ACDD, FORM_D, EPHYTO, …); `q` matches the
 * declaration number or submitting party exactly, an HS code by its beginning, or the trader's name anywhere;
 * the period is the submission time.
 */
export interface ClearanceFilter {
  readonly status?: DeclarationStatus;
  readonly channel?: Channel;
  readonly partner?: string;
  readonly documentType?: string;
  readonly period?: Partial<Period>;
  readonly q?: string;
  readonly after?: ClearanceCursor;
  readonly limit: number;
}

/** One declaration in a search result. */
export const ClearanceSummary = z
  .object({
    id: z.string(),
    declarationNumber: z.string(),
    kind: DeclarationKind,
    status: DeclarationStatus,
    channel: Channel,
    partner: z.string().nullable(),
    partyId: z.string(),
    /** The Vietnamese trader's name: the exporter of an export declaration, the importer of an import declaration. */
    trader: z.string().nullable(),
    submittedAt: z.string(),
    updatedAt: z.string(),
  })
  .readonly()
  .meta({ id: 'ClearanceSummary' });
export type ClearanceSummary = z.infer<typeof ClearanceSummary>;

/** One page of `GET /v1/clearances`. */
export const ClearancePage = z
  .object({
    items: z.array(ClearanceSummary).readonly(),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page' }),
  })
  .readonly()
  .meta({ id: 'ClearancePage' });
export type ClearancePage = z.infer<typeof ClearancePage>;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/**
 * One page of declarations matching the filter, newest first (submission time, then id), and the cursor of the next.
 * Walking the cursors visits each match once, even while new declarations arrive (they sort before the first page).
 * @example const { items, nextCursor } = await searchClearances(queries, { status: 'UNDER_REVIEW', limit: 50 })
 */
export async function searchClearances(queries: ClearanceQueries, filter: ClearanceFilter): Promise<ClearancePage> {
  const rows = await queries.search({ ...filter, limit: filter.limit + 1 });
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor({ createdAt: last.submittedAt, id: last.id }) : null };
}

/**
 * The opaque cursor text of a position (base64url of its JSON).
 * @example decodeCursor(encodeCursor({ createdAt: '2026-11-21T03:00:00.000Z', id: 'f15d…' })).id // 'f15d…'
 */
export function encodeCursor(cursor: ClearanceCursor): string {
  return toBase64(new TextEncoder().encode(JSON.stringify([cursor.createdAt, cursor.id])))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The position a cursor names; CURSOR_INVALID (400) for text no page handed out. */
export function decodeCursor(text: string): ClearanceCursor {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'))));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // Any failure to read it means the same to the caller: not a cursor of ours.
  }
  throw new CoreError('CURSOR_INVALID', 'the cursor is not one a previous page returned; start again without it', {
    issues: [{ pointer: '/cursor', detail: 'query string: not a cursor of this search' }],
  });
}

/** Officers' search over declarations (`GET /v1/clearances`): read-only, newest first. */
export interface ClearanceQueries {
  /** Up to `filter.limit` declarations matching the filter, after `filter.after`, by submission time then id, descending. */
  search(filter: ClearanceFilter): Promise<readonly ClearanceSummary[]>;
}
