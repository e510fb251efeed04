import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { encodeDocumentXml } from '../../src/core/document/xml-mapping.js';
import { receiveEnvelope } from '../../src/core/exchange/receive-envelope.js';
import { customsResponseSpec, CustomsResponse } from '../../message-schemas/customs-response/1/schema.js';
import { readReceipt } from '../../message-schemas/receipt/1/build.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { anEnvelope } from '../helpers/envelope-builder.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const CLEARED = CustomsResponse.parse(
  JSON.parse(readFileSync(new URL('../../message-schemas/customs-response/1/examples/valid-cleared.json', import.meta.url), 'utf8')),
);

describe('receiveEnvelope', () => {
  let test: TestApp;
  let th: XmlDsigSigner;

  beforeAll(async () => {
    test = await createTestApp();
    const pki = devPkiLayout(`${test.dataDir}/pki`);
    th = new XmlDsigSigner(readFileSync(pki.gatewayKey('TH'), 'utf8'), readFileSync(pki.gatewayCertificate('TH'), 'utf8'));
  });
  afterAll(() => test.close());

  describe('when the same envelope arrives several times at once', () => {
    it('records it once and answers every copy with a RECEIVED receipt for that one entry', async () => {
      const messageId = `TH-RACE-${Date.now().toString(36)}`;
      const xml = anEnvelope()
        .from('TH')
        .carrying('CUSTOMS_RESPONSE')
        .identifiedAs(messageId)
        .signedBy(th, encodeDocumentXml(customsResponseSpec, CLEARED));
      // Concurrent in one process: each copy passes the "already received?" read before any commits.
      const answers = await Promise.all(Array.from({ length: 4 }, () => receiveEnvelope(test.deps, xml)));
      const receipts = answers.map((answer) => readReceipt(parseXml(answer.receipt)));
      expect(answers.map((answer) => answer.accepted)).toEqual([true, true, true, true]);
      expect(receipts.map((receipt) => receipt.status)).toEqual(['RECEIVED', 'RECEIVED', 'RECEIVED', 'RECEIVED']);
      expect(new Set(receipts.map((receipt) => receipt.ledgerIndex)).size).toBe(1);
      expect(test.db.prepare('SELECT count(*) FROM messages WHERE message_id = ?').pluck().get(messageId)).toBe(1);
    });
  });
});
