import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateToken } from '../../core/auth/api-key.js';
import { CoreError } from '../../core/errors.js';

/** The bootstrap admin token and where it lives; `created` is true on the start that wrote it. */
export interface AdminTokenFile {
  readonly token: string;
  readonly path: string;
  readonly created: boolean;
}

const OWNER_ONLY = 0o600;

/**
 * Reads `<dataDir>/admin-token`, writing a fresh random token there (mode 0600) when there is none.
 * The runtime calls it when SWX_ADMIN_TOKEN is unset, then installs the token with `installAdminToken`.
 * @example
 * const { token, path, created } = ensureAdminToken('./data')
 * if (created) log.info(`admin token written to ${path}`)
 */
export function ensureAdminToken(dataDir: string): AdminTokenFile {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'admin-token');
  try {
    // 'wx' fails if the file exists, so two starts racing never overwrite each other's token.
    const token = generateToken((length) => new Uint8Array(randomBytes(length)));
    writeFileSync(path, `${token}\n`, { mode: OWNER_ONLY, flag: 'wx' });
    return { token, path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A copied or restored file may have lost its mode; a token readable by others is a leaked admin.
  if ((statSync(path).mode & 0o777) !== OWNER_ONLY) chmodSync(path, OWNER_ONLY);
  const token = readFileSync(path, 'utf8').trim();
  if (token === '') throw new CoreError('CONFIG_INVALID', `${path} is empty: delete it to generate a new admin token`);
  return { token, path, created: false };
}
