import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { SqliteDeclarationSequence } from '../../../src/adapters/storage/sqlite-declaration-sequence.js';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteExchangeStore } from '../../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import type { Declaration } from '../../../src/core/declaration/declaration.js';
import { rootAt } from '../../../src/core/ledger/ledger.js';
import { hashLeaf } from '../../../src/core/ledger/merkle.js';
import type { ExchangeChange } from '../../../src/core/exchange/exchange-store.js';
import { hex, referenceRoot } from '../../helpers/rfc9162-reference.js';
import { ChangeBuilder } from '../../../src/core/exchange/change-builder.js';

const at = '2026-11-20T07:05:00.000Z';

function aDeclaration(n: number): Declaration {
  return {
    id: `dec-${n}`,
    declarationNumber: `3260000${String(n).padStart(4, '0')}0`,
    kind: 'EXPORT',
    partyId: 'VN0301234567',
    status: 'UNDER_REVIEW',
    channel: 'YELLOW',
    channelReasons: [],
    partnerId: 'TH',
    document: { n },
    createdAt: at,
    updatedAt: at,
  };
}

/** What accepting declaration n commits: its row, two ledger entries on its timeline, an idempotency record. */
function accepting(n: number, extra: Partial<ExchangeChange> = {}): ExchangeChange {
  const id = `dec-${n}`;
  const change = new ChangeBuilder()
    .event({ type: 'DOCUMENT_RECEIVED', subject: id, at, data: { n } }, { declarationId: id })
    .event({ type: 'DECLARATION_ACCEPTED', subject: id, at, data: { n } }, { declarationId: id, label: 'accepted' })
    .insertDeclaration(aDeclaration(n))
    .answerIdempotently({
      partyId: 'VN0301234567',
      key: `key-${n}`,
      requestHash: `hash-${n}`,
      answer: { id },
      ledgerIndexes: { ledgerIndex: 'accepted' },
    })
    .build();
  return { ...change, ...extra };
}

