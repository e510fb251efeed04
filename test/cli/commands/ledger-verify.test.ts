import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateCheckpointKey } from '../../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { openDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import { ledgerVerify } from '../../../src/cli/commands/ledger-verify.js';
import { DEFAULT_LEDGER_ORIGIN } from '../../../src/core/ledger/checkpoint.js';
import { encodeEntry, type LedgerEvent } from '../../../src/core/ledger/entry.js';
import { publishCheckpoint } from '../../../src/core/ledger/ledger.js';
import { nodeAtPosition } from '../../../src/core/ledger/merkle.js';
import { formatVerifierKey } from '../../../src/core/ledger/signed-note.js';
import { captureIo } from '../../helpers/capture-io.js';

const event = (i: number, amount = 1000 + i): LedgerEvent => ({
  type: 'DOCUMENT_RECEIVED',
  subject: `dec-${i}`,
  at: '2025-06-01T10:00:00.000Z',
  data: { documentType: 'EXPORT_DECLARATION', amount },
});

/** A data directory holding 40 entries, checkpoints signed at 10, 25 and 40, and the checkpoint key. */
async function ledgerDir(forge?: (i: number) => LedgerEvent): Promise<{ dir: string; checkpointAt25: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'swx-verify-'));
  const db = openDatabase(join(dir, 'swx.db'));
  const store = new SqliteLedgerStore(db);
  const key = loadOrCreateCheckpointKey(dir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
  const deps = { store, sha256: nodeSha256, signer: key.signer, origin: DEFAULT_LEDGER_ORIGIN };
  let checkpointAt25 = '';
  for (const [from, to] of [
    [0, 10],
    [10, 25],
    [25, 40],
  ] as const) {
    await store.append(Array.from({ length: to - from }, (_, i) => (forge ?? event)(from + i)));
    const signed = await publishCheckpoint(deps);
    if (to === 25) checkpointAt25 = signed?.note ?? '';
  }
  db.close();
  return { dir, checkpointAt25 };
}

/** Edits the database file directly, as an insider or ransomware would, with the server stopped. */
function tamper(dir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(join(dir, 'swx.db'));
  edit(db);
  db.close();
}

/** Cuts the ledger back to its first `size` entries as if it had never grown further: rows and subtree hashes. */
function truncateTree(db: Database.Database, size: number): void {
  db.prepare('DELETE FROM ledger_entries WHERE entry_index >= ?').run(size);
  const positions = db.prepare('SELECT position FROM ledger_nodes').pluck().all() as number[];
  const remove = db.prepare('DELETE FROM ledger_nodes WHERE position = ?');
  for (const position of positions) {
    const { level, index } = nodeAtPosition(position);
    if ((index + 1) * 2 ** level > size) remove.run(position);
  }
}

async function verify(dir: string, ...extra: string[]) {
  const io = captureIo();
  const code = await ledgerVerify.run(['--data-dir', dir, ...extra], io);
  return { code, out: io.out(), err: io.err() };
}

