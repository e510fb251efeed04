import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unstable_startWorker } from 'wrangler';
import { acddSpec } from '../../../message-schemas/acdd/1/schema.js';
import { readReceipt } from '../../../message-schemas/receipt/1/build.js';
import { devPkiDir, devPkiLayout } from '../../../src/adapters/crypto/dev-pki-layout.js';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { XmlDsigSigner } from '../../../src/adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import { parseXml } from '../../../src/adapters/xml/xml-codec.js';
import { parseConfig } from '../../../src/config.js';
import { generateToken } from '../../../src/core/auth/api-key.js';
import { validateDocument } from '../../../src/core/document/validate-document.js';
import { decodeDocumentXml, encodeDocumentXml } from '../../../src/core/document/xml-mapping.js';
import { toBase64 } from '../../../src/core/encoding.js';
import { type DevWorkers, startDevWorkers } from '../../../src/runtime/build/dev-workers.js';
import { anEnvelope } from '../../helpers/envelope-builder.js';
import { copyMigratedD1 } from '../../helpers/local-d1.js';
import { createKeyOver } from '../../helpers/service-under-test.js';
import { waitFor } from '../../helpers/service.js';
import { EXPORT_FLOW_STEPS } from '../../helpers/export-flow-steps.js';

/**
 * The exchange with simulated partners on Workers, as `npm run dev:worker` runs it (startDevWorkers): swx's Worker and
 * the simulators Worker in local workerd, nothing but HTTP between the test and them. The node project's globalSetup
 * ran `npm run build:worker`, whose PKI (SWX_DATA_DIR's) both Workers sign with.
 */

const COFFEE_JSON = readFileSync(
  new URL('../../../message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', import.meta.url),
  'utf8',
);
const COFFEE_ACDD_XML = readFileSync(new URL('../../../message-schemas/acdd/1/examples/valid-coffee-from-viet-nam.xml', import.meta.url), 'utf8');
const pki = devPkiLayout(devPkiDir(resolve(parseConfig(process.env).SWX_DATA_DIR)));
const certificate = (id: string): string => readFileSync(pki.gatewayCertificate(id), 'utf8');
const signerOf = (id: string): XmlDsigSigner => new XmlDsigSigner(readFileSync(pki.gatewayKey(id), 'utf8'), certificate(id));

const FLOW = EXPORT_FLOW_STEPS;

/** An ACDD envelope from VN to `to` with the coffee ACDD (sign it with signedBy). */
const acddTo = (to: string) => anEnvelope().from('VN').to(to).carrying('ACDD').inConversation(randomUUID());
const acddXml = () => encodeDocumentXml(acddSpec, validateDocument(acddSpec.schema, decodeDocumentXml(acddSpec, parseXml(COFFEE_ACDD_XML))));

interface DeclarationView {
  documents: { messageId: string; direction: string; documentType: string; partner: string; receipted: boolean }[];
  timeline: { type: string; messageId?: string; detail: Record<string, unknown> }[];
}

