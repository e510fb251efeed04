import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Faults } from '../../src/runtime/simulator/faults.js';
import { startTestService, type TestService } from '../helpers/service.js';

const coffee = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');
/** The service's outbox batch size (src/runtime/service.ts), which is also the most messages in flight per partner. */
const WINDOW = 64;

describe('a backlog for a slow partner gateway', () => {
  let swx: TestService;
  let trader: string;

  beforeAll(async () => {
    swx = await startTestService();
    trader = await swx.createKey('trader', '0301234567');
  });
  afterAll(() => swx.close());

  it('waits in the database: never more than the window in flight, every ACDD delivered once', async () => {
    const th = swx.service.simulators.get('TH')!;
    // Each delivery takes 2.5 s, longer than accepting a window's worth of declarations even on a busy machine.
    th.setFaults(Faults.parse({ latencyMs: 2_500, responseDelayMs: 60_000 }));
    let mostInFlight = 0;
    const sampler = setInterval(() => (mostInFlight = Math.max(mostInFlight, swx.service.outbox.health('TH').inFlight)), 5);
    try {
      const answers = await Promise.all(
        Array.from({ length: 3 * WINDOW }, () =>
          fetch(`${swx.url}/v1/declarations`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json' },
            body: coffee,
          }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 202));
      const deadline = Date.now() + 40_000;
      while (th.receivedMessageIds().length < 3 * WINDOW && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      clearInterval(sampler);
    }
    expect(mostInFlight).toBeLessThanOrEqual(WINDOW);
    expect(mostInFlight).toBeGreaterThanOrEqual(WINDOW / 2);
    const received = th.receivedMessageIds();
    expect(new Set(received).size).toBe(3 * WINDOW);
    const sent = swx.query<{ message_id: string }>("SELECT message_id FROM messages WHERE direction = 'OUT' AND document_type = 'ACDD'");
    expect(new Set(received)).toEqual(new Set(sent.map((row) => row.message_id)));
  }, 60_000);
});
