import { CoreError } from '../../core/errors.js';
import type { ExchangeChange } from '../../core/exchange/exchange-store.js';
import { API_KEY_SQL, type ApiKeyRow } from '../storage/api-key-sql.js';
import type { SqlDatabase } from '../storage/sql-database.js';
import { D1NamedStatements } from './d1-named-statements.js';

/** What a queued row names (migration 0013's read_model_changes.kind). */
type ChangeKind = 'declaration' | 'message' | 'api_key';

/** How a run ended: nothing left to project, its budget spent with more left, or a failure (reported to onError). */
export type ProjectionRun = 'done' | 'more' | 'failed';

/** How much one D1 batch and one run carry. */
export interface ReadModelProjectionOptions {
  /** Queued changes (read_model_changes rows) per batch. */
  readonly changesPerBatch?: number;
  /** Ledger entries per batch. */
  readonly entriesPerBatch?: number;
  /** D1 statements per run, at most (then the caller runs it again): each counts against the invocation's query limit. */
  readonly statementsPerRun?: number;
  /** Told of each failed run; the rows stay queued for the next. */
  readonly onError?: (error: unknown) => void;
}

const IDS = 'SELECT value FROM json_each(@ids)';

/** What the object reads of its own rows: only what the readers of D1 read (a message's envelope and receipt stay). */
const SOURCE_SQL = {
  pending: 'SELECT seq, kind, key FROM read_model_changes WHERE seq < @before ORDER BY seq LIMIT @limit',
  anyPending: 'SELECT EXISTS (SELECT 1 FROM read_model_changes)',
  keysAfter: "SELECT EXISTS (SELECT 1 FROM read_model_changes WHERE kind = 'api_key' AND seq > @last)",
  done: 'DELETE FROM read_model_changes WHERE seq <= @last',
  queue: 'INSERT INTO read_model_changes (kind, key) VALUES (@kind, @key)',
  mark: 'SELECT value FROM read_model_marks WHERE name = @name',
  setMark: 'INSERT INTO read_model_marks (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
  ledgerSize: 'SELECT coalesce(max(entry_index) + 1, 0) FROM ledger_entries',
  entries: 'SELECT entry_index, bytes FROM ledger_entries WHERE entry_index >= @from AND entry_index < @to ORDER BY entry_index',
  declarations: `SELECT id, declaration_number, kind, party_id, status, channel, channel_reasons, partner_id, document, created_at, updated_at
                 FROM declarations WHERE id IN (${IDS})`,
  timeline: `SELECT declaration_id, ledger_index, type, at, message_id, detail FROM declaration_timeline
             WHERE declaration_id IN (${IDS}) ORDER BY declaration_id, ledger_index`,
  messages: `SELECT message_id, direction, partner_id, document_type, conversation_id, ref_to, declaration_id, digest, ledger_index, created_at
             FROM messages WHERE message_id IN (${IDS})`,
  outbox: `SELECT message_id, partner_id, state, attempts, next_attempt_at, last_error, created_at, updated_at, delivered_at, budget_started_at
           FROM outbox WHERE message_id IN (${IDS})`,
  backfill: `INSERT INTO read_model_changes (kind, key)
             SELECT 'declaration', id FROM declarations UNION ALL SELECT 'message', message_id FROM messages
             UNION ALL SELECT 'api_key', id FROM api_keys`,
} as const;

