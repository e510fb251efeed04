import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureAdminToken } from '../../../src/adapters/storage/admin-token-file.js';
import { thrownCoreError } from '../../helpers/core-error.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swx-admin-token-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('ensureAdminToken', () => {
  describe('on first start', () => {
    it('writes a random token readable by the owner only', () => {
      const dataDir = join(dir, 'data', 'nested');
      const { token, path, created } = ensureAdminToken(dataDir);
      expect(created).toBe(true);
      expect(path).toBe(join(dataDir, 'admin-token'));
      expect(token).toMatch(/^swx_[A-Za-z0-9_-]{43}$/);
      expect(readFileSync(path, 'utf8')).toBe(`${token}\n`);
      expect(modeOf(path)).toBe(0o600);
    });
  });

  describe('on later starts', () => {
    it('returns the same token without writing', () => {
      const first = ensureAdminToken(dir);
      expect(ensureAdminToken(dir)).toEqual({ ...first, created: false });
    });

    it('narrows a file others can read back to 0600', () => {
      writeFileSync(join(dir, 'admin-token'), 'swx_restored-token\n');
      chmodSync(join(dir, 'admin-token'), 0o644);
      expect(ensureAdminToken(dir).token).toBe('swx_restored-token');
      expect(modeOf(join(dir, 'admin-token'))).toBe(0o600);
    });

    it('refuses an empty file', () => {
      writeFileSync(join(dir, 'admin-token'), '\n', { mode: 0o600 });
      expect(thrownCoreError(() => ensureAdminToken(dir)).code).toBe('CONFIG_INVALID');
    });
  });

  it('gives a different token to each data directory', () => {
    expect(ensureAdminToken(join(dir, 'a')).token).not.toBe(ensureAdminToken(join(dir, 'b')).token);
  });
});
