import { GatewayAddress } from '../../../message-schemas/envelope/1/schema.js';
import { XmlDsigSigner } from '../../adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../adapters/crypto/xmldsig-verifier.js';
import { ConsoleJsonLogger } from '../../adapters/logging/console-json-logger.js';
import { parseXml } from '../../adapters/xml/xml-codec.js';
import { parseConfig } from '../../config.js';
import { NO_FAULTS } from '../simulator/faults.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../simulator/owed-responses.js';
import { SimulatedGateway, type SimulatorLog } from '../simulator/simulated-gateway.js';
import type { GatewayMemory } from '../simulator/gateway-memory.js';
import { readWorkerBundle } from '../worker/worker-bundle.js';
import { workerPrimitives } from '../worker/worker-ports.js';
import { playedGateways, simulatorKeyName } from './simulator-routes.js';

/** What the simulators read from their `env`: the vars and secrets by name (bindings are skipped). */
export type SimulatorVars = Readonly<Record<string, unknown>>;

/**
 * The simulators Worker's settings and ports, parsed once per isolate from its `env` and the partner bundle that swx's
 * Worker bundles too (generated/worker-bundle.json).
 */
export interface SimulatorWorkerPorts {
  /** The ids of the gateways it plays: simulated, not planned (playedGateways). */
  readonly played: readonly string[];
  readonly log: SimulatorLog;
  /** SWX_SIMULATOR_RETRY_MS as the budget of the Node simulator's retry policy. */
  readonly retry: RetryPolicy;
  /** The gateway `partnerId`, fresh, over `memory`; throws when it is not played or its key is missing. */
  gateway(partnerId: string, memory: GatewayMemory): SimulatedGateway;
}

/**
 * Reads the simulators' settings (the SWX_* vars with the Node service's schema and defaults; SWX_SIGNING_CERTIFICATE,
 * the certificate swx signs with; SIMULATOR_KEY_<ID>) and the partner bundle. Throws, naming what is missing.
 * @example const ports = createSimulatorWorkerPorts(env, generatedWorkerBundle, GENERATED_WORKER_BUNDLE)
 */
export function createSimulatorWorkerPorts(env: SimulatorVars, bundle: unknown, bundleOrigin: string): SimulatorWorkerPorts {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string' && name.startsWith('SWX_')) vars[name] = value;
  const config = parseConfig(vars);
  const certificatePem = env.SWX_SIGNING_CERTIFICATE;
  if (typeof certificatePem !== 'string' || !certificatePem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error('invalid SWX_SIGNING_CERTIFICATE: missing (.dev.vars beside the simulators wrangler.toml, from npm run build:worker)');
  }
  const { partners } = readWorkerBundle(bundle, bundleOrigin);
  const played = new Map(playedGateways(partners).map((partner) => [partner.id, partner]));
  const logger = new ConsoleJsonLogger(config.SWX_LOG_LEVEL).child({ component: 'simulator' });
  const log: SimulatorLog = (level, message, fields = {}) => logger[level](fields, message);
  const primitives = workerPrimitives();
  const verifier = new XmlDsigVerifier();
  const nsw = { gateway: GatewayAddress.parse({ gatewayId: config.SWX_GATEWAY_ID, country: config.SWX_GATEWAY_ID }), certificatePem };
  return {
    played: [...played.keys()],
    log,
    retry: { ...DEFAULT_RETRY, budgetMs: config.SWX_SIMULATOR_RETRY_MS },
    gateway(partnerId, memory) {
      const partner = played.get(partnerId);
      if (partner === undefined) throw new Error(`${partnerId} is not a simulated gateway`);
      const keyPem = env[simulatorKeyName(partnerId)];
      if (typeof keyPem !== 'string') throw new Error(`invalid ${simulatorKeyName(partnerId)}: missing (npm run build:worker writes it)`);
      return new SimulatedGateway({
        partner,
        signer: new XmlDsigSigner(keyPem, partners.trustFor(partnerId).certificatePem),
        verifier,
        parseXml,
        nsw,
        faults: NO_FAULTS,
        clock: primitives.clock,
        ids: primitives.ids,
        sha256: primitives.sha256,
        random: Math.random,
        log,
        memory,
      });
    },
  };
}
