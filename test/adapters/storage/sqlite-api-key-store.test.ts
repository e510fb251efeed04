import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteApiKeyStore } from '../../../src/adapters/storage/sqlite-api-key-store.js';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
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
  return new SqliteApiKeyStore(db);
});
