import type { CliCommand } from '../command.js';

const usage = `Usage: swx serve

Starts swx with the settings in the environment (PORT, SWX_DATA_DIR, SWX_SIMULATORS, ... — see README.md),
exactly as \`npm start\` does. Stops gracefully on Ctrl-C or SIGTERM: requests in flight finish (at most
SWX_SHUTDOWN_GRACE_MS), then it prints "swx stopped: …" and exits 0. Under a supervisor, run \`npm start\` or
\`node src/cli/swx.js serve\`: \`npx swx serve\` runs swx under a shell that does not pass SIGTERM on.`;

/**
 * `swx serve`: the service in the foreground.
 * @example SWX_DATA_DIR=/var/lib/swx swx serve
 */
const serve: CliCommand = {
  name: 'serve',
  usage,
  async run(argv, io) {
    if (argv.length > 0) {
      io.stderr.write(`swx serve: unexpected argument ${argv[0] ?? ''}: settings come from the environment (see swx serve --help)\n`);
      return 2;
    }
    const { runNode } = await import('../../runtime/node.js');
    await runNode(io.env);
    return new Promise<number>(() => undefined);
  },
};
export default serve;
