import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ApiKeyView } from '../../src/core/auth/api-key-view.js';
import { SpsAcknowledgement } from '../../src/core/certificate/acknowledge-sps-certificate.js';
import { CertificateView } from '../../src/core/certificate/certificate-view.js';
import { CertificateSummary } from '../../src/core/certificate/list-certificates.js';
import { IssuedCertificate } from '../../src/core/certificate/issue-certificate.js';
import { ClearanceHistory } from '../../src/core/clearance/clearance-history.js';
import { ClearancePage } from '../../src/core/clearance/clearance-search.js';
import { DecisionAnswer } from '../../src/core/clearance/decide-clearance.js';
import { CancellationAnswer } from '../../src/core/declaration/cancel-declaration.js';
import { SubmissionAnswer } from '../../src/core/declaration/declaration.js';
import { DeclarationView } from '../../src/core/declaration/declaration-view.js';
import { OutboxItemView } from '../../src/core/delivery/outbox-view.js';
import { RedriveAnswer } from '../../src/core/delivery/redrive-dead-letters.js';
import { ConformanceReport } from '../../src/core/exchange/check-conformance.js';
import { MessagePage } from '../../src/core/exchange/message-search.js';
import { MessageView } from '../../src/core/exchange/message-view.js';
import { PartnerView } from '../../src/core/exchange/partner-view.js';
import { MandateView } from '../../src/core/mandate/mandate-view.js';
import { ExchangeReport } from '../../src/core/report/exchange-report.js';
import { ReadinessCheck } from '../../src/http/readiness-check.js';
import { call } from '../helpers/api-client.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { partnerGateway } from '../helpers/partner-gateway.js';
import { anEphyto } from '../helpers/sps-certificates.js';
import { aFormD } from '../helpers/import-preference.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

const COFFEE = JSON.parse(
  readFileSync(new URL('../../message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', import.meta.url), 'utf8'),
) as unknown;

let swx: TestService;
let trader: string;
let officer: string;
let agency: string;

beforeAll(async () => {
  swx = await startTestService();
  [trader, officer, agency] = await Promise.all([
    swx.createKey('trader', '0301234567'),
    swx.createKey('officer', 'customs-officer-1'),
    swx.createKey('agency', 'VN-MOIT-CO'),
  ]);
}, 60_000);
afterAll(async () => swx?.close());

/**
 * The body answered must be exactly what the OpenAPI document declares for the route: the schema parses it (types,
 * enums, nullability), and parsing drops nothing (no field the document does not declare).
 */
function expectDeclared(schema: z.ZodType, body: unknown): void {
  const parsed = schema.safeParse(body);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  expect(parsed.data).toEqual(body);
}

