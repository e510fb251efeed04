// A worker thread of auditSqliteLedger: checks the parts of the ledger it is given on its own read-only connection.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { auditPart, type AuditWorkerMessage, type AuditWorkerTask } from './sqlite-ledger-audit.js';

const port = parentPort;
if (!port) throw new Error('sqlite-ledger-audit-worker runs in a worker thread');
const send = (message: AuditWorkerMessage) => port.postMessage(message);
const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
port.on('message', (message: AuditWorkerTask) => {
  if (message === 'done') {
    db.close();
    port.close();
    return;
  }
  // A failure is left unhandled: it ends the worker with an 'error' event, which fails the audit.
  void auditPart(db, message.task, (checked) => send({ checked })).then((result) => send({ result }));
});
send('ready');
