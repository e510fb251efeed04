import { GENERATED_WORKER_BUNDLE, generatedWorkerBundle } from './worker/generated-worker-bundle.js';
import type { SimulatorWorkerEnv } from './simulator-worker/simulator-object.js';
import { simulatedPartnerOf } from './simulator-worker/simulator-routes.js';
import { createSimulatorWorkerPorts, type SimulatorWorkerPorts } from './simulator-worker/simulator-worker-ports.js';

export { SimulatorObject } from './simulator-worker/simulator-object.js';

/** Parsed once per isolate. */
const isolates = new WeakMap<SimulatorWorkerEnv, SimulatorWorkerPorts>();

function portsOf(env: SimulatorWorkerEnv): SimulatorWorkerPorts {
  const known = isolates.get(env);
  if (known !== undefined) return known;
  const ports = createSimulatorWorkerPorts(env, generatedWorkerBundle, GENERATED_WORKER_BUNDLE);
  isolates.set(env, ports);
  return ports;
}

/**
 * The partner simulators Worker (`swx-simulators`, src/runtime/simulator-worker/wrangler.toml): every simulated gateway
 * of the partner bundle, as the Node service's built-in simulators play them.
 * - `POST /<ID>/v1/exchange`: swx's signed envelope to gateway ID, answered with the gateway's signed receipt by its
 *   SimulatorObject, which later sends the business response (a Customs Response for an ACDD) to swx.
 * - `GET /healthz`: the gateways played.
 */
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const ports = portsOf(env);
    if (url.pathname === '/healthz' && request.method === 'GET') return Response.json({ status: 'ok', partners: ports.played });
    const partnerId = simulatedPartnerOf(url.pathname);
    if (partnerId === undefined || !ports.played.includes(partnerId)) return new Response('no simulated gateway here', { status: 404 });
    if (request.method !== 'POST') return new Response('POST an envelope', { status: 405, headers: { allow: 'POST' } });
    const simulator = env.SIMULATOR.get(env.SIMULATOR.idFromName(partnerId));
    const { status, receipt } = await simulator.receive(partnerId, await request.text());
    return new Response(receipt, { status, headers: { 'content-type': 'application/xml' } });
  },
} satisfies ExportedHandler<SimulatorWorkerEnv>;
