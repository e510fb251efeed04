import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { readMigrations } from '../src/adapters/storage/sqlite-database.js';

const root = new URL('..', import.meta.url).pathname;

export default defineConfig({
  test: {
    root,
    projects: [
      { test: { name: 'unit', include: ['test/core/**/*.test.ts', 'test/message-schemas/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'node',
          include: [
            'test/adapters/**/*.test.ts',
            'test/http/**/*.test.ts',
            'test/runtime/**/*.test.ts',
            'test/cli/**/*.test.ts',
            'test/e2e/**/*.test.ts',
            'test/interop/**/*.test.ts',
            'test/reliability/**/*.test.ts',
          ],
          environment: 'node',
          globalSetup: ['test/helpers/global-setup.ts'],
          // The Workers of test/helpers/worker-service.ts: wrangler's and miniflare's own info lines (each queue batch) unprinted.
          env: { WRANGLER_LOG: 'error' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // workerd through wrangler.toml: the Worker and its Durable Objects; MIGRATION_FILES lets a test compare the
        // migrations bundled into the Worker with the files on disk; D1_MIGRATIONS are applied to D1 before each file.
        plugins: [
          cloudflareTest({
            main: `${root}src/runtime/worker.ts`,
            wrangler: { configPath: `${root}wrangler.toml` },
            miniflare: {
              bindings: { MIGRATION_FILES: readMigrations(), D1_MIGRATIONS: await readD1Migrations(`${root}src/adapters/storage/migrations`) },
            },
          }),
        ],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts'],
          globalSetup: ['test/helpers/worker-global-setup.ts'],
          setupFiles: ['test/workers/apply-d1-migrations.ts'],
        },
      },
    ],
  },
});
