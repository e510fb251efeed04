import { z } from 'zod';
import { Role, type ApiKey } from './api-key.js';

/** An API key as the admin API lists it (`GET /v1/admin/api-keys`): never its token or the token's hash. */
export const ApiKeyView = z
  .object({
    id: z.string(),
    role: Role,
    name: z.string(),
    partyId: z.string(),
    createdAt: z.string().meta({ format: 'date-time' }),
    createdBy: z
      .string()
      .nullable()
      .meta({ description: 'Who created it: `admin key <id> (<name>)` over HTTP, `cli:<OS user>` offline; null for keys swx installs itself' }),
    revokedAt: z.string().nullable().meta({ format: 'date-time' }),
    revokedBy: z.string().nullable().meta({ description: 'Who revoked it, as createdBy' }),
  })
  .readonly()
  .meta({ id: 'ApiKey' });
export type ApiKeyView = z.infer<typeof ApiKeyView>;

/**
 * A stored key as the admin API lists it.
 * @example (await apiKeys.list()).map(viewApiKey)
 */
export function viewApiKey(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    role: key.role,
    name: key.name,
    partyId: key.partyId,
    createdAt: key.createdAt,
    createdBy: key.createdBy ?? null,
    revokedAt: key.revokedAt ?? null,
    revokedBy: key.revokedBy ?? null,
  };
}
