import type { GatewayPartner, PartnerDirectory } from '../../core/partner.js';

/**
 * The origin swx gives the simulated gateways' endpoints on Workers. It is never resolved: swx sends what is addressed
 * to it through its SIMULATORS service binding (throughSimulators), and the simulators Worker routes by path.
 */
export const SIMULATORS_ORIGIN = 'https://simulators.internal';

/** Where swx reaches its own gateway from the simulators Worker (through the SWX service binding, the host unused). */
export const SWX_EXCHANGE_URL = 'https://swx.internal/v1/exchange';

const EXCHANGE_PATH = /^\/([A-Z0-9]{2,16})\/v1\/exchange$/;

/**
 * The endpoint of a simulated gateway on Workers, as the Node simulator's is `http://127.0.0.1:<port>/v1/exchange`.
 * @example simulatorEndpoint('TH') // 'https://simulators.internal/TH/v1/exchange'
 */
export function simulatorEndpoint(partnerId: string): string {
  return `${SIMULATORS_ORIGIN}/${partnerId}/v1/exchange`;
}

/**
 * The partner a request path of the simulators Worker addresses, if it is a gateway's exchange path.
 * @example simulatedPartnerOf('/TH/v1/exchange') // 'TH'
 */
export function simulatedPartnerOf(pathname: string): string | undefined {
  return EXCHANGE_PATH.exec(pathname)?.[1];
}

/**
 * The gateways the simulators play (design.md 3.1): `"mode": "simulated"`, not planned, as on Node.
 * @example playedGateways(partners).map((partner) => partner.id) // ['BN', 'ID', …]
 */
export function playedGateways(partners: PartnerDirectory): GatewayPartner[] {
  return partners
    .list()
    .filter((partner): partner is GatewayPartner => partner.kind === 'gateway' && partner.mode === 'simulated' && partner.state !== 'planned');
}

/**
 * The endpoints to give the played gateways (withEndpoints), when swx is bound to the simulators Worker.
 * @example const partners = withEndpoints(directory, simulatorEndpoints(directory))
 */
export function simulatorEndpoints(partners: PartnerDirectory): Map<string, string> {
  return new Map(playedGateways(partners).map(({ id }) => [id, simulatorEndpoint(id)]));
}

/**
 * The name of the simulators Worker's secret holding a simulated gateway's private key.
 * @example simulatorKeyName('TH') // 'SIMULATOR_KEY_TH'
 */
export function simulatorKeyName(partnerId: string): string {
  return `SIMULATOR_KEY_${partnerId}`;
}

/** What a service binding offers: Cloudflare's `Fetcher` is one. */
export interface ServiceFetcher {
  fetch(input: URL | string, init?: RequestInit): Promise<Response>;
}

/**
 * A `fetch` that sends requests for SIMULATORS_ORIGIN through the simulators' service binding and every other one
 * to the network: the fetch transport's, so that swx delivers to simulated and live gateways alike.
 * @example new FetchPartnerTransport({ fetch: throughSimulators(env.SIMULATORS) })
 */
export function throughSimulators(simulators: ServiceFetcher): (input: URL, init: RequestInit) => Promise<Response> {
  return (input, init) => (input.origin === SIMULATORS_ORIGIN ? simulators.fetch(input, init) : fetch(input, init));
}
