import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.js';

const example = (path: string) => readFileSync(new URL(`../../../message-schemas/${path}`, import.meta.url), 'utf8');

let t: TestApp;
let trader: string;
beforeEach(async () => {
  t = await createTestApp();
  const response = await t.app.request('/v1/admin/api-keys', {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'trader', name: 'Tây Nguyên Coffee', partyId: '0301234567' }),
  });
  trader = ((await response.json()) as { token: string }).token;
});
afterEach(() => t.close());

const submit = (body: string, contentType: string) =>
  t.app.request('/v1/declarations', { method: 'POST', headers: { Authorization: `Bearer ${trader}`, 'Content-Type': contentType }, body });

describe('POST /v1/declarations with a date the calendar does not have', () => {
  it.each([
    ['an export declaration', 'export-declaration/1/examples/invalid-departure-date-february-30.json', '/departureDate'],
    ['an import declaration', 'import-declaration/1/examples/invalid-arrival-date-february-30.json', '/arrivalDate'],
  ])('%s: 422 with the pointer and "2026-02-30 does not exist"', async (_, path, pointer) => {
    const response = await submit(example(path), 'application/json');
    expect(response.status).toBe(422);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    const problem = (await response.json()) as { code: string; errors: { pointer: string; detail: string }[] };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors).toEqual([{ pointer, detail: '2026-02-30 does not exist' }]);
  });

  it('says the same of the date in XML', async () => {
    const xml = example('export-declaration/1/examples/valid-coffee-to-thailand.xml').replace(/<DepartureDate>[^<]*</, '<DepartureDate>2026-02-30<');
    expect(xml).toContain('<DepartureDate>2026-02-30<');
    const response = await submit(xml, 'application/xml');
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { pointer: string; detail: string }[] };
    expect(problem.errors).toEqual([expect.objectContaining({ detail: '2026-02-30 does not exist' })]);
  });
});
