import { afterAll, describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { XmlSignerPool } from '../../../src/adapters/crypto/xml-signer-pool.js';
import { XmlDsigSigner } from '../../../src/adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import { sealOutboundMessage, type OutboundDocument } from '../../../src/core/exchange/seal-outbound-message.js';
import { element, textElement } from '../../../src/core/xml/canonical-writer.js';
import { throwawayCredential } from '../../helpers/throwaway-credential.js';

const credential = throwawayCredential('rsa');
const signer = new XmlDsigSigner(credential.privateKeyPem, credential.certificatePem);
const pool = new XmlSignerPool(credential.privateKeyPem, credential.certificatePem, 2);
afterAll(() => pool.close());

/** The same ids and clock for every seal, so that two seals of one document must give the same bytes. */
function sealDeps() {
  let next = 0;
  return {
    signer,
    ids: { uuid: () => `0b9c3a4e-6d1f-4c53-9a57-0f7a3c1e2d4${(next += 1)}` },
    clock: { now: () => new Date('2026-11-20T07:05:00.000Z') },
    sha256: nodeSha256,
    self: { gatewayId: 'VN', country: 'VN' } as const,
  };
}

const document: OutboundDocument = {
  partner: { gatewayId: 'TH', country: 'TH' },
  documentType: 'ACDD',
  action: 'SUBMIT',
  bodyXml: element('ACDD', { namespaces: { '': 'urn:swx:xsd:acdd:1' } }, textElement('ExportDeclarationNumber', '326000000011')),
  declarationId: 'dec-1',
};

describe('sealOutboundMessage through the worker pool', () => {
  it('signs on the pool the very envelope XmlDsigSigner signs on the calling thread, with the same ledger events', async () => {
    const inline = await sealOutboundMessage(sealDeps(), document);
    const pooled = await sealOutboundMessage({ ...sealDeps(), signer: pool }, document);
    expect(pooled).toEqual(inline);
    expect(new XmlDsigVerifier().verify(pooled.message.envelope, credential.certificatePem).outcome).toBe('VALID');
    expect(pooled.events[0].data).toMatchObject({ envelopeDigest: pooled.message.digest, to: 'TH' });
  });

  it('signs concurrent envelopes each with its own signature', async () => {
    const deps = { ...sealDeps(), signer: pool };
    const sealed = await Promise.all(Array.from({ length: 8 }, () => sealOutboundMessage(deps, document)));
    expect(new Set(sealed.map((one) => one.message.messageId)).size).toBe(8);
    for (const one of sealed) {
      expect(new XmlDsigVerifier().verify(one.message.envelope, credential.certificatePem).outcome).toBe('VALID');
      expect(one.message.envelope).toContain(`<MessageId>${one.message.messageId}</MessageId>`);
    }
  });

  it('refuses a pool whose certificate is not for its key, before any worker starts', () => {
    const other = throwawayCredential('rsa');
    expect(() => new XmlSignerPool(credential.privateKeyPem, other.certificatePem, 1)).toThrow(/not for the signing key/);
  });
});
