import { CoreError, isCoreError } from '../errors.js';
import { ChangeBuilder } from '../exchange/change-builder.js';
import type { LedgerEvent } from '../ledger/entry.js';
import type { Clock } from '../primitives.js';
import type { ExchangeStore, OutboxItem } from '../exchange/exchange-store.js';
import type { GatewayPartner, PartnerDirectory } from '../partner.js';
import type { PartnerTransport } from './partner-transport.js';
import type { Receipt } from '../../../message-schemas/receipt/1/schema.js';
import { nextDelayMs } from './backoff.js';

/** A receipt whose signature was checked against the partner's pinned certificate, or why it could not be trusted. */
export type OpenedReceipt = { readonly ok: true; readonly receipt: Receipt } | { readonly ok: false; readonly reason: string };

export interface DeliveryDeps {
  readonly store: ExchangeStore;
  readonly partners: PartnerDirectory;
  readonly transport: PartnerTransport;
  readonly clock: Clock;
  readonly random: () => number;
  /** Verifies a receipt's signature against the partner's pinned certificate and reads it. */
  readonly openReceipt: (xml: string, partner: GatewayPartner) => OpenedReceipt;
}

export type DeliveryOutcome = 'DELIVERED' | 'REJECTED' | 'RETRY' | 'DEAD_LETTER';

/**
 * Delivers one outbox message and records what happened.
 * 1. POST the stored envelope, byte for byte, to the partner's endpoint.
 * 2. A 2xx answer counts only if it is a receipt signed by the partner's pinned key, for this message id,
 *    holding the SHA-256 digest of exactly what we sent.
 * 3. A signed rejection is definitive: never retried. Anything else is transient: retried with backoff
 *    and full jitter until the partner's retry budget (attempts, or time since queued) is spent, then
 *    dead-lettered for an operator.
 * @example const outcome = await deliverMessage(deps, item)
 */
export async function deliverMessage(deps: DeliveryDeps, item: OutboxItem): Promise<DeliveryOutcome> {
  const message = await deps.store.getMessage(item.messageId);
  const partner = deps.partners.get(item.partnerId);
  if (!message || partner?.kind !== 'gateway') {
    throw new CoreError('INTERNAL', `outbox message ${item.messageId} has no stored envelope or partner ${item.partnerId}`);
  }
  const attempts = item.attempts + 1;
  const verdict = await attempt(deps, partner, message.envelope, message.messageId, message.digest, requestIdOf(item));
  const now = deps.clock.now();
  const at = now.toISOString();
  const subject = message.messageId;
  const links = message.declarationId === undefined ? { messageId: subject } : { messageId: subject, declarationId: message.declarationId };
  const change = new ChangeBuilder();

  if (verdict.kind === 'receipt') {
    const { receipt } = verdict;
    const delivered = receipt.status === 'RECEIVED';
    const state = delivered ? 'DELIVERED' : 'REJECTED';
    const events: LedgerEvent[] = [
      {
        type: 'RECEIPT_VERIFIED',
        subject,
        at,
        data: {
          partner: partner.id,
          receiptId: receipt.receiptId,
          status: receipt.status,
          partnerLedgerIndex: receipt.ledgerIndex ?? null,
          errors: receipt.errors.map((error) => ({ code: error.code, message: error.message })),
        },
      },
    ];
    if (delivered) events.unshift({ type: 'MESSAGE_DELIVERED', subject, at, data: { partner: partner.id, attempts } });
    for (const event of events) change.event(event, links);
    change.setReceipt(subject, verdict.xml).updateOutbox({
      messageId: subject,
      state,
      attempts,
      nextAttemptAt: now.getTime(),
      lastError: delivered ? undefined : describeErrors(receipt),
    });
    await deps.store.commit(change.build());
    return state;
  }

  const budgetSpent = attempts >= partner.retry.maxAttempts || now.getTime() >= retryDeadline(partner, item);
  const nextAttemptAt = now.getTime() + nextDelayMs(attempts, partner.retry, deps.random);
  const event: LedgerEvent = budgetSpent
    ? { type: 'MESSAGE_DEAD_LETTERED', subject, at, data: { partner: partner.id, attempts, error: verdict.reason } }
    : {
        type: 'DELIVERY_FAILED',
        subject,
        at,
        data: { partner: partner.id, attempt: attempts, error: verdict.reason, nextAttemptAt: new Date(nextAttemptAt).toISOString() },
      };
  change
    .event(event, links)
    .updateOutbox({ messageId: subject, state: budgetSpent ? 'DEAD_LETTER' : 'PENDING', attempts, nextAttemptAt, lastError: verdict.reason });
  await deps.store.commit(change.build());
  return budgetSpent ? 'DEAD_LETTER' : 'RETRY';
}

