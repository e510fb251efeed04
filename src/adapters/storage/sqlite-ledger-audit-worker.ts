// A worker thread of auditSqliteLedger: audits one part of the ledger on its own read-only connection.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { auditPart, type AuditPartTask } from './sqlite-ledger-audit.js';

const task = workerData as AuditPartTask;
const db = new Database(task.file, { readonly: true, fileMustExist: true });
try {
  const result = await auditPart(db, task, (checked) => parentPort?.postMessage({ checked }));
  parentPort?.postMessage({ result });
} finally {
  db.close();
}
