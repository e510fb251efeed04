import { z } from 'zod';
import { toBase64, toHex } from '../encoding.js';
import { CoreError } from '../errors.js';
import type { Clock, IdGenerator, RandomBytes, Sha256 } from '../primitives.js';

/**
 * Who a bearer token speaks for (design.md 3.2). `partner` is a partner gateway's operator (partyId: the gateway's
 * id): it may only check documents with POST /v1/conformance, before going live; its gateway's envelopes are
 * authenticated by their signatures, never by a token.
 */
export const Role = z.enum(['trader', 'agency', 'officer', 'admin', 'partner']);
export type Role = z.infer<typeof Role>;

/** What an admin gives to create a key, over HTTP or with `swx keys create`. */
export const NewApiKey = z.strictObject({
  role: Role,
  name: z.string().trim().min(1).max(200),
  partyId: z.string().trim().min(1).max(64),
});
export type NewApiKey = z.infer<typeof NewApiKey>;

/** An API key as stored: only the SHA-256 of its token is kept, never the token. */
export interface ApiKey {
  readonly id: string;
  readonly role: Role;
  readonly name: string;
  readonly partyId: string;
  /** Lower-case hex SHA-256 of the token's UTF-8 bytes. */
  readonly tokenHash: string;
  readonly createdAt: string;
  readonly revokedAt: string | undefined;
}

/** The caller a valid token identifies; routes read it as `c.var.principal`. */
export interface Principal {
  readonly keyId: string;
  readonly role: Role;
  readonly name: string;
  readonly partyId: string;
}

/** The ports key issuance needs, named as in AppDeps so the HTTP deps can be passed as they are. */
export interface ApiKeyPorts {
  readonly apiKeys: ApiKeyStore;
  readonly sha256: Sha256;
  readonly randomBytes: RandomBytes;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

/** The id under which the bootstrap admin token (SWX_ADMIN_TOKEN or `<data>/admin-token`) is stored. */
export const BOOTSTRAP_ADMIN_KEY_ID = 'bootstrap-admin';

const TOKEN_PREFIX = 'swx_';
const TOKEN_BYTES = 32;

/**
 * A fresh bearer token: 256 random bits, base64url, prefixed so secret scanners can spot a leaked one.
 * @example generateToken((n) => crypto.getRandomValues(new Uint8Array(n))) // 'swx_3q2-…'
 */
export function generateToken(randomBytes: RandomBytes): string {
  const base64 = toBase64(randomBytes(TOKEN_BYTES));
  return TOKEN_PREFIX + base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The stored form of a token. A plain SHA-256 is enough: tokens carry 256 random bits, so there is
 * nothing to brute-force, and lookup by hash needs no constant-time comparison.
 * @example hashToken(sha256, 'swx_…') // '9f86d0…'
 */
export function hashToken(sha256: Sha256, token: string): string {
  return toHex(sha256(new TextEncoder().encode(token)));
}

/** The principal of a stored key. */
export function readPrincipal(key: ApiKey): Principal {
  return { keyId: key.id, role: key.role, name: key.name, partyId: key.partyId };
}

/**
 * Creates a key and returns its token, which exists only in this return value.
 * @example const { key, token } = await issueApiKey(deps, { role: 'trader', name: 'ACME', partyId: '0101234567' })
 */
export async function issueApiKey(ports: ApiKeyPorts, input: NewApiKey): Promise<{ key: ApiKey; token: string }> {
  const token = generateToken(ports.randomBytes);
  const key: ApiKey = {
    id: ports.ids.uuid(),
    role: input.role,
    name: input.name,
    partyId: input.partyId,
    tokenHash: hashToken(ports.sha256, token),
    createdAt: ports.clock.now().toISOString(),
    revokedAt: undefined,
  };
  await ports.apiKeys.save(key);
  return { key, token };
}

/**
 * The live key a token belongs to, or undefined when it is unknown or revoked.
 * @example const key = await authenticateToken(deps, bearer)
 */
export async function authenticateToken(ports: Pick<ApiKeyPorts, 'apiKeys' | 'sha256'>, token: string): Promise<ApiKey | undefined> {
  const key = await ports.apiKeys.findByTokenHash(hashToken(ports.sha256, token));
  return key === undefined || key.revokedAt !== undefined ? undefined : key;
}

/**
 * Makes `token` the bootstrap admin's, replacing the previous one, so the configured token is
 * the only admin token that survives a restart.
 * @example await installAdminToken(deps, ensureAdminToken(dataDir).token)
 */
export async function installAdminToken(ports: Pick<ApiKeyPorts, 'apiKeys' | 'sha256' | 'clock'>, token: string): Promise<ApiKey> {
  const key: ApiKey = {
    id: BOOTSTRAP_ADMIN_KEY_ID,
    role: 'admin',
    name: 'bootstrap admin',
    partyId: 'NSW',
    tokenHash: hashToken(ports.sha256, token),
    createdAt: ports.clock.now().toISOString(),
    revokedAt: undefined,
  };
  await ports.apiKeys.save(key);
  return key;
}

/**
 * Revokes a key; revoking it again keeps the first revocation time.
 * @example await revokeApiKey(deps, id) // throws NOT_FOUND for an unknown id
 */
export async function revokeApiKey(ports: Pick<ApiKeyPorts, 'apiKeys' | 'clock'>, id: string): Promise<void> {
  if (!(await ports.apiKeys.revoke(id, ports.clock.now().toISOString()))) {
    throw new CoreError('NOT_FOUND', `no API key ${id}`);
  }
}

/** API keys, looked up by the hash of their bearer token. */
export interface ApiKeyStore {
  /** Inserts the key, or replaces the one with the same id (the bootstrap admin, on each start). */
  save(key: ApiKey): Promise<void>;
  /** The key with this token hash, revoked or not. */
  findByTokenHash(tokenHash: string): Promise<ApiKey | undefined>;
  /** Every key, oldest first. */
  list(): Promise<readonly ApiKey[]>;
  /** Marks the key revoked (keeping an earlier revocation time); false when there is no such key. */
  revoke(id: string, revokedAt: string): Promise<boolean>;
}
