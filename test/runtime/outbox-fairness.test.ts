import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Faults, NO_FAULTS } from '../../src/runtime/simulator/faults.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { partnersDirWith } from '../helpers/partners-dir.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

/** A partner gateway that is down: answers every POST with a 503 and no body, after `delayMs`. */
async function startDownGateway(delayMs: number): Promise<{ readonly url: string; requests: number; close(): Promise<void> }> {
  const gateway = { url: '', requests: 0, close: (): Promise<void> => Promise.resolve() };
  const server: Server = createServer((request, response) => {
    gateway.requests += 1;
    request.resume();
    setTimeout(() => response.writeHead(503).end(), delayMs);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/exchange`;
  gateway.close = () => new Promise<void>((closed) => server.close(() => closed()));
  return gateway;
}

async function submitMany(swx: TestService, token: string, destination: 'TH' | 'SG', count: number): Promise<void> {
  const body = JSON.stringify(anExportDeclaration({ destination }));
  for (let sent = 0; sent < count; sent += 20) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(20, count - sent) }, () =>
        fetch(`${swx.url}/v1/declarations`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body,
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 202));
  }
}

function outbox(swx: TestService, partnerId: string): Record<string, number> {
  const rows = swx.query<{ state: string; n: number }>('SELECT state, count(*) AS n FROM outbox WHERE partner_id = ? GROUP BY state', partnerId);
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

async function partnerDelivery(swx: TestService, partnerId: string) {
  const answer = await fetch(`${swx.url}/v1/partners`, { headers: { Authorization: `Bearer ${swx.adminToken}` } });
  const items = (
    (await answer.json()) as { items: { id: string; delivery: { circuit: string; deadLetters: number; lastError: string | null } | null }[] }
  ).items;
  return items.find((partner) => partner.id === partnerId)?.delivery;
}

describe('a partner gateway that is down, with a backlog queued for it', () => {
  let swx: TestService;
  let sg: Awaited<ReturnType<typeof startDownGateway>>;
  let trader: string;
  const logs: string[] = [];
  let requestsWhenOpened = 0;

  beforeAll(async () => {
    sg = await startDownGateway(300);
    const partners = partnersDirWith({
      SG: {
        mode: 'live',
        endpoint: sg.url,
        retry: { maxAttempts: 50, baseDelayMs: 20, maxDelayMs: 50, maxDurationMs: 600_000 },
        circuit: { failureThreshold: 5, openMs: 600_000 },
      },
    });
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(line) });
    swx = await startTestService({ SWX_PARTNERS_DIR: partners }, { logger });
    trader = await swx.createKey('trader', '0301234567');

    await submitMany(swx, trader, 'SG', 120);
    await waitFor(
      async () => swx.service.outbox.health('SG'),
      (health) => health.circuit === 'OPEN' && health.inFlight === 0,
      20_000,
    );
    requestsWhenOpened = sg.requests;
    // Every SG message is now due (retries come within 50 ms), and due before anything queued from here on.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }, 60_000);
  afterAll(async () => {
    await swx.close();
    await sg.close();
  });

  it("delivers another partner's messages while its circuit is open", async () => {
    await submitMany(swx, trader, 'TH', 40);
    await waitFor(
      async () => outbox(swx, 'TH'),
      (states) => states['DELIVERED'] === 40,
      20_000,
    );
    expect(swx.service.outbox.health('SG').circuit).toBe('OPEN');
    expect(outbox(swx, 'SG')).toEqual({ PENDING: 120 });
  });

  it('opens the circuit at its threshold and sends nothing more while it is open', () => {
    expect(swx.service.outbox.health('SG').consecutiveFailures).toBe(5);
    // A window of requests was in flight as it went down: their failures opened the circuit, and no more were sent.
    expect(requestsWhenOpened).toBeGreaterThan(5);
    expect(sg.requests).toBe(requestsWhenOpened);
  });

  it('says the partner answered HTTP 503 in the message, the delivery health and the log', async () => {
    const errors = swx.query<{ last_error: string | null }>("SELECT DISTINCT last_error FROM outbox WHERE partner_id = 'SG' AND attempts > 0");
    expect(errors).toEqual([{ last_error: 'HTTP 503 from the partner' }]);
    expect(await partnerDelivery(swx, 'SG')).toMatchObject({ circuit: 'OPEN', lastError: 'HTTP 503 from the partner' });
    const failures = logs
      .map((line) => JSON.parse(line) as { msg: string; partner?: string; error?: string })
      .filter((line) => line.partner === 'SG');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((line) => line.error === 'HTTP 503 from the partner')).toBe(true);
    expect(logs.join('\n')).not.toMatch(/malformed XML/);
  });
});

describe('a partner gateway down for longer than its retry budget', () => {
  let swx: TestService;
  let trader: string;
  const sg = () => swx.service.simulators.get('SG')!;
  const acdds = () => swx.query<{ message_id: string }>("SELECT message_id FROM messages WHERE direction = 'OUT' AND partner_id = 'SG'");

  beforeAll(async () => {
    const partners = partnersDirWith({
      SG: { retry: { maxAttempts: 1_000, baseDelayMs: 20, maxDelayMs: 50, maxDurationMs: 5_000 }, circuit: { failureThreshold: 3, openMs: 1_000 } },
    });
    swx = await startTestService({ SWX_PARTNERS_DIR: partners });
    trader = await swx.createKey('trader', '0301234567');
  });
  afterAll(() => swx.close());

  it('dead-letters its messages once the budget in time is spent, attempted or not, while the circuit is open', async () => {
    sg().setFaults(Faults.parse({ errorRate: 1 }));
    await submitMany(swx, trader, 'SG', 3);
    // The rest are queued behind the open circuit, so some are never attempted, however slow the machine.
    await waitFor(
      async () => swx.service.outbox.health('SG').circuit,
      (circuit) => circuit === 'OPEN',
      10_000,
    );
    await submitMany(swx, trader, 'SG', 27);
    await waitFor(
      async () => outbox(swx, 'SG'),
      (states) => states['DEAD_LETTER'] === 30,
      30_000,
    );
    expect(swx.service.outbox.health('SG').circuit).not.toBe('CLOSED');

    const rows = swx.query<{ attempts: number; last_error: string }>("SELECT attempts, last_error FROM outbox WHERE partner_id = 'SG'");
    const neverAttempted = rows.filter((row) => row.attempts === 0);
    expect(neverAttempted.length).toBeGreaterThan(0);
    for (const row of neverAttempted) {
      expect(row.last_error).toBe(
        'retry budget spent: not delivered within 5 s of being queued (0 attempts; last error: HTTP 503 from the partner: simulated outage)',
      );
    }
    expect(await partnerDelivery(swx, 'SG')).toMatchObject({ deadLetters: 30 });
    expect(sg().receivedMessageIds()).toEqual([]);
  }, 40_000);

  it('delivers every one exactly once when re-driven after the partner is back', async () => {
    sg().setFaults(NO_FAULTS);
    const redrive = await fetch(`${swx.url}/v1/admin/outbox/redrive`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${swx.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ partner: 'SG' }),
    });
    expect(((await redrive.json()) as { redriven: string[] }).redriven).toHaveLength(30);
    await waitFor(
      async () => outbox(swx, 'SG'),
      (states) => states['DELIVERED'] === 30,
      20_000,
    );
    const received = sg().receivedMessageIds();
    expect(received).toHaveLength(30);
    expect(new Set(received)).toEqual(new Set(acdds().map((row) => row.message_id)));
  }, 30_000);
});
