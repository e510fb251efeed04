import { withEndpoints } from '../adapters/partners/build-partner-directory.js';
import { R2BodyStore } from '../adapters/r2/r2-body-store.js';
import { LargeBodyExchangeStore } from '../adapters/storage/large-body-exchange-store.js';
import { FetchPartnerTransport } from '../adapters/transport/fetch-partner-transport.js';
import { createApp } from '../http/app.js';
import type { ReadinessCheck } from '../http/deps.js';
import { openReceipt } from './open-receipt.js';
import { type ServiceFetcher, simulatorEndpoints, throughSimulators } from './simulator-worker/simulator-routes.js';
import { consumeDeliveries, type DeliveryJob } from './worker/delivery-queue.js';
import type { ExchangeObject } from './worker/exchange-object.js';
import { GENERATED_WORKER_BUNDLE, generatedWorkerBundle } from './worker/generated-worker-bundle.js';
import { readModelPortsOver } from './worker/read-model-ports.js';
import { storagePortsOver } from './worker/storage-rpc.js';
import { createWorkerPorts, type WorkerPorts } from './worker/worker-ports.js';

export { ExchangeObject } from './worker/exchange-object.js';

/**
 * The partner simulators Worker (swx-simulators), bound only by the dev starter (src/runtime/build/dev-workers.ts,
 * `npm run dev:worker`): wrangler.toml does not bind it, so a deployment needs no simulators.
 */
interface SimulatorsBinding {
  readonly SIMULATORS?: ServiceFetcher;
}

function simulatorsOf(env: Env): ServiceFetcher | undefined {
  return (env as Env & SimulatorsBinding).SIMULATORS;
}

/** The one EXCHANGE object. A stub belongs to the request that made it, so each call makes its own. */
function exchangeOf(env: Env): DurableObjectStub<ExchangeObject> {
  return env.EXCHANGE.get(env.EXCHANGE.idFromName('swx'));
}

interface Isolate {
  readonly ports: WorkerPorts;
  readonly app: ReturnType<typeof createApp>;
  readonly storage: ReturnType<typeof storagePortsOver>;
}

/** Parsed once per isolate: keys, PEMs, partner files and the app are not rebuilt per request. */
const isolates = new WeakMap<Env, Isolate>();

function isolateOf(env: Env): Isolate {
  const known = isolates.get(env);
  if (known !== undefined) return known;
  const bundled = createWorkerPorts(env, generatedWorkerBundle, GENERATED_WORKER_BUNDLE);
  // With the simulators bound, the simulated gateways get their endpoints there, as the Node simulators give theirs.
  const ports =
    simulatorsOf(env) === undefined ? bundled : { ...bundled, partners: withEndpoints(bundled.partners, simulatorEndpoints(bundled.partners)) };
  const rpc = storagePortsOver((port, method, args) => exchangeOf(env).call(port, method, args));
  // Large envelopes and certificate documents go to R2 here, in the stateless Worker: the object's rows hold 2 MB at
  // most, and its single thread never carries megabytes over RPC.
  // Searches, the MIS report and API key lookups read D1, the read model the object projects; writes go to the object.
  const reads = readModelPortsOver(env.DB, (port, method, args) => exchangeOf(env).readIfBehind(port, method, args), rpc, ports.log);
  const storage = { ...rpc, ...reads, store: new LargeBodyExchangeStore(rpc.store, new R2BodyStore(env.BODIES), ports.sha256) };
  const app = createApp({
    ...ports,
    ...storage,
    readiness: () => readiness(storage.ledger.size.bind(storage.ledger), ports),
    // The EXCHANGE object's alarm runs after every commit that queued a message: nothing to wake here.
    notifyQueued: () => undefined,
    deliveryHealth: (partnerIds) => exchangeOf(env).deliveryHealth(partnerIds),
  });
  const isolate = { ports, app, storage };
  isolates.set(env, isolate);
  return isolate;
}

async function readiness(ledgerSize: () => Promise<number>, ports: WorkerPorts): Promise<readonly ReadinessCheck[]> {
  const exchange: ReadinessCheck = await ledgerSize().then(
    () => ({ name: 'database', ok: true }),
    (error: unknown) => ({ name: 'database', ok: false, detail: `the EXCHANGE Durable Object does not answer: ${(error as Error).message}` }),
  );
  return [exchange, { name: 'signing-key', ok: ports.signer.certificatePem.length > 0 }];
}

/**
 * The Workers entry (design.md 3.1): the whole API of createApp, its storage in the EXCHANGE Durable Object, and the
 * consumer of the DELIVERIES queue, which delivers each job with the fetch transport and reports back to the object.
 */
export default {
  fetch: (request, env, ctx) => isolateOf(env).app.fetch(request, env, ctx),
  async queue(batch, env) {
    const { ports, storage } = isolateOf(env);
    const simulators = simulatorsOf(env);
    const transport = new FetchPartnerTransport(simulators === undefined ? {} : { fetch: throughSimulators(simulators) });
    await consumeDeliveries(batch, {
      store: storage.store,
      partners: ports.partners,
      transport,
      clock: ports.clock,
      random: Math.random,
      openReceipt: (xml, partner) => openReceipt(ports.signatures, ports.parseXml, ports.partners.trustFor(partner.id).certificatePem, xml),
      settlement: {
        settle: (messageId, outcome) => exchangeOf(env).settleDelivery(messageId, outcome),
        release: (messageId) => exchangeOf(env).releaseDelivery(messageId),
      },
      log: ports.log,
    });
  },
} satisfies ExportedHandler<Env, DeliveryJob>;
