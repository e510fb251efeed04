import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../../src/adapters/storage/sqlite-database.js';
import { applyLocalD1Migrations } from '../../../src/runtime/build/apply-local-d1-migrations.js';

const persist = mkdtempSync(join(tmpdir(), 'swx-d1-'));
afterAll(() => rmSync(persist, { recursive: true, force: true }));

describe('applyLocalD1Migrations', () => {
  it('gives the local D1 of wrangler.toml every migration, recorded as wrangler records them, once', async () => {
    await applyLocalD1Migrations(persist);
    await applyLocalD1Migrations(persist);
    const dir = join(persist, 'v3/d1/miniflare-D1DatabaseObject');
    const file = readdirSync(dir).find((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
    const db = new Database(join(dir, file ?? 'missing'), { readonly: true, fileMustExist: true });
    try {
      expect(db.prepare('SELECT name FROM d1_migrations ORDER BY id').pluck().all()).toEqual(readMigrations().map((migration) => migration.name));
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('read_model_marks', 'declarations', 'api_keys')").pluck().get()).toBe(3);
    } finally {
      db.close();
    }
  });
});
