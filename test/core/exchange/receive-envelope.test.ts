import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customsResponseSpec } from '../../../message-schemas/customs-response/1/schema.js';
import { readReceipt } from '../../../message-schemas/receipt/1/build.js';
import type { Receipt } from '../../../message-schemas/receipt/1/schema.js';
import { type CheckpointKey, loadOrCreateCheckpointKey } from '../../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { ForgeCertificateVerifier } from '../../../src/adapters/crypto/forge-certificate-verifier.js';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import type { MemoryExchangeStore } from '../../../src/adapters/storage/memory-exchange-store.js';
import { parseXml } from '../../../src/adapters/xml/xml-codec.js';
import { submitDeclaration } from '../../../src/core/declaration/submit-declaration.js';
import { encodeDocumentXml } from '../../../src/core/document/xml-mapping.js';
import type { ExchangeMessage } from '../../../src/core/exchange/exchange-store.js';
import { receiveEnvelope } from '../../../src/core/exchange/receive-envelope.js';
import type { ReceiveDeps } from '../../../src/core/exchange/reception.js';
import { DEFAULT_LEDGER_ORIGIN, formatCheckpoint, parseCheckpoint, type SignedCheckpoint } from '../../../src/core/ledger/checkpoint.js';
import type { CheckpointIssuer } from '../../../src/core/ledger/ledger-store.js';
import { MerkleFrontier } from '../../../src/core/ledger/merkle.js';
import { openNote, signNote } from '../../../src/core/ledger/signed-note.js';
import { coreFixture, type CoreFixture } from '../../helpers/core-deps.js';
import { anEnvelope } from '../../helpers/envelope-builder.js';
import { anExportDeclaration } from '../../helpers/export-declarations.js';

