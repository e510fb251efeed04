import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/adapters/storage/migrate.js';
import type { SqlDatabase } from '../../../src/adapters/storage/sql-database.js';
import { isCoreError } from '../../../src/core/errors.js';

/**
 * Runs `use` against one database, where the driver allows it to run (a Durable Object's storage only inside the
 * object), and gives back what it returned or threw.
 */
export type InDatabase = <T>(use: (db: SqlDatabase) => T) => Promise<T>;

const ROWS = `CREATE TABLE contract_rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, note TEXT, bytes BLOB);
  CREATE INDEX contract_rows_note ON contract_rows (note);
  CREATE INDEX contract_rows_bytes ON contract_rows (bytes)`;

const names = (db: SqlDatabase) => db.prepare('SELECT name FROM contract_rows ORDER BY id').pluck().all() as string[];

/**
 * The behaviour every SqlDatabase driver must show, so that the SQLite adapters read and write the same on each:
 * better-sqlite3 on Node, a Durable Object's SQLite storage on Workers. `open` gives a fresh database per call.
 * @example describeSqlDatabaseContract('better-sqlite3', () => { const db = openDatabase(file); return async (use) => use(db) })
 */
export function describeSqlDatabaseContract(name: string, open: () => InDatabase): void {
  describe(`${name} (SqlDatabase contract)`, () => {
    it('binds positional ? in order and @name from one object, ignoring the object keys no parameter names', async () => {
      const inDb = open();
      const read = await inDb((db) => {
        db.exec(ROWS);
        db.prepare('INSERT INTO contract_rows (name, note) VALUES (@name, @note)').run({ name: 'a', note: 'first', unused: 'x' });
        db.prepare('INSERT INTO contract_rows (name, note) VALUES (?, ?)').run('b', null);
        return db.prepare('SELECT name, note FROM contract_rows WHERE name = ? OR note = @note ORDER BY id').all('b', { note: 'first' });
      });
      expect(read).toEqual([
        { name: 'a', note: 'first' },
        { name: 'b', note: null },
      ]);
    });

    it('binds a name used twice to the same value, and leaves @ and ? alone inside literals, quoted names and comments', async () => {
      const read = await open()((db) =>
        db
          .prepare(
            `SELECT @x AS first, '@x ?' AS "@quoted?", @x + ? AS sum -- @y ?
             /* @z ? */ , 'it''s @x' AS escaped`,
          )
          .get(1, { x: 20 }),
      );
      expect(read).toEqual({ first: 20, '@quoted?': '@x ?', sum: 21, escaped: "it's @x" });
    });

    it("refuses missing or surplus parameters and values SQLite cannot hold with better-sqlite3's errors", async () => {
      const errors = await open()((db) =>
        [
          () => db.prepare('SELECT @a').get({}),
          () => db.prepare('SELECT ?').get(),
          () => db.prepare('SELECT ?').get(1, 2),
          () => db.prepare('SELECT ?').get(true),
        ].map((attempt) => {
          try {
            attempt();
            return 'bound';
          } catch (error) {
            return `${(error as Error).name}: ${(error as Error).message}`;
          }
        }),
      );
      expect(errors).toEqual([
        'RangeError: Missing named parameter "a"',
        'RangeError: Too few parameter values were provided',
        'RangeError: Too many parameter values were provided',
        'TypeError: SQLite3 can only bind numbers, strings, bigints, buffers, and null',
      ]);
    });

    it('stores bytes exactly (a view into a larger buffer binds only its own bytes) and reads BLOBs back as Uint8Array', async () => {
      const backing = new Uint8Array([9, 9, 0, 1, 2, 255, 9]);
      const read = await open()((db) => {
        db.exec(ROWS);
        const insert = db.prepare('INSERT INTO contract_rows (name, bytes) VALUES (?, ?)');
        insert.run('view', backing.subarray(2, 6));
        insert.run('none', null);
        const row = db.prepare('SELECT bytes FROM contract_rows WHERE name = ?').get('view') as { bytes: unknown };
        const plucked = db.prepare('SELECT bytes FROM contract_rows WHERE name = ?').pluck().get('view');
        const found = db
          .prepare('SELECT name FROM contract_rows WHERE instr(bytes, ?) > 0')
          .pluck()
          .all(new Uint8Array([1, 2]));
        const empty = db.prepare('SELECT bytes FROM contract_rows WHERE name = ?').pluck().get('none');
        return { row: row.bytes, plucked, found, empty };
      });
      for (const bytes of [read.row, read.plucked]) {
        expect(bytes).toBeInstanceOf(Uint8Array);
        expect([...(bytes as Uint8Array)]).toEqual([0, 1, 2, 255]);
      }
      expect(read.found).toEqual(['view']);
      expect(read.empty).toBeNull();
    });

    it('reads rows as objects, plucked first columns or raw arrays, and undefined for no row', async () => {
      const read = await open()((db) => {
        db.exec(ROWS);
        const insert = db.prepare('INSERT INTO contract_rows (name, note) VALUES (?, ?)');
        insert.run('a', 'x');
        insert.run('b', 'y');
        const select = 'SELECT name, note FROM contract_rows ORDER BY id';
        return {
          objects: db.prepare(select).all(),
          plucked: db.prepare(select).pluck().all(),
          raw: db.prepare(select).raw().all(),
          rawOne: db.prepare(select).raw().get(),
          none: db.prepare('SELECT name FROM contract_rows WHERE name = ?').get('z'),
          noneRaw: db.prepare('SELECT name FROM contract_rows WHERE name = ?').raw().get('z'),
          sameColumnTwice: db.prepare('SELECT 1 AS v, 2 AS v').raw().get(),
        };
      });
      expect(read).toEqual({
        objects: [
          { name: 'a', note: 'x' },
          { name: 'b', note: 'y' },
        ],
        plucked: ['a', 'b'],
        raw: [
          ['a', 'x'],
          ['b', 'y'],
        ],
        rawOne: ['a', 'x'],
        none: undefined,
        noneRaw: undefined,
        sameColumnTwice: [1, 2],
      });
    });

    it("reports the rows a write changed (not its index writes) and the last insert's rowid", async () => {
      const read = await open()((db) => {
        db.exec(ROWS);
        const insert = db.prepare('INSERT INTO contract_rows (id, name, note, bytes) VALUES (?, ?, ?, ?)');
        const first = insert.run(7, 'a', 'x', new Uint8Array([1]));
        const inserted = { changes: first.changes, lastInsertRowid: first.lastInsertRowid };
        insert.run(8, 'b', 'x', new Uint8Array([2]));
        const updated = db.prepare("UPDATE contract_rows SET note = 'y', bytes = x'00' WHERE note = ?").run('x').changes;
        const missed = db.prepare('UPDATE contract_rows SET note = ? WHERE name = ?').run('z', 'nobody').changes;
        const ignored = db.prepare('INSERT OR IGNORE INTO contract_rows (name) VALUES (?)').run('a').changes;
        const returned = db.prepare('INSERT INTO contract_rows (name) VALUES (?) RETURNING id').pluck().get('c');
        return { inserted, updated, missed, ignored, returned };
      });
      expect(read).toEqual({ inserted: { changes: 1, lastInsertRowid: 7 }, updated: 2, missed: 0, ignored: 0, returned: 9 });
    });

    it('runs several statements in one exec', async () => {
      const tables = await open()((db) => {
        db.exec(`${ROWS}; INSERT INTO contract_rows (name) VALUES ('from exec')`);
        return names(db);
      });
      expect(tables).toEqual(['from exec']);
    });

    it("commits a transaction's writes with its result, and writes nothing of one that throws", async () => {
      const read = await open()((db) => {
        db.exec(ROWS);
        const insert = db.prepare('INSERT INTO contract_rows (name) VALUES (?)');
        const insertAll = db.transaction((...rows: string[]) => {
          const during = db.inTransaction;
          for (const row of rows) insert.run(row);
          return { during, count: rows.length };
        });
        const committed = insertAll('a', 'b');
        const immediate = insertAll.immediate('c');
        let failure: unknown;
        try {
          insertAll('d', 'a');
        } catch (error) {
          failure = error;
        }
        return { committed, immediate, failed: failure !== undefined, after: db.inTransaction, rows: names(db) };
      });
      expect(read).toEqual({
        committed: { during: true, count: 2 },
        immediate: { during: true, count: 1 },
        failed: true,
        after: false,
        rows: ['a', 'b', 'c'],
      });
    });

    it('undoes only a nested transaction that throws; the outer one commits the rest', async () => {
      const read = await open()((db) => {
        db.exec(ROWS);
        const insert = db.prepare('INSERT INTO contract_rows (name) VALUES (?)');
        const inner = db.transaction((row: string) => {
          insert.run(row);
          throw new Error(`refused ${row}`);
        });
        const outer = db.transaction(() => {
          insert.run('kept');
          let refused = '';
          try {
            inner('undone');
          } catch (error) {
            refused = (error as Error).message;
          }
          insert.run('also kept');
          return { refused, stillInside: db.inTransaction };
        });
        return { outcome: outer(), rows: names(db) };
      });
      expect(read).toEqual({ outcome: { refused: 'refused undone', stillInside: true }, rows: ['kept', 'also kept'] });
    });

    it('applies each migration once, in name order; a failing one leaves nothing of itself and names itself', async () => {
      const read = await open()((db) => {
        const migrations = [
          { name: '9002_contract_more.sql', sql: "INSERT INTO contract_migrated (step) VALUES ('second')" },
          { name: '9001_contract.sql', sql: "CREATE TABLE contract_migrated (step TEXT); INSERT INTO contract_migrated (step) VALUES ('first')" },
        ];
        const first = migrate(db, migrations);
        const again = migrate(db, migrations);
        let failure: unknown;
        try {
          migrate(db, [{ name: '9003_contract_broken.sql', sql: 'CREATE TABLE contract_half (x); INSERT INTO nowhere VALUES (1)' }]);
        } catch (error) {
          failure = error;
        }
        return {
          first,
          again,
          steps: db.prepare('SELECT step FROM contract_migrated ORDER BY rowid').pluck().all(),
          refused: isCoreError(failure, 'CONFIG_INVALID') && failure.message.includes('9003_contract_broken.sql'),
          half: db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'contract_half'").pluck().get(),
          recorded: db.prepare("SELECT name FROM schema_migrations WHERE name LIKE '900%' ORDER BY name").pluck().all(),
        };
      });
      expect(read).toEqual({
        first: ['9001_contract.sql', '9002_contract_more.sql'],
        again: [],
        steps: ['first', 'second'],
        refused: true,
        half: 0,
        recorded: ['9001_contract.sql', '9002_contract_more.sql'],
      });
    });
  });
}
