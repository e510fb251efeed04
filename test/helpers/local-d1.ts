import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/**
 * Gives a fresh Worker persistence dir the read model's D1 with every migration applied, as
 * `wrangler d1 migrations apply DB --local` leaves it: copied from the template the globalSetup migrated once per run
 * (wrangler takes about 5 s to apply them; the copy takes nothing). Without it swx on Workers refuses key changes.
 * @example const persist = mkdtempSync(join(tmpdir(), 'swx-worker-')); copyMigratedD1(persist)
 */
export function copyMigratedD1(persistDir: string): void {
  cpSync(join(inject('d1TemplateDir'), 'v3', 'd1'), join(persistDir, 'v3', 'd1'), { recursive: true });
}
