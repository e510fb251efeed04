/** What a subcommand of `swx` sees: its arguments and the process's streams and environment. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * One subcommand, in its own module under src/cli/commands/, registered in src/cli/main.ts.
 * `run` returns the exit code; a failure the user can fix is one line on stderr and a non-zero code.
 */
export interface CliCommand {
  readonly name: string;
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
