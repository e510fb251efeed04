import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { issueDevCertificate, revokeCertificate } from '../../src/adapters/crypto/forge-dev-pki.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { encodeDocumentXml } from '../../src/core/document/xml-mapping.js';
import type { CoreErrorCode } from '../../src/core/errors.js';
import { customsResponseSpec, CustomsResponse } from '../../message-schemas/customs-response/1/schema.js';
import { readReceipt } from '../../message-schemas/receipt/1/build.js';
import type { Receipt } from '../../message-schemas/receipt/1/schema.js';
import {
  certificateBase64Of,
  doctypeWithEntity,
  keyInfoCertificateReplaced,
  payloadChangedAfterSigning,
  replayWithChangedBytes,
  secondUnsignedPayload,
  signatureOf,
  signatureTemplate,
  signedCopyMovedUnderExtension,
  twoSignatures,
} from '../helpers/hostile-envelopes.js';
import { anEnvelope, type EnvelopeBuilder } from '../helpers/envelope-builder.js';
import { partnersDirWith } from '../helpers/partners-dir.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { copyTestPki } from '../helpers/test-pki.js';
import { xmlsec1Sign, xmlsec1Verify } from '../helpers/xmlsec1.js';

/**
 * POST /v1/exchange over real HTTP (issue 3, "Inbound"): a partner's envelope signed by `xmlsec1 --sign` is
 * accepted and kept byte for byte; a catalogue of hostile envelopes, each named by its defect, is refused with
 * the HTTP status of its code, a receipt signed by VN that xmlsec1 verifies, Status REJECTED with that code,
 * nothing in `messages`, and a DOCUMENT_REJECTED ledger entry with that code only when the partner's pinned
 * certificate verified the envelope (junk from an unverified sender costs the ledger nothing).
 *
 * One service for the whole file. No key is generated: every signer uses a key of the run's test PKI, and the
 * certificates the partner files pin for the certificate cases (expired for MY, not yet valid for SG, revoked
 * for ID) are issued or revoked in a copy of that PKI before the service starts.
 */

const FIXTURES = new URL('../fixtures/exchange/', import.meta.url).pathname;
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const CLEARED = CustomsResponse.parse(
  JSON.parse(readFileSync(new URL('../../message-schemas/customs-response/1/examples/valid-cleared.json', import.meta.url), 'utf8')),
);
const BODY = encodeDocumentXml(customsResponseSpec, CLEARED);
const VN = { gatewayId: 'VN', country: 'VN' } as const;
const DAY_MS = 86_400_000;
const RUN = Date.now().toString(36);

interface LedgerEntry {
  index: number;
  type: string;
  subject: string;
  data: Record<string, unknown>;
}

let swx: TestService;
let workDir: string;
let vnCertificatePath: string;
/** TH's dev-PKI key and certificate, as files for xmlsec1 and as a signer for swx's own signing code. */
let th: { keyPath: string; certificatePath: string; certificatePem: string; signer: XmlDsigSigner };
/** A certificate issued by TH's root for another key (MY's): chains to the right root, is not the pinned one. */
let impostor: { certificatePem: string; signer: XmlDsigSigner };
/** Signers whose certificates are the ones pinned for MY (expired), SG (not yet valid) and ID (revoked). */
let expired: XmlDsigSigner;
let notYetValid: XmlDsigSigner;
let revoked: XmlDsigSigner;
let messages = 0;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'swx-exchange-inbound-'));
  const pki = devPkiLayout(copyTestPki(workDir));
  const key = (id: string): string => readFileSync(pki.gatewayKey(id), 'utf8');
  const now = Date.now();
  const [expiredMy, futureSg, impostorTh] = await Promise.all([
    issueDevCertificate(pki.dir, {
      country: 'MY',
      commonName: 'MY gateway (expired)',
      notBefore: new Date(now - 400 * DAY_MS),
      notAfter: new Date(now - DAY_MS),
      privateKeyPem: key('MY'),
    }),
    issueDevCertificate(pki.dir, {
      country: 'SG',
      commonName: 'SG gateway (not yet valid)',
      notBefore: new Date(now + DAY_MS),
      notAfter: new Date(now + 400 * DAY_MS),
      privateKeyPem: key('SG'),
    }),
    issueDevCertificate(pki.dir, {
      country: 'TH',
      commonName: 'TH National Single Window Gateway',
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 400 * DAY_MS),
      privateKeyPem: key('MY'),
    }),
  ]);
  revokeCertificate(pki.dir, 'ID', new X509Certificate(readFileSync(pki.gatewayCertificate('ID'))).serialNumber);
  const pinned = (id: string, certificatePem: string) => {
    const certificateFile = join(workDir, `${id}.pinned.cert.pem`);
    writeFileSync(certificateFile, certificatePem);
    return {
      mode: 'live',
      endpoint: `http://127.0.0.1:9/${id.toLowerCase()}/v1/exchange`,
      trust: { source: 'pinned', certificateFile, rootCertificateFile: pki.rootCertificate(id), crlFile: pki.crl(id) },
    };
  };
  const partners = partnersDirWith({
    MY: pinned('MY', expiredMy.certificatePem),
    SG: pinned('SG', futureSg.certificatePem),
    ID: pinned('ID', readFileSync(pki.gatewayCertificate('ID'), 'utf8')),
  });
  expired = new XmlDsigSigner(key('MY'), expiredMy.certificatePem);
  notYetValid = new XmlDsigSigner(key('SG'), futureSg.certificatePem);
  revoked = new XmlDsigSigner(key('ID'), readFileSync(pki.gatewayCertificate('ID'), 'utf8'));
  impostor = { certificatePem: impostorTh.certificatePem, signer: new XmlDsigSigner(key('MY'), impostorTh.certificatePem) };

  swx = await startTestService({ SWX_PARTNERS_DIR: partners, SWX_SIMULATORS: 'off' });
  const service = devPkiLayout(join(swx.dataDir, 'pki'));
  vnCertificatePath = service.gatewayCertificate('VN');
  const certificatePem = readFileSync(service.gatewayCertificate('TH'), 'utf8');
  th = {
    keyPath: service.gatewayKey('TH'),
    certificatePath: service.gatewayCertificate('TH'),
    certificatePem,
    signer: new XmlDsigSigner(readFileSync(service.gatewayKey('TH'), 'utf8'), certificatePem),
  };
});

