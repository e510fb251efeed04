import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../src/core/exchange/check-conformance.js';
import { payloadChangedAfterSigning } from '../helpers/hostile-envelopes.js';
import { partnerEnvelopes } from '../helpers/partner-envelopes.js';
import { startTestService, type TestService } from '../helpers/service.js';

const examples = new URL('../../message-schemas/', import.meta.url).pathname;
const CLEARED_XML = join(examples, 'customs-response/1/examples/valid-cleared.xml');
const MISSING_CONSIGNEE_XML = join(examples, 'ephyto/1/examples/invalid-missing-consignee.xml');

describe('POST /v1/conformance', () => {
  let swx: TestService;
  let envelopes: ReturnType<typeof partnerEnvelopes>;
  let partner: string;
  let admin: string;

  const check = async (token: string | undefined, body: string, options: { contentType?: string; query?: string } = {}) => {
    const response = await fetch(`${swx.url}/v1/conformance${options.query ?? ''}`, {
      method: 'POST',
      headers: { 'Content-Type': options.contentType ?? 'application/xml', ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) },
      body,
    });
    return {
      status: response.status,
      contentType: response.headers.get('Content-Type'),
      body: (await response.json()) as ConformanceReport & { code?: string },
    };
  };
  const statusOf = (report: ConformanceReport, name: string) => report.checks.find((one) => one.name === name);

  beforeAll(async () => {
    swx = await startTestService({ SWX_SIMULATORS: 'off' });
    envelopes = partnerEnvelopes(join(swx.dataDir, 'pki'));
    partner = await swx.createKey('partner', 'TH', 'Thai NSW onboarding');
    admin = swx.adminToken;
  });
  afterAll(() => swx.close());

  describe('for a partner operator’s key', () => {
    it('answers a valid envelope with every check VALID, records nothing, and leaves the message id free for the real exchange', async () => {
      const header = envelopes.header('TH', 'CUSTOMS_RESPONSE');
      const envelope = envelopes.sign(CLEARED_XML, header);
      const before = swx.rowCounts();
      const { status, contentType, body } = await check(partner, envelope);
      expect(status).toBe(200);
      expect(contentType).toMatch(/^application\/json/);
      expect(body).toMatchObject({ outcome: 'VALID', subject: 'ENVELOPE', documentType: 'CUSTOMS_RESPONSE', from: 'TH' });
      expect(body.checks).toHaveLength(17);
      expect(body.checks.every((one) => one.status === 'VALID')).toBe(true);
      expect(swx.rowCounts()).toEqual(before);

      const exchanged = await fetch(`${swx.url}/v1/exchange`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: envelope });
      expect(exchanged.status).toBe(200);
      expect(swx.rowCounts().messages).toBe(before.messages + 1);
    });

    it('reports a tampered envelope INVALID at the digest, and records nothing', async () => {
      const signed = envelopes.sign(CLEARED_XML, envelopes.header('TH', 'CUSTOMS_RESPONSE'));
      const before = swx.rowCounts();
      const { status, body } = await check(partner, payloadChangedAfterSigning(signed, '<Status>CLEARED</Status>', '<Status>REJECTED</Status>'));
      expect(status).toBe(200);
      expect(body.outcome).toBe('INVALID');
      expect(statusOf(body, 'signature.digest')).toMatchObject({
        status: 'INVALID',
        code: 'SIGNATURE_INVALID',
        location: '/Envelope/ds:Signature/ds:SignedInfo/ds:Reference/ds:DigestValue',
      });
      expect(swx.rowCounts()).toEqual(before);
    });

    it('names the real signer of an envelope whose From is another gateway', async () => {
      const { body } = await check(partner, envelopes.sign(CLEARED_XML, envelopes.header('TH', 'CUSTOMS_RESPONSE'), 'SG'));
      expect(statusOf(body, 'sender.signer')).toMatchObject({ status: 'INVALID', code: 'SENDER_NOT_SIGNER', location: '/Envelope/Header/From' });
      expect(statusOf(body, 'sender.signer')?.message).toMatch(/signed with the key of SG \(SG\)$/);
    });

    it('lists every failing field of a business document sent alone, by JSON pointer', async () => {
      const { status, body } = await check(partner, readFileSync(MISSING_CONSIGNEE_XML, 'utf8'), { query: '?type=EPHYTO' });
      expect(status).toBe(200);
      expect(body).toMatchObject({ outcome: 'INVALID', subject: 'DOCUMENT', documentType: 'EPHYTO', from: null });
      expect(statusOf(body, 'document.schema')).toMatchObject({
        status: 'INVALID',
        code: 'VALIDATION_FAILED',
        findings: [{ pointer: '/consignment/consignee', detail: 'required' }],
      });
    });
  });

  describe('for others', () => {
    it('answers an admin as a partner operator', async () => {
      const { status, body } = await check(admin, envelopes.sign(CLEARED_XML, envelopes.header('SG', 'CUSTOMS_RESPONSE')));
      expect(status).toBe(200);
      expect(body.outcome).toBe('VALID');
    });

    it('is 401 without a token and 403 for a trader or an officer', async () => {
      const envelope = envelopes.sign(CLEARED_XML, envelopes.header('TH', 'CUSTOMS_RESPONSE'));
      const anonymous = await check(undefined, envelope);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
      for (const role of ['trader', 'officer'] as const) {
        const refused = await check(await swx.createKey(role, role === 'trader' ? '0101234567' : 'VN-CUSTOMS'), envelope);
        expect(refused.status).toBe(403);
        expect(refused.body.code).toBe('FORBIDDEN');
      }
    });

    it('lets a partner operator’s key read the ledger’s checkpoint, as any party, and nothing else', async () => {
      const read = (path: string) => fetch(`${swx.url}${path}`, { headers: { Authorization: `Bearer ${partner}` } });
      expect((await read('/v1/ledger/checkpoint')).status).toBe(200);
      for (const path of [
        '/v1/ledger/entries?start=0&end=0',
        '/v1/partners',
        '/v1/messages',
        '/v1/admin/api-keys',
        '/v1/clearances',
        '/v1/certificates',
      ]) {
        expect((await read(path)).status, path).toBe(403);
      }
    });

    it('is 415 for another media type and 422 for an unknown ?type', async () => {
      expect((await check(partner, '{}', { contentType: 'application/json' })).status).toBe(415);
      const unknown = await check(partner, '<a/>', { query: '?type=INVOICE' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.code).toBe('VALIDATION_FAILED');
    });

    it('is documented in the OpenAPI document', async () => {
      const document = (await (await fetch(`${swx.url}/openapi.json`)).json()) as {
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      };
      expect(Object.keys(document.paths['/v1/conformance']?.['post']?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401', '403']));
    });
  });
});
