import { type ApiKeyStore, generateToken, hashToken } from '../../core/auth/api-key.js';
import type { Clock, RandomBytes, Sha256 } from '../../core/primitives.js';

/**
 * Gives a simulated partner gateway a bearer token for swx's ledger endpoints (design.md 3.3: "any authenticated
 * party"), as an operator gives a real partner one: a key of the role that sees least (trader, for the party
 * `gateway:<id>`, which owns no declaration), saved under a fixed id so each start replaces the last one's and keys
 * do not pile up. The token itself lives only in the simulator's memory. Returns the token.
 * @example const token = await installWitnessKey({ apiKeys, sha256, clock, randomBytes }, 'TH')
 */
export async function installWitnessKey(
  ports: { readonly apiKeys: ApiKeyStore; readonly sha256: Sha256; readonly clock: Clock; readonly randomBytes: RandomBytes },
  partnerId: string,
): Promise<string> {
  const token = generateToken(ports.randomBytes);
  await ports.apiKeys.save({
    id: `simulated-partner-${partnerId}`,
    role: 'trader',
    name: `simulated partner ${partnerId} (ledger witness)`,
    partyId: `gateway:${partnerId}`,
    tokenHash: hashToken(ports.sha256, token),
    createdAt: ports.clock.now().toISOString(),
    createdBy: undefined,
    revokedAt: undefined,
    revokedBy: undefined,
  });
  return token;
}