describe('swx ledger verify', () => {
  let dir: string;
  let checkpointAt25: string;
  beforeEach(async () => ({ dir, checkpointAt25 } = await ledgerDir()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('recomputes an untouched ledger and every signed checkpoint', async () => {
    const { code, out, err } = await verify(dir);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^ledger verified: 40 entries, root [A-Za-z0-9+/]{43}=, 3 signed checkpoint\(s\) checked\n$/);
  });

  describe('when rows were changed directly in the database file', () => {
    it('names an edited entry', async () => {
      tamper(dir, (db) => db.prepare('UPDATE ledger_entries SET bytes = ? WHERE entry_index = 17').run(encodeEntry(17, event(17, 999_999))));
      const { code, err } = await verify(dir);
      expect(code).toBe(1);
      expect(err).toMatch(/divergence at entry 17: entry 17 was edited/);
    });

    it('names an entry edited together with its stored leaf hash, by the subtree that no longer matches', async () => {
      tamper(dir, (db) => {
        const bytes = encodeEntry(17, event(17, 999_999));
        db.prepare('UPDATE ledger_entries SET bytes = ? WHERE entry_index = 17').run(bytes);
        db.prepare('UPDATE ledger_nodes SET hash = ? WHERE position = 34').run(nodeSha256(Buffer.concat([Buffer.of(0), bytes])));
      });
      const { code, err } = await verify(dir);
      expect(code).toBe(1);
      expect(err).toMatch(/divergence at entry 16: entries 16–17 no longer hash to their stored subtree hash/);
    });

    it('names a deleted entry', async () => {
      tamper(dir, (db) => db.prepare('DELETE FROM ledger_entries WHERE entry_index = 17').run());
      const { code, err } = await verify(dir);
      expect(code).toBe(1);
      expect(err).toMatch(/divergence at entry 17: entry 17 is missing/);
    });

    it('names entries deleted at the end', async () => {
      tamper(dir, (db) => db.prepare('DELETE FROM ledger_entries WHERE entry_index >= 38').run());
      const { code, err } = await verify(dir);
      expect(code).toBe(1);
      expect(err).toMatch(/divergence at entry 38: hashes are stored for entries from 38 on, but those entries are missing/);
    });

    it('names entries deleted at the end together with every hash over them', async () => {
      tamper(dir, (db) => truncateTree(db, 38));
      const { code, err } = await verify(dir);
      expect(code).toBe(1);
      expect(err).toMatch(/divergence at entry 38: the checkpoint signed at tree size 40 covers 40 entries, but only 38 remain/);
    });

    it('names an entry inserted in the middle, the later ones renumbered', async () => {
      tamper(dir, (db) => {
        db.prepare('UPDATE ledger_entries SET entry_index = -entry_index - 1 WHERE entry_index >= 17').run();
        db.prepare('UPDATE ledger_entries SET entry_index = -entry_index WHERE entry_index < 0').run();
        db.prepare('INSERT INTO ledger_entries (entry_index, bytes) VALUES (17, ?)').run(encodeEntry(17, event(1717)));
      });
      const { code, err } = await verify(dir);
      expect(code).toBe(1);
      expect(err).toMatch(/divergence at entry 17: entry 17 was edited/);
    });

    it('names the first of two swapped entries', async () => {
      tamper(dir, (db) => {
        const bytes = db.prepare('SELECT bytes FROM ledger_entries WHERE entry_index = ?').pluck();
        const [twelve, thirteen] = [bytes.get(12), bytes.get(13)];
        db.prepare('UPDATE ledger_entries SET bytes = ? WHERE entry_index = 12').run(thirteen);
        db.prepare('UPDATE ledger_entries SET bytes = ? WHERE entry_index = 13').run(twelve);
      });
      const { code, err } = await verify(dir);
      expect(code).toBe(1);
      expect(err).toMatch(/divergence at entry 12: entry 12's bytes carry index 13: rows were reordered or renumbered/);
    });

    it('finds a history rewritten consistently, hashes included, by the signed checkpoints', async () => {
      const forged = await ledgerDir((i) => (i === 30 ? event(30, 1) : event(i)));
      tamper(dir, (db) => {
        db.exec(`ATTACH DATABASE '${join(forged.dir, 'swx.db')}' AS forged`);
        db.exec('DELETE FROM ledger_entries; INSERT INTO ledger_entries SELECT * FROM forged.ledger_entries');
        db.exec('DELETE FROM ledger_nodes; INSERT INTO ledger_nodes SELECT * FROM forged.ledger_nodes');
      });
      rmSync(forged.dir, { recursive: true, force: true });
      const { code, err } = await verify(dir);
      expect(code).toBe(1);
      expect(err).toMatch(/divergence at entry 25: the entries do not hash to the root of the checkpoint signed at tree size 40/);
    });

    it('rejects a checkpoint whose note was altered', async () => {
      tamper(dir, (db) => db.prepare("UPDATE ledger_checkpoints SET note = replace(note, '\n25\n', '\n24\n') WHERE tree_size = 25").run());
      const { code, err } = await verify(dir);
      expect(code).toBe(1);
      expect(err).toMatch(/the checkpoint stored at tree size 25 does not verify/);
    });
  });

  describe('--against a checkpoint saved by a third party', () => {
    it('confirms the ledger still contains it', async () => {
      const file = join(dir, 'partner-checkpoint.txt');
      writeFileSync(file, checkpointAt25);
      const { code, out } = await verify(dir, '--against', file);
      expect(code).toBe(0);
      expect(out).toMatch(/consistent with the given checkpoint/);
    });

    it('catches a ledger rolled back behind it, its own checkpoints deleted too', async () => {
      const file = join(dir, 'partner-checkpoint.txt');
      writeFileSync(file, checkpointAt25);
      tamper(dir, (db) => {
        truncateTree(db, 20);
        db.prepare('DELETE FROM ledger_checkpoints WHERE tree_size > 20').run();
      });
      const { code, err } = await verify(dir, '--against', file);
      expect(code).toBe(1);
      expect(err).toMatch(/divergence at entry 20: the third party's checkpoint at tree size 25 covers 25 entries, but only 20 remain/);
    });

    it('verifies with a verifier key given instead of the key file', async () => {
      const key = loadOrCreateCheckpointKey(dir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
      rmSync(join(dir, 'ledger'), { recursive: true });
      const { code } = await verify(dir, '--key', formatVerifierKey(key.publicKey));
      expect(code).toBe(0);
    });
  });

  describe('progress', () => {
    it('draws a bar with rate and ETA on a terminal', async () => {
      const io = captureIo();
      Object.assign(io.stderr, { isTTY: true });
      expect(await ledgerVerify.run(['--data-dir', dir], io)).toBe(0);
      expect(io.err()).toMatch(/^\r\[#{30}\] 100% 40\/40 entries {2}\d+\/s {2}ETA 0s \n$/);
    });

    it('prints no bar when stderr is not a terminal', async () => {
      const { err } = await verify(dir);
      expect(err).not.toContain('\r');
    });
  });

  it('exits 2 on a data directory without a database', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'swx-verify-'));
    const { code, err } = await verify(empty);
    rmSync(empty, { recursive: true, force: true });
    expect(code).toBe(2);
    expect(err).toMatch(/no database at/);
  });
});