describe('the answers of the main read routes are those their OpenAPI schemas declare', () => {
  it('GET /v1/declarations/{id} (trader) and GET /v1/clearances/{id} (officer), once the ACDD is delivered and receipted', async () => {
    const submitted = await call<{ id: string }>(swx, trader, 'POST', '/v1/declarations', COFFEE);
    expect(submitted.status).toBe(202);
    const path = `/v1/declarations/${submitted.body.id}`;
    const view = await waitFor(
      async () => (await call<{ documents: { receipted: boolean }[] }>(swx, trader, 'GET', path)).body,
      (body) => body.documents.some((document) => document.receipted),
    );
    expectDeclared(DeclarationView, view);

    const history = await call(swx, officer, 'GET', `/v1/clearances/${submitted.body.id}`);
    expect(history.status).toBe(200);
    expectDeclared(ClearanceHistory, history.body);
  });

  it('GET /v1/certificates/{id} and GET /v1/certificates (agency), for an e-Form D delivered to Thailand', async () => {
    const base = aFormD(`VN-TH-26-${process.pid}-schemas`);
    const formD = {
      ...base,
      issuingCountry: 'VN',
      importingCountry: 'TH',
      exporter: { ...base.exporter, country: 'VN' },
      consignee: { ...base.consignee, country: 'TH' },
    };
    const issued = await call<{ id: string }>(swx, agency, 'POST', '/v1/certificates', formD);
    expect(issued.status, JSON.stringify(issued.body)).toBe(202);
    expectDeclared(IssuedCertificate, issued.body);
    const view = await waitFor(
      async () => (await call<{ message: { receipted: boolean } | null }>(swx, agency, 'GET', `/v1/certificates/${issued.body.id}`)).body,
      (body) => body.message?.receipted === true,
    );
    expectDeclared(CertificateView, view);

    const list = await call<{ items: unknown[] }>(swx, agency, 'GET', '/v1/certificates?direction=OUT');
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    for (const summary of list.body.items) expectDeclared(CertificateSummary, summary);
  });

  it('POST /v1/declarations (trader), GET /v1/clearances and POST /v1/clearances/{id}/decision (officer), POST /v1/declarations/{id}/cancel (trader)', async () => {
    const submitted = await call<{ id: string }>(swx, trader, 'POST', '/v1/declarations', anExportDeclaration({ channel: 'YELLOW' }));
    expect(submitted.status).toBe(202);
    expectDeclared(SubmissionAnswer, submitted.body);

    const page = await call(swx, officer, 'GET', '/v1/clearances?status=UNDER_REVIEW&limit=1');
    expect(page.status).toBe(200);
    expectDeclared(ClearancePage, page.body);

    const decided = await call(swx, officer, 'POST', `/v1/clearances/${submitted.body.id}/decision`, { action: 'hold', reason: 'Price check' });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expectDeclared(DecisionAnswer, decided.body);

    const cancelled = await call(swx, trader, 'POST', `/v1/declarations/${submitted.body.id}/cancel`, { reason: 'Contract cancelled by the buyer' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expectDeclared(CancellationAnswer, cancelled.body);
  });

  it('GET /v1/messages and GET /v1/messages/{messageId} (officer)', async () => {
    const page = await waitFor(
      async () => (await call<{ items: { messageId: string }[] }>(swx, officer, 'GET', '/v1/messages?limit=2')).body,
      (body) => body.items.length > 0,
    );
    expectDeclared(MessagePage, page);
    const [first] = page.items;
    const message = await call(swx, officer, 'GET', `/v1/messages/${first?.messageId}`);
    expect(message.status).toBe(200);
    expectDeclared(MessageView, message.body);
  });

  it('POST /v1/certificates/{id}/acknowledgement (VN-PPD), for an ePhyto received from Indonesia', async () => {
    const delivery = await partnerGateway(swx, 'ID').send('EPHYTO', anEphyto(`ID-EPHYTO-T${process.pid}-schemas`));
    expect(delivery.status).toBe(200);
    const [received] = swx.query<{ id: string }>('SELECT id FROM certificates WHERE message_id = ?', delivery.messageId);
    const ppd = await swx.createKey('agency', 'VN-PPD');
    const decided = await call(swx, ppd, 'POST', `/v1/certificates/${received?.id}/acknowledgement`, {
      decision: 'REJECTED',
      reason: 'Consignee unknown',
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expectDeclared(SpsAcknowledgement, decided.body);
  });

  it('GET /v1/reports/exchange (officer), once a message went out', async () => {
    const report = await waitFor(
      async () => {
        const period = `from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`;
        const answer = await call<{ messages: { total: number } }>(swx, officer, 'GET', `/v1/reports/exchange?${period}`);
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        return answer.body;
      },
      (body) => body.messages.total > 0,
    );
    expectDeclared(ExchangeReport, report);
  });

  it('GET /v1/partners (officer) and POST /v1/conformance (partner operator)', async () => {
    const partners = await call<{ items: unknown[] }>(swx, officer, 'GET', '/v1/partners');
    expect(partners.status).toBe(200);
    expect(Object.keys(partners.body)).toEqual(['items']);
    for (const partner of partners.body.items) expectDeclared(PartnerView, partner);

    const partner = await swx.createKey('partner', 'TH', 'Thai NSW onboarding');
    const response = await fetch(`${swx.url}/v1/conformance`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${partner}`, 'Content-Type': 'application/xml' },
      body: readFileSync(new URL('../../message-schemas/customs-response/1/examples/valid-cleared.xml', import.meta.url), 'utf8'),
    });
    expect(response.status).toBe(200);
    expectDeclared(ConformanceReport, await response.json());
  });

  it('the admin API: api keys, mandates, the outbox and a re-drive', async () => {
    const keys = await call<{ items: unknown[] }>(swx, swx.adminToken, 'GET', '/v1/admin/api-keys');
    expect(keys.status).toBe(200);
    for (const key of keys.body.items) expectDeclared(ApiKeyView, key);

    const granted = await call<{ id: string }>(swx, swx.adminToken, 'POST', '/v1/admin/mandates', {
      agentPartyId: '0312345678',
      principalPartyId: '0301234567',
      validTo: '2099-12-31',
    });
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    expectDeclared(MandateView, granted.body);
    const mandates = await call<{ items: unknown[] }>(swx, swx.adminToken, 'GET', '/v1/admin/mandates');
    for (const mandate of mandates.body.items) expectDeclared(MandateView, mandate);
    const revoked = await call(swx, swx.adminToken, 'DELETE', `/v1/admin/mandates/${granted.body.id}`);
    expect(revoked.status).toBe(200);
    expectDeclared(MandateView, revoked.body);

    const outbox = await waitFor(
      async () => (await call<{ items: unknown[] }>(swx, swx.adminToken, 'GET', '/v1/admin/outbox?state=DELIVERED')).body,
      (body) => body.items.length > 0,
    );
    for (const item of outbox.items) expectDeclared(OutboxItemView, item);
    const redriven = await call(swx, swx.adminToken, 'POST', '/v1/admin/outbox/redrive', {});
    expect(redriven.status).toBe(200);
    expectDeclared(RedriveAnswer, redriven.body);
  });

  it('GET /readyz', async () => {
    const ready = await call<{ status: string; checks: unknown[] }>(swx, undefined, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body)).toEqual(['status', 'checks']);
    for (const check of ready.body.checks) expectDeclared(ReadinessCheck, check);
  });
});
