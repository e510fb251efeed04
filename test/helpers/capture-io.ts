import { Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/command.js';

/**
 * A CliIo whose stdout and stderr are collected as text, with the given environment.
 * @example const io = captureIo({ SWX_DATA_DIR: dir }); await command.run([], io); expect(io.out()).toMatch(/created/)
 */
export function captureIo(env: Record<string, string> = {}): CliIo & { out(): string; err(): string } {
  const chunks = { out: '', err: '' };
  const sink = (key: 'out' | 'err') =>
    new Writable({
      write(chunk, _encoding, done) {
        chunks[key] += String(chunk);
        done();
      },
    });
  return { stdout: sink('out'), stderr: sink('err'), env, out: () => chunks.out, err: () => chunks.err };
}