afterAll(async () => {
  await swx?.close();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

/** A fresh envelope from `from` to VN: a Customs Response created now, under a message id never used before. */
function envelopeFrom(from: 'TH' | 'MY' | 'SG' | 'ID'): EnvelopeBuilder {
  messages += 1;
  return anEnvelope().from(from).carrying('CUSTOMS_RESPONSE').identifiedAs(`${from}-IN-${RUN}-${messages}`, `${from}-CONV-${RUN}-${messages}`);
}

/** An envelope as a partner implementation writes it: signed by `xmlsec1 --sign` from a template, with TH's key. */
function xmlsec1Signed(envelope: EnvelopeBuilder, body = BODY): string {
  return xmlsec1Sign(signatureTemplate(envelope.unsigned(body)), th.keyPath, th.certificatePath);
}

const digestOf = (xml: string): string => createHash('sha256').update(xml, 'utf8').digest('base64');

function post(xml: string): Promise<Response> {
  return fetch(`${swx.url}/v1/exchange`, {
    method: 'POST',
    body: xml,
    headers: { 'Content-Type': 'application/xml' },
    signal: AbortSignal.timeout(10_000),
  });
}

function ledgerEntry(index: number | undefined): LedgerEntry | undefined {
  if (index === undefined) return undefined;
  const [row] = swx.query<{ bytes: Buffer }>('SELECT bytes FROM ledger_entries WHERE entry_index = ?', index);
  return row === undefined ? undefined : (JSON.parse(Buffer.from(row.bytes).toString('utf8')) as LedgerEntry);
}

/** Reads a receipt after checking that xmlsec1 verifies its signature with VN's certificate. */
function signedReceipt(xml: string): Receipt {
  const verdict = xmlsec1Verify(xml, vnCertificatePath);
  expect(verdict.ok, verdict.message).toBe(true);
  return readReceipt(parseXml(xml));
}

/** Codes of refusals after the signature and certificate were verified: only these are recorded in the ledger. */
const AUTHENTICATED_REFUSALS: ReadonlySet<CoreErrorCode> = new Set([
  'MESSAGE_ID_CONFLICT',
  'ENVELOPE_NOT_FOR_US',
  'ENVELOPE_STALE',
  'ENVELOPE_FROM_FUTURE',
]);

/** Everything a refusal must show: status, a VN-signed REJECTED receipt with `code`, the ledger entry if authenticated, no stored message. */
async function expectRefused(xml: string, status: number, code: CoreErrorCode, messageId?: string): Promise<Receipt> {
  const before = swx.rowCounts();
  const response = await post(xml);
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/xml/);
  const receipt = signedReceipt(text);
  expect(receipt).toMatchObject({ status: 'REJECTED', from: VN, envelopeDigest: digestOf(xml) });
  expect(receipt.errors.map((error) => error.code)).toEqual([code]);
  if (messageId !== undefined) expect(receipt.messageId).toBe(messageId);
  const after = swx.rowCounts();
  expect(after.messages).toBe(before.messages);
  if (AUTHENTICATED_REFUSALS.has(code)) {
    expect(receipt.ledgerIndex).toBeTypeOf('number');
    expect(ledgerEntry(receipt.ledgerIndex)).toMatchObject({
      type: 'DOCUMENT_REJECTED',
      subject: messageId ?? digestOf(xml),
      data: { code, envelopeDigest: digestOf(xml), envelopeBytes: Buffer.byteLength(xml) },
    });
    expect(after.ledger_entries).toBe(before.ledger_entries + 1);
  } else {
    expect(receipt.ledgerIndex).toBeUndefined();
    expect(after.ledger_entries).toBe(before.ledger_entries);
  }
  expect(swx.query('SELECT message_id FROM messages WHERE digest = ?', digestOf(xml))).toEqual([]);
  return receipt;
}

describe('POST /v1/exchange', () => {
  describe('an envelope signed by xmlsec1 --sign with the partner’s key', () => {
    let accepted: { xml: string; messageId: string; receipt: string };

    it('is accepted: 200 with a VN-signed RECEIVED receipt holding its digest and our ledger index, and kept byte for byte', async () => {
      const envelope = envelopeFrom('TH');
      const envelopeHeader = envelope.header();
      const xml = xmlsec1Signed(envelope);
      expect(xml).toContain('<ds:SignatureValue>');
      expect(xmlsec1Verify(xml, th.certificatePath).ok).toBe(true);

      const response = await post(xml);
      const text = await response.text();
      expect(response.status, text).toBe(200);
      const receipt = signedReceipt(text);
      expect(receipt).toMatchObject({
        status: 'RECEIVED',
        messageId: envelopeHeader.messageId,
        from: VN,
        to: envelopeHeader.from,
        envelopeDigest: digestOf(xml),
        errors: [],
      });
      expect(ledgerEntry(receipt.ledgerIndex)).toMatchObject({
        type: 'RESPONSE_RECEIVED',
        subject: envelopeHeader.messageId,
        data: { documentType: 'CUSTOMS_RESPONSE', from: 'TH', envelopeDigest: digestOf(xml) },
      });
      expect(swx.query('SELECT direction, partner_id, digest, ledger_index FROM messages WHERE message_id = ?', envelopeHeader.messageId)).toEqual([
        { direction: 'IN', partner_id: 'TH', digest: digestOf(xml), ledger_index: receipt.ledgerIndex },
      ]);

      const stored = await fetch(`${swx.url}/v1/messages/${envelopeHeader.messageId}/envelope`, {
        headers: { Authorization: `Bearer ${swx.adminToken}` },
      });
      expect(stored.status).toBe(200);
      expect(Buffer.from(await stored.arrayBuffer()).equals(Buffer.from(xml, 'utf8'))).toBe(true);
      accepted = { xml, messageId: envelopeHeader.messageId, receipt: text };
    });

    it('sent again with the same bytes, gets a byte-identical receipt and records nothing new', async () => {
      const before = swx.rowCounts();
      const response = await post(accepted.xml);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(accepted.receipt);
      expect(swx.rowCounts()).toEqual(before);
    });

    it('reusing its message id with other bytes (another payload, properly signed) is 409 with a signed rejection', async () => {
      const [, originalCreatedAt] = /<CreatedAt>([^<]*)<\/CreatedAt>/.exec(accepted.xml) ?? [];
      const other = xmlsec1Signed(
        envelopeFrom('TH')
          .with({ messageId: accepted.messageId })
          .createdAt(originalCreatedAt ?? new Date().toISOString()),
        BODY.replace('<Status>CLEARED</Status>', '<Status>ACCEPTED</Status>'),
      );
      await expectRefused(other, 409, 'MESSAGE_ID_CONFLICT', accepted.messageId);
      expect(swx.query('SELECT digest FROM messages WHERE message_id = ?', accepted.messageId)).toEqual([{ digest: digestOf(accepted.xml) }]);
    });

    it('signed by swx’s own signer with the partner’s key is accepted too', async () => {
      const response = await post(envelopeFrom('TH').signedBy(th.signer, BODY));
      const text = await response.text();
      expect(response.status, text).toBe(200);
      expect(signedReceipt(text).status).toBe('RECEIVED');
    });
  });

  describe('hostile envelopes, each refused with its reason', () => {
    /** Each case: the HTTP status, the receipt's error code, and the envelope, built when the case runs. */
    const catalogue: Record<string, { status: number; code: CoreErrorCode; build: () => { xml: string; messageId?: string } }> = {
      'payload changed after signing': {
        status: 400,
        code: 'SIGNATURE_INVALID',
        build: () => {
          const h = envelopeFrom('TH');
          return {
            xml: payloadChangedAfterSigning(xmlsec1Signed(h), '<Status>CLEARED</Status>', '<Status>REJECTED</Status>'),
            messageId: h.header().messageId,
          };
        },
      },
      'signature wrapping: the signed copy moved under an extension element of a forged envelope': {
        status: 400,
        code: 'SIGNATURE_PROFILE_VIOLATION',
        build: () => {
          const genuine = envelopeFrom('TH');
          const forgedId = `${genuine.header().messageId}-forged`;
          const forged = genuine.with({ messageId: forgedId }).unsigned(BODY.replace('CLEARED', 'REJECTED'));
          return { xml: signedCopyMovedUnderExtension(forged, xmlsec1Signed(genuine)), messageId: forgedId };
        },
      },
      'signature wrapping: a second, unsigned payload after the signature': {
        status: 400,
        code: 'SIGNATURE_PROFILE_VIOLATION',
        build: () => {
          const h = envelopeFrom('TH');
          return {
            xml: secondUnsignedPayload(h.signedBy(th.signer, BODY), BODY.replace('CLEARED', 'REJECTED')),
            messageId: h.header().messageId,
          };
        },
      },
      'signature wrapping: a reference to an Id attribute (only the Body signed)': {
        status: 400,
        code: 'SIGNATURE_PROFILE_VIOLATION',
        build: () => {
          const h = envelopeFrom('TH');
          const template = signatureTemplate(h.unsigned(BODY).replace('<Body>', '<Body Id="body">'), { uri: '#body' });
          return {
            xml: xmlsec1Sign(template, th.keyPath, th.certificatePath, ['--id-attr:Id', 'urn:swx:xsd:envelope:1:Body']),
            messageId: h.header().messageId,
          };
        },
      },
      'signature wrapping: two signatures': {
        status: 400,
        code: 'SIGNATURE_PROFILE_VIOLATION',
        build: () => {
          const h = envelopeFrom('TH');
          const unsigned = h.unsigned(BODY);
          return {
            xml: twoSignatures(th.signer.signSync(unsigned), signatureOf(impostor.signer.signSync(unsigned))),
            messageId: h.header().messageId,
          };
        },
      },
      'KeyInfo carrying a certificate (issued by the partner’s root) that is not the pinned one': {
        status: 403,
        code: 'CERTIFICATE_UNTRUSTED',
        build: () => {
          const h = envelopeFrom('TH');
          return { xml: keyInfoCertificateReplaced(xmlsec1Signed(h), certificateBase64Of(impostor.certificatePem)), messageId: h.header().messageId };
        },
      },
      'signed by another key, whose certificate from the partner’s root is in KeyInfo': {
        status: 403,
        code: 'CERTIFICATE_UNTRUSTED',
        build: () => {
          const h = envelopeFrom('TH');
          return { xml: h.signedBy(impostor.signer, BODY), messageId: h.header().messageId };
        },
      },
      'pinned certificate expired (MY)': {
        status: 403,
        code: 'CERTIFICATE_EXPIRED',
        build: () => {
          const h = envelopeFrom('MY');
          return { xml: h.signedBy(expired, BODY), messageId: h.header().messageId };
        },
      },
      'pinned certificate not yet valid (SG)': {
        status: 403,
        code: 'CERTIFICATE_NOT_YET_VALID',
        build: () => {
          const h = envelopeFrom('SG');
          return { xml: h.signedBy(notYetValid, BODY), messageId: h.header().messageId };
        },
      },
      'pinned certificate revoked on the country’s CRL (ID)': {
        status: 403,
        code: 'CERTIFICATE_REVOKED',
        build: () => {
          const h = envelopeFrom('ID');
          return { xml: h.signedBy(revoked, BODY), messageId: h.header().messageId };
        },
      },
      'addressed to another gateway (To SG)': {
        status: 400,
        code: 'ENVELOPE_NOT_FOR_US',
        build: () => {
          const h = envelopeFrom('TH').to('SG');
          return { xml: xmlsec1Signed(h), messageId: h.header().messageId };
        },
      },
      'stale: created two hours ago (window 15 minutes)': {
        status: 400,
        code: 'ENVELOPE_STALE',
        build: () => {
          const h = envelopeFrom('TH').createdSecondsAgo(2 * 3_600);
          return { xml: xmlsec1Signed(h), messageId: h.header().messageId };
        },
      },
      'from the future: created in an hour': {
        status: 400,
        code: 'ENVELOPE_FROM_FUTURE',
        build: () => {
          const h = envelopeFrom('TH').createdAt(new Date(Date.now() + 3_600_000).toISOString());
          return { xml: xmlsec1Signed(h), messageId: h.header().messageId };
        },
      },
      'DOCTYPE with an internal entity in a signed envelope': {
        status: 400,
        code: 'XML_FORBIDDEN_CONSTRUCT',
        build: () => ({ xml: doctypeWithEntity(xmlsec1Signed(envelopeFrom('TH')), 'CLEARED') }),
      },
      'DOCTYPE with an external entity (fixture doctype-external-entity.xml)': {
        status: 400,
        code: 'XML_FORBIDDEN_CONSTRUCT',
        build: () => ({ xml: fixture('doctype-external-entity.xml') }),
      },
      'entity expansion, billion laughs (fixture entity-expansion-billion-laughs.xml)': {
        status: 400,
        code: 'XML_FORBIDDEN_CONSTRUCT',
        build: () => ({ xml: fixture('entity-expansion-billion-laughs.xml') }),
      },
    };

    for (const [defect, { status, code, build }] of Object.entries(catalogue)) {
      it(`${defect}: ${status} ${code}`, async () => {
        const { xml, messageId } = build();
        await expectRefused(xml, status, code, messageId);
        if (messageId !== undefined) expect(swx.query('SELECT message_id FROM messages WHERE message_id = ?', messageId)).toEqual([]);
      });
    }

    it('replay with changed bytes (the accepted envelope with another XML declaration, signature still valid): 409 MESSAGE_ID_CONFLICT', async () => {
      const h = envelopeFrom('TH');
      const original = xmlsec1Signed(h);
      expect((await post(original)).status).toBe(200);
      const replay = replayWithChangedBytes(original);
      expect(replay).not.toBe(original);
      expect(xmlsec1Verify(replay, th.certificatePath).ok).toBe(true);
      await expectRefused(replay, 409, 'MESSAGE_ID_CONFLICT', h.header().messageId);
      expect(swx.query('SELECT digest FROM messages WHERE message_id = ?', h.header().messageId)).toEqual([{ digest: digestOf(original) }]);
    });

    for (const framing of ['chunked', 'content-length'] as const) {
      it(`a 50 MB body (${framing}), streamed: 413 problem before it is read whole; nothing recorded; the service stays healthy`, async () => {
        const size = 50 * 1024 * 1024;
        const before = swx.rowCounts();
        const { status, contentType, body, sent } = await streamBody(`${swx.url}/v1/exchange`, size, framing);
        expect(status).toBe(413);
        expect(contentType).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(body)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
        expect(sent).toBeLessThan(size);
        expect(swx.rowCounts()).toEqual(before);

        expect((await fetch(`${swx.url}/healthz`)).status).toBe(200);
        const response = await post(xmlsec1Signed(envelopeFrom('TH')));
        expect(response.status, await response.text()).toBe(200);
      });
    }
  });
});

/**
 * POSTs `size` bytes of an envelope that never ends, chunked or with its Content-Length, from a stream generated
 * as it is sent; resolves with the response as soon as it comes, then stops sending. `sent` is how far it got.
 */
function streamBody(
  url: string,
  size: number,
  framing: 'chunked' | 'content-length',
): Promise<{ status: number; contentType: string; body: string; sent: number }> {
  const chunk = Buffer.alloc(64 * 1024, '<Padding>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</Padding>');
  const start = Buffer.from('<Envelope xmlns="urn:swx:xsd:envelope:1"><Body>');
  let sent = 0;
  const source = new Readable({
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      const next = (sent === 0 ? start : chunk).subarray(0, size - sent);
      sent += next.length;
      this.push(next);
    },
  });
  return new Promise((resolve, reject) => {
    const length = framing === 'chunked' ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(size) };
    const request = httpRequest(url, { method: 'POST', headers: { 'Content-Type': 'application/xml', ...length } }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        source.unpipe(request);
        source.destroy();
        request.destroy();
        resolve({
          status: response.statusCode ?? 0,
          contentType: String(response.headers['content-type'] ?? ''),
          body: Buffer.concat(parts).toString('utf8'),
          sent,
        });
      });
      response.on('error', reject);
    });
    let answered = false;
    request.on('response', () => {
      answered = true;
    });
    // The server may close the connection once it has answered; the answer is what counts.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    request.setTimeout(20_000, () => request.destroy(new Error('no answer to the 50 MB body within 20 s')));
    source.pipe(request);
  });
}
