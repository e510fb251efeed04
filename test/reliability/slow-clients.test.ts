import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';
import { until } from '../helpers/child-service.js';

const coffee = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');

/** Opens `count` connections from `localAddress` (any of 127.0.0.0/8 is loopback) and sends each `head`; then one byte a tick. */
async function holdConnections(port: number, localAddress: string, count: number, head: string): Promise<Socket[]> {
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Socket>((resolve) => {
          const socket = connect({ port, host: '127.0.0.1', localAddress });
          socket.on('error', () => undefined);
          socket.resume();
          socket.once('connect', () => {
            socket.write(head);
            resolve(socket);
          });
          socket.once('close', () => resolve(socket));
        }),
    ),
  );
  return sockets;
}

/** A request on a connection of its own, opened now, as a new client's would be. */
async function freshFetch(url: string, init: Parameters<typeof fetch>[1] = {}): Promise<{ status: number }> {
  const dispatcher = new Agent();
  try {
    const response = await fetch(url, { ...init, dispatcher });
    await response.arrayBuffer();
    return response;
  } finally {
    await dispatcher.destroy();
  }
}

const open = (sockets: readonly Socket[]) => sockets.filter((socket) => !socket.destroyed && !socket.readableEnded).length;

describe('slow clients holding connections', () => {
  let swx: TestService;
  let trickle: ReturnType<typeof setInterval> | undefined;
  beforeAll(async () => {
    swx = await startTestService({
      SWX_SIMULATORS: 'off',
      SWX_MAX_CONNECTIONS: '1000',
      SWX_MAX_CONNECTIONS_PER_ADDRESS: '100',
      SWX_HEADERS_TIMEOUT_MS: '3000',
      SWX_REQUEST_TIMEOUT_MS: '6000',
    });
  });
  afterAll(async () => {
    clearInterval(trickle);
    await swx.close();
  });

  it('serves a real client during a 5,000-connection slow-body hold, and cuts the slow ones after SWX_REQUEST_TIMEOUT_MS', async () => {
    const token = await swx.createKey('trader', '0301234567');
    const port = Number(new URL(swx.url).port);
    const slowBodies = await holdConnections(
      port,
      '127.0.0.2',
      5_000,
      'POST /v1/exchange HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\nContent-Length: 1000000\r\n\r\n<',
    );
    const slowHeaders = await holdConnections(port, '127.0.0.3', 50, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    const all = [...slowBodies, ...slowHeaders];
    trickle = setInterval(() => {
      for (const socket of all) if (!socket.destroyed) socket.write('a');
    }, 200);
    // Beyond SWX_MAX_CONNECTIONS_PER_ADDRESS, the address's connections are closed at once.
    await until('connections beyond the per-address cap closed', () => open(slowBodies) <= 100, 10_000);
    const held = open(slowBodies);

    expect((await freshFetch(`${swx.url}/healthz`)).status).toBe(200);
    const declared = await freshFetch(`${swx.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: coffee,
    });
    expect(declared.status).toBe(202);
    // The hold was on while the real client was served.
    expect(held).toBeGreaterThan(0);
    expect(open(slowBodies)).toBeGreaterThan(0);

    await until('every slow connection cut by the header and request timeouts', () => open(all) === 0, 15_000);
    expect((await freshFetch(`${swx.url}/healthz`)).status).toBe(200);
  }, 60_000);
});
