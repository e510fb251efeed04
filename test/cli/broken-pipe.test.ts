import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs `swx <args>` with a stdout whose reader has gone away before the first line is written. */
function runWithClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['src/cli/swx.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

describe('swx writing to a pipe whose reader has gone (swx partners list | head -3)', () => {
  it.each([[['partners', 'list']], [['--help']], [['outbox', 'list', '--help']]])('ends quietly with 0: swx %j', async (args) => {
    const { code, stderr } = await runWithClosedStdout(args);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
