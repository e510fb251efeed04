import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { call, submitExport } from '../helpers/api-client.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { startTestService, type TestService, waitFor } from '../helpers/service.js';

/**
 * The metrics operators watch, scraped from the whole service (SQLite file, the simulated Thai gateway) on its own
 * metrics listener (SWX_METRICS_PORT) after a real flow: a declaration released by an officer, its ACDD delivered to
 * TH, TH's Customs Response received. The Grafana dashboard and the Prometheus alert rules of docs/ops query only
 * what this scrape exports.
 */

const DASHBOARD = new URL('../../docs/ops/grafana/swx-dashboard.json', import.meta.url);
const ALERTS = new URL('../../docs/ops/prometheus/alerts.yml', import.meta.url);

/** The value of the sample `name{labels…}` whose labels include all of `labels`; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
    if (match?.[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/gi)].map((pair) => [pair[1], pair[2]]));
    if (Object.entries(labels).every(([label, value]) => found[label] === value)) return Number(match[3]);
  }
  return undefined;
}

/** The metric families of a scrape (its `# TYPE` lines), with the series names a histogram adds. */
function families(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name as string);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

const swxNames = (expression: string): string[] => [...expression.matchAll(/\bswx_[a-z0-9_]+/g)].map((match) => match[0]);

