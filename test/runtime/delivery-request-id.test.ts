import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('reaches the partner gateway as X-Request-Id, the outbox message id, in the simulator’s line', async () => {
    const trader = await swx.createKey('trader', '0301234567');
    const response = await fetch(`${swx.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json', 'X-Request-Id': 'coffee-to-bangkok-1' },
      body: coffee,
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const [acdd] = swx.query<{ message_id: string }>("SELECT message_id FROM messages WHERE declaration_id = ? AND direction = 'OUT'", id);

    const deadline = Date.now() + 15_000;
    const received = () => logs.find((line) => line.msg === 'envelope received' && line.requestId === acdd?.message_id);
    while (received() === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(received()).toMatchObject({ component: 'simulator', partner: 'TH', status: 200 });
    expect(logs.find((line) => line.msg === 'request' && line.route === '/v1/declarations')).toMatchObject({
      requestId: 'coffee-to-bangkok-1',
      status: 202,
      party: '0301234567',
    });
  });
});
