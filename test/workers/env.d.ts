import type { SqlMigration } from '../../src/adapters/storage/migrate.js';
import type { Env as WorkerEnv } from '../../src/runtime/worker.js';

declare global {
  namespace Cloudflare {
    /** The Worker's bindings (wrangler.toml), and what test/vitest.config.ts adds for the tests. */
    interface Env extends WorkerEnv {
      /** The migration files on disk, as Node reads them (readMigrations). */
      readonly MIGRATION_FILES: readonly SqlMigration[];
    }
  }
}
