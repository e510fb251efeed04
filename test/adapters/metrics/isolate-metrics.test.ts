import { describe, expect, it } from 'vitest';
import { IsolateMetrics } from '../../../src/adapters/metrics/isolate-metrics.js';
import { PromClientMetrics } from '../../../src/adapters/metrics/prom-client-metrics.js';
import { observeRefusals } from '../../../src/runtime/observe-refusals.js';

const samples = [
  { method: 'GET', route: '/v1/declarations/:id', status: 200, seconds: 0.0007 },
  { method: 'GET', route: '/v1/declarations/:id', status: 200, seconds: 0.004 },
  { method: 'POST', route: '/v1/exchange', status: 422, seconds: 0.3 },
  { method: 'POST', route: '/v1/exchange', status: 422, seconds: 7 },
];

/** The lines of one metric family, without the `isolate` label. */
function family(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) || line.startsWith(`# HELP ${name} `) || line.startsWith(`# TYPE ${name} `))
    .map((line) => line.replace(/,isolate="[^"]*"/, ''));
}

describe('IsolateMetrics', () => {
  it('renders the request histogram and the refusal counter exactly as the Node service does, plus the isolate', async () => {
    const isolate = new IsolateMetrics('isolate-1', () => 1_767_225_600_000);
    const node = new PromClientMetrics();
    const countOnNode = observeRefusals(node.registry, () => undefined);
    for (const sample of samples) {
      isolate.observeHttpRequest(sample);
      node.observeHttpRequest(sample);
    }
    for (const refusal of [
      { code: 'SIGNATURE_INVALID', recorded: false },
      { code: 'SIGNATURE_INVALID', recorded: false },
      { code: 'UNKNOWN_PARTNER', recorded: true },
    ] as const) {
      isolate.countRefusal(refusal);
      countOnNode({
        ...refusal,
        code: refusal.code,
        reason: '',
        from: null,
        authenticated: false,
        envelopeDigest: '',
        envelopeBytes: 0,
        address: undefined,
      });
    }

    const text = await isolate.render();
    const nodeText = await node.render();
    for (const name of ['swx_http_request_duration_seconds', 'swx_exchange_refused_total']) {
      expect(family(text, name)).toEqual(family(nodeText, name));
    }
    expect(isolate.contentType).toBe(node.contentType);
    expect(text).toContain('swx_worker_isolate_start_time_seconds{isolate="isolate-1"} 1767225600\n');
    expect(text).toContain('swx_http_request_duration_seconds_count{method="POST",route="/v1/exchange",status="422",isolate="isolate-1"} 2\n');
  });

  it('escapes label values as the text format requires', async () => {
    const metrics = new IsolateMetrics('i', () => 0);
    metrics.observeHttpRequest({ method: 'GET', route: 'a"b\\c\nd', status: 404, seconds: 0 });
    expect(await metrics.render()).toContain(
      'swx_http_request_duration_seconds_count{method="GET",route="a\\"b\\\\c\\nd",status="404",isolate="i"} 1',
    );
  });
});
