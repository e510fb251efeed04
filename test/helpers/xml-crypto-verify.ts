import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

/**
 * Verifies the one signature of a document with xml-crypto, trusting only `certificatePem` (never KeyInfo).
 * False when the signature does not verify or xml-crypto refuses the document.
 * @example expect(xmlCryptoVerify(signed, credential.certificatePem)).toBe(true)
 */
export function xmlCryptoVerify(xml: string, certificatePem: string): boolean {
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  const signatures = document.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature');
  if (signatures.length !== 1) return false;
  const signed = new SignedXml({ publicCert: certificatePem, getCertFromKeyInfo: () => null });
  signed.loadSignature(signatures.item(0)?.toString() ?? '');
  try {
    return signed.checkSignature(xml);
  } catch {
    return false;
  }
}
