import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PartnerTransport } from '../../../src/core/delivery/partner-transport.js';
import { CoreError } from '../../../src/core/errors.js';

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly contentType: string | undefined;
  readonly requestId: string | undefined;
  readonly body: string;
}

interface Gateway {
  readonly origin: string;
  readonly received: Received[];
  close(): Promise<void>;
}

/** A partner gateway on a loopback port, answering each request with `answer` once it has read the body. */
async function startGateway(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<Gateway> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method,
        url: request.url,
        contentType: request.headers['content-type'],
        requestId: request.headers['x-request-id'] as string | undefined,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      answer(request, response);
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

/** `delivery` rejects with CoreError('DELIVERY_FAILED') whose message is `reason` (or matches it). */
async function expectDeliveryFailed(delivery: Promise<unknown>, reason: string | RegExp): Promise<void> {
  const error = await delivery.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CoreError);
  expect((error as CoreError).code).toBe('DELIVERY_FAILED');
  if (typeof reason === 'string') expect((error as CoreError).message).toBe(reason);
  else expect((error as CoreError).message).toMatch(reason);
}

const ENVELOPE = '<Envelope xmlns="urn:swx:envelope:1"><Note>Cà phê – 咖啡</Note></Envelope>';
const TIMEOUTS = { connectMs: 1_000, responseMs: 300 };
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The behaviour every PartnerTransport adapter must show against real gateways on 127.0.0.1: the envelope arrives
 * byte for byte, any HTTP answer (2xx, 3xx, 4xx, 5xx) is returned as it came, and no answer (refused, reset, too slow,
 * too large) is CoreError('DELIVERY_FAILED') naming the partner's origin and why.
 * @example describePartnerTransportContract('FetchPartnerTransport', (options) => new FetchPartnerTransport(options))
 */