/** Idempotent upserts into D1, keyed by id or ledger index: running a batch twice leaves the same rows. */
const TARGET_SQL = {
  entry: 'INSERT INTO ledger_entries (entry_index, bytes) VALUES (@entry_index, @bytes) ON CONFLICT (entry_index) DO NOTHING',
  declaration: `INSERT INTO declarations (id, declaration_number, kind, party_id, status, channel, channel_reasons, partner_id, document, created_at, updated_at)
                VALUES (@id, @declaration_number, @kind, @party_id, @status, @channel, @channel_reasons, @partner_id, @document, @created_at, @updated_at)
                ON CONFLICT (id) DO UPDATE SET declaration_number = excluded.declaration_number, kind = excluded.kind, party_id = excluded.party_id,
                  status = excluded.status, channel = excluded.channel, channel_reasons = excluded.channel_reasons, partner_id = excluded.partner_id,
                  document = excluded.document, created_at = excluded.created_at, updated_at = excluded.updated_at`,
  timeline: `INSERT INTO declaration_timeline (declaration_id, ledger_index, type, at, message_id, detail)
             VALUES (@declaration_id, @ledger_index, @type, @at, @message_id, @detail)
             ON CONFLICT (declaration_id, ledger_index) DO UPDATE SET type = excluded.type, at = excluded.at, message_id = excluded.message_id, detail = excluded.detail`,
  // The envelope (NOT NULL in the shared schema) is kept empty: only the object serves it.
  message: `INSERT INTO messages (message_id, direction, partner_id, document_type, conversation_id, ref_to, declaration_id, envelope, digest, receipt, ledger_index, created_at)
            VALUES (@message_id, @direction, @partner_id, @document_type, @conversation_id, @ref_to, @declaration_id, '', @digest, NULL, @ledger_index, @created_at)
            ON CONFLICT (message_id) DO UPDATE SET direction = excluded.direction, partner_id = excluded.partner_id, document_type = excluded.document_type,
              conversation_id = excluded.conversation_id, ref_to = excluded.ref_to, declaration_id = excluded.declaration_id, digest = excluded.digest,
              ledger_index = excluded.ledger_index, created_at = excluded.created_at`,
  outbox: `INSERT INTO outbox (message_id, partner_id, state, attempts, next_attempt_at, last_error, created_at, updated_at, delivered_at, budget_started_at)
           VALUES (@message_id, @partner_id, @state, @attempts, @next_attempt_at, @last_error, @created_at, @updated_at, @delivered_at, @budget_started_at)
           ON CONFLICT (message_id) DO UPDATE SET partner_id = excluded.partner_id, state = excluded.state, attempts = excluded.attempts,
             next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error, created_at = excluded.created_at,
             updated_at = excluded.updated_at, delivered_at = excluded.delivered_at, budget_started_at = excluded.budget_started_at`,
  raiseMark: `INSERT INTO read_model_marks (name, value) VALUES (@name, @value)
              ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`,
} as const;

/** The object's marks (read_model_marks in its own storage). */
const LEDGER_MARK = 'ledger_entries';
const GENERATION = 'api_keys_generation';

interface QueuedRow {
  readonly seq: number;
  readonly kind: ChangeKind;
  readonly key: string;
}

/**
 * The read model's projection, run by the EXCHANGE Durable Object (the system of record) from its own SQLite storage
 * into D1: ledger entries by index from a stored high-water mark, and the declarations (with their timelines),
 * messages (with their outbox rows) and API keys that commits touched, queued in read_model_changes before each
 * commit and removed once D1 holds them. Every write to D1 is an upsert keyed by id or ledger index, in one D1 batch
 * (one transaction) per step, so a run that fails part-way is simply run again. D1 never decides: the object commits
 * first, and D1 only ever copies what it committed.
 *
 * Key changes also move a fence in D1 (`api_keys_requested` before the change, `api_keys_projected` once D1 holds it),
 * so that D1 answers a token lookup only when no change to keys is missing from it (D1ApiKeyReads).
 * @example
 * const projection = new D1ReadModelProjection(db, env.DB); projection.initialize()
 * await projection.track(change, () => store.commit(change)); await projection.run()
 */
export class D1ReadModelProjection {
  readonly #db: SqlDatabase;
  readonly #target: D1NamedStatements;
  readonly #d1: D1Database;
  readonly #changesPerBatch: number;
  readonly #entriesPerBatch: number;
  readonly #statementsPerRun: number;
  readonly #onError: (error: unknown) => void;
  /** The first queued seq of each commit not settled yet: its rows are not projected before it settles. */
  readonly #inFlight = new Set<number>();
  /** Runs and key changes, one at a time. */
  #queue: Promise<unknown> = Promise.resolve();
  /** The key generation D1 was last told it holds, since this object started. */
  #projectedGeneration: number | undefined;

  constructor(db: SqlDatabase, target: D1Database, options: ReadModelProjectionOptions = {}) {
    this.#db = db;
    this.#d1 = target;
    this.#target = new D1NamedStatements(target);
    this.#changesPerBatch = options.changesPerBatch ?? 32;
    this.#entriesPerBatch = options.entriesPerBatch ?? 200;
    this.#statementsPerRun = options.statementsPerRun ?? 800;
    this.#onError = options.onError ?? (() => undefined);
  }

