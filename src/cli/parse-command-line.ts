import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliIo } from './command.js';

type CommandLineConfig = Omit<ParseArgsConfig, 'args' | 'strict'>;

/**
 * Parses a subcommand's arguments strictly. An unknown or malformed option is one line on stderr naming the
 * command and its --help, and `undefined`: the command then exits with 2.
 * @example
 * const parsed = parseCommandLine('swx status', argv, { options: { json: { type: 'boolean' } }, allowPositionals: true }, io);
 * if (!parsed) return 2;
 */
export function parseCommandLine<const T extends CommandLineConfig>(
  command: string,
  argv: readonly string[],
  config: T,
  io: CliIo,
): ReturnType<typeof parseArgs<T & { args: string[]; strict: true }>> | undefined {
  try {
    return parseArgs({ ...config, args: [...argv], strict: true });
  } catch (error) {
    io.stderr.write(`${command}: ${(error as Error).message} (see ${command} --help)\n`);
    return undefined;
  }
}
