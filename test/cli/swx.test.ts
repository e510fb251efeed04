import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/main.js';
import { Role } from '../../src/core/auth/api-key.js';
import { captureIo } from '../helpers/capture-io.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const SWX = new URL('../../src/cli/swx.js', import.meta.url).pathname;

/** Runs the real `swx` bin (the tsx shim) in a child process. */
async function swx(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SWX, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('swx --help', () => {
  it('lists every registered command with its summary', async () => {
    const { code, stdout } = await swx(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: swx <command> [options]');
    const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const command of commands) expect(stdout).toMatch(new RegExp(`^  ${literal(command.name)} +${literal(command.summary)}$`, 'm'));
  });

  it('prints the help on stderr and exits 2 without a command', async () => {
    const { code, stderr } = await swx([]);
    expect(code).toBe(2);
    expect(stderr).toContain('Commands:');
  });

  it('shows a command’s usage', async () => {
    const { code, stdout } = await swx(['keys', 'create', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: swx keys create --role <trader\|agency\|officer\|admin\|partner> --name <name> --party <partyId>/);
  });

  it('says what --party is for each role of swx keys create', async () => {
    const { stdout } = await swx(['keys', 'create', '--help']);
    for (const role of Role.options) expect(stdout).toMatch(new RegExp(`^ {2}${role} +\\S.+$`, 'm'));
    expect(stdout).toMatch(/^ {2}officer +the officer's staff number or unit code .*recorded with each of its decisions$/m);
  });
});

describe('an unknown command', () => {
  it.each([
    [['launch', '--now'], 'swx: unknown command "launch" (see swx --help)\n'],
    [['keys', 'delete'], 'swx: unknown command "keys delete" (keys create, keys rotate; see swx --help)\n'],
  ])('is one line on stderr and exit 2: %j', async (args, line) => {
    const { code, stdout, stderr } = await swx(args);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: line });
  });
});

describe('an unknown option', () => {
  it.each(['status', 'submit', 'keys create', 'keys rotate', 'ledger verify', 'outbox list', 'outbox redrive', 'pki init', 'partners list'])(
    'is one line on stderr naming the command and its --help, and exit 2: swx %s --bogus',
    async (name) => {
      const command = (await commands.find((candidate) => candidate.name === name)?.load())?.default;
      const io = captureIo();
      expect(await command?.run(['--bogus'], io)).toBe(2);
      // Node words the parse error itself; swx frames it as one line naming the command and its --help.
      expect(io.err()).toMatch(new RegExp(`^swx ${name}: [^\\n]*--bogus[^\\n]* \\(see swx ${name} --help\\)\\n$`));
      expect(io.out()).toBe('');
    },
  );
});

describe('swx keys create', () => {
  let dataDir: string;
  let t: TestApp | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'swx-cli-'));
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a token once that then works against the app', async () => {
    const admin = await swx(['keys', 'create', '--role', 'admin', '--name', 'Ops Hanoi', '--party', 'NSW', '--data-dir', dataDir]);
    expect(admin.code).toBe(0);
    const [, id, token] = /^id: (\S+)\ntoken: (swx_\S+)\n$/.exec(admin.stdout) ?? [];
    expect(admin.stderr).toContain('the token is not shown again');
    const trader = await swx(['keys', 'create', '--role', 'trader', '--name', 'ACME', '--party', '0101234567'], { SWX_DATA_DIR: dataDir });
    const traderToken = /token: (\S+)/.exec(trader.stdout)?.[1] ?? '';

    t = await createTestApp({ dataDir });
    const listed = await t.app.request('/v1/admin/api-keys', { headers: { Authorization: `Bearer ${token}` } });
    expect(listed.status).toBe(200);
    const { items } = (await listed.json()) as { items: { id: string; role: string; name: string }[] };
    expect(items).toEqual(expect.arrayContaining([expect.objectContaining({ id, role: 'admin', name: 'Ops Hanoi' })]));
    expect(items.map((item) => item.role).sort()).toEqual(['admin', 'admin', 'trader']);
    expect((await t.app.request('/v1/admin/api-keys', { headers: { Authorization: `Bearer ${traderToken}` } })).status).toBe(403);
  });

  it.each([
    [['--role', 'emperor', '--name', 'x', '--party', 'p'], /^swx keys create: --role: Invalid option/],
    [['--role', 'trader', '--name', 'x'], /^swx keys create: --party: /],
    [['--role', 'trader', '--name', 'x', '--party', 'p', '--colour', 'red'], /^swx keys create: Unknown option '--colour'/],
  ])('refuses %j in one line with exit 2', async (args, message) => {
    const { code, stdout, stderr } = await swx(['keys', 'create', ...args, '--data-dir', dataDir]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
