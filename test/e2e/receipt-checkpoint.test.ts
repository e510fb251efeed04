import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customsResponseSpec, CustomsResponse } from '../../message-schemas/customs-response/1/schema.js';
import { readReceipt } from '../../message-schemas/receipt/1/build.js';
import type { Receipt } from '../../message-schemas/receipt/1/schema.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { encodeDocumentXml } from '../../src/core/document/xml-mapping.js';
import { call } from '../helpers/api-client.js';
import { anEnvelope } from '../helpers/envelope-builder.js';
import { referenceRootFromInclusion, referenceRootsFromConsistency, sha256 } from '../helpers/rfc9162-reference.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';
import { xmlsec1Verify } from '../helpers/xmlsec1.js';

/**
 * Issue 5: "A receipt swx sends carries the entry's index and the checkpoint that includes it, so a partner can
 * verify inclusion." The partner's side is written here from the specifications, not with swx's ledger code:
 * the Ed25519 signature of the C2SP signed note with node:crypto and the key listed at GET /v1/ledger/checkpoint,
 * and the RFC 9162 inclusion proof with the test's reference implementation. On both runtimes (test/helpers/runtimes.ts).
 */

const BODY = encodeDocumentXml(
  customsResponseSpec,
  CustomsResponse.parse(
    JSON.parse(readFileSync(new URL('../../message-schemas/customs-response/1/examples/valid-cleared.json', import.meta.url), 'utf8')),
  ),
);
const RUN = Date.now().toString(36);

interface ListedKey {
  checkpoint: string;
  treeSize: number;
  verifierKey: string;
}

let swx: ServiceUnderTest;
let partnerToken: string;
let th: XmlDsigSigner;
let vnCertificatePath: string;
let sent = 0;

/** Thailand's gateway sends a signed Customs Response to gateway `to`; returns the envelope, its digest, and the receipt it got. */
async function send(to = 'VN'): Promise<{ digest: string; status: number; receipt: Receipt; xml: string }> {
  sent += 1;
  const envelope = anEnvelope()
    .from('TH')
    .to(to)
    .carrying('CUSTOMS_RESPONSE')
    .identifiedAs(`TH-CP-${RUN}-${sent}`, `TH-CP-CONV-${RUN}-${sent}`)
    .signedBy(th, BODY);
  const response = await fetch(`${swx.url}/v1/exchange`, { method: 'POST', body: envelope, headers: { 'Content-Type': 'application/xml' } });
  const xml = await response.text();
  const verdict = xmlsec1Verify(xml, vnCertificatePath);
  expect(verdict.ok, verdict.message).toBe(true);
  return { digest: createHash('sha256').update(envelope).digest('base64'), status: response.status, receipt: readReceipt(parseXml(xml)), xml };
}

/** What a partner checks in a receipt's checkpoint, by the C2SP signed-note and tlog-checkpoint texts. */
function openWithListedKey(receiptCheckpoint: string, verifierKey: string): { signedByListedKey: boolean; treeSize: number; rootHash: Buffer } {
  // The XML codec trims text: the note's last line feed is put back.
  const note = `${receiptCheckpoint}\n`;
  const [, name, keyId, key] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(verifierKey) ?? [];
  const keyBytes = Buffer.from(key ?? '', 'base64');
  expect(keyBytes[0]).toBe(0x01);
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: keyBytes.subarray(1).toString('base64url') }, format: 'jwk' });
  const split = note.indexOf('\n\n');
  const text = note.slice(0, split + 1);
  const lines = note
    .slice(split + 2)
    .split('\n')
    .filter((line) => line !== '');
  const ours = lines.map((line) => /^\u2014 (\S+) (\S+)$/.exec(line)).find((match) => match?.[1] === name);
  const signature = Buffer.from(ours?.[2] ?? '', 'base64');
  expect(signature.subarray(0, 4).toString('hex')).toBe(keyId);
  const [origin, size, root] = text.split('\n');
  expect(origin).toBe(name);
  return {
    signedByListedKey: verify(null, Buffer.from(text), publicKey, signature.subarray(4)),
    treeSize: Number(size),
    rootHash: Buffer.from(root ?? '', 'base64'),
  };
}

/** An auditor's look at the entry (officer or admin), and the partner's inclusion proof against the receipt's root. */
async function expectIncluded(receipt: Receipt, digest: string, checkpoint: { treeSize: number; rootHash: Buffer }): Promise<void> {
  const index = receipt.ledgerIndex as number;
  const entries = await call<{ entries: { bytes: string }[] }>(swx, swx.adminToken, 'GET', `/v1/ledger/entries?start=${index}&end=${index}`);
  const bytes = Buffer.from(entries.body.entries[0]?.bytes ?? '', 'base64');
  expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ index, data: { envelopeDigest: digest } });
  const leafHash = sha256(Buffer.concat([Buffer.of(0), bytes]));
  const proof = await call<{ leafHash: string; proof: string[] }>(
    swx,
    partnerToken,
    'GET',
    `/v1/ledger/proofs/inclusion?index=${index}&treeSize=${checkpoint.treeSize}`,
  );
  expect(proof.status).toBe(200);
  expect(proof.body.leafHash).toBe(Buffer.from(leafHash).toString('base64'));
  const root = referenceRootFromInclusion(
    index,
    checkpoint.treeSize,
    leafHash,
    proof.body.proof.map((hash) => Buffer.from(hash, 'base64')),
  );
  expect(Buffer.from(root ?? []).toString('base64')).toBe(checkpoint.rootHash.toString('base64'));
}