describe('swx with its simulated partners on Workers (npm run dev:worker)', () => {
  const adminToken = generateToken((length) => randomBytes(length));
  const persist = mkdtempSync(join(tmpdir(), 'swx-dev-workers-'));
  copyMigratedD1(persist);
  let workers: DevWorkers;
  let simulators: URL;
  let trader: string;

  beforeAll(async () => {
    workers = await startDevWorkers({ persist, vars: { SWX_LOG_LEVEL: 'silent' }, secrets: { SWX_ADMIN_TOKEN: adminToken } });
    simulators = (await workers.simulators?.url) ?? new URL('http://127.0.0.1:1');
    trader = await createKeyOver(workers.url.origin, adminToken)('trader', '0301234567');
  });
  afterAll(async () => {
    await workers?.dispose();
    rmSync(persist, { recursive: true, force: true });
  });

  const post = async (path: string, envelope: string) => {
    const response = await fetch(new URL(path, simulators), { method: 'POST', headers: { 'content-type': 'application/xml' }, body: envelope });
    return { status: response.status, text: await response.text() };
  };
  const acdd = () => acddTo('TH');
  /** The receipt in `text`, which must verify with `id`'s certificate. */
  const receiptOf = (text: string, id: string) => {
    const verification = new XmlDsigVerifier().verify(text, certificate(id));
    expect(verification.outcome).toBe('VALID');
    return readReceipt(parseXml(verification.signedXml ?? ''));
  };

  it('delivers the ACDD to the Thai simulator, verifies its receipt, and records its Customs Response', async () => {
    const submitted = await fetch(new URL('/v1/declarations', workers.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${trader}`, 'content-type': 'application/json' },
      body: COFFEE_JSON,
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const view = await waitFor(
      async () =>
        (await (
          await fetch(new URL(`/v1/declarations/${id}`, workers.url), { headers: { authorization: `Bearer ${trader}` } })
        ).json()) as DeclarationView,
      (current) => current.timeline.some((step) => step.type === 'RECEIPT_SENT'),
      30_000,
      100,
    );
    expect(view.timeline.map((step) => step.type)).toEqual(FLOW);
    const [acddOut] = view.documents.filter((document) => document.direction === 'OUT');
    expect(view.documents).toEqual([
      expect.objectContaining({ direction: 'OUT', documentType: 'ACDD', partner: 'TH', receipted: true }),
      expect.objectContaining({ direction: 'IN', documentType: 'CUSTOMS_RESPONSE', partner: 'TH', receipted: true }),
    ]);
    const byType = new Map(view.timeline.map((step) => [step.type, step]));
    expect(byType.get('RECEIPT_VERIFIED')?.messageId).toBe(acddOut?.messageId);
    expect(byType.get('RESPONSE_RECEIVED')?.detail).toMatchObject({ documentType: 'CUSTOMS_RESPONSE', from: 'TH', refTo: acddOut?.messageId });
  });

  describe('the simulators Worker', () => {
    it('lists the gateways it plays: the simulated ones, not the planned', async () => {
      const health = (await (await fetch(new URL('/healthz', simulators))).json()) as { partners: string[] };
      expect(health.partners).toEqual(['BN', 'ID', 'KH', 'LA', 'MM', 'MY', 'PH', 'SG', 'TH']);
      expect((await post('/KR/v1/exchange', '<Envelope/>')).status).toBe(404);
    });

    it('receipts an envelope signed by VN with TH’s signed receipt, and the same bytes again with the same receipt', async () => {
      const message = acdd();
      const envelope = message.signedBy(signerOf('VN'), acddXml());
      const first = await post('/TH/v1/exchange', envelope);
      expect(first.status).toBe(200);
      expect(receiptOf(first.text, 'TH')).toMatchObject({
        messageId: message.header().messageId,
        status: 'RECEIVED',
        from: { gatewayId: 'TH', country: 'TH' },
        to: { gatewayId: 'VN', country: 'VN' },
        envelopeDigest: toBase64(nodeSha256(new TextEncoder().encode(envelope))),
        errors: [],
      });
      expect(await post('/TH/v1/exchange', envelope)).toEqual(first);
    });

    it('refuses the same message id with other bytes (409), with a signed receipt', async () => {
      const message = acdd();
      expect((await post('/TH/v1/exchange', message.signedBy(signerOf('VN'), acddXml()))).status).toBe(200);
      const other = await post('/TH/v1/exchange', message.signedBy(signerOf('VN'), acddXml().replace('</', ' </')));
      expect(other.status).toBe(409);
      expect(receiptOf(other.text, 'TH')).toMatchObject({ status: 'REJECTED', errors: [expect.objectContaining({ code: 'MESSAGE_ID_CONFLICT' })] });
    });

    it('rejects, with a signed receipt, an envelope not signed by VN', async () => {
      const message = acdd();
      const answer = await post('/TH/v1/exchange', message.signedBy(signerOf('SG'), acddXml()));
      expect(answer.status).toBe(400);
      expect(receiptOf(answer.text, 'TH')).toMatchObject({
        status: 'REJECTED',
        messageId: message.header().messageId,
        errors: [expect.objectContaining({ code: 'CERTIFICATE_UNTRUSTED' })],
      });
    });

    it('rejects an envelope addressed to another gateway', async () => {
      const message = acddTo('SG');
      const answer = await post('/TH/v1/exchange', message.signedBy(signerOf('VN'), acddXml()));
      expect(answer.status).toBe(400);
      expect(receiptOf(answer.text, 'TH')).toMatchObject({ status: 'REJECTED', errors: [expect.objectContaining({ code: 'ENVELOPE_NOT_FOR_US' })] });
    });
  });
});

describe('the simulators Worker with swx unreachable', () => {
  const persist = mkdtempSync(join(tmpdir(), 'swx-simulators-alone-'));
  const registry = mkdtempSync(join(tmpdir(), 'swx-simulators-registry-'));
  let simulators: Awaited<ReturnType<typeof unstable_startWorker>>;

  beforeAll(async () => {
    simulators = await unstable_startWorker({
      config: new URL('../../../src/runtime/simulator-worker/wrangler.toml', import.meta.url).pathname,
      bindings: { SWX_LOG_LEVEL: { type: 'plain_text', value: 'silent' } },
      dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist, registry, watch: false, logLevel: 'none' },
    });
  });
  afterAll(async () => {
    await simulators?.dispose();
    rmSync(persist, { recursive: true, force: true });
    rmSync(registry, { recursive: true, force: true });
  });

  /** What the TH object still owes, from its SQLite file (read-only). */
  const owed = (): { attempts: number; due_at: number | null; retrying_since: number | null }[] => {
    const dir = join(persist, 'v3', 'do', 'swx-simulators-SimulatorObject');
    const file = existsSync(dir) ? readdirSync(dir).find((name) => name.endsWith('.sqlite')) : undefined;
    if (file === undefined) return [];
    const db = new Database(join(dir, file), { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT attempts, due_at, retrying_since FROM owed').all() as ReturnType<typeof owed>;
    } finally {
      db.close();
    }
  };

  it('receipts at once and keeps the Customs Response it owes, retried with backoff, in its storage', async () => {
    const url = await simulators.url;
    const envelope = acddTo('TH').signedBy(signerOf('VN'), acddXml());
    const answer = await fetch(new URL('/TH/v1/exchange', url), { method: 'POST', headers: { 'content-type': 'application/xml' }, body: envelope });
    expect(answer.status).toBe(200);
    const [retrying] = await waitFor(
      async () => owed(),
      (rows) => (rows[0]?.attempts ?? 0) >= 2,
      15_000,
      100,
    );
    expect(retrying?.retrying_since).toEqual(expect.any(Number));
    expect(retrying?.due_at).toBeGreaterThan(retrying?.retrying_since ?? Number.POSITIVE_INFINITY);
  });
});
