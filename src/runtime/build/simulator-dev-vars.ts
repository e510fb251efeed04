import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { devPkiLayout } from '../../adapters/crypto/dev-pki-layout.js';
import type { PartnerDirectory } from '../../core/partner.js';
import { playedGateways, simulatorKeyName } from '../simulator-worker/simulator-routes.js';

/** The simulators Worker's `.dev.vars`, beside its wrangler.toml (wrangler dev reads it from there); gitignored. */
export const SIMULATOR_DEV_VARS_FILE = fileURLToPath(new URL('../simulator-worker/.dev.vars', import.meta.url));

/**
 * The simulators Worker's secrets for local development, from the development PKI in `pkiDir`, as the Node simulators
 * read it at start: SWX_SIGNING_CERTIFICATE (the certificate of swx's gateway `gatewayId`, which the simulated gateways
 * pin) and SIMULATOR_KEY_<ID>, the key of each gateway they play (playedGateways: simulated, not planned).
 * @example writeDevVars(SIMULATOR_DEV_VARS_FILE, simulatorSecretsFrom('data/pki', 'VN', partners))
 */
export function simulatorSecretsFrom(pkiDir: string, gatewayId: string, partners: PartnerDirectory): Record<string, string> {
  const layout = devPkiLayout(pkiDir);
  const secrets: Record<string, string> = { SWX_SIGNING_CERTIFICATE: readFileSync(layout.gatewayCertificate(gatewayId), 'utf8') };
  for (const { id } of playedGateways(partners)) secrets[simulatorKeyName(id)] = readFileSync(layout.gatewayKey(id), 'utf8');
  return secrets;
}
