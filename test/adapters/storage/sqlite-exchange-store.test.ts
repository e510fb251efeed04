import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteExchangeStore } from '../../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import { SqliteWalSync } from '../../../src/adapters/storage/sqlite-wal-sync.js';
import { describeExchangeStoreContract } from './exchange-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'swx-exchange-store-'));
const databases: SqliteDatabase[] = [];
afterAll(() => {
  for (const db of databases) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describeExchangeStoreContract('SqliteExchangeStore', () => {
  const db = openDatabase(join(dir, `swx-${databases.length}.db`));
  databases.push(db);
  return new SqliteExchangeStore(db, new SqliteLedgerStore(db));
});

// As the service runs it: group commits synced off the request thread (sqlite-wal-sync.ts).
describeExchangeStoreContract('SqliteExchangeStore with SqliteWalSync', () => {
  const db = openDatabase(join(dir, `swx-${databases.length}.db`));
  databases.push(db);
  return new SqliteExchangeStore(db, new SqliteLedgerStore(db), () => undefined, new SqliteWalSync(db));
});
