import type { SqlMigration } from '../../src/adapters/storage/migrate.js';

declare global {
  namespace Cloudflare {
    /** Beside the Worker's bindings (worker-configuration.d.ts), what test/vitest.config.ts adds for the tests. */
    interface Env {
      /** The migration files on disk, as Node reads them (readMigrations). */
      readonly MIGRATION_FILES: readonly SqlMigration[];
    }
  }
}
