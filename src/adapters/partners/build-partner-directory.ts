import { CoreError } from '../../core/errors.js';
import type { GatewayPartner, Partner, PartnerDirectory, PartnerTrust } from '../../core/partner.js';

/**
 * The directory of validated partners and the trust material of their gateways, keyed by partner id: what
 * loadPartnerDirectory reads from files on Node and readPartnerBundle from the Worker's bundled JSON.
 * `trustFor` fails UNKNOWN_PARTNER for an id not listed and CERTIFICATE_UNTRUSTED for a party without material.
 * @example const partners = buildPartnerDirectory(list, new Map([['TH', { certificatePem, rootCertificatePem }]]))
 */
export function buildPartnerDirectory(partners: readonly Partner[], trust: ReadonlyMap<string, PartnerTrust>): PartnerDirectory {
  const byId = new Map(partners.map((partner) => [partner.id, partner] as const));
  const gateways = new Map<string, GatewayPartner>();
  for (const partner of partners) if (partner.kind === 'gateway') gateways.set(partner.country, partner);
  return {
    get: (id) => byId.get(id),
    list: () => partners,
    gatewayFor: (country) => gateways.get(country),
    trustFor(id) {
      const partner = byId.get(id);
      if (partner === undefined) throw new CoreError('UNKNOWN_PARTNER', `no partner ${id}`);
      const material = trust.get(id);
      if (material !== undefined) return material;
      throw new CoreError(
        'CERTIFICATE_UNTRUSTED',
        partner.kind === 'agency' ? `${id} is an agency: agencies hold no certificate` : `${id} has no trust material yet (state ${partner.state})`,
      );
    },
  };
}

/**
 * The same directory with endpoints filled in for gateways whose file has none: the URLs the simulators give
 * the `simulated` gateways when they start.
 * @example const partners = withEndpoints(loadPartnerDirectory(dir, { pkiDir }), new Map([['TH', 'http://127.0.0.1:41234/v1/exchange']]))
 */
export function withEndpoints(directory: PartnerDirectory, endpoints: ReadonlyMap<string, string>): PartnerDirectory {
  const partners = directory.list().map((partner) => {
    const endpoint = endpoints.get(partner.id);
    return partner.kind === 'gateway' && partner.endpoint === undefined && endpoint !== undefined ? { ...partner, endpoint } : partner;
  });
  const trust = new Map<string, PartnerTrust>();
  for (const partner of partners) {
    if (partner.kind === 'gateway' && partner.trust !== undefined) trust.set(partner.id, directory.trustFor(partner.id));
  }
  return buildPartnerDirectory(partners, trust);
}
