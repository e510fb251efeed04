import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Starts swx from its sources in a child process, as the benches measure it, and resolves once its banner names
 * the URL. `nodeFlags` go before the entry (a CPU profile, for instance).
 * @example const { child, url } = await startServiceProcess({ PORT: '0', SWX_DATA_DIR: dir, SWX_SIMULATORS: 'off' })
 */
export function startServiceProcess(env: Record<string, string>, nodeFlags: readonly string[] = []): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', 'src/runtime/node.ts'], {
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
 * A process's resident memory in MB: now (VmRSS) or its peak so far (VmHWM), from /proc.
 * @example residentMb(child.pid, 'VmHWM')
 */
export function residentMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}
