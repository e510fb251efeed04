import { z } from 'zod';
import { CoreError } from '../errors.js';
import { ChangeBuilder } from '../exchange/change-builder.js';
import type { Clock } from '../primitives.js';
import type { ExchangeStore, OutboxItem } from '../exchange/exchange-store.js';

/** Which dead letters to send again: the given message ids, or every one of a partner, or all. */
export interface RedriveSelection {
  readonly messageIds?: readonly string[];
  readonly partnerId?: string;
}

/** A re-drive goes through at most this many messages at once; an operator repeats it for more. */
export const MAX_REDRIVE = 1000;

/** What was re-queued (`POST /v1/admin/outbox/redrive`): the message ids, each now PENDING again. */
export const RedriveAnswer = z.object({ redriven: z.array(z.string()).readonly() }).readonly();
export type RedriveAnswer = z.infer<typeof RedriveAnswer>;

/**
 * Puts dead-lettered messages back in the outbox with a fresh retry budget (attempts and time), same message id and same bytes,
 * so a partner that did receive one earlier answers with its original receipt. Each re-drive is a ledger entry.
 * Naming a message that is not dead-lettered is a 409 (nothing is re-driven); NOT_FOUND for an unknown one.
 * @example const { redriven } = await redriveDeadLetters({ store, clock }, { partnerId: 'TH' })
 */
export async function redriveDeadLetters(
  deps: { readonly store: ExchangeStore; readonly clock: Clock },
  selection: RedriveSelection,
): Promise<RedriveAnswer> {
  let items: readonly OutboxItem[];
  if (selection.messageIds !== undefined) {
    const found = await Promise.all(selection.messageIds.map(async (id) => [id, await deps.store.getOutbox(id)] as const));
    const unknown = found.filter(([, item]) => item === undefined).map(([id]) => id);
    if (unknown.length > 0) throw new CoreError('NOT_FOUND', `no outbox message ${unknown.join(', ')}`);
    const notDead = found.filter(([, item]) => item?.state !== 'DEAD_LETTER');
    if (notDead.length > 0) {
      const states = notDead.map(([id, item]) => `${id} is ${item?.state ?? 'unknown'}`).join('; ');
      throw new CoreError('DOCUMENT_STATE_CONFLICT', `only dead-lettered messages can be re-driven: ${states}`);
    }
    items = found.map(([, item]) => item as OutboxItem).filter((item) => selection.partnerId === undefined || item.partnerId === selection.partnerId);
  } else {
    items = await deps.store.listOutbox({
      state: 'DEAD_LETTER',
      ...(selection.partnerId === undefined ? {} : { partnerId: selection.partnerId }),
      limit: MAX_REDRIVE,
    });
  }
  if (items.length === 0) return { redriven: [] };
  const now = deps.clock.now();
  const at = now.toISOString();
  const declarations = new Map(
    await Promise.all(items.map(async (item) => [item.messageId, (await deps.store.getMessage(item.messageId))?.declarationId] as const)),
  );
  const change = new ChangeBuilder();
  for (const item of items) {
    const declarationId = declarations.get(item.messageId);
    change.event(
      {
        type: 'MESSAGE_QUEUED',
        subject: item.messageId,
        at,
        data: { partner: item.partnerId, redrive: true, previousAttempts: item.attempts, previousError: item.lastError ?? null },
      },
      declarationId === undefined ? { messageId: item.messageId } : { messageId: item.messageId, declarationId },
    );
  }
  for (const item of items) {
    change.updateOutbox({
      messageId: item.messageId,
      state: 'PENDING',
      attempts: 0,
      nextAttemptAt: now.getTime(),
      lastError: item.lastError,
      budgetStartedAt: now.getTime(),
    });
  }
  await deps.store.commit(change.build());
  return { redriven: items.map((item) => item.messageId) };
}
