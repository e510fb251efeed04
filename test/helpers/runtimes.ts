import { startNodeService } from './service.js';
import type { Runtime, ServiceUnderTest } from './service-under-test.js';
import { startWorkerService } from './worker-service.js';

const ALL: readonly Runtime[] = ['node', 'workers'];

/**
 * The runtimes the shared HTTP and end-to-end tests run on: both, or those `SWX_TEST_RUNTIMES` lists
 * (`SWX_TEST_RUNTIMES=workers npx vitest run --config test/vitest.config.ts --project node test/e2e/clearance-search.test.ts`).
 * @example describe.each(RUNTIMES)('on %s', (runtime) => { beforeAll(async () => { swx = await startServiceOn(runtime) }) })
 */
export const RUNTIMES: readonly Runtime[] = runtimesFrom(process.env['SWX_TEST_RUNTIMES']);

function runtimesFrom(list: string | undefined): readonly Runtime[] {
  if (list === undefined || list.trim() === '') return ALL;
  const chosen = list.split(',').map((name) => name.trim());
  const unknown = chosen.filter((name) => !ALL.includes(name as Runtime));
  if (unknown.length > 0) throw new Error(`SWX_TEST_RUNTIMES: unknown runtime ${unknown.join(', ')} (known: ${ALL.join(', ')})`);
  return chosen as Runtime[];
}

/**
 * Starts the whole of swx on `runtime`: the Node service (startNodeService: startTestService's data dir, simulators on
 * unless `env` says off) or the Worker in local workerd (startWorkerService), with `env`'s SWX_* settings.
 * @example const swx = await startServiceOn('workers', { SWX_BODY_LIMIT_BYTES: '4096' })
 */
export function startServiceOn(runtime: Runtime, env: Readonly<Record<string, string>> = {}): Promise<ServiceUnderTest> {
  return runtime === 'node' ? startNodeService(env) : startWorkerService(env);
}
