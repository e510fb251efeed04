import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import thFile from '../../partners/th.json' with { type: 'json' };
import { buildPartnerDirectory } from '../../src/adapters/partners/build-partner-directory.js';
import { FetchPartnerTransport } from '../../src/adapters/transport/fetch-partner-transport.js';
import { DeliveryDispatcher } from '../../src/core/delivery/delivery-dispatcher.js';
import type { ExchangeStore } from '../../src/core/exchange/exchange-store.js';
import { GatewayPartner, type PartnerDirectory } from '../../src/core/partner.js';
import { consumeDeliveries, type DeliveryConsumerDeps, type DeliveryJob } from '../../src/runtime/worker/delivery-queue.js';
import { anExchangeStoreInObject } from './in-exchange-object.js';
import { queueForTh, queueingToTh } from './queued-message.js';

/** TH's gateway where no gateway answers: `.invalid` never resolves (RFC 6761), so fetch fails as for a partner that is down. */
const UNREACHABLE = 'http://th-gateway.invalid';
const th = GatewayPartner.parse({
  ...thFile,
  mode: 'live',
  endpoint: `${UNREACHABLE}/v1/exchange`,
  timeouts: { connectMs: 2_000, responseMs: 2_000 },
  retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000, maxDurationMs: 3_600_000 },
});
const partners = buildPartnerDirectory([th], new Map());
/** A Worker deployed without TH's partner file. */
const noPartners = buildPartnerDirectory([], new Map());

function consumerDeps(store: ExchangeStore, dispatcher: DeliveryDispatcher, directory: PartnerDirectory, logs: string[]): DeliveryConsumerDeps {
  return {
    store,
    partners: directory,
    transport: new FetchPartnerTransport(),
    clock: { now: () => new Date() },
    random: Math.random,
    openReceipt: () => ({ ok: false, reason: 'no receipt expected from an unreachable gateway' }),
    settlement: dispatcher,
    log: (_level, message) => void logs.push(message),
  };
}

/** Runs the consumer on a batch as the DELIVERIES queue hands it over in workerd, and answers what it acked and retried. */
async function consume(jobs: readonly unknown[], deps: DeliveryConsumerDeps) {
  const batch = createMessageBatch<unknown>(
    'swx-deliveries',
    jobs.map((body, index) => ({ id: `job-${index}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await consumeDeliveries(batch, deps);
  const result = await getQueueResult(batch, ctx);
  return { acked: [...result.explicitAcks].sort(), retried: result.retryMessages.map((message: { readonly msgId: string }) => message.msgId).sort() };
}

describe('consumeDeliveries in workerd, over the EXCHANGE object', () => {
  let store: ExchangeStore;
  let dispatcher: DeliveryDispatcher;
  const logs: string[] = [];

  beforeAll(() => {
    store = anExchangeStoreInObject();
    dispatcher = new DeliveryDispatcher({ store, partners, clock: { now: () => new Date() } }, { window: 4, log: () => undefined });
    dispatcher.start();
  });

  it('records a failed attempt to an unreachable partner as a retry in the outbox, and acks the job', async () => {
    const messageId = await queueForTh(store);
    const jobs: DeliveryJob[] = (await dispatcher.dispatch()).map((item) => ({ messageId: item.messageId, partnerId: item.partnerId }));
    expect(jobs).toEqual([{ messageId, partnerId: 'TH' }]);

    expect(await consume(jobs, consumerDeps(store, dispatcher, partners, logs))).toEqual({ acked: ['job-0'], retried: [] });
    const outbox = await store.getOutbox(messageId);
    expect(outbox).toMatchObject({ state: 'PENDING', attempts: 1 });
    expect(outbox?.lastError).toMatch(new RegExp(`^no answer from ${UNREACHABLE.replaceAll('.', '\\.')}: \\S`));
    expect(outbox?.nextAttemptAt).toBeGreaterThan(Date.now());
    expect(dispatcher.health('TH')).toMatchObject({ consecutiveFailures: 1, inFlight: 0, lastError: outbox?.lastError });
  });

  it('acks a duplicate job (its message not due) and a malformed one without attempting either', async () => {
    const [pending] = await store.listOutbox({ state: 'PENDING', partnerId: 'TH', limit: 1 });
    const duplicate = { messageId: pending?.messageId, partnerId: 'TH' };
    expect(
      await consume([duplicate, { messageId: 'm', partnerId: 'TH', envelope: '<Envelope/>' }], consumerDeps(store, dispatcher, partners, logs)),
    ).toEqual({
      acked: ['job-0', 'job-1'],
      retried: [],
    });
    expect(await store.getOutbox(pending?.messageId ?? '')).toMatchObject({ attempts: 1 });
    expect(logs).toContain('delivery job malformed: dropped');
  });

  it('retries the job through the queue when the consumer crashes, leaving the outbox untouched', async () => {
    const messageId = await queueForTh(store);
    const jobs = (await dispatcher.dispatch()).map((item) => ({ messageId: item.messageId, partnerId: item.partnerId }));
    expect(await consume(jobs, consumerDeps(store, dispatcher, noPartners, logs))).toEqual({ acked: [], retried: ['job-0'] });
    expect(await store.getOutbox(messageId)).toMatchObject({ state: 'PENDING', attempts: 0 });
    expect(logs).toContain('delivery crashed: the queue retries it');
  });
});

describe('a delivery in workerd, of a message a request queued', () => {
  it('sends the request id as X-Request-Id, and the dispatcher logs the failed attempt under it', async () => {
    const store = anExchangeStoreInObject();
    const lines: { message: string; fields: Record<string, unknown> | undefined }[] = [];
    const dispatcher = new DeliveryDispatcher(
      { store, partners, clock: { now: () => new Date() } },
      { window: 4, log: (_level, message, fields) => void lines.push({ message, fields }) },
    );
    dispatcher.start();
    const envelope = `<Envelope xmlns="urn:swx:envelope:1"><MessageId>${crypto.randomUUID()}</MessageId></Envelope>`;
    const { message, change } = queueingToTh(envelope, 'ACDD', 'coffee-to-bangkok-9');
    await store.commit(change);
    expect(await store.getOutbox(message.messageId)).toMatchObject({ requestId: 'coffee-to-bangkok-9' });

    // TH's gateway, down: it answers 503, and shows what reached it.
    const received: (string | null)[] = [];
    const downGateway = async (_input: URL, init: RequestInit) => {
      received.push(new Headers(init.headers).get('X-Request-Id'));
      return new Response('down for maintenance', { status: 503 });
    };
    const deps = { ...consumerDeps(store, dispatcher, partners, []), transport: new FetchPartnerTransport({ fetch: downGateway }) };
    const jobs = (await dispatcher.dispatch()).map((item) => ({ messageId: item.messageId, partnerId: item.partnerId }));
    expect(await consume(jobs, deps)).toEqual({ acked: ['job-0'], retried: [] });
    expect(received).toEqual(['coffee-to-bangkok-9']);
    expect(lines.find((line) => line.message === 'delivery failed, will retry')?.fields).toMatchObject({
      messageId: message.messageId,
      requestId: 'coffee-to-bangkok-9',
      partner: 'TH',
    });
  });
});
