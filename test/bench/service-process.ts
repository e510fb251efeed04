import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildDist } from '../../src/runtime/build/build-dist.js';

/** The entry `npm start` runs: the compiled service in dist/. */
const ENTRY = 'dist/src/runtime/node.js';

/**
 * The flags `npm start` gives node before the entry (package.json's start script), so the benches run the service as
 * production does: compiled JavaScript, the same heap settings.
 * @example productionNodeFlags() // ['--enable-source-maps', '--max-semi-space-size=…', …]
 */
export function productionNodeFlags(): string[] {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = (scripts['start'] ?? '').split(/\s+/);
  const entry = words.indexOf(ENTRY);
  if (words[1] !== 'node' || entry < 0) throw new Error(`package.json's start script does not run node … ${ENTRY}: ${scripts['start']}`);
  return words.slice(2, entry);
}

/**
 * Builds dist/ (`npm run build`) and starts swx from it in a child process with `npm start`'s node flags, as
 * production runs it, and resolves once its banner names the URL. `nodeFlags` go before the entry (a CPU profile,
 * for instance).
 * @example const { child, url } = await startServiceProcess({ PORT: '0', SWX_DATA_DIR: dir, SWX_SIMULATORS: 'off' })
 */
export async function startServiceProcess(
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  await buildDist();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...productionNodeFlags(), ...nodeFlags, ENTRY], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /swx is running at (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`swx exited with ${code}: ${output}`)));
  });
}

/**
 * Node flags that write a V8 CPU profile of the process into `dir`. Without Node's idle notifier the profiler books
 * the event loop's waits to the last native call JS made (a SQLite statement, typically), which then looks like the
 * hottest function: with it, waits are "(idle)" and left out of busy time.
 * @example startServiceProcess(env, cpuProfileFlags('/tmp/profiles'))
 */
export function cpuProfileFlags(dir: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import=data:text/javascript,process._startProfilerIdleNotifier?.()'];
}

/**
 * A process's resident memory in MB: now (VmRSS) or its peak so far (VmHWM), from /proc.
 * @example residentMb(child.pid, 'VmHWM')
 */
export function residentMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}
