import type { D1Migration } from 'cloudflare:test';
import type { SqlMigration } from '../../src/adapters/storage/migrate.js';

declare global {
  namespace Cloudflare {
    /** Beside the Worker's bindings (worker-configuration.d.ts), what test/vitest.config.ts adds for the tests. */
    interface Env {
      /** The migration files on disk, as Node reads them (readMigrations). */
      readonly MIGRATION_FILES: readonly SqlMigration[];
      /** The same files as D1 migrations (readD1Migrations), applied before each test file (apply-d1-migrations.ts). */
      readonly D1_MIGRATIONS: D1Migration[];
    }
  }
}
