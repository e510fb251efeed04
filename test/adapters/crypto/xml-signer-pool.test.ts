import { afterAll, describe, expect, it } from 'vitest';
import { writeReceipt } from '../../../message-schemas/receipt/1/build.js';
import { XmlSignerPool } from '../../../src/adapters/crypto/xml-signer-pool.js';
import { XmlDsigSigner } from '../../../src/adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import { thrownCoreError } from '../../helpers/core-error.js';
import { throwawayCredential } from '../../helpers/throwaway-credential.js';
import { xmlsec1Verify } from '../../helpers/xmlsec1.js';

const credential = throwawayCredential('rsa');
const receipt = (index: number) =>
  writeReceipt({
    receiptId: `receipt-${index}`,
    messageId: `message-${index}`,
    from: { gatewayId: 'VN', country: 'VN' },
    to: { gatewayId: 'TH', country: 'TH' },
    status: 'RECEIVED',
    envelopeDigest: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
    ledgerIndex: index,
    errors: [],
    createdAt: '2026-11-20T07:05:01.000Z',
  });

describe('XmlSignerPool', () => {
  const pool = new XmlSignerPool(credential.privateKeyPem, credential.certificatePem, 2);
  const signer = new XmlDsigSigner(credential.privateKeyPem, credential.certificatePem);
  afterAll(() => pool.close());

  it('signs many documents at once, each exactly as XmlDsigSigner on the request thread would', async () => {
    const documents = Array.from({ length: 40 }, (_, index) => receipt(index));
    const signed = await Promise.all(documents.map((document) => pool.sign(document)));
    expect(signed).toEqual(documents.map((document) => signer.signSync(document)));
    const verifier = new XmlDsigVerifier();
    expect(signed.every((xml) => verifier.verify(xml, credential.certificatePem).outcome === 'VALID')).toBe(true);
    expect(xmlsec1Verify(signed[7] ?? '', credential.certificatePath).ok).toBe(true);
  });

  it('rejects a document XmlDsigSigner would refuse, and keeps signing after it', async () => {
    await expect(pool.sign('not xml')).rejects.toThrow(/signing failed/);
    expect(await pool.sign(receipt(1))).toBe(signer.signSync(receipt(1)));
  });

  it('refuses to sign once closed', async () => {
    const closing = new XmlSignerPool(credential.privateKeyPem, credential.certificatePem, 1);
    await closing.close();
    const refused: unknown = await closing.sign(receipt(2)).catch((error: unknown) => error);
    expect(
      thrownCoreError(() => {
        throw refused;
      }).code,
    ).toBe('INTERNAL');
  });
});

describe('XmlSignerPool whose workers die', () => {
  // A worker that exits as soon as it is given something to sign, as a crashed or killed thread would.
  const dying = new URL(
    `data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.once('message', () => process.exit(70));")}`,
  );
  const signer = new XmlDsigSigner(credential.privateKeyPem, credential.certificatePem);

  it('signs what a dead worker held, and what comes after, with the same bytes; again once a new worker died too', async () => {
    const lost: number[] = [];
    const pool = new XmlSignerPool(credential.privateKeyPem, credential.certificatePem, 2, {
      entry: dying,
      onWorkerLost: (code) => lost.push(code),
    });
    try {
      const documents = Array.from({ length: 10 }, (_, index) => receipt(index));
      expect(await Promise.all(documents.map((document) => pool.sign(document)))).toEqual(documents.map((document) => signer.signSync(document)));
      expect(await pool.sign(receipt(11))).toBe(signer.signSync(receipt(11)));
      expect(lost).toEqual([70, 70]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await Promise.all([pool.sign(receipt(12)), pool.sign(receipt(13))])).toEqual([
        signer.signSync(receipt(12)),
        signer.signSync(receipt(13)),
      ]);
      expect(lost).toEqual([70, 70, 70, 70]);
    } finally {
      await pool.close();
    }
  });
});
