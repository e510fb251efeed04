import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPkiDir } from '../../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import { loadPartnerDirectory } from '../../../src/adapters/partners/partner-directory.js';
import { FetchPartnerTransport } from '../../../src/adapters/transport/fetch-partner-transport.js';
import { parseConfig } from '../../../src/config.js';
import { submitDeclaration } from '../../../src/core/declaration/submit-declaration.js';
import { DeliveryDispatcher } from '../../../src/core/delivery/delivery-dispatcher.js';
import type { PartnerDirectory } from '../../../src/core/partner.js';
import { type Composition, compose } from '../../../src/runtime/compose.js';
import { openReceipt } from '../../../src/runtime/open-receipt.js';
import {
  consumeDeliveries,
  type DeliveryConsumerDeps,
  type DeliveryJob,
  type DeliveryQueue,
  type DeliveryQueueBatch,
  enqueueDue,
  MAX_JOBS_PER_BATCH,
} from '../../../src/runtime/worker/delivery-queue.js';
import { anExportDeclaration } from '../../helpers/export-declarations.js';
import { partnersDirWith } from '../../helpers/partners-dir.js';
import { copyTestPki } from '../../helpers/test-pki.js';

const verifier = new XmlDsigVerifier();

/** The DELIVERIES queue as the producer sees it: what was sent, batch by batch. */
class RecordingQueue implements DeliveryQueue {
  readonly sent: DeliveryJob[][] = [];
  async sendBatch(messages: Iterable<{ readonly body: DeliveryJob }>): Promise<void> {
    this.sent.push([...messages].map((message) => message.body));
  }
  take(): DeliveryJob[] {
    return this.sent.splice(0).flat();
  }
}

type Verdict = 'ack' | 'retry';

/** A MessageBatch as workerd hands it to a consumer, recording each message's ack() or retry() and when. */
function aBatch(bodies: readonly unknown[], attempts = 1): { batch: DeliveryQueueBatch; verdicts: { id: string; verdict: Verdict; at: number }[] } {
  const verdicts: { id: string; verdict: Verdict; at: number }[] = [];
  const messages = bodies.map((body, index) => {
    const id = `queue-message-${index}`;
    return {
      id,
      body,
      attempts,
      ack: () => void verdicts.push({ id, verdict: 'ack', at: performance.now() }),
      retry: () => void verdicts.push({ id, verdict: 'retry', at: performance.now() }),
    };
  });
  return { batch: { messages }, verdicts };
}

