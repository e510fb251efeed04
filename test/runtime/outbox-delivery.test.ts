import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Faults, NO_FAULTS } from '../../src/runtime/simulator/faults.js';
import { partnersDirWith } from '../helpers/partners-dir.js';
import { startTestService, type TestService } from '../helpers/service.js';

const coffee = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function submit(swx: TestService, token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await fetch(`${swx.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: coffee,
    });
    expect(response.status).toBe(202);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

function acddMessageIds(swx: TestService): string[] {
  return swx
    .query<{ message_id: string }>("SELECT message_id FROM messages WHERE direction = 'OUT' AND document_type = 'ACDD'")
    .map((row) => row.message_id);
}

function outboxStates(swx: TestService): Record<string, number> {
  const rows = swx.query<{ state: string; n: number }>('SELECT state, count(*) AS n FROM outbox GROUP BY state');
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

describe('delivery to a partner gateway that fails', () => {
  let swx: TestService;
  let trader: string;
  let admin: string;

  beforeAll(async () => {
    const partners = partnersDirWith({
      TH: { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, circuit: { failureThreshold: 2, openMs: 150 } },
    });
    swx = await startTestService({ SWX_PARTNERS_DIR: partners });
    trader = await swx.createKey('trader', '0301234567');
    admin = swx.adminToken;
  });
  afterAll(() => swx.close());

  const th = () => {
    const simulator = swx.service.simulators.get('TH');
    if (!simulator) throw new Error('no TH simulator');
    return simulator;
  };

  describe('when every attempt is answered 503', () => {
    it('dead-letters the message after its retry budget and shows it in GET /v1/partners', async () => {
      th().setFaults(Faults.parse({ errorRate: 1 }));
      const [id] = await submit(swx, trader, 1);
      await until('a dead letter', async () => (outboxStates(swx)['DEAD_LETTER'] === 1 ? true : undefined));

      const partners = await fetch(`${swx.url}/v1/partners`, { headers: { Authorization: `Bearer ${admin}` } });
      const view = (
        (await partners.json()) as { items: { id: string; delivery: { deadLetters: number; circuit: string; lastError: string } | null }[] }
      ).items.find((partner) => partner.id === 'TH');
      expect(view?.delivery?.deadLetters).toBe(1);
      expect(view?.delivery?.circuit).not.toBe('CLOSED');
      expect(view?.delivery?.lastError).toMatch(/HTTP 503/);

      const declaration = await fetch(`${swx.url}/v1/declarations/${id}`, { headers: { Authorization: `Bearer ${trader}` } });
      const types = ((await declaration.json()) as { timeline: { type: string }[] }).timeline.map((step) => step.type);
      expect(types.filter((type) => type === 'DELIVERY_FAILED')).toHaveLength(2);
      expect(types).toContain('MESSAGE_DEAD_LETTERED');
      expect(types).not.toContain('MESSAGE_DELIVERED');
      expect(th().receivedMessageIds()).toHaveLength(0);
    });

    it('delivers it once re-driven after the outage ends, with the same message id', async () => {
      th().setFaults(NO_FAULTS);
      const [messageId] = acddMessageIds(swx);
      const listed = await fetch(`${swx.url}/v1/admin/outbox?state=DEAD_LETTER`, { headers: { Authorization: `Bearer ${admin}` } });
      expect(((await listed.json()) as { items: { messageId: string }[] }).items.map((item) => item.messageId)).toEqual([messageId]);

      const redrive = await fetch(`${swx.url}/v1/admin/outbox/redrive`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ partner: 'TH' }),
      });
      expect(await redrive.json()).toEqual({ redriven: [messageId] });
      await until('the re-driven delivery', async () => (outboxStates(swx)['DELIVERED'] === 1 ? true : undefined));
      expect(th().receivedMessageIds()).toEqual([messageId]);
    });

    it('refuses to re-drive a message that is not dead-lettered (409)', async () => {
      const [messageId] = acddMessageIds(swx);
      const redrive = await fetch(`${swx.url}/v1/admin/outbox/redrive`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ messageIds: [messageId] }),
      });
      expect(redrive.status).toBe(409);
      expect(redrive.headers.get('content-type')).toContain('application/problem+json');
    });
  });
});

describe('delivery under mixed faults', () => {
  let swx: TestService;
  let trader: string;

  beforeAll(async () => {
    const partners = partnersDirWith({
      TH: {
        retry: { maxAttempts: 50, baseDelayMs: 5, maxDelayMs: 40 },
        circuit: { failureThreshold: 4, openMs: 50 },
        timeouts: { connectMs: 500, responseMs: 500 },
      },
    });
    swx = await startTestService({ SWX_PARTNERS_DIR: partners });
    trader = await swx.createKey('trader', '0301234567');
  });
  afterAll(() => swx.close());

  it('delivers every message exactly once by message id after the faults stop', async () => {
    const th = swx.service.simulators.get('TH');
    if (!th) throw new Error('no TH simulator');
    th.setFaults(Faults.parse({ latencyMs: 5, errorRate: 0.25, dropRate: 0.2, badSignatureRate: 0.2, wrongReceiptRate: 0.15, responseDelayMs: 10 }));
    await submit(swx, trader, 20);
    await until('some faults to bite', async () => (th.stats().faultsInjected >= 10 ? true : undefined));
    th.setFaults(NO_FAULTS);
    await until('all 20 delivered', async () => (outboxStates(swx)['DELIVERED'] === 20 ? true : undefined), 30_000);

    const sent = acddMessageIds(swx).sort();
    const received = th.receivedMessageIds();
    expect(new Set(received).size).toBe(received.length);
    expect([...received].sort()).toEqual(sent);
    const failures = swx.query<{ n: number }>("SELECT count(*) AS n FROM declaration_timeline WHERE type = 'DELIVERY_FAILED'")[0]?.n ?? 0;
    expect(failures).toBeGreaterThan(0);
  });
});
