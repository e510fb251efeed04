import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import type { Role, ServiceUnderTest } from '../helpers/service-under-test.js';

/**
 * Every operation of the OpenAPI document, on each runtime, as each kind of caller (no token, and every role): the
 * status, media type, problem code and the shape of the answer (its top-level keys) must be the same on Node and on
 * Workers. Bodies are absent or empty JSON, and ids unknown, so no request changes anything: what this proves is that
 * every route is served on both, with the same auth, validation and problem mapping; the flows themselves are proven
 * by the shared end-to-end tests.
 */

const CALLERS: readonly (Role | 'anonymous')[] = ['anonymous', 'trader', 'agency', 'officer', 'admin', 'partner'];
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

interface Operation {
  readonly method: string;
  readonly path: string;
}

/** What a caller saw of one operation. */
interface Seen {
  readonly status: number;
  readonly mediaType: string;
  readonly code: unknown;
  readonly keys: string;
}

async function operationsOf(swx: ServiceUnderTest): Promise<Operation[]> {
  const document = (await (await fetch(`${swx.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
}

async function see(swx: ServiceUnderTest, operation: Operation, token: string | undefined): Promise<Seen> {
  const url = `${swx.url}${operation.path.replaceAll(/\{[^}]+\}/g, UNKNOWN_ID)}`;
  const headers: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${token}` };
  const init: RequestInit =
    operation.method === 'GET' ? { headers } : { method: operation.method, headers: { ...headers, 'Content-Type': 'application/json' }, body: '{}' };
  const response = await fetch(url, init);
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
  const text = await response.text();
  let body: unknown;
  try {
    body = mediaType.endsWith('json') ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  return { status: response.status, mediaType, code: record['code'], keys: Object.keys(record).sort().join(',') };
}

/** Every operation as every caller, keyed `METHOD path as caller`. */
async function survey(swx: ServiceUnderTest): Promise<Map<string, Seen>> {
  const tokens = new Map<string, string | undefined>([['anonymous', undefined]]);
  for (const role of CALLERS) if (role !== 'anonymous') tokens.set(role, await swx.createKey(role, role === 'partner' ? 'TH' : `P-${role}`));
  const seen = new Map<string, Seen>();
  for (const operation of await operationsOf(swx)) {
    for (const [caller, token] of tokens) seen.set(`${operation.method} ${operation.path} as ${caller}`, await see(swx, operation, token));
  }
  return seen;
}

const surveys = new Map<string, Map<string, Seen>>();

describe.each(RUNTIMES)('every operation of the OpenAPI document, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  beforeAll(async () => {
    swx = await startServiceOn(runtime, { SWX_SIMULATORS: 'off' });
  });
  afterAll(() => swx?.close());

  it('answers every caller, never with a 5xx, and every error as problem+json', async () => {
    const seen = await survey(swx);
    surveys.set(runtime, seen);
    expect(seen.size).toBeGreaterThan(100);
    for (const [request, answer] of seen) {
      expect(answer.status, request).toBeLessThan(500);
      if (answer.status >= 400) expect(answer.mediaType, request).toBe('application/problem+json');
    }
  });
});

describe.runIf(RUNTIMES.length === 2)('Node and Workers', () => {
  it('answer every operation and caller alike: status, media type, problem code and the answer’s keys', () => {
    const [node, workers] = [surveys.get('node'), surveys.get('workers')];
    expect(node).toBeDefined();
    expect(workers).toEqual(node);
  });
});
