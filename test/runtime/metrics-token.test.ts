import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { startTestService, type TestService } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

const TOKEN = 'scrape-4f1d8c2a9b7e6051';

/** Scrapes `url` with an Authorization header (none when undefined). */
async function scrape(url: string, authorization?: string): Promise<Response> {
  return fetch(url, { headers: authorization === undefined ? {} : { Authorization: authorization }, signal: AbortSignal.timeout(10_000) });
}

/** What a scrape without the token must get: a 401 problem with the Bearer challenge, and no metric in it. */
async function expectRefused(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('Content-Type')).toBe('application/problem+json');
  expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="swx"');
  const text = await response.text();
  expect(JSON.parse(text)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', detail: expect.stringContaining('SWX_METRICS_TOKEN') });
  expect(text).not.toContain('# TYPE');
}

async function expectScraped(response: Response): Promise<void> {
  expect(response.status).toBe(200);
  expect(await response.text()).toMatch(/^# TYPE swx_/m);
}

describe.each(RUNTIMES)('GET /metrics with SWX_METRICS_TOKEN, on the API port, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  beforeAll(async () => {
    swx = await startServiceOn(runtime, { SWX_METRICS_TOKEN: TOKEN, SWX_SIMULATORS: 'off' });
  }, 60_000);
  afterAll(async () => swx?.close());

  it('refuses a scrape without the token, with another token, or with the admin token', async () => {
    await expectRefused(await scrape(`${swx.url}/metrics`));
    await expectRefused(await scrape(`${swx.url}/metrics`, `Bearer ${TOKEN}x`));
    await expectRefused(await scrape(`${swx.url}/metrics`, `Bearer ${swx.adminToken}`));
    await expectRefused(await scrape(`${swx.url}/metrics`, TOKEN));
  });

  it('answers the metrics to Authorization: Bearer <SWX_METRICS_TOKEN>', async () => {
    await expectScraped(await scrape(`${swx.url}/metrics`, `Bearer ${TOKEN}`));
  });

  it('leaves the probes open', async () => {
    expect((await scrape(`${swx.url}/healthz`)).status).toBe(200);
  });
});

describe('GET /metrics with SWX_METRICS_TOKEN, on SWX_METRICS_PORT', () => {
  let swx: TestService;
  beforeAll(async () => {
    swx = await startTestService({ SWX_METRICS_PORT: '0', SWX_METRICS_TOKEN: TOKEN, SWX_SIMULATORS: 'off' });
  });
  afterAll(async () => swx?.close());

  it('refuses a scrape without the token, and answers one with it', async () => {
    const url = swx.service.metricsUrl ?? '';
    await expectRefused(await scrape(url));
    await expectRefused(await scrape(url, 'Bearer wrong-token-of-some-length'));
    await expectScraped(await scrape(url, `Bearer ${TOKEN}`));
  });
});

describe('SWX_METRICS_TOKEN unset', () => {
  let swx: TestService;
  beforeAll(async () => {
    swx = await startTestService({ SWX_SIMULATORS: 'off' });
  });
  afterAll(async () => swx?.close());

  it('leaves /metrics open', async () => {
    await expectScraped(await scrape(`${swx.url}/metrics`));
  });
});
