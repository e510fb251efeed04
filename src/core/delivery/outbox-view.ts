import { z } from 'zod';
import type { OutboxItem } from '../exchange/exchange-store.js';

/** A message in the outbox as operators see it (`GET /v1/admin/outbox`). */
export const OutboxItemView = z
  .object({
    messageId: z.string(),
    partner: z.string(),
    state: z.enum(['PENDING', 'DELIVERED', 'REJECTED', 'DEAD_LETTER']),
    attempts: z.int(),
    nextAttemptAt: z.string(),
    lastError: z.string().nullable(),
  })
  .readonly()
  .meta({ id: 'OutboxItem' });
export type OutboxItemView = z.infer<typeof OutboxItemView>;

/**
 * An outbox row as operators see it: the partner by its id, the next attempt as an ISO 8601 instant, no error as null.
 * @example (await store.listOutbox({ state: 'DEAD_LETTER', limit: 100 })).map(viewOutboxItem)
 */
export function viewOutboxItem(item: OutboxItem): OutboxItemView {
  return {
    messageId: item.messageId,
    partner: item.partnerId,
    state: item.state,
    attempts: item.attempts,
    nextAttemptAt: new Date(item.nextAttemptAt).toISOString(),
    lastError: item.lastError ?? null,
  };
}
