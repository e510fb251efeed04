import { createHash, createPrivateKey, createPublicKey, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { CoreError } from '../../core/errors.js';
import type { XmlSigner } from '../../core/primitives.js';
import { XMLDSIG } from './xmldsig-algorithms.js';

const ROOT_NAME = /^<([^\s>/]+)[\s>]/;

/**
 * Signs XML swx wrote itself (core/xml/canonical-writer.ts: exclusive-C14N form already, no XML declaration)
 * with an enveloped XML-DSig signature appended as the root's last child, without parsing it:
 * 1. the reference is the whole document (URI="") after the enveloped-signature and exc-C14N transforms, which
 *    is the input itself, so its digest is the SHA-256 of the input's UTF-8 bytes;
 * 2. SignedInfo is written directly in its canonical form (exc-C14N of SignedInfo as the apex declares `ds` on it)
 *    and signed with the key parsed once, at construction;
 * 3. the ds:Signature element, itself canonical, goes before the root's end tag, with the certificate in KeyInfo
 *    for information (partners trust their pinned copy, never KeyInfo).
 * RSA keys of 2048 bits or more sign with rsa-sha256, P-256 keys with ecdsa-sha256.
 * `sign` (the XmlSigner port) signs on the calling thread; the worker pool (xml-signer-pool.ts) runs `signSync` off it.
 * @example const signer: XmlSigner = new XmlDsigSigner(keyPem, certificatePem); const signed = await signer.sign(writeEnvelope(header, body))
 */
export class XmlDsigSigner implements XmlSigner {
  readonly certificatePem: string;
  readonly #key: KeyObject;
  readonly #ecdsa: boolean;
  readonly #signedInfoStart: string;
  readonly #keyInfo: string;

  /** Throws CoreError CONFIG_INVALID for an unsupported key or a certificate that is not the key's. */
  constructor(privateKeyPem: string, certificatePem: string) {
    let certificate: X509Certificate;
    try {
      this.#key = createPrivateKey(privateKeyPem);
      certificate = new X509Certificate(certificatePem);
    } catch (error) {
      throw new CoreError('CONFIG_INVALID', 'the signing key or certificate is not a readable PEM', { cause: error });
    }
    this.#ecdsa = signatureAlgorithmOf(this.#key) === 'ecdsa';
    if (!samePublicKey(createPublicKey(this.#key), certificate.publicKey)) {
      throw new CoreError('CONFIG_INVALID', `the signing certificate (${certificate.subject}) is not for the signing key`);
    }
    this.certificatePem = certificatePem;
    this.#signedInfoStart =
      `<ds:CanonicalizationMethod Algorithm="${XMLDSIG.exclusiveC14n}"></ds:CanonicalizationMethod>` +
      `<ds:SignatureMethod Algorithm="${this.#ecdsa ? XMLDSIG.ecdsaSha256 : XMLDSIG.rsaSha256}"></ds:SignatureMethod>` +
      '<ds:Reference URI=""><ds:Transforms>' +
      `<ds:Transform Algorithm="${XMLDSIG.envelopedSignature}"></ds:Transform>` +
      `<ds:Transform Algorithm="${XMLDSIG.exclusiveC14n}"></ds:Transform>` +
      `</ds:Transforms><ds:DigestMethod Algorithm="${XMLDSIG.sha256}"></ds:DigestMethod><ds:DigestValue>`;
    this.#keyInfo = `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificate.raw.toString('base64')}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`;
  }

  sign(canonicalXml: string): Promise<string> {
    try {
      return Promise.resolve(this.signSync(canonicalXml));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** The same signature, returned at once: for tools that sign as a partner would (simulators, CLI, tests) and the pool's workers. */
  signSync(canonicalXml: string): string {
    const close = rootEndTagAt(canonicalXml);
    const digest = createHash('sha256').update(canonicalXml, 'utf8').digest('base64');
    const signedInfo = `${this.#signedInfoStart}${digest}</ds:DigestValue></ds:Reference>`;
    const canonicalSignedInfo = `<ds:SignedInfo xmlns:ds="${XMLDSIG.namespace}">${signedInfo}</ds:SignedInfo>`;
    const value = this.#ecdsa
      ? sign('sha256', Buffer.from(canonicalSignedInfo, 'utf8'), { key: this.#key, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', Buffer.from(canonicalSignedInfo, 'utf8'), this.#key);
    const signature =
      `<ds:Signature xmlns:ds="${XMLDSIG.namespace}"><ds:SignedInfo>${signedInfo}</ds:SignedInfo>` +
      `<ds:SignatureValue>${value.toString('base64')}</ds:SignatureValue>${this.#keyInfo}</ds:Signature>`;
    return canonicalXml.slice(0, close) + signature + canonicalXml.slice(close);
  }
}

/** XML-DSig 1.1 §6.4: ECDSA signature values are r || s, which Node calls ieee-p1363. */
function signatureAlgorithmOf(key: KeyObject): 'rsa' | 'ecdsa' {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= 2048) return 'rsa';
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ecdsa';
  throw new CoreError(
    'CONFIG_INVALID',
    `signing keys are RSA of 2048 bits or more, or EC P-256; got ${key.asymmetricKeyType} ${details?.modulusLength ?? details?.namedCurve ?? ''}`.trim(),
  );
}

function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return a.export({ type: 'spki', format: 'der' }).equals(b.export({ type: 'spki', format: 'der' }));
}

/** Where the root's end tag starts; the cheap checks that the input is one element as canonical-writer writes it. */
function rootEndTagAt(xml: string): number {
  const name = ROOT_NAME.exec(xml)?.[1];
  if (name === undefined || name.startsWith('?') || name.startsWith('!') || !xml.endsWith(`</${name}>`)) {
    throw new CoreError('INTERNAL', 'sign() takes one canonical element as core/xml/canonical-writer.ts writes it, without an XML declaration');
  }
  return xml.length - name.length - 3;
}
