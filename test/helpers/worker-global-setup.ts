import { buildWorker } from '../../src/runtime/build/build-worker.js';

/**
 * Prepares the Worker before workerd loads it, as `npm run dev:worker` does: the generated partner bundle and the
 * `.dev.vars` secrets from the data directory (src/runtime/build/build-worker.ts).
 */
export default async function setup(): Promise<void> {
  await buildWorker(process.env);
}
