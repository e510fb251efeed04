import type { GatewayPartner, Partner } from '../core/partner.js';
import type { CliIo } from './command.js';

/**
 * The partner gateways `swx simulate` can play and `swx simulate send` can sign for: gateways whose trust is
 * the development PKI (so their key is in `<data>/pki/gateways/`) and whose state is not `planned`, whatever
 * their mode (a `live` gateway with dev-pki trust is how swx is pointed at a simulator run on its own).
 * @example simulatedGateways(readPartnerFiles(partnersDirFrom(io.env))).map((gateway) => gateway.id) // ['BN', 'ID', ...]
 */
export function simulatedGateways(partners: readonly Partner[]): GatewayPartner[] {
  return partners.filter(
    (partner): partner is GatewayPartner => partner.kind === 'gateway' && partner.state !== 'planned' && partner.trust?.source === 'dev-pki',
  );
}

/**
 * The simulated gateway named `id` (any case), or a one-line reason why there is none: unknown, an agency,
 * planned, or trusted through pinned material whose key swx does not hold.
 * @example const found = findSimulatedGateway(partners, 'th', partnersDir); if ('error' in found) io.stderr.write(found.error)
 */
export function findSimulatedGateway(partners: readonly Partner[], id: string, partnersDir: string): { gateway: GatewayPartner } | { error: string } {
  const wanted = id.trim().toUpperCase();
  const choices = `gateways to simulate: ${
    simulatedGateways(partners)
      .map((gateway) => gateway.id)
      .join(', ') || 'none'
  }`;
  const partner = partners.find((candidate) => candidate.id === wanted);
  if (partner === undefined) return { error: `no partner ${JSON.stringify(id)} in ${partnersDir} (${choices})` };
  if (partner.kind !== 'gateway')
    return { error: `${partner.id} is an agency, not a partner gateway: agencies call the API with an agency key (${choices})` };
  if (partner.state === 'planned') {
    return { error: `${partner.id} is planned: swx exchanges nothing with it yet (set "state" to "test" or "live" in its partner file first)` };
  }
  if (partner.trust?.source !== 'dev-pki') {
    return { error: `${partner.id} is trusted through pinned certificates: its key is the partner's own, not in the development PKI (${choices})` };
  }
  return { gateway: partner };
}

/**
 * Swx's own gateway id, `SWX_GATEWAY_ID` (default VN), or a one-line reason it is not valid.
 * @example const self = ownGatewayFrom(io.env); if ('error' in self) return fail(self.error)
 */
export function ownGatewayFrom(env: CliIo['env']): { gatewayId: string } | { error: string } {
  const gatewayId = env['SWX_GATEWAY_ID'] ?? 'VN';
  if (!/^[A-Z]{2}$/.test(gatewayId)) return { error: `invalid SWX_GATEWAY_ID=${JSON.stringify(gatewayId)}: must be an ISO 3166 alpha-2 code` };
  return { gatewayId };
}
