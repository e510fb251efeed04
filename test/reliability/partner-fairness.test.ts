import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { partnersDirWith } from '../helpers/partners-dir.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

/** The exporter of the test declarations: the trader key files in its name. */
const EXPORTER = '0301234567';
/** The first retry of a failed message comes within base * 2 = 2 s with the shipped retry budget. */
const FIRST_RETRY_CEILING_MS = 2_000;

/** A loopback port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

interface DeliveryView {
  readonly circuit: string | null;
  readonly queueDepth: number;
  readonly delivered: number;
  readonly lastError: string | null;
}

describe("one partner gateway down (the issue's scenario: SG refuses connections, 120 ACDDs queued for it)", () => {
  let swx: TestService;
  let trader: string;

  const get = async <T>(path: string, token: string): Promise<T> => {
    const answer = await fetch(`${swx.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    return (await answer.json()) as T;
  };
  const delivery = async (partnerId: string): Promise<DeliveryView> => {
    const { items } = await get<{ items: { id: string; delivery: DeliveryView }[] }>('/v1/partners', swx.adminToken);
    const partner = items.find((item) => item.id === partnerId);
    if (!partner) throw new Error(`no partner ${partnerId}`);
    return partner.delivery;
  };
  const submit = async (destination: 'SG' | 'TH', count: number): Promise<string[]> => {
    const body = JSON.stringify(anExportDeclaration({ destination }));
    const ids: string[] = [];
    for (let sent = 0; sent < count; sent += 20) {
      const answers = await Promise.all(
        Array.from({ length: Math.min(20, count - sent) }, () =>
          fetch(`${swx.url}/v1/declarations`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json' },
            body,
          }),
        ),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(202);
        ids.push(((await answer.json()) as { id: string }).id);
      }
    }
    return ids;
  };

  beforeAll(async () => {
    // The shipped SG file (retry budget, circuit) with only its endpoint moved to a port nobody listens on.
    const partners = partnersDirWith({ SG: { mode: 'live', endpoint: `http://127.0.0.1:${await closedPort()}/v1/exchange` } });
    swx = await startTestService({ SWX_PARTNERS_DIR: partners });
    trader = await swx.createKey('trader', EXPORTER);
  });
  afterAll(() => swx.close());

  it("delivers and receipts every ACDD to TH while SG's circuit is open, within SG's first open period", async () => {
    await submit('SG', 120);
    await waitFor(
      () => delivery('SG'),
      (view) => view.circuit === 'OPEN',
      20_000,
    );
    // By now every SG message is due, and due before anything TH is sent: first in line by age.
    await new Promise((resolve) => setTimeout(resolve, FIRST_RETRY_CEILING_MS + 100));

    const declarations = await submit('TH', 40);
    const timelines = await waitFor(
      () =>
        Promise.all(
          declarations.map(
            async (id) => (await get<{ timeline: { type: string; detail: { status?: string } }[] }>(`/v1/declarations/${id}`, trader)).timeline,
          ),
        ),
      (all) => all.every((timeline) => timeline.some((step) => step.type === 'MESSAGE_DELIVERED')),
      20_000,
      250,
    );
    for (const timeline of timelines) {
      expect(timeline.some((step) => step.type === 'RECEIPT_VERIFIED' && step.detail.status === 'RECEIVED')).toBe(true);
    }
    expect(await delivery('TH')).toMatchObject({ delivered: 40, queueDepth: 0 });

    const sg = await delivery('SG');
    expect(sg.circuit).toBe('OPEN');
    expect(sg.queueDepth).toBe(120);
    expect(sg.lastError).toMatch(/ECONNREFUSED/);
  }, 50_000);
});
