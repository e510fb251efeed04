import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';

/** A swx started in its own process, as an operator starts it. */
export interface ChildService {
  readonly process: ChildProcess;
  readonly url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with its exit code and signal once it has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * A port free on 127.0.0.1 now, chosen below the kernel's ephemeral range: a port that `listen(0)` hands out
 * is in that range, and any outgoing connection of a test running alongside may take it as its local port
 * before the child binds it (CI saw "PORT 35771 is already in use"). Below the range only another test's
 * choice can collide, and it is random too.
 */
export function freePort(): Promise<number> {
  return freePorts(1);
}

/** The first of `count` consecutive ports free on 127.0.0.1 now, below the ephemeral range as freePort's. */
export async function freePorts(count: number): Promise<number> {
  const [low] = ephemeralRange();
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 10_000 + Math.floor(Math.random() * (low - 10_000 - count));
    let free = true;
    for (let port = first; free && port < first + count; port++) free = await canListen(port);
    if (free) return first;
  }
  throw new Error(`no ${count} free ports found between 10000 and ${low}`);
}

/** The kernel's range for local ports of outgoing connections (Linux), or IANA's when it cannot be read. */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low !== undefined && high !== undefined && low > 10_000) return [low, high];
  } catch {}
  return [49_152, 65_535];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Starts swx in a child process, by `npm start` (how) or by `node --import tsx src/runtime/node.ts`, with `env` added
 * to this process's environment (PORT among them); resolves once its banner says it is running.
 * @example const swx = await startChildService({ PORT: String(port), SWX_DATA_DIR: dir }, 'npm')
 */
export function startChildService(env: Readonly<Record<string, string>>, how: 'npm' | 'node' = 'node'): Promise<ChildService> {
  const [command, args] = how === 'npm' ? ['npm', ['start', '--silent']] : [process.execPath, ['--import', 'tsx', 'src/runtime/node.ts']];
  const child = spawn(command as string, args as string[], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('swx is running at')) {
        resolve({ process: child, url: `http://127.0.0.1:${env.PORT}`, output: () => output, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(({ code }) => reject(new Error(`swx exited with ${code}: ${output}`)));
  });
}

/** The process ids of a process's children (Linux /proc), to check that none is left after a stop. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** True while a process with this id exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Creates a trader key through the admin API of a running swx whose data dir is `dataDir`; returns its token. */
export async function createTraderKey(url: string, dataDir: string, partyId: string): Promise<string> {
  const admin = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  const response = await fetch(`${url}/v1/admin/api-keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'trader', name: `reliability ${partyId}`, partyId }),
  });
  if (response.status !== 201) throw new Error(`creating a trader key answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** Polls `probe` every 25 ms until it holds; throws naming `what` after timeoutMs. */
export async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