describe.each(RUNTIMES)('on %s', (runtime) => {
  beforeAll(async () => {
    swx = await startServiceOn(runtime, { SWX_SIMULATORS: 'off' });
    const pki = devPkiLayout(swx.pkiDir);
    th = new XmlDsigSigner(readFileSync(pki.gatewayKey('TH'), 'utf8'), readFileSync(pki.gatewayCertificate('TH'), 'utf8'));
    vnCertificatePath = pki.gatewayCertificate('VN');
    partnerToken = await swx.createKey('trader', 'TH-gateway', 'Thai NSW (ledger witness)');
  });
  afterAll(async () => {
    await swx?.close();
  });

  describe('a receipt carries a signed checkpoint that includes its ledger entry', () => {
    it('for an accepted envelope: the checkpoint verifies with the key GET /v1/ledger/checkpoint lists, and the entry is proved in it', async () => {
      const { digest, status, receipt } = await send();
      expect(status).toBe(200);
      expect(receipt).toMatchObject({ status: 'RECEIVED', envelopeDigest: digest, ledgerIndex: expect.any(Number), checkpoint: expect.any(String) });
      const listed = await call<ListedKey>(swx, partnerToken, 'GET', '/v1/ledger/checkpoint');
      expect(listed.status).toBe(200);
      const checkpoint = openWithListedKey(receipt.checkpoint as string, listed.body.verifierKey);
      expect(checkpoint.signedByListedKey).toBe(true);
      expect(checkpoint.treeSize).toBeGreaterThan(receipt.ledgerIndex as number);
      await expectIncluded(receipt, digest, checkpoint);
    });

    it('for a refused envelope too: the error receipt’s checkpoint includes the DOCUMENT_REJECTED entry', async () => {
      const { digest, status, receipt } = await send('SG');
      expect(status).toBe(400);
      expect(receipt).toMatchObject({ status: 'REJECTED', errors: [{ code: 'ENVELOPE_NOT_FOR_US' }] });
      const listed = await call<ListedKey>(swx, partnerToken, 'GET', '/v1/ledger/checkpoint');
      const checkpoint = openWithListedKey(receipt.checkpoint as string, listed.body.verifierKey);
      expect(checkpoint.signedByListedKey).toBe(true);
      expect(checkpoint.treeSize).toBeGreaterThan(receipt.ledgerIndex as number);
      await expectIncluded(receipt, digest, checkpoint);
    });

    it('is not a checkpoint a partner could be fooled with: a changed tree size no longer verifies', async () => {
      const { receipt } = await send();
      const listed = await call<ListedKey>(swx, partnerToken, 'GET', '/v1/ledger/checkpoint');
      const forged = (receipt.checkpoint as string).replace(/\n(\d+)\n/, (_, size: string) => `\n${Number(size) + 1}\n`);
      expect(openWithListedKey(receipt.checkpoint as string, listed.body.verifierKey).signedByListedKey).toBe(true);
      expect(openWithListedKey(forged, listed.body.verifierKey).signedByListedKey).toBe(false);
    });

    it('keeps its promise to a witness: the proof from GET /v1/ledger/proofs/consistency leads from an earlier receipt’s root to a later one’s', async () => {
      const listed = await call<ListedKey>(swx, partnerToken, 'GET', '/v1/ledger/checkpoint');
      const older = openWithListedKey((await send()).receipt.checkpoint as string, listed.body.verifierKey);
      const newer = openWithListedKey((await send()).receipt.checkpoint as string, listed.body.verifierKey);
      expect(newer.treeSize).toBeGreaterThan(older.treeSize);
      const answer = await call<{ first: number; second: number; proof: string[] }>(
        swx,
        partnerToken,
        'GET',
        `/v1/ledger/proofs/consistency?first=${older.treeSize}&second=${newer.treeSize}`,
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ first: older.treeSize, second: newer.treeSize });
      const proof = answer.body.proof.map((hash) => Buffer.from(hash, 'base64'));
      const roots = referenceRootsFromConsistency(older.treeSize, newer.treeSize, older.rootHash, proof);
      expect(roots?.map((root) => Buffer.from(root).toString('base64'))).toEqual(
        [older.rootHash, newer.rootHash].map((root) => root.toString('base64')),
      );
    });

    it('receipts for concurrent envelopes each hold a checkpoint that includes their own entry', async () => {
      const answers = await Promise.all(Array.from({ length: 12 }, () => send()));
      const listed = await call<ListedKey>(swx, partnerToken, 'GET', '/v1/ledger/checkpoint');
      for (const { receipt, digest } of answers) {
        const checkpoint = openWithListedKey(receipt.checkpoint as string, listed.body.verifierKey);
        expect(checkpoint.signedByListedKey).toBe(true);
        await expectIncluded(receipt, digest, checkpoint);
      }
    });
  });
});
