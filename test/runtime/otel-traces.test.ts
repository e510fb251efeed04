import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService } from '../helpers/service.js';

interface Posted {
  readonly path: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

interface OtlpSpan {
  readonly name: string;
  readonly kind: number;
  readonly attributes: readonly { key: string; value: { stringValue?: string; intValue?: number | string } }[];
}

interface OtlpTraces {
  readonly resourceSpans: readonly {
    resource: { attributes: OtlpSpan['attributes'] };
    scopeSpans: readonly { spans: readonly OtlpSpan[] }[];
  }[];
}

/** A collector's OTLP/HTTP receiver on 127.0.0.1: keeps every POST and answers 200 with an empty partial success. */
let posted: Posted[];
let receiver: { url: string; close(): Promise<void> };
beforeAll(async () => {
  posted = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posted.push({ path: request.url, contentType: request.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
});
afterAll(() => receiver.close());

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((candidate) => candidate.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

describe('OpenTelemetry traces', () => {
  it('sends one span per request to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces, with its route, status and request id', async () => {
    const swx = await startTestService({ OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/` });
    const first = await fetch(`${swx.url}/healthz`, { headers: { 'X-Request-Id': 'traced-request-1' } });
    const second = await fetch(`${swx.url}/v1/declarations/some-id`);
    expect([first.status, second.status]).toEqual([200, 401]);
    await swx.close();

    expect(posted.length).toBeGreaterThan(0);
    expect(posted.map((post) => [post.path, post.contentType])).toEqual(posted.map(() => ['/v1/traces', 'application/json']));
    const traces = posted.map((post) => JSON.parse(post.body) as OtlpTraces);
    const spans = traces.flatMap((trace) => trace.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
    expect(spans.map((span) => span.name)).toEqual(['GET /healthz', 'GET /v1/declarations/:id']);
    const [healthz, declaration] = spans;
    expect(healthz && attribute(healthz, 'swx.request_id')).toBe('traced-request-1');
    expect(healthz && attribute(healthz, 'http.response.status_code')).toBe(200);
    expect(declaration && attribute(declaration, 'swx.request_id')).toBe(second.headers.get('X-Request-Id'));
    expect(declaration && attribute(declaration, 'http.route')).toBe('/v1/declarations/:id');
    expect(declaration && attribute(declaration, 'http.response.status_code')).toBe(401);
    expect(traces[0]?.resourceSpans[0]?.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'swx' } });
  });

  it('sends nothing when OTEL_EXPORTER_OTLP_ENDPOINT is unset', async () => {
    posted.length = 0;
    const swx = await startTestService();
    expect((await fetch(`${swx.url}/healthz`)).status).toBe(200);
    await swx.close();
    expect(posted).toEqual([]);
  });
});