describe('SqliteExchangeStore.commit under concurrency (group commit)', () => {
  let dir: string;
  let db: SqliteDatabase;
  let ledger: SqliteLedgerStore;
  let store: SqliteExchangeStore;
  let batches: number;
  let reader: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swx-group-commit-'));
    db = openDatabase(join(dir, 'swx.db'));
    ledger = new SqliteLedgerStore(db);
    batches = 0;
    store = new SqliteExchangeStore(db, ledger, () => (batches += 1));
    // Another connection, as the CLI or an auditor would open the file: it sees only what was committed.
    reader = new Database(join(dir, 'swx.db'), { readonly: true });
  });
  afterEach(() => {
    reader.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = (table: string) => reader.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

  it('commits concurrent changes together; each is visible to another connection once its promise resolves', async () => {
    const commits = Array.from({ length: 20 }, (_, n) =>
      store.commit(accepting(n)).then((entries) => ({ entries, declarations: count('declarations') })),
    );
    expect(count('declarations')).toBe(0);
    const settled = await Promise.all(commits);

    expect(batches).toBe(1);
    for (const { declarations } of settled) expect(declarations).toBe(20);
    expect(settled.flatMap(({ entries }) => entries.map((entry) => entry.index))).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(reader.prepare('SELECT response FROM idempotency_keys WHERE key = ?').pluck().get('key-7')).toBe(
      JSON.stringify({ id: 'dec-7', ledgerIndex: 15 }),
    );
  });

  it('fails a bad change alone: its rows and ledger entries are rolled back, the ledger stays contiguous with the right root', async () => {
    const outcomes = await Promise.allSettled([
      store.commit(accepting(0)),
      store.commit(accepting(1)),
      // Its ledger entries are appended before the outbox row whose message does not exist fails.
      store.commit(accepting(2, { enqueue: [{ messageId: 'no-such-message', partnerId: 'TH', notBefore: 0 }] })),
      store.commit(accepting(3)),
      // The same Idempotency-Key as change 1: the primary key refuses it.
      store.commit({ ...accepting(4), idempotency: { ...accepting(1).idempotency!, requestHash: 'other' } }),
      store.commit(accepting(5)),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect(batches).toBe(1);
    expect(reader.prepare('SELECT id FROM declarations ORDER BY id').pluck().all()).toEqual(['dec-0', 'dec-1', 'dec-3', 'dec-5']);
    expect(reader.prepare('SELECT DISTINCT declaration_id FROM declaration_timeline ORDER BY 1').pluck().all()).toEqual([
      'dec-0',
      'dec-1',
      'dec-3',
      'dec-5',
    ]);
    expect(reader.prepare('SELECT request_hash FROM idempotency_keys WHERE key = ?').pluck().get('key-1')).toBe('hash-1');

    // A later batch continues the ledger from what was committed, not from what was rolled back.
    const [next] = await store.commit(accepting(6));
    expect(next?.index).toBe(8);
    expect(batches).toBe(2);

    const indexes = reader.prepare('SELECT entry_index FROM ledger_entries ORDER BY entry_index').pluck().all();
    expect(indexes).toEqual(Array.from({ length: 10 }, (_, i) => i));
    const entries = await ledger.entries(0, 10);
    expect(entries.map((entry) => entry.subject)).toEqual(['dec-0', 'dec-0', 'dec-1', 'dec-1', 'dec-3', 'dec-3', 'dec-5', 'dec-5', 'dec-6', 'dec-6']);
    const leaves = entries.map((entry) => hashLeaf(nodeSha256, entry.bytes));
    expect(hex(await rootAt(ledger, nodeSha256, 10))).toBe(hex(referenceRoot(leaves)));
  });

  it('rejects only the failed change of a batch to its caller, with the cause', async () => {
    const [, failed] = await Promise.allSettled([store.commit(accepting(0)), store.commit(accepting(0))]);
    expect(failed.status).toBe('rejected');
    expect(String((failed as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(count('declarations')).toBe(1);
    expect(count('ledger_entries')).toBe(2);
  });
});

describe('SqliteDeclarationSequence', () => {
  let dir: string;
  let db: SqliteDatabase;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swx-sequence-'));
    db = openDatabase(join(dir, 'swx.db'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = (year: number) => db.prepare('SELECT value FROM declaration_sequence WHERE year = ?').pluck().get(year) as number | undefined;

  it('hands out consecutive numbers, reserving one at a time at a trickle', () => {
    let now = 0;
    const sequence = new SqliteDeclarationSequence(db, { now: () => now });
    const numbers = [1, 2, 3].map(() => {
      now += 5_000;
      return sequence.next(2026);
    });
    expect(numbers).toEqual([1, 2, 3]);
    expect(stored(2026)).toBe(3);
  });

  it('reserves growing blocks under load, never hands a number out twice across stores and restarts, and keeps years apart', () => {
    const first = new SqliteDeclarationSequence(db, { now: () => 0 });
    const second = new SqliteDeclarationSequence(db, { now: () => 0 });
    const handedOut = [
      ...Array.from({ length: 100 }, () => first.next(2026)),
      ...Array.from({ length: 50 }, () => second.next(2026)),
      ...Array.from({ length: 30 }, () => first.next(2026)),
    ];
    expect(new Set(handedOut).size).toBe(handedOut.length);
    expect(handedOut.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // 1+2+...+64 = 127 reserved for the first 100, so a restart loses at most the rest of a block.
    expect(stored(2026)).toBeLessThan(100 + 50 + 30 + 2 * 256);
    const restarted = new SqliteDeclarationSequence(db, { now: () => 0 });
    const afterRestart = restarted.next(2026);
    expect(afterRestart).toBeGreaterThan(Math.max(...handedOut));
    expect(afterRestart).toBe(stored(2026) as number);
    expect(restarted.next(2027)).toBe(1);
  });
});
