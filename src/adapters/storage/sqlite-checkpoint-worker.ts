// The worker thread of startBackgroundCheckpoints: copies the WAL into the database file on a connection of its own.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
if (!port) throw new Error('sqlite-checkpoint-worker runs in a worker thread');
const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new Database(file, { fileMustExist: true });
// The WAL is synced before its pages are copied and the database file after, as the writer's own checkpoints would be.
db.pragma('synchronous = FULL');
// PASSIVE never waits for the writer nor blocks it; a failure is left unhandled: it ends the worker with an 'error' event.
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), intervalMs);
port.on('message', (message: 'stop') => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  port.close();
});