describe('GET /metrics on SWX_METRICS_PORT, after a declaration went to Thailand and back', () => {
  let swx: TestService;
  let scrape: string;

  beforeAll(async () => {
    swx = await startTestService({ SWX_METRICS_PORT: '0' });
    const [trader, officer] = await Promise.all([swx.createKey('trader', '0301234567'), swx.createKey('officer', 'HQ-0042')]);
    const { id } = await submitExport(swx, trader, anExportDeclaration({ channel: 'YELLOW' }));
    expect((await call(swx, officer, 'POST', `/v1/clearances/${id}/decision`, { action: 'release', reason: 'documents match' })).status).toBe(200);
    const metricsUrl = swx.service.metricsUrl ?? '';
    scrape = await waitFor(
      async () => (await fetch(metricsUrl, { signal: AbortSignal.timeout(10_000) })).text(),
      (text) =>
        sample(text, 'swx_outbox_messages', { partner: 'TH', state: 'DELIVERED' }) === 1 &&
        (sample(text, 'swx_inbound_envelopes_total', { partner: 'TH', outcome: 'accepted' }) ?? 0) >= 1,
      15_000,
    );
  });
  afterAll(() => swx?.close());

  it('is served on its own listener and not on the API port', async () => {
    expect(swx.service.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(swx.service.metricsUrl).not.toContain(new URL(swx.url).port === '' ? '\0' : `:${new URL(swx.url).port}/`);
    const onApi = await fetch(`${swx.url}/metrics`);
    expect(onApi.status).toBe(404);
    expect(await onApi.text()).toContain('SWX_METRICS_PORT');
    const other = await fetch((swx.service.metricsUrl ?? '').replace('/metrics', '/v1/declarations'));
    expect(other.status).toBe(404);
  });

  it('counts declarations by kind, status and channel, and times their clearance by channel', () => {
    expect(sample(scrape, 'swx_declarations', { kind: 'EXPORT', status: 'RELEASED', channel: 'YELLOW' })).toBe(1);
    expect(sample(scrape, 'swx_declaration_clearance_seconds_count', { channel: 'YELLOW', outcome: 'RELEASED' })).toBe(1);
    expect(sample(scrape, 'swx_declaration_clearance_seconds_bucket', { channel: 'YELLOW', outcome: 'RELEASED', le: '+Inf' })).toBe(1);
    expect(sample(scrape, 'swx_declaration_clearance_seconds_bucket', { channel: 'YELLOW', outcome: 'RELEASED', le: '60' })).toBe(1);
  });

  it('reports the delivery to TH: latency, outbox, circuit', () => {
    expect(sample(scrape, 'swx_delivery_duration_seconds_count', { partner: 'TH', outcome: 'DELIVERED' })).toBe(1);
    expect(sample(scrape, 'swx_outbox_messages', { partner: 'TH', state: 'PENDING' })).toBeUndefined();
    expect(sample(scrape, 'swx_outbox_oldest_pending_age_seconds', { partner: 'TH' })).toBeUndefined();
    expect(sample(scrape, 'swx_partner_circuit_state', { partner: 'TH', state: 'CLOSED' })).toBe(1);
    expect(sample(scrape, 'swx_partner_circuit_state', { partner: 'TH', state: 'OPEN' })).toBe(0);
  });

  it("reports TH's answer as an accepted inbound envelope, the ledger and the certificates' remaining days", async () => {
    const [inbound] = await swx.query<{ documentType: string }>("SELECT document_type AS documentType FROM messages WHERE direction = 'IN'");
    expect(sample(scrape, 'swx_inbound_envelopes_total', { partner: 'TH', document_type: inbound?.documentType ?? '', outcome: 'accepted' })).toBe(1);
    const [ledger] = await swx.query<{ n: number }>('SELECT count(*) AS n FROM ledger_entries');
    expect(sample(scrape, 'swx_ledger_entries')).toBeGreaterThanOrEqual(1);
    expect(sample(scrape, 'swx_ledger_entries')).toBeLessThanOrEqual(ledger?.n ?? 0);
    expect(sample(scrape, 'swx_certificate_expiry_days', { kind: 'gateway-signing', owner: 'VN' })).toBeGreaterThan(30);
    expect(sample(scrape, 'swx_certificate_expiry_days', { kind: 'partner-gateway', owner: 'TH' })).toBeGreaterThan(30);
    expect(sample(scrape, 'swx_certificate_expiry_days', { kind: 'partner-root', owner: 'TH' })).toBeGreaterThan(30);
  });

  it('counts a forged envelope as a signature verification failure and a refused inbound envelope', async () => {
    const [stored] = await swx.query<{ envelope: string }>("SELECT envelope FROM messages WHERE direction = 'IN'");
    const envelope = stored?.envelope ?? '';
    const forged = envelope.replace(
      /(<(?:\w+:)?SignatureValue[^>]*>)([A-Za-z0-9+/])/,
      (_, open: string, first: string) => `${open}${first === 'A' ? 'B' : 'A'}`,
    );
    expect(forged).not.toBe(envelope);
    await fetch(`${swx.url}/v1/exchange`, { method: 'POST', body: forged, headers: { 'Content-Type': 'application/xml' } });
    const text = await (await fetch(swx.service.metricsUrl ?? '')).text();
    const failures = [...text.matchAll(/^swx_signature_verification_failures_total\{reason="([A-Z_]+)"\} (\d+)$/gm)];
    expect(failures.map((match) => Number(match[2])).reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(sample(text, 'swx_inbound_envelopes_total', { outcome: 'refused' })).toBe(1);
  });

  it('is what every panel of the Grafana dashboard and every alert rule queries', () => {
    const exported = families(scrape);
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets) {
        expect(swxNames(target.expr).length, target.expr).toBeGreaterThan(0);
        for (const name of swxNames(target.expr)) expect(exported, `${panel.title}: ${name}`).toContain(name);
      }
    }
    const rules = parse(readFileSync(ALERTS, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const alerts = rules.groups.flatMap((group) => group.rules);
    expect(alerts.map((rule) => rule.alert).sort()).toEqual([
      'SwxCertificateExpiringSoon',
      'SwxCheckpointStale',
      'SwxCircuitOpen',
      'SwxDeadLetters',
      'SwxHighErrorRate',
      'SwxPartnerDown',
    ]);
    for (const rule of alerts) for (const name of swxNames(rule.expr)) expect(exported, `${rule.alert}: ${name}`).toContain(name);
  });
});
