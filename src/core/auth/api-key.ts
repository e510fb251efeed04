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
  /** Who created it (`admin key <id> (<name>)`, `cli:<OS user>`); undefined for the keys swx installs itself. */
  readonly createdBy: string | undefined;
  readonly revokedAt: string | undefined;
  /** Who revoked it, as createdBy. */
  readonly revokedBy: string | undefined;
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
 * Creates a key and returns its token, which exists only in this return value. The ledger records the creation
 * (API_KEY_CREATED) and `createdBy`, who created it: an admin key over HTTP, `cli:<OS user>` offline.
 * @example const { key, token } = await issueApiKey(deps, { role: 'trader', name: 'ACME', partyId: '0101234567' }, 'cli:alice')
 */
export async function issueApiKey(ports: ApiKeyPorts, input: NewApiKey, createdBy: string): Promise<{ key: ApiKey; token: string }> {
  const token = generateToken(ports.randomBytes);
  const key: ApiKey = {
    id: ports.ids.uuid(),
    role: input.role,
    name: input.name,
    partyId: input.partyId,
    tokenHash: hashToken(ports.sha256, token),
    createdAt: ports.clock.now().toISOString(),
    createdBy,
    revokedAt: undefined,
    revokedBy: undefined,
  };
  await ports.apiKeys.create(key);
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
    createdBy: undefined,
    revokedAt: undefined,
    revokedBy: undefined,
  };
  await ports.apiKeys.save(key);
  return key;
}

/**
 * Revokes a key, recording who did (API_KEY_REVOKED in the ledger); revoking it again keeps the first revocation and
 * adds no entry.
 * @example await revokeApiKey(deps, id, 'admin key k-1 (ops)') // throws NOT_FOUND for an unknown id
 */
export async function revokeApiKey(ports: Pick<ApiKeyPorts, 'apiKeys' | 'clock'>, id: string, revokedBy: string): Promise<void> {
  if (!(await ports.apiKeys.revoke(id, ports.clock.now().toISOString(), revokedBy))) {
    throw new CoreError('NOT_FOUND', `no API key ${id}`);
  }
}

/** API keys, looked up by the hash of their bearer token. */
export interface ApiKeyStore {
  /**
   * Inserts the key, or replaces the one with the same id, unrecorded: for the keys swx installs itself (the bootstrap
   * admin on each start, a simulated partner's witness key).
   */
  save(key: ApiKey): Promise<void>;
  /** Inserts a new key and appends API_KEY_CREATED (apiKeyCreatedEvent) to the ledger, in one transaction. */
  create(key: ApiKey): Promise<void>;
  /** The key with this token hash, revoked or not. */
  findByTokenHash(tokenHash: string): Promise<ApiKey | undefined>;
  /** Every key, oldest first. */
  list(): Promise<readonly ApiKey[]>;
  /**
   * Marks the key revoked by `revokedBy` and appends API_KEY_REVOKED (apiKeyRevokedEvent) in one transaction; a key
   * revoked already keeps its first revocation, with no new entry. False when there is no such key.
   */
  revoke(id: string, revokedAt: string, revokedBy: string): Promise<boolean>;
}
