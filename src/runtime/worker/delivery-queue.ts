import { z } from 'zod';
import type { DeliveryDispatcher, DeliveryLog } from '../../core/delivery/delivery-dispatcher.js';
import { deliverMessage, type DeliveryDeps, type DeliveryOutcome, requestIdOf } from '../../core/delivery/deliver-message.js';
import type { OutboxItem } from '../../core/exchange/exchange-store.js';

/**
 * One Queue message: which outbox message to deliver, and to whom. The envelope stays in the store (a Queue message
 * is limited to 128 KB; a 221 KB ePhyto would not fit), and so does everything known of the delivery.
 */
export const DeliveryJob = z.strictObject({ messageId: z.string().min(1), partnerId: z.string().min(1) });
export type DeliveryJob = z.infer<typeof DeliveryJob>;

/** The producer side of the `DELIVERIES` queue binding (Cloudflare's `Queue<DeliveryJob>` is one). */
export interface DeliveryQueue {
  sendBatch(messages: Iterable<{ readonly body: DeliveryJob }>): Promise<unknown>;
}

/** One delivered Queue message, as Cloudflare's `Message<DeliveryJob>` has it (the body is checked, not trusted). */
export interface DeliveryQueueMessage {
  readonly id: string;
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(): void;
}

/** A batch of Queue messages, as Cloudflare's `MessageBatch<DeliveryJob>` has it. */
export interface DeliveryQueueBatch {
  readonly messages: readonly DeliveryQueueMessage[];
}

/**
 * Where a job's end is reported: the DeliveryDispatcher that dispatched it (in the EXCHANGE Durable Object, reached
 * over RPC), which keeps each partner's circuit and window. A DeliveryDispatcher is one.
 */
export interface DeliverySettlement {
  /** The delivery was attempted and its outcome recorded in the outbox and the ledger. */
  settle(messageId: string, outcome: DeliveryOutcome): Promise<unknown>;
  /** The job was not attempted: its message is no longer pending, or not due yet. */
  release(messageId: string): Promise<unknown>;
}

export interface DeliveryConsumerDeps extends DeliveryDeps {
  readonly settlement: DeliverySettlement;
  readonly log: DeliveryLog;
}

/**
 * The most jobs a batch should hold (wrangler.toml's `max_batch_size`): a Worker invocation has six connections waiting
 * for response headers at once and queues the seventh, which could be another partner's behind a down partner's.
 */
export const MAX_JOBS_PER_BATCH = 6;

/** At most this many messages per `sendBatch` (Cloudflare Queues' limit per call). */
const SEND_BATCH_LIMIT = 100;

/**
 * The producer: asks the dispatcher which due outbox messages go now (each partner's circuit and window decide, as on
 * Node) and sends one `{ messageId, partnerId }` job each. Jobs that could not be sent are released, so they are due
 * again at the next call; the error is rethrown. Answers how many jobs were sent.
 * @example await enqueueDue(dispatcher, env.DELIVERIES) // from the EXCHANGE object's alarm
 */
export async function enqueueDue(dispatcher: DeliveryDispatcher, queue: DeliveryQueue): Promise<number> {
  const items = await dispatcher.dispatch();
  for (let start = 0; start < items.length; start += SEND_BATCH_LIMIT) {
    const chunk = items.slice(start, start + SEND_BATCH_LIMIT);
    try {
      await queue.sendBatch(chunk.map((item) => ({ body: { messageId: item.messageId, partnerId: item.partnerId } })));
    } catch (error) {
      for (const item of items.slice(start)) await dispatcher.release(item.messageId);
      throw error;
    }
  }
  return items.length;
}

/**
 * The consumer of the `DELIVERIES` queue: delivers each job with the core's deliverMessage, all of a batch at once, so
 * a slow or down partner never holds up another partner's messages (the dispatcher already keeps a failing partner's
 * messages out of the queue once its circuit opens).
 * 1. A job whose message is still PENDING and due is delivered; its outcome (delivered, rejected, retry scheduled,
 *    dead-lettered) is recorded in the outbox and the ledger by deliverMessage: the job is acked, and settled.
 * 2. A job whose message is no longer pending or not yet due (a duplicate) is acked and released, unattempted.
 * 3. A malformed job is acked and logged: retrying cannot mend it.
 * 4. Only a crash (the store unreachable, a partner unknown to this Worker) retries the Queue message; once the Queue
 *    gives up it goes to the dead-letter queue, and the dispatcher's lease makes the outbox message due again.
 * @example export default { async queue(batch, env) { await consumeDeliveries(batch, deliveryDeps(env)) } }
 */
export async function consumeDeliveries(batch: DeliveryQueueBatch, deps: DeliveryConsumerDeps): Promise<void> {
  if (batch.messages.length > MAX_JOBS_PER_BATCH) {
    deps.log('warn', 'delivery batch larger than the connections of one invocation: set max_batch_size to 6', {
      jobs: batch.messages.length,
      maxJobs: MAX_JOBS_PER_BATCH,
    });
  }
  await Promise.all(batch.messages.map((message) => consumeOne(message, deps)));
}

async function consumeOne(message: DeliveryQueueMessage, deps: DeliveryConsumerDeps): Promise<void> {
  const job = DeliveryJob.safeParse(message.body);
  if (!job.success) {
    deps.log('error', 'delivery job malformed: dropped', { queueMessageId: message.id, issues: job.error.issues.map((issue) => issue.message) });
    message.ack();
    return;
  }
  const { messageId, partnerId } = job.data;
  let outcome: DeliveryOutcome | undefined;
  let item: OutboxItem | undefined;
  try {
    item = await deps.store.getOutbox(messageId);
    const due = item?.state === 'PENDING' && item.partnerId === partnerId && item.nextAttemptAt <= deps.clock.now().getTime();
    if (item && due) outcome = await deliverMessage(deps, item);
  } catch (error) {
    deps.log('error', 'delivery crashed: the queue retries it', {
      messageId,
      requestId: requestIdOf(item ?? { messageId }),
      partner: partnerId,
      attempts: message.attempts,
      error: (error as Error).message,
    });
    message.retry();
    return;
  }
  message.ack();
  try {
    await (outcome === undefined ? deps.settlement.release(messageId) : deps.settlement.settle(messageId, outcome));
  } catch (error) {
    // Recorded in the outbox all the same; the dispatcher's lease frees the message's place in the partner's window.
    deps.log('warn', 'delivery end not reported to the dispatcher', {
      messageId,
      requestId: requestIdOf(item ?? { messageId }),
      partner: partnerId,
      error: (error as Error).message,
    });
  }
}
