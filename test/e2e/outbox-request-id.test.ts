import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

const COFFEE = readFileSync(new URL('../../message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', import.meta.url), 'utf8');

/**
 * The outbox keeps the id of the request that queued each message, on both runtimes (test/helpers/runtimes.ts); every
 * delivery attempt sends it as X-Request-Id (test/runtime/delivery-request-id.test.ts sees it reach the simulated
 * gateway on Node, test/workers/delivery-queue.test.ts leave the Worker's queue consumer).
 */
describe.each(RUNTIMES)('the request id of a queued message, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  beforeAll(async () => {
    swx = await startServiceOn(runtime);
  }, 60_000);
  afterAll(async () => swx?.close());

  it('is the X-Request-Id of the submission that queued the ACDD, and the ACDD is delivered', async () => {
    const trader = await swx.createKey('trader', '0301234567');
    const requestId = `coffee-to-bangkok-${runtime}`;
    const response = await fetch(`${swx.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json', 'X-Request-Id': requestId },
      body: COFFEE,
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('X-Request-Id')).toBe(requestId);
    const { id } = (await response.json()) as { id: string };

    const outbox = () =>
      swx.query<{ request_id: string | null; state: string }>(
        "SELECT request_id, state FROM outbox JOIN messages USING (message_id) WHERE declaration_id = ? AND direction = 'OUT'",
        id,
      );
    const deadline = Date.now() + 20_000;
    while ((await outbox())[0]?.state !== 'DELIVERED' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await outbox()).toEqual([{ request_id: requestId, state: 'DELIVERED' }]);
  });
});
