import { z } from 'zod';
import { Channel, DeclarationKind, DeclarationStatus } from '../declaration/declaration.js';
import { fromBase64, toBase64 } from '../encoding.js';
import { CoreError } from '../errors.js';
import type { Period } from '../report/period.js';

/** The order of a search: newest first (the default) or oldest first (the officer's queue). */
export const ClearanceOrder = z.enum(['newest', 'oldest']);
export type ClearanceOrder = z.infer<typeof ClearanceOrder>;

/** A position in the order of declarations: the last one a page held. */
export interface ClearanceCursor {
  readonly createdAt: string;
  readonly id: string;
}

/** A cursor as read back: the position and the order of the search that handed it out. */
export interface OrderedCursor extends ClearanceCursor {
  readonly order: ClearanceOrder;
}

/**
 * What officers search declarations by. `documentType` matches the declaration's own type (EXPORT_DECLARATION,
 * IMPORT_DECLARATION) or the type of any message exchanged about it (ACDD, FORM_D, EPHYTO, …); `q` matches the
 * declaration number or submitting party exactly, an HS code by its beginning, or the trader's name anywhere;
 * the period is the submission time.
 */
export interface ClearanceFilter {
  /** One status, or any of several. */
  readonly status?: DeclarationStatus | readonly DeclarationStatus[];
  /** One channel, or any of several. */
  readonly channel?: Channel | readonly Channel[];
  readonly partner?: string;
  readonly documentType?: string;
  readonly period?: Partial<Period>;
  readonly q?: string;
  /** Newest first when absent. */
  readonly order?: ClearanceOrder;
  /** Only declarations after this position, in the filter's order (the cursor's order must be the same). */
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
 * One page of declarations matching the filter, newest first (submission time, then id; or oldest first with
 * `order: 'oldest'`), and the cursor of the next. Walking the cursors visits each match once, even while new
 * declarations arrive (newest first they sort before the first page; oldest first, after the pages read so far).
 * @example const { items, nextCursor } = await searchClearances(queries, { status: 'UNDER_REVIEW', order: 'oldest', limit: 50 })
 */
export async function searchClearances(queries: ClearanceQueries, filter: ClearanceFilter): Promise<ClearancePage> {
  const rows = await queries.search({ ...filter, limit: filter.limit + 1 });
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  const order = filter.order ?? 'newest';
  return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor({ createdAt: last.submittedAt, id: last.id }, order) : null };
}

/**
 * The position `cursor` names, for a search in `order`; CURSOR_INVALID (400) when the cursor was handed out by a
 * search in the other order (its position would skip or repeat declarations).
 * @example cursorFor(page.nextCursor, 'oldest') // { createdAt, id }
 */
export function cursorFor(text: string, order: ClearanceOrder): ClearanceCursor {
  const cursor = decodeCursor(text);
  if (cursor.order !== order) {
    throw new CoreError('CURSOR_INVALID', `the cursor belongs to a search ordered ${cursor.order} first; send the same order with it`, {
      issues: [{ pointer: '/cursor', detail: `query string: a cursor of order=${cursor.order}, not order=${order}` }],
    });
  }
  return { createdAt: cursor.createdAt, id: cursor.id };
}

/**
 * The opaque cursor text of a position in `order` (base64url of its JSON; a newest-first cursor keeps its two-field form).
 * @example decodeCursor(encodeCursor({ createdAt: '2026-11-21T03:00:00.000Z', id: 'f15d…' }, 'oldest')).order // 'oldest'
 */
export function encodeCursor(cursor: ClearanceCursor, order: ClearanceOrder = 'newest'): string {
  const fields = order === 'newest' ? [cursor.createdAt, cursor.id] : [cursor.createdAt, cursor.id, order];
  return toBase64(new TextEncoder().encode(JSON.stringify(fields)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The position a cursor names; CURSOR_INVALID (400) for text no page handed out. */
export function decodeCursor(text: string): OrderedCursor {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'))));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      if (value.length === 2) return { createdAt: value[0], id: value[1], order: 'newest' };
      if (value.length === 3 && value[2] === 'oldest') return { createdAt: value[0], id: value[1], order: 'oldest' };
    }
  } catch {
    // Any failure to read it means the same to the caller: not a cursor of ours.
  }
  throw new CoreError('CURSOR_INVALID', 'the cursor is not one a previous page returned; start again without it', {
    issues: [{ pointer: '/cursor', detail: 'query string: not a cursor of this search' }],
  });
}

/** Officers' search over declarations (`GET /v1/clearances`): read-only, newest or oldest first. */
export interface ClearanceQueries {
  /**
   * Up to `filter.limit` declarations matching the filter, after `filter.after`, by submission time then id,
   * descending (ascending with `order: 'oldest'`).
   */
  search(filter: ClearanceFilter): Promise<readonly ClearanceSummary[]>;
}