let fixture: CoreFixture;
let checkpointKey: CheckpointKey;
let keyDir: string;
let deps: CoreFixture['deps'] & ReceiveDeps;
beforeAll(async () => {
  fixture = await coreFixture();
  keyDir = mkdtempSync(join(tmpdir(), 'swx-checkpoint-key-'));
  checkpointKey = loadOrCreateCheckpointKey(keyDir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
});
beforeEach(() => {
  const core = fixture.withFreshStore();
  deps = {
    ...core,
    signatures: new XmlDsigVerifier(),
    certificates: new ForgeCertificateVerifier(),
    parseXml,
    windowSeconds: 900,
    checkpoints: checkpointsOf(core.store),
  };
});
afterAll(() => {
  fixture.remove();
  rmSync(keyDir, { recursive: true, force: true });
});

/** Checkpoints of the in-memory ledger as it is when asked, signed with a development Ed25519 key. */
function checkpointsOf(store: MemoryExchangeStore): CheckpointIssuer {
  const sign = (): SignedCheckpoint => {
    const frontier = new MerkleFrontier(nodeSha256);
    for (const entry of store.ledgerEntries()) frontier.append(entry.leafHash);
    const checkpoint = { origin: DEFAULT_LEDGER_ORIGIN, treeSize: frontier.size, rootHash: frontier.root() };
    return { ...checkpoint, note: signNote(formatCheckpoint(checkpoint), checkpointKey.signer) };
  };
  return {
    covering: (index) => {
      const checkpoint = sign();
      return Promise.resolve(checkpoint.treeSize > index ? checkpoint : undefined);
    },
    latest: () => Promise.resolve(sign()),
  };
}

/** An export declaration to TH, whose ACDD swx queued: what TH's customs answer. */
async function sentAcdd(): Promise<{ readonly acdd: ExchangeMessage; readonly declarationNumber: string; readonly declarationId: string }> {
  const document = anExportDeclaration({ destination: 'TH' });
  const body = new TextEncoder().encode(JSON.stringify(document));
  const answer = await submitDeclaration(deps, {
    partyId: document.exporter.taxId,
    document,
    mediaType: 'application/json',
    body,
    idempotencyKey: undefined,
  });
  const [acdd] = await deps.store.listMessages(answer.id);
  return { acdd: acdd as ExchangeMessage, declarationNumber: answer.declarationNumber, declarationId: answer.id };
}

const cleared = (exportDeclarationNumber: string) =>
  encodeDocumentXml(customsResponseSpec, {
    respondingCountry: 'TH',
    exportDeclarationNumber,
    status: 'CLEARED',
    decidedAt: new Date().toISOString(),
  });

/** The receipt, its VN signature checked. */
function openReceipt(xml: string): Receipt {
  expect(new XmlDsigVerifier().verify(xml, deps.signer.certificatePem).outcome).toBe('VALID');
  return readReceipt(parseXml(xml));
}

const digestOf = (envelope: string) => Buffer.from(nodeSha256(new TextEncoder().encode(envelope))).toString('base64');

describe('receiveEnvelope', () => {
  describe('a Customs Response from TH signed with TH’s key, in reply to the ACDD', () => {
    it('records it byte for byte on the declaration’s timeline and answers a signed RECEIVED receipt with its ledger index and a checkpoint covering it', async () => {
      const { acdd, declarationNumber, declarationId } = await sentAcdd();
      const response = anEnvelope().from('TH').carrying('CUSTOMS_RESPONSE').inReplyTo(acdd);
      const envelope = response.signedBy(fixture.signerOf('TH'), cleared(declarationNumber));
      const { messageId } = response.header();

      const answer = await receiveEnvelope(deps, envelope);
      expect(answer).toMatchObject({ accepted: true, code: undefined, messageId });

      const stored = await deps.store.getMessage(messageId);
      expect(stored).toMatchObject({
        direction: 'IN',
        partnerId: 'TH',
        documentType: 'CUSTOMS_RESPONSE',
        refTo: acdd.messageId,
        declarationId,
        envelope,
      });
      const received = deps.store.ledgerEntries().find((entry) => entry.index === stored?.ledgerIndex);
      expect(received).toMatchObject({
        type: 'RESPONSE_RECEIVED',
        subject: messageId,
        data: { from: 'TH', summary: { status: 'CLEARED', exportDeclarationNumber: declarationNumber } },
      });
      expect((await deps.store.getTimeline(declarationId)).map((step) => step.type).slice(-2)).toEqual(['RESPONSE_RECEIVED', 'RECEIPT_SENT']);

      const receipt = openReceipt(answer.receipt);
      expect(receipt).toMatchObject({
        status: 'RECEIVED',
        messageId,
        to: { gatewayId: 'TH' },
        ledgerIndex: stored?.ledgerIndex,
        errors: [],
        envelopeDigest: digestOf(envelope),
      });
      // The receipt codec trims text: the note is read without its final line feed.
      expect(parseCheckpoint(openNote(`${receipt.checkpoint ?? ''}\n`, [checkpointKey.verifier])).treeSize).toBeGreaterThan(
        receipt.ledgerIndex ?? Infinity,
      );
      expect(stored?.receipt).toBe(answer.receipt);
    });
  });

  describe('the same envelope posted again', () => {
    it('answers with the same receipt and records nothing more', async () => {
      const { acdd, declarationNumber } = await sentAcdd();
      const envelope = anEnvelope().inReplyTo(acdd).signedBy(fixture.signerOf('TH'), cleared(declarationNumber));
      const first = await receiveEnvelope(deps, envelope);
      const size = deps.store.ledgerEntries().length;
      const again = await receiveEnvelope(deps, envelope);
      expect(again).toEqual(first);
      expect(deps.store.ledgerEntries()).toHaveLength(size);
    });
  });

  describe('an envelope from TH changed after it was signed', () => {
    it('is refused SIGNATURE_INVALID with a signed REJECTED receipt, and the ledger records nothing', async () => {
      const { acdd, declarationNumber } = await sentAcdd();
      const size = deps.store.ledgerEntries().length;
      const signed = anEnvelope().inReplyTo(acdd).signedBy(fixture.signerOf('TH'), cleared(declarationNumber));
      const envelope = signed.replace('<Status>CLEARED</Status>', '<Status>REJECTED</Status>');
      expect(envelope).not.toBe(signed);
      const answer = await receiveEnvelope(deps, envelope);
      expect(answer).toMatchObject({ accepted: false, code: 'SIGNATURE_INVALID' });
      expect(openReceipt(answer.receipt)).toMatchObject({
        status: 'REJECTED',
        errors: [{ code: 'SIGNATURE_INVALID' }],
        envelopeDigest: digestOf(envelope),
      });
      expect(deps.store.ledgerEntries()).toHaveLength(size);
      expect(await deps.store.getMessage(answer.messageId ?? '')).toBeUndefined();
    });
  });

  describe('an envelope from TH carrying a document type swx does not know', () => {
    it('is refused DOCUMENT_TYPE_NOT_SUPPORTED with a signed REJECTED receipt (KR_ECO is a type code, not in the document table)', async () => {
      const { acdd, declarationNumber } = await sentAcdd();
      const size = deps.store.ledgerEntries().length;
      const envelope = anEnvelope().from('TH').carrying('KR_ECO').inReplyTo(acdd).signedBy(fixture.signerOf('TH'), cleared(declarationNumber));
      const answer = await receiveEnvelope(deps, envelope);
      expect(answer).toMatchObject({ accepted: false, code: 'DOCUMENT_TYPE_NOT_SUPPORTED' });
      expect(openReceipt(answer.receipt)).toMatchObject({
        status: 'REJECTED',
        errors: [{ code: 'DOCUMENT_TYPE_NOT_SUPPORTED', message: 'TH is not configured to send KR_ECO' }],
      });
      expect(await deps.store.getMessage(answer.messageId ?? '')).toBeUndefined();
      expect(deps.store.ledgerEntries().length).toBeLessThanOrEqual(size + 1);
    });

    it('cannot even be written when the code is not a type code (lower case)', async () => {
      const { acdd, declarationNumber } = await sentAcdd();
      const envelope = anEnvelope().from('TH').carrying('acdd').inReplyTo(acdd);
      expect(() => envelope.signedBy(fixture.signerOf('TH'), cleared(declarationNumber))).toThrow(
        expect.objectContaining({ issues: [{ pointer: '/documentType', detail: expect.stringMatching(/^must be a document type code/) }] }),
      );
    });
  });

  describe('an envelope claiming to be from TH signed with another gateway’s key', () => {
    it('is refused CERTIFICATE_UNTRUSTED (not TH’s pinned certificate), and the ledger records nothing', async () => {
      const { acdd, declarationNumber } = await sentAcdd();
      const size = deps.store.ledgerEntries().length;
      const answer = await receiveEnvelope(
        deps,
        anEnvelope().from('TH').inReplyTo(acdd).signedBy(fixture.signerOf('ID'), cleared(declarationNumber)),
      );
      expect(answer).toMatchObject({ accepted: false, code: 'CERTIFICATE_UNTRUSTED' });
      expect(openReceipt(answer.receipt).status).toBe('REJECTED');
      expect(deps.store.ledgerEntries()).toHaveLength(size);
    });
  });

  describe('an envelope signed with TH’s key whose From names another country', () => {
    it('is refused SENDER_NOT_SIGNER, recorded as a DOCUMENT_REJECTED from TH, the message itself not stored', async () => {
      const { acdd, declarationNumber } = await sentAcdd();
      const header = anEnvelope().from('TH', 'ID').inReplyTo(acdd);
      const answer = await receiveEnvelope(deps, header.signedBy(fixture.signerOf('TH'), cleared(declarationNumber)));
      expect(answer).toMatchObject({ accepted: false, code: 'SENDER_NOT_SIGNER' });
      expect(openReceipt(answer.receipt)).toMatchObject({ status: 'REJECTED', errors: [{ code: 'SENDER_NOT_SIGNER' }] });
      expect(deps.store.ledgerEntries().at(-1)).toMatchObject({ type: 'DOCUMENT_REJECTED', data: { code: 'SENDER_NOT_SIGNER', from: 'TH' } });
      expect(await deps.store.getMessage(header.header().messageId)).toBeUndefined();
    });
  });
});
