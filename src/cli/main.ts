import type { CliCommand, CliIo } from './command.js';

/** A subcommand as listed in the table: its module is imported only when it runs or shows its help. */
interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<{ default: CliCommand }>;
}

/** Every `swx` subcommand. Add one line per command module in src/cli/commands/. */
export const commands: readonly CommandEntry[] = [
  { name: 'serve', summary: 'start the service (as npm start does)', load: () => import('./commands/serve.js') },
  { name: 'keys create', summary: 'create an API key offline and print its token once', load: () => import('./commands/keys-create.js') },
  {
    name: 'keys rotate',
    summary: 'rotate swx’s document-signing key and certificate, keeping the old ones',
    load: () => import('./commands/keys-rotate.js'),
  },
  {
    name: 'mandates grant',
    summary: 'let a customs broker file declarations in a trader’s name (offline)',
    load: () => import('./commands/mandates-grant.js'),
  },
  { name: 'mandates list', summary: 'list mandates with their state (offline)', load: () => import('./commands/mandates-list.js') },
  { name: 'mandates revoke', summary: 'revoke a mandate (offline)', load: () => import('./commands/mandates-revoke.js') },
  {
    name: 'pki init',
    summary: 'create the development PKI: a root per country, a certificate per gateway',
    load: () => import('./commands/pki-init.js'),
  },
  {
    name: 'partners list',
    summary: 'list partner gateways and agencies with their state and documents',
    load: () => import('./commands/partners-list.js'),
  },
  { name: 'submit', summary: 'submit a declaration file (JSON or XML) to a running swx', load: () => import('./commands/submit.js') },
  { name: 'status', summary: "show a declaration's status and timeline", load: () => import('./commands/status.js') },
  { name: 'outbox list', summary: 'list outbox messages (dead letters by default)', load: () => import('./commands/outbox-list.js') },
  { name: 'outbox redrive', summary: 'send dead-lettered messages again', load: () => import('./commands/outbox-redrive.js') },
  {
    name: 'simulate',
    summary: 'run simulated partner gateways on loopback ports, with fault injection',
    load: () => import('./commands/simulate.js'),
  },
  {
    name: 'simulate send',
    summary: 'send a document to swx as a partner gateway, signed with its development key, and show the receipt',
    load: () => import('./commands/simulate-send.js'),
  },
  {
    name: 'conformance',
    summary: 'check an envelope or a business document as swx would receive it, offline, and list every finding',
    load: () => import('./commands/conformance.js'),
  },
  {
    name: 'ledger verify',
    summary: 'recompute the ledger from the database and check every checkpoint',
    load: () => import('./commands/ledger-verify.js'),
  },
];

const watched = new WeakSet<NodeJS.WritableStream>();

/** A reader that goes away (`swx outbox list | head -3`) ends swx quietly with 0, as it ends `cat`; other errors stay fatal. */
function endQuietlyOnBrokenPipe(stream: NodeJS.WritableStream): void {
  if (watched.has(stream)) return;
  watched.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

function help(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'swx: the exchange gateway of Viet Nam’s National Single Window',
    '',
    'Usage: swx <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `swx <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

/** The entry whose name is the longest prefix of argv (`keys create …` before a `keys …`). */
function findCommand(argv: readonly string[]): { entry: CommandEntry; rest: readonly string[] } | undefined {
  let found: { entry: CommandEntry; rest: readonly string[] } | undefined;
  for (const entry of commands) {
    const words = entry.name.split(' ');
    if (words.every((word, i) => argv[i] === word) && (found === undefined || words.length > found.entry.name.split(' ').length)) {
      found = { entry, rest: argv.slice(words.length) };
    }
  }
  return found;
}

/**
 * Runs `swx` with its arguments (without `node` and the script) and returns the exit code:
 * 0 on success, 1 when a command fails, 2 for a usage error.
 * @example process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env })
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  endQuietlyOnBrokenPipe(io.stdout);
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    (first === undefined ? io.stderr : io.stdout).write(help());
    return first === undefined ? 2 : 0;
  }
  const found = findCommand(argv);
  if (found === undefined) {
    const group = commands.filter((command) => command.name.startsWith(`${first} `)).map((command) => command.name);
    const name = group.length > 0 && argv[1] !== undefined && !argv[1].startsWith('-') ? `${first} ${argv[1]}` : first;
    const hint = group.length > 0 ? `${group.join(', ')}; see swx --help` : 'see swx --help';
    io.stderr.write(`swx: unknown command "${name}" (${hint})\n`);
    return 2;
  }
  const command = (await found.entry.load()).default;
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(found.rest, io);
  } catch (error) {
    io.stderr.write(`swx ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