  /**
   * Once, after the schema migrations: a database that holds rows from before the projection existed queues them all
   * (and the ledger from index 0), in one transaction.
   */
  initialize(): void {
    if (this.#mark(LEDGER_MARK) !== undefined) return;
    this.#db.transaction(() => {
      this.#db.prepare(SOURCE_SQL.backfill).run();
      this.#setMark(LEDGER_MARK, 0);
      this.#setMark(GENERATION, 0);
    })();
  }

  /** Queues the rows `change` touches, then runs `commit`: a crash after the commit cannot lose them from D1. */
  async track<T>(change: ExchangeChange, commit: () => Promise<T>): Promise<T> {
    const first = this.#queueRows(touchedRows(change));
    if (first !== undefined) this.#inFlight.add(first);
    try {
      return await commit();
    } finally {
      if (first !== undefined) this.#inFlight.delete(first);
    }
  }

  /** track, for a commit that runs synchronously (nothing can run between the queuing and the commit). */
  trackSync<T>(change: ExchangeChange, commit: () => T): T {
    this.#queueRows(touchedRows(change));
    return commit();
  }

  /**
   * Changes key `id` with `write`, fenced: D1 is first told a key change begins (so it stops answering for keys), then
   * the key is queued and written; D1 answers again after the run that projects it. `whenD1Fails`: a change D1 cannot
   * be told of is refused (NOT_READY), or made anyway when it must be (the bootstrap admin key at start).
   */
  changeApiKey<T>(id: string, write: () => Promise<T>, whenD1Fails: 'refuse' | 'proceed' = 'refuse'): Promise<T> {
    return this.#serially(async () => {
      const generation = (this.#mark(GENERATION) ?? 0) + 1;
      this.#setMark(GENERATION, generation);
      try {
        await this.#target.prepare(TARGET_SQL.raiseMark, { name: 'api_keys_requested', value: generation }).run();
      } catch (error) {
        if (whenD1Fails === 'refuse') {
          throw new CoreError('NOT_READY', 'the read model (D1) does not answer, so no API key can change now', { cause: error });
        }
        this.#onError(error);
      }
      this.#queueRows([['api_key', id]]);
      return write();
    });
  }

  /** True when D1 holds every commit settled so far: nothing queued, and the ledger projected to its end. */
  isCurrent(): boolean {
    const pending = this.#db.prepare(SOURCE_SQL.anyPending).pluck().get() === 1;
    return !pending && (this.#mark(LEDGER_MARK) ?? 0) >= this.#ledgerSize();
  }

  /**
   * Projects what is queued and the ledger entries past the mark, batch by batch, until nothing is left ('done') or the
   * run's statement budget is spent ('more'). Never rejects: a failure goes to `onError` and answers 'failed'.
   */
  run(): Promise<ProjectionRun> {
    return this.#serially(() => this.#drain()).catch((error: unknown) => {
      this.#onError(error);
      return 'failed' as const;
    });
  }

  #serially<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(step);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #drain(): Promise<ProjectionRun> {
    let budget = this.#statementsPerRun;
    while (budget > 0) {
      const sent = await this.#projectBatch();
      if (sent === 0) return 'done';
      budget -= sent;
    }
    return 'more';
  }

  /** One D1 batch: the next entries and queued rows, then the object's marks. Answers how many statements it sent. */
  async #projectBatch(): Promise<number> {
    const before = this.#inFlight.size === 0 ? Number.MAX_SAFE_INTEGER : Math.min(...this.#inFlight);
    const queued = this.#db.prepare(SOURCE_SQL.pending).all({ before, limit: this.#changesPerBatch }) as QueuedRow[];
    const from = this.#mark(LEDGER_MARK) ?? 0;
    const to = Math.min(this.#ledgerSize(), from + this.#entriesPerBatch);
    const generation = this.#mark(GENERATION) ?? 0;
    const last = queued.at(-1)?.seq ?? 0;
    // D1 holds every key change up to `generation` once this batch lands, unless a key's row waits for a later one
    // (behind a commit in flight, or beyond this batch). Key changes never run beside a run (#serially).
    const keysLeft = this.#db.prepare(SOURCE_SQL.keysAfter).pluck().get({ last }) === 1;
    const fence =
      keysLeft || this.#projectedGeneration === generation
        ? []
        : [this.#target.prepare(TARGET_SQL.raiseMark, { name: 'api_keys_projected', value: generation })];
    const statements = [...this.#entryStatements(from, to), ...this.#rowStatements(queued), ...fence];
    if (queued.length === 0 && statements.length === 0) return 0;
    // Queued rows whose commit failed name nothing to copy: they are only removed.
    if (statements.length > 0) await this.#d1.batch(statements);
    this.#db.transaction(() => {
      this.#db.prepare(SOURCE_SQL.done).run({ last });
      this.#setMark(LEDGER_MARK, to);
    })();
    if (fence.length > 0) this.#projectedGeneration = generation;
    return Math.max(statements.length, 1);
  }

  #entryStatements(from: number, to: number): D1PreparedStatement[] {
    if (to <= from) return [];
    const entries = this.#db.prepare(SOURCE_SQL.entries).all({ from, to }) as { entry_index: number; bytes: Uint8Array }[];
    return entries.map((entry) => this.#target.prepare(TARGET_SQL.entry, entry));
  }

  #rowStatements(queued: readonly QueuedRow[]): D1PreparedStatement[] {
    const keys = (kind: ChangeKind) => JSON.stringify([...new Set(queued.filter((row) => row.kind === kind).map((row) => row.key))]);
    const rows = (sql: string, ids: string) => this.#db.prepare(sql).all({ ids }) as Record<string, unknown>[];
    const upserts = (sql: string, found: readonly Record<string, unknown>[]) => found.map((row) => this.#target.prepare(sql, row));
    const declarations = keys('declaration');
    const messages = keys('message');
    const apiKeys = keys('api_key');
    // Parents before children: D1 enforces the schema's foreign keys (timeline → declaration, outbox → message).
    return [
      ...upserts(TARGET_SQL.declaration, rows(SOURCE_SQL.declarations, declarations)),
      ...upserts(TARGET_SQL.timeline, rows(SOURCE_SQL.timeline, declarations)),
      ...upserts(TARGET_SQL.message, rows(SOURCE_SQL.messages, messages)),
      ...upserts(TARGET_SQL.outbox, rows(SOURCE_SQL.outbox, messages)),
      ...upserts(
        API_KEY_SQL.upsert,
        this.#db.prepare(API_KEY_SQL.byIds).all({ ids: apiKeys }) as ApiKeyRow[] as unknown as Record<string, unknown>[],
      ),
    ];
  }

  /** Queues rows in one transaction, answering the first one's seq, or undefined when there are none. */
  #queueRows(rows: readonly (readonly [ChangeKind, string])[]): number | undefined {
    if (rows.length === 0) return undefined;
    const queue = this.#db.prepare(SOURCE_SQL.queue);
    return this.#db.transaction(() => rows.map(([kind, key]) => Number(queue.run({ kind, key }).lastInsertRowid))[0])();
  }

  #mark(name: string): number | undefined {
    return this.#db.prepare(SOURCE_SQL.mark).pluck().get({ name }) as number | undefined;
  }

  #setMark(name: string, value: number): void {
    this.#db.prepare(SOURCE_SQL.setMark).run({ name, value });
  }

  #ledgerSize(): number {
    return this.#db.prepare(SOURCE_SQL.ledgerSize).pluck().get() as number;
  }
}

/** The declarations and messages whose rows `change` inserts or updates (a declaration's timeline goes with it). */
function touchedRows(change: ExchangeChange): (readonly [ChangeKind, string])[] {
  const declarations = new Set<string>();
  const messages = new Set<string>();
  if (change.insertDeclaration !== undefined) declarations.add(change.insertDeclaration.id);
  for (const update of change.updateDeclarations) declarations.add(update.id);
  for (const bound of change.events) {
    if (bound.declarationId !== undefined) declarations.add(bound.declarationId);
    if (bound.records !== undefined) messages.add(bound.records.messageId);
  }
  for (const item of change.enqueue) messages.add(item.messageId);
  for (const item of change.updateOutbox) messages.add(item.messageId);
  return [...[...declarations].map((id) => ['declaration', id] as const), ...[...messages].map((id) => ['message', id] as const)];
}
