import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { SqliteApiKeyStore } from '../../../src/adapters/storage/sqlite-api-key-store.js';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteExchangeStore } from '../../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import { describeApiKeyStoreContract } from './api-key-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'swx-api-keys-'));
const opened: SqliteDatabase[] = [];
afterAll(() => {
  for (const db of opened) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describeApiKeyStoreContract('SqliteApiKeyStore', () => {
  const db = openDatabase(join(dir, `swx-${opened.length}.db`));
  opened.push(db);
  const ledger = new SqliteLedgerStore(db, { sha256: nodeSha256, clock: { now: () => new Date() } });
  return { apiKeys: new SqliteApiKeyStore(db, new SqliteExchangeStore(db, ledger)), ledger };
});
