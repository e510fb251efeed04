import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './sqlite-database.js';

/** WAL checkpoints run beside the request thread; stop() ends them (before the database closes). */
export interface BackgroundCheckpoints {
  stop(): Promise<void>;
}

export interface BackgroundCheckpointOptions {
  /** How often the worker copies committed WAL pages into the database file (default 100 ms). */
  readonly intervalMs?: number;
  /** WAL pages beyond which the writer checkpoints itself, should the worker fall behind (default 16,384: 64 MB). */
  readonly fallbackPages?: number;
  /** Called when the worker fails; the writer then checkpoints itself again, every 1,000 pages (SQLite's default). */
  readonly onError?: (error: Error) => void;
}

/**
 * Moves SQLite's WAL checkpoints off the request thread. With the default wal_autocheckpoint, the COMMIT that crosses
 * 1,000 WAL pages (about every 25 declarations) also copies the WAL into the database file and fsyncs both, while the
 * event loop waits. Here a worker thread does that on a connection of its own (PASSIVE checkpoints, which neither wait
 * for the writer nor block it), and the writer's own checkpoint stays as a bound on the WAL's size. Durability is
 * unchanged: every COMMIT still fsyncs the WAL (synchronous=FULL) before its promise settles.
 * @example const checkpoints = startBackgroundCheckpoints(db); ...; await checkpoints.stop(); db.close()
 */
export function startBackgroundCheckpoints(db: SqliteDatabase, options: BackgroundCheckpointOptions = {}): BackgroundCheckpoints {
  db.pragma(`wal_autocheckpoint = ${options.fallbackPages ?? 16_384}`);
  const worker = new Worker(workerEntry(), { workerData: { file: db.name, intervalMs: options.intervalMs ?? 100 } });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', (error) => {
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
    options.onError?.(error);
  });
  return {
    async stop() {
      // Referenced again while it stops: otherwise a process with nothing else left to do exits before the worker has,
      // and whatever awaits stop() (the last line of a graceful shutdown) never runs.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}

/** The worker module; under tsx (sources run as .ts) the worker registers tsx before loading it. */
function workerEntry(): URL {
  const typescript = import.meta.url.endsWith('.ts');
  const module = new URL(typescript ? './sqlite-checkpoint-worker.ts' : './sqlite-checkpoint-worker.js', import.meta.url);
  if (!typescript) return module;
  const loader = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(module.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(loader)}`);
}