type Verdict = { kind: 'receipt'; receipt: Receipt; xml: string } | { kind: 'failure'; reason: string };

async function attempt(
  deps: DeliveryDeps,
  partner: GatewayPartner,
  envelope: string,
  messageId: string,
  digest: string,
  requestId: string,
): Promise<Verdict> {
  if (!partner.endpoint) return { kind: 'failure', reason: `partner ${partner.id} has no endpoint` };
  let answer;
  try {
    answer = await deps.transport.post(partner.endpoint, envelope, { ...partner.timeouts, partner: partner.id, requestId });
  } catch (error) {
    if (isCoreError(error, 'DELIVERY_FAILED')) return { kind: 'failure', reason: error.message };
    throw error;
  }
  const opened = answer.body.trim().length > 0 ? deps.openReceipt(answer.body, partner) : { ok: false as const, reason: 'empty answer' };
  if (!opened.ok) {
    // A gateway that is down answers with a status and maybe a page, not a receipt: say so, not "malformed XML".
    if (answer.status < 200 || answer.status > 299) return { kind: 'failure', reason: describeHttpFailure(answer.status, answer.body) };
    return { kind: 'failure', reason: `HTTP ${answer.status}: receipt not trusted: ${opened.reason}` };
  }
  const { receipt } = opened;
  if (receipt.messageId !== messageId) return { kind: 'failure', reason: `receipt is for message ${receipt.messageId}, not ${messageId}` };
  if (receipt.status === 'RECEIVED' && receipt.envelopeDigest !== digest) {
    return { kind: 'failure', reason: 'receipt digest does not match the envelope sent' };
  }
  const definitive = receipt.status === 'REJECTED' && answer.status >= 400 && answer.status < 500 && answer.status !== 429;
  if (receipt.status === 'REJECTED' && !definitive) return { kind: 'failure', reason: `HTTP ${answer.status}: ${describeErrors(receipt)}` };
  return { kind: 'receipt', receipt, xml: answer.body };
}

/**
 * The X-Request-Id of a message's deliveries, and the `requestId` of their log lines: the id of the request that queued
 * it, else (queued by a timer or an inbound envelope) the message id.
 * @example requestIdOf(item) // 'req-7f3a…' or the message id
 */
export function requestIdOf(item: Pick<OutboxItem, 'messageId' | 'requestId'>): string {
  return item.requestId ?? item.messageId;
}

/** When a message's retry budget in time runs out (epoch ms): `maxDurationMs` after it was queued or re-driven. */
export function retryDeadline(partner: GatewayPartner, item: OutboxItem): number {
  return item.budgetStartedAt + partner.retry.maxDurationMs;
}

const EXCERPT_CHARS = 120;

/** `HTTP 503 from the partner`, with the start of the body, on one line, when there is one. */
function describeHttpFailure(status: number, body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text.length === 0) return `HTTP ${status} from the partner`;
  const excerpt = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
  return `HTTP ${status} from the partner: ${excerpt}`;
}

function describeErrors(receipt: Receipt): string {
  return receipt.errors.map((error) => `${error.code}: ${error.message}`).join('; ') || 'rejected without a reason';
}
