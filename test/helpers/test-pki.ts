import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/**
 * Copies the run's development PKI into `<dataDir>/pki`, where swx looks for it, so a test's service starts
 * without generating keys.
 * @example copyTestPki(dataDir); await startService(config)
 */
export function copyTestPki(dataDir: string): string {
  const target = join(dataDir, 'pki');
  cpSync(inject('testPkiDir'), target, { recursive: true });
  return target;
}
