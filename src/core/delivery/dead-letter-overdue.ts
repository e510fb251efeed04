import type { LedgerEvent } from '../ledger/entry.js';
import { ChangeBuilder } from '../exchange/change-builder.js';
import type { Clock } from '../primitives.js';
import type { ExchangeStore } from '../exchange/exchange-store.js';
import type { GatewayPartner } from '../partner.js';

export interface OverdueOptions {
  /** Messages not to touch (those in flight: their attempt decides). */
  readonly skip: ReadonlySet<string>;
  /** The partner's last delivery error, for messages never attempted. */
  readonly partnerError: string | undefined;
  readonly limit: number;
}

/**
 * Dead-letters a partner's waiting messages whose retry budget in time is spent. Behind an open circuit a
 * message is not attempted, so its attempts never run out: time does. Each one is a MESSAGE_DEAD_LETTERED
 * ledger entry saying why, re-drivable like any dead letter.
 * @example const ids = await deadLetterOverdue({ store, clock }, partner, { skip: inFlight, partnerError, limit: 500 })
 */
export async function deadLetterOverdue(
  deps: { readonly store: ExchangeStore; readonly clock: Clock },
  partner: GatewayPartner,
  options: OverdueOptions,
): Promise<readonly string[]> {
  const now = deps.clock.now();
  const overdue = await deps.store.overdueOutbox(partner.id, now.getTime() - partner.retry.maxDurationMs, options.limit);
  const items = overdue.filter((item) => !options.skip.has(item.messageId));
  if (items.length === 0) return [];
  const at = now.toISOString();
  const seconds = Math.round(partner.retry.maxDurationMs / 1000);
  const change = new ChangeBuilder();
  for (const item of items) {
    const lastError = item.lastError ?? options.partnerError;
    const error = `retry budget spent: not delivered within ${seconds} s of being queued (${item.attempts} attempts${lastError === undefined ? '' : `; last error: ${lastError}`})`;
    const event: LedgerEvent = {
      type: 'MESSAGE_DEAD_LETTERED',
      subject: item.messageId,
      at,
      data: { partner: partner.id, attempts: item.attempts, error },
    };
    const declarationId = (await deps.store.getMessage(item.messageId))?.declarationId;
    change.event(event, declarationId === undefined ? { messageId: item.messageId } : { messageId: item.messageId, declarationId }).updateOutbox({
      messageId: item.messageId,
      state: 'DEAD_LETTER',
      attempts: item.attempts,
      nextAttemptAt: item.nextAttemptAt,
      lastError: error,
    });
  }
  await deps.store.commit(change.build());
  return items.map((item) => item.messageId);
}
