import workerBundle from './generated/worker-bundle.json' with { type: 'json' };

/**
 * The Worker's bundle as `npm run build:worker` generated it (partners, trust PEMs, channel rules), unvalidated:
 * pass it to createWorkerPorts, which reads it with readWorkerBundle.
 */
export const generatedWorkerBundle: unknown = workerBundle;

/** Where it came from, for error messages. */
export const GENERATED_WORKER_BUNDLE = 'src/runtime/worker/generated/worker-bundle.json';
