import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteClearanceQueries } from '../../../src/adapters/storage/sqlite-clearance-queries.js';
import { SqliteExchangeReportQueries } from '../../../src/adapters/storage/sqlite-exchange-report-queries.js';
import { SqliteExchangeStore } from '../../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import { SqliteMessageQueries } from '../../../src/adapters/storage/sqlite-message-queries.js';
import { describeReadQueriesContract } from './read-queries.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'swx-read-queries-'));
const opened: SqliteDatabase[] = [];
afterAll(() => {
  for (const db of opened) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describeReadQueriesContract('SQLite', async () => {
  const db = openDatabase(join(dir, `swx-${opened.length}.db`));
  opened.push(db);
  return {
    store: new SqliteExchangeStore(db, new SqliteLedgerStore(db)),
    clearances: new SqliteClearanceQueries(db),
    messages: new SqliteMessageQueries(db),
    reports: new SqliteExchangeReportQueries(db),
    settle: async () => undefined,
  };
});
