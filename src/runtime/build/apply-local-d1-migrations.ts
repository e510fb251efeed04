import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WRANGLER = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin/wrangler.js');

/**
 * Brings the local D1 database of wrangler.toml's DB binding, kept under `persistTo` (the `persist` directory given to
 * `wrangler dev` or `unstable_startWorker`), up to storage/migrations: `wrangler d1 migrations apply DB --local`, as a
 * deployment applies them with `--remote`. The EXCHANGE object projects its read model there; without the schema, key
 * changes are refused (NOT_READY) and every read falls back to the object.
 * @example await applyLocalD1Migrations('.wrangler/state'); await unstable_startWorker({ config, dev: { persist: '.wrangler/state' } })
 */
export async function applyLocalD1Migrations(persistTo: string): Promise<void> {
  // CI=true: wrangler applies without asking for a confirmation no one is there to give.
  await promisify(execFile)(process.execPath, [WRANGLER, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
  });
}