/** A partner gateway that is down: answers every POST with a 503 and no body, after `delayMs`. */
async function startDownGateway(delayMs: number): Promise<{ readonly url: string; requests: number; close(): Promise<void> }> {
  const gateway = { url: '', requests: 0, close: (): Promise<void> => Promise.resolve() };
  const server = createServer((request, response) => {
    gateway.requests += 1;
    request.resume();
    setTimeout(() => response.writeHead(503).end(), delayMs);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/exchange`;
  gateway.close = () =>
    new Promise<void>((closed) => {
      server.closeAllConnections();
      server.close(() => closed());
    });
  return gateway;
}

/** swx composed over SQLite with its simulated gateways listening on loopback, and nothing running in the background. */
async function composeExchange(partnersDir: string): Promise<{ composition: Composition; dataDir: string; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'swx-queue-'));
  copyTestPki(dataDir);
  const composition = await compose(parseConfig({ SWX_DATA_DIR: dataDir, SWX_PARTNERS_DIR: partnersDir, SWX_LOG_LEVEL: 'silent' }), {
    logger: pino({ level: 'silent' }),
    signingThreads: 0,
  });
  return {
    composition,
    dataDir,
    close: async () => {
      await composition.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Files export declarations to `destination` and answers the ids of the ACDD messages they queued. */
async function queueAcdds(composition: Composition, destination: 'TH' | 'SG' | 'MY', count: number): Promise<string[]> {
  const messageIds: string[] = [];
  for (let filed = 0; filed < count; filed += 1) {
    const document = anExportDeclaration({ destination });
    const { id } = await submitDeclaration(composition.deps, {
      partyId: document.exporter.taxId,
      document,
      mediaType: 'application/json',
      body: new TextEncoder().encode(JSON.stringify(document)),
      idempotencyKey: undefined,
    });
    const [acdd] = await composition.deps.store.listMessages(id);
    if (!acdd) throw new Error(`declaration ${id} queued no ACDD`);
    messageIds.push(acdd.messageId);
  }
  return messageIds;
}

function consumerDeps(
  composition: Composition,
  settlement: DeliveryDispatcher,
  logs: string[],
  partners = composition.deps.partners,
): DeliveryConsumerDeps {
  const { deps } = composition;
  return {
    store: deps.store,
    partners,
    transport: new FetchPartnerTransport(),
    clock: deps.clock,
    random: Math.random,
    openReceipt: (xml, partner) => openReceipt(verifier, deps.parseXml, deps.partners.trustFor(partner.id).certificatePem, xml),
    settlement,
    log: (level, message, fields) => void logs.push(JSON.stringify({ level, message, ...fields })),
  };
}

/** The timeline of the declaration a message belongs to. */
async function timelineOf(composition: Composition, messageId: string) {
  const declarationId = (await composition.deps.store.getMessage(messageId))?.declarationId;
  if (declarationId === undefined) throw new Error(`message ${messageId} belongs to no declaration`);
  return composition.deps.store.getTimeline(declarationId);
}

function outboxStates(composition: Composition, partnerId: string): Record<string, number> {
  const rows = composition.db.prepare('SELECT state, count(*) AS n FROM outbox WHERE partner_id = ? GROUP BY state').all(partnerId) as {
    state: string;
    n: number;
  }[];
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

describe('the DELIVERIES queue with a partner that answers', () => {
  let exchange: Awaited<ReturnType<typeof composeExchange>>;
  let dispatcher: DeliveryDispatcher;
  const queue = new RecordingQueue();
  const logs: string[] = [];
  const th = () => exchange.composition.simulators.get('TH')!;

  beforeAll(async () => {
    exchange = await composeExchange(partnersDirWith({}));
    dispatcher = new DeliveryDispatcher(exchange.composition.deps, { window: 8, log: () => undefined });
    dispatcher.start();
  });
  afterAll(() => exchange.close());

  it('sends one job per due message, holding only its message id and partner', async () => {
    const messageIds = await queueAcdds(exchange.composition, 'TH', 3);
    expect(await enqueueDue(dispatcher, queue)).toBe(3);
    const jobs = queue.take();
    expect(jobs).toEqual(messageIds.map((messageId) => ({ messageId, partnerId: 'TH' })));
    expect(jobs.every((job) => JSON.stringify(job).length < 128)).toBe(true);

    const { batch, verdicts } = aBatch(jobs);
    await consumeDeliveries(batch, consumerDeps(exchange.composition, dispatcher, logs));
    expect(verdicts.map(({ id, verdict }) => [id, verdict])).toEqual(
      expect.arrayContaining([
        ['queue-message-0', 'ack'],
        ['queue-message-1', 'ack'],
        ['queue-message-2', 'ack'],
      ]),
    );
    expect(verdicts).toHaveLength(3);
    expect(outboxStates(exchange.composition, 'TH')).toEqual({ DELIVERED: 3 });
    expect([...th().receivedMessageIds()].sort()).toEqual([...messageIds].sort());
    for (const messageId of messageIds) {
      const types = (await timelineOf(exchange.composition, messageId)).map((step) => step.type);
      expect(types).toEqual(expect.arrayContaining(['MESSAGE_DELIVERED', 'RECEIPT_VERIFIED']));
    }
    expect(dispatcher.health('TH')).toMatchObject({ circuit: 'CLOSED', inFlight: 0 });
  });

  it('sends nothing more once every message is delivered', async () => {
    expect(await enqueueDue(dispatcher, queue)).toBe(0);
    expect(queue.sent).toEqual([]);
  });

  it('sends the jobs again at the next call when the queue refused them', async () => {
    const messageIds = await queueAcdds(exchange.composition, 'TH', 2);
    const refusing: DeliveryQueue = { sendBatch: () => Promise.reject(new Error('Queue send failed: rate limited')) };
    await expect(enqueueDue(dispatcher, refusing)).rejects.toThrow('rate limited');
    expect(dispatcher.health('TH').inFlight).toBe(0);
    expect(await enqueueDue(dispatcher, queue)).toBe(2);
    const jobs = queue.take();
    expect(jobs.map((job) => job.messageId)).toEqual(messageIds);
    await consumeDeliveries(aBatch(jobs).batch, consumerDeps(exchange.composition, dispatcher, logs));
    expect(outboxStates(exchange.composition, 'TH')).toEqual({ DELIVERED: 5 });
  });

  it('acks a job whose message is already delivered without sending it again (a duplicate)', async () => {
    const [messageId] = await queueAcdds(exchange.composition, 'TH', 1);
    await enqueueDue(dispatcher, queue);
    const jobs = queue.take();
    await consumeDeliveries(aBatch(jobs).batch, consumerDeps(exchange.composition, dispatcher, logs));
    const received = th().receivedMessageIds().length;

    const { batch, verdicts } = aBatch(jobs);
    await consumeDeliveries(batch, consumerDeps(exchange.composition, dispatcher, logs));
    expect(verdicts.map((entry) => entry.verdict)).toEqual(['ack']);
    expect(th().receivedMessageIds()).toHaveLength(received);
    expect((await exchange.composition.deps.store.getOutbox(messageId!))?.attempts).toBe(1);
  });

  it('says so when a batch holds more jobs than one invocation has connections', async () => {
    const [messageId] = await queueAcdds(exchange.composition, 'TH', 1);
    await enqueueDue(dispatcher, queue);
    await consumeDeliveries(aBatch(queue.take()).batch, consumerDeps(exchange.composition, dispatcher, logs));

    const { batch, verdicts } = aBatch(Array.from({ length: MAX_JOBS_PER_BATCH + 1 }, () => ({ messageId, partnerId: 'TH' })));
    await consumeDeliveries(batch, consumerDeps(exchange.composition, dispatcher, logs));
    expect(verdicts.map((entry) => entry.verdict)).toEqual(Array.from({ length: MAX_JOBS_PER_BATCH + 1 }, () => 'ack'));
    expect(logs.filter((line) => line.includes('set max_batch_size to 6'))).toHaveLength(1);
  });

  it('acks and logs a malformed job: retrying cannot mend it', async () => {
    const { batch, verdicts } = aBatch([{ messageId: 'x', partnerId: 'TH', envelope: '<Envelope/>' }, 'not a job']);
    await consumeDeliveries(batch, consumerDeps(exchange.composition, dispatcher, logs));
    expect(verdicts.map((entry) => entry.verdict)).toEqual(['ack', 'ack']);
    expect(logs.filter((line) => line.includes('delivery job malformed'))).toHaveLength(2);
  });

  describe('when the consumer crashes', () => {
    it('lets the queue retry the job, and once the lease runs out the message is due again and delivered', async () => {
      const leased = new DeliveryDispatcher(exchange.composition.deps, {
        window: 8,
        log: (_level, message) => void logs.push(message),
        leaseMs: 300,
      });
      leased.start();
      const [messageId] = await queueAcdds(exchange.composition, 'TH', 1);
      expect(await enqueueDue(leased, queue)).toBe(1);
      const jobs = queue.take();

      // This Worker was deployed without TH's partner file: deliverMessage cannot know where to send.
      const withoutTh: PartnerDirectory = loadPartnerDirectory(partnersDirWithout('th.json'), { pkiDir: devPkiDir(exchange.dataDir) });
      const broken = consumerDeps(exchange.composition, leased, logs, withoutTh);
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const { batch, verdicts } = aBatch(jobs, attempt);
        await consumeDeliveries(batch, broken);
        expect(verdicts.map((entry) => entry.verdict)).toEqual(['retry']);
      }
      expect(await exchange.composition.deps.store.getOutbox(messageId!)).toMatchObject({ state: 'PENDING', attempts: 0 });
      expect(logs.filter((line) => line.includes('delivery crashed'))).toHaveLength(3);
      // In flight until settled or its lease runs out: not sent twice meanwhile.
      expect(await enqueueDue(leased, queue)).toBe(0);

      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(await enqueueDue(leased, queue)).toBe(1);
      expect(logs).toContain('delivery not settled in time: counted as crashed, due again');
      const { batch, verdicts } = aBatch(queue.take());
      await consumeDeliveries(batch, consumerDeps(exchange.composition, leased, logs));
      expect(verdicts.map((entry) => entry.verdict)).toEqual(['ack']);
      expect(await exchange.composition.deps.store.getOutbox(messageId!)).toMatchObject({ state: 'DELIVERED', attempts: 1 });
      expect(leased.health('TH')).toMatchObject({ circuit: 'CLOSED', consecutiveFailures: 0, inFlight: 0 });
    });
  });
});

/** A copy of the shipped partner files without `file`. */
function partnersDirWithout(file: string): string {
  const dir = partnersDirWith({});
  rmSync(join(dir, file));
  return dir;
}

describe('the DELIVERIES queue with a partner gateway that is down', () => {
  const SLOW_503_MS = 1_500;
  let exchange: Awaited<ReturnType<typeof composeExchange>>;
  let down: Awaited<ReturnType<typeof startDownGateway>>;
  let dispatcher: DeliveryDispatcher;
  const queue = new RecordingQueue();
  const logs: string[] = [];

  beforeAll(async () => {
    down = await startDownGateway(SLOW_503_MS);
    const partners = partnersDirWith({
      SG: {
        mode: 'live',
        endpoint: down.url,
        retry: { maxAttempts: 50, baseDelayMs: 20, maxDelayMs: 50, maxDurationMs: 600_000 },
        circuit: { failureThreshold: 2, openMs: 600_000 },
      },
      MY: { mode: 'live', endpoint: down.url, retry: { maxAttempts: 1, baseDelayMs: 20, maxDelayMs: 50, maxDurationMs: 600_000 } },
    });
    exchange = await composeExchange(partners);
    dispatcher = new DeliveryDispatcher(exchange.composition.deps, { window: 4, log: () => undefined });
    dispatcher.start();
  });
  afterAll(async () => {
    await exchange.close();
    await down.close();
  });

  it("delivers another partner's messages in the same batch without waiting for the down partner's", async () => {
    const sgIds = await queueAcdds(exchange.composition, 'SG', 6);
    const thIds = await queueAcdds(exchange.composition, 'TH', 2);
    expect(await enqueueDue(dispatcher, queue)).toBe(6);
    const jobs = queue.take();
    // SG's window is 4: the other two wait in the outbox, not in the queue.
    expect(jobs.filter((job) => job.partnerId === 'SG').map((job) => job.messageId)).toEqual(sgIds.slice(0, 4));
    expect(jobs.filter((job) => job.partnerId === 'TH').map((job) => job.messageId)).toEqual(thIds);

    // SG's jobs first in the batch: TH's are delivered, and acked, long before SG answers.
    const started = performance.now();
    const { batch, verdicts } = aBatch(jobs);
    await consumeDeliveries(batch, consumerDeps(exchange.composition, dispatcher, logs));
    const ackedAt = (index: number) => verdicts.find((entry) => entry.id === `queue-message-${index}`)?.at ?? Number.NaN;
    expect(verdicts.every((entry) => entry.verdict === 'ack')).toBe(true);
    expect(verdicts).toHaveLength(6);
    expect(Math.max(ackedAt(4), ackedAt(5)) - started).toBeLessThan(SLOW_503_MS);
    expect(Math.min(ackedAt(0), ackedAt(1), ackedAt(2), ackedAt(3)) - started).toBeGreaterThanOrEqual(SLOW_503_MS - 50);
    expect(outboxStates(exchange.composition, 'TH')).toEqual({ DELIVERED: 2 });
  });

  it('records each failed attempt as a retry in the outbox (acked, not retried by the queue) and opens the circuit', async () => {
    const rows = exchange.composition.db.prepare("SELECT attempts, last_error FROM outbox WHERE partner_id = 'SG' AND attempts > 0").all();
    expect(rows).toEqual(Array.from({ length: 4 }, () => ({ attempts: 1, last_error: 'HTTP 503 from the partner' })));
    expect(outboxStates(exchange.composition, 'SG')).toEqual({ PENDING: 6 });
    expect(dispatcher.health('SG')).toMatchObject({ circuit: 'OPEN', inFlight: 0, lastError: 'HTTP 503 from the partner' });
  });

  it("sends none of the down partner's messages while its circuit is open, and the others' at once", async () => {
    const requests = down.requests;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const thIds = await queueAcdds(exchange.composition, 'TH', 3);
    expect(await enqueueDue(dispatcher, queue)).toBe(3);
    expect(queue.take()).toEqual(thIds.map((messageId) => ({ messageId, partnerId: 'TH' })));
    expect(down.requests).toBe(requests);
  });

  it('acks a message dead-lettered when its retry budget is spent, and the ledger says why', async () => {
    const [messageId] = await queueAcdds(exchange.composition, 'MY', 1);
    expect(await enqueueDue(dispatcher, queue)).toBe(1);
    const { batch, verdicts } = aBatch(queue.take());
    await consumeDeliveries(batch, consumerDeps(exchange.composition, dispatcher, logs));
    expect(verdicts.map((entry) => entry.verdict)).toEqual(['ack']);
    expect(await exchange.composition.deps.store.getOutbox(messageId!)).toMatchObject({
      state: 'DEAD_LETTER',
      attempts: 1,
      lastError: 'HTTP 503 from the partner',
    });
    const steps = await timelineOf(exchange.composition, messageId!);
    expect(steps.map((step) => step.type)).toContain('MESSAGE_DEAD_LETTERED');
  });
});
