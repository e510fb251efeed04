/**
 * The Worker's bundle, written by `npm run build:worker` (src/runtime/build/build-worker.ts) and not committed: it
 * holds this machine's development PKI. Typed unknown so that the Worker type-checks on a clean clone; it is
 * validated when read (readWorkerBundle).
 */
declare const workerBundle: unknown;
export default workerBundle;