export function describePartnerTransportContract(name: string, makeTransport: (options: { maxAnswerBytes: number }) => PartnerTransport): void {
  describe(`${name} (PartnerTransport contract)`, () => {
    const open: { close(): Promise<void> }[] = [];
    const gateway = async (answer: (request: IncomingMessage, response: ServerResponse) => void) => {
      const started = await startGateway(answer);
      open.push(started);
      return started;
    };
    const transport = () => {
      const made = makeTransport({ maxAnswerBytes: MAX_ANSWER_BYTES });
      open.push(made);
      return made;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((item) => item.close()));
    });

    describe('when the partner is up', () => {
      it('POSTs the envelope byte for byte as application/xml to the endpoint path and query, and returns its answer', async () => {
        const receipt = '<Receipt><Status>RECEIVED</Status><Note>đã nhận</Note></Receipt>';
        const partner = await gateway((_request, response) => response.writeHead(200, { 'content-type': 'application/xml' }).end(receipt));
        const answer = await transport().post(`${partner.origin}/v1/exchange?from=VN`, ENVELOPE, TIMEOUTS);
        expect(answer).toEqual({ status: 200, body: receipt });
        expect(partner.received).toEqual([
          { method: 'POST', url: '/v1/exchange?from=VN', contentType: 'application/xml; charset=utf-8', body: ENVELOPE },
        ]);
      });

      it('returns an answer of exactly the size cap', async () => {
        const body = 'x'.repeat(MAX_ANSWER_BYTES);
        const partner = await gateway((_request, response) => response.writeHead(200).end(body));
        expect(await transport().post(`${partner.origin}/v1/exchange`, ENVELOPE, TIMEOUTS)).toEqual({ status: 200, body });
      });

      it('sends the post’s request id as X-Request-Id, and none when the post names none', async () => {
        const partner = await gateway((_request, response) => response.writeHead(200).end('<Receipt/>'));
        await transport().post(`${partner.origin}/v1/exchange`, ENVELOPE, { ...TIMEOUTS, requestId: 'message-0001' });
        await transport().post(`${partner.origin}/v1/exchange`, ENVELOPE, TIMEOUTS);
        expect(partner.received.map((received) => received.requestId)).toEqual(['message-0001', undefined]);
      });

      it('returns an empty answer as an empty body', async () => {
        const partner = await gateway((_request, response) => response.writeHead(204).end());
        expect(await transport().post(`${partner.origin}/v1/exchange`, ENVELOPE, TIMEOUTS)).toEqual({ status: 204, body: '' });
      });
    });

    describe('when the partner answers with an error status', () => {
      it.each([400, 409, 429, 500, 503])('returns HTTP %i with its body, for deliverMessage to judge', async (status) => {
        const partner = await gateway((_request, response) => response.writeHead(status).end(`status ${status}`));
        expect(await transport().post(`${partner.origin}/v1/exchange`, ENVELOPE, TIMEOUTS)).toEqual({ status, body: `status ${status}` });
      });
    });

    describe('when the partner redirects', () => {
      it('returns the 3xx as the answer and never follows it', async () => {
        const elsewhere = await gateway((_request, response) => response.writeHead(200).end('<Receipt/>'));
        const partner = await gateway((_request, response) => response.writeHead(307, { location: `${elsewhere.origin}/v1/exchange` }).end('moved'));
        expect(await transport().post(`${partner.origin}/v1/exchange`, ENVELOPE, TIMEOUTS)).toEqual({ status: 307, body: 'moved' });
        expect(elsewhere.received).toEqual([]);
      });
    });

    describe('when the partner is down', () => {
      it('fails with DELIVERY_FAILED: no answer from its origin, connection refused', async () => {
        const origin = `http://127.0.0.1:${await closedPort()}`;
        await expectDeliveryFailed(transport().post(`${origin}/v1/exchange`, ENVELOPE, TIMEOUTS), `no answer from ${origin}: ECONNREFUSED`);
      });

      it('fails with DELIVERY_FAILED when it drops the connection without answering', async () => {
        const partner = await gateway((request) => request.socket.destroy());
        await expectDeliveryFailed(
          transport().post(`${partner.origin}/v1/exchange`, ENVELOPE, TIMEOUTS),
          new RegExp(`^no answer from ${partner.origin}: \\S`),
        );
      });
    });

    describe('when the partner is slow', () => {
      it('gives up once the response timeout passes without an answer', async () => {
        const partner = await gateway((_request, response) => setTimeout(() => response.writeHead(200).end('<Receipt/>'), 5_000));
        const started = Date.now();
        await expectDeliveryFailed(
          transport().post(`${partner.origin}/v1/exchange`, ENVELOPE, TIMEOUTS),
          new RegExp(`^no answer from ${partner.origin}: no response within \\d+ ms$`),
        );
        const elapsed = Date.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(TIMEOUTS.responseMs - 20);
        expect(elapsed).toBeLessThan(TIMEOUTS.connectMs + TIMEOUTS.responseMs + 1_000);
      });

      it('gives up when the answer starts and then stalls', async () => {
        const partner = await gateway((_request, response) => {
          response.writeHead(200, { 'content-type': 'application/xml' });
          response.write('<Receipt>');
        });
        await expectDeliveryFailed(
          transport().post(`${partner.origin}/v1/exchange`, ENVELOPE, TIMEOUTS),
          new RegExp(`^no answer from ${partner.origin}: no response within \\d+ ms$`),
        );
      });
    });

    describe('when the answer is larger than the cap', () => {
      it('refuses it by its Content-Length, without reading it', async () => {
        const partner = await gateway((_request, response) => response.writeHead(200).end('x'.repeat(MAX_ANSWER_BYTES + 1)));
        await expectDeliveryFailed(
          transport().post(`${partner.origin}/v1/exchange`, ENVELOPE, TIMEOUTS),
          `no answer from ${partner.origin}: answer larger than ${MAX_ANSWER_BYTES} bytes`,
        );
      });

      it('refuses it while streaming when no Content-Length announces it, without waiting for its end', async () => {
        const partner = await gateway((_request, response) => {
          response.writeHead(200, { 'content-type': 'application/xml' });
          const chunk = 'y'.repeat(16 * 1024);
          // Never ends: only the cap stops the read.
          const timer = setInterval(() => response.write(chunk), 1);
          response.on('close', () => clearInterval(timer));
        });
        await expectDeliveryFailed(
          transport().post(`${partner.origin}/v1/exchange`, ENVELOPE, { connectMs: 1_000, responseMs: 10_000 }),
          `no answer from ${partner.origin}: answer larger than ${MAX_ANSWER_BYTES} bytes`,
        );
      });
    });
  });
}
