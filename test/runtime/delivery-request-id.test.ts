import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Faults } from '../../src/runtime/simulator/faults.js';
import { startTestService, type TestService } from '../helpers/service.js';

const coffee = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');

describe('the request id of a delivery', () => {
  let swx: TestService;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    swx = await startTestService(
      { SWX_LOG_LEVEL: 'info' },
      { logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) }) },
    );
  });
  afterAll(() => swx.close());

  it('reaches the partner gateway as X-Request-Id: the id of the request that submitted the declaration, in the simulator’s line', async () => {
    const trader = await swx.createKey('trader', '0301234567');
    const response = await fetch(`${swx.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json', 'X-Request-Id': 'coffee-to-bangkok-1' },
      body: coffee,
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const [acdd] = swx.query<{ request_id: string }>(
      "SELECT request_id FROM messages JOIN outbox USING (message_id) WHERE declaration_id = ? AND direction = 'OUT'",
      id,
    );
    expect(acdd?.request_id).toBe('coffee-to-bangkok-1');

    const deadline = Date.now() + 15_000;
    const received = () => logs.find((line) => line.msg === 'envelope received' && line.requestId === 'coffee-to-bangkok-1');
    while (received() === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(received()).toMatchObject({ component: 'simulator', partner: 'TH', status: 200 });
    expect(logs.find((line) => line.msg === 'request' && line.route === '/v1/declarations')).toMatchObject({
      requestId: 'coffee-to-bangkok-1',
      status: 202,
      party: '0301234567',
    });
  });
});

describe('the request id of a delivery that fails', () => {
  let swx: TestService;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    swx = await startTestService(
      { SWX_LOG_LEVEL: 'info' },
      {
        logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) }),
        // Every simulated gateway answers with a receipt whose signature does not verify: each attempt fails.
        simulatorFaults: Faults.parse({ badSignatureRate: 1 }),
      },
    );
  });
  afterAll(() => swx.close());

  it('reaches the gateway, and is in swx’s log line of the failed attempt', async () => {
    const trader = await swx.createKey('trader', '0301234567');
    const response = await fetch(`${swx.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json', 'X-Request-Id': 'coffee-to-bangkok-2' },
      body: coffee,
    });
    expect(response.status).toBe(202);

    const deadline = Date.now() + 15_000;
    const failed = () => logs.find((line) => line.msg === 'delivery failed, will retry' && line.requestId === 'coffee-to-bangkok-2');
    while (failed() === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(failed()).toMatchObject({ partner: 'TH', error: expect.stringContaining('receipt not trusted') });
    expect(logs.find((line) => line.msg === 'envelope received' && line.requestId === 'coffee-to-bangkok-2')).toMatchObject({
      component: 'simulator',
      partner: 'TH',
    });
  });
});
