import { z } from 'zod';
import type { GatewayMemory } from '../simulator/gateway-memory.js';
import { OwedEnvelope, type PendingResponse, ReceivedMessage } from '../simulator/simulator-records.js';

const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS simulator_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
  // seq is the receipt's ledger index plus one: rows are never deleted, so max(seq) counts them.
  'CREATE TABLE IF NOT EXISTS received (seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, digest TEXT NOT NULL, status INTEGER NOT NULL, receipt TEXT NOT NULL)',
  // due_at NULL: past its retry budget, kept but no longer sent.
  'CREATE TABLE IF NOT EXISTS owed (id TEXT PRIMARY KEY, steps TEXT NOT NULL, due_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0, retrying_since INTEGER)',
  'CREATE INDEX IF NOT EXISTS owed_due ON owed (due_at)',
];

const Steps = z.tuple([OwedEnvelope], OwedEnvelope);

/** One entry of what a simulated gateway owes swx, as its alarm reads it. */
export interface OwedEntry {
  readonly id: string;
  /** Still to send, in order; the first is due. */
  readonly steps: readonly [OwedEnvelope, ...OwedEnvelope[]];
  /** Failed attempts at the first step so far. */
  readonly attempts: number;
  /** When the first failed attempt at the first step was made (epoch ms). */
  readonly retryingSince: number | undefined;
}

/**
 * A simulated gateway's memory in its Durable Object's SQLite storage: the messages it receipted (GatewayMemory) and
 * the envelopes it owes swx, each due at a time its alarm keeps, written with the receipt record in one transaction.
 * @example const storage = new SimulatorStorage(ctx.storage); const gateway = ports.gateway('TH', storage)
 */
export class SimulatorStorage implements GatewayMemory {
  readonly #storage: DurableObjectStorage;
  readonly #sql: SqlStorage;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    this.#sql = storage.sql;
    for (const statement of SCHEMA) this.#sql.exec(statement);
  }

  /** The gateway this object plays, once a first envelope named it. */
  partnerId(): string | undefined {
    const [row] = this.#sql.exec<{ value: string }>("SELECT value FROM simulator_meta WHERE key = 'partner'").toArray();
    return row?.value;
  }

  setPartnerId(partnerId: string): void {
    this.#sql.exec("INSERT INTO simulator_meta (key, value) VALUES ('partner', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", partnerId);
  }

  received(messageId: string): ReceivedMessage | undefined {
    const [row] = this.#sql
      .exec<{ digest: string; status: number; receipt: string }>('SELECT digest, status, receipt FROM received WHERE message_id = ?', messageId)
      .toArray();
    return row === undefined ? undefined : ReceivedMessage.parse({ messageId, ...row });
  }

  receivedCount(): number {
    const [row] = this.#sql.exec<{ n: number | null }>('SELECT max(seq) AS n FROM received').toArray();
    return row?.n ?? 0;
  }

  record(message: ReceivedMessage, owed: PendingResponse | undefined): void {
    this.#storage.transactionSync(() => {
      this.#sql.exec(
        'INSERT INTO received (message_id, digest, status, receipt) VALUES (?, ?, ?, ?)',
        message.messageId,
        message.digest,
        message.status,
        message.receipt,
      );
      const [first] = owed?.steps ?? [];
      if (owed !== undefined && first !== undefined) {
        this.#sql.exec('INSERT INTO owed (id, steps, due_at) VALUES (?, ?, ?)', owed.id, JSON.stringify(owed.steps), first.notBefore);
      }
    });
  }

  /** Up to `limit` entries whose first step is due at `now`, the earliest first. */
  due(now: number, limit: number): OwedEntry[] {
    return this.#sql
      .exec<{ id: string; steps: string; attempts: number; retrying_since: number | null }>(
        'SELECT id, steps, attempts, retrying_since FROM owed WHERE due_at <= ? ORDER BY due_at LIMIT ?',
        now,
        limit,
      )
      .toArray()
      .map((row) => ({
        id: row.id,
        steps: Steps.parse(JSON.parse(row.steps)),
        attempts: row.attempts,
        retryingSince: row.retrying_since ?? undefined,
      }));
  }

  /** The first step was receipted by swx: the entry goes on with the rest, or is done. */
  delivered(id: string, rest: readonly OwedEnvelope[]): void {
    const [next] = rest;
    if (next === undefined) this.#sql.exec('DELETE FROM owed WHERE id = ?', id);
    else
      this.#sql.exec(
        'UPDATE owed SET steps = ?, due_at = ?, attempts = 0, retrying_since = NULL WHERE id = ?',
        JSON.stringify(rest),
        next.notBefore,
        id,
      );
  }

  /** The first step failed: tried again at `at`. */
  retryAt(id: string, at: number, attempts: number, retryingSince: number): void {
    this.#sql.exec('UPDATE owed SET due_at = ?, attempts = ?, retrying_since = ? WHERE id = ?', at, attempts, retryingSince, id);
  }

  /** Past its retry budget: kept, no longer sent. */
  park(id: string): void {
    this.#sql.exec('UPDATE owed SET due_at = NULL WHERE id = ?', id);
  }

  /** When the next entry is due (epoch ms), if any is. */
  nextDue(): number | undefined {
    const [row] = this.#sql.exec<{ at: number | null }>('SELECT min(due_at) AS at FROM owed').toArray();
    return row?.at ?? undefined;
  }
}
