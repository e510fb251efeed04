import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partnersDirFrom } from '../../src/config.js';

/**
 * A copy of the shipped partners/ with some files changed, for a service under test
 * (e.g. a small retry budget so a dead letter comes in milliseconds).
 * @example const dir = partnersDirWith({ TH: { retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 } } })
 */
export function partnersDirWith(changes: Readonly<Record<string, Record<string, unknown>>>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'swx-partners-')), 'partners');
  cpSync(partnersDirFrom({}), dir, { recursive: true });
  for (const [id, change] of Object.entries(changes)) {
    const file = join(dir, `${id.toLowerCase()}.json`);
    writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), ...change }, null, 2));
  }
  return dir;
}
