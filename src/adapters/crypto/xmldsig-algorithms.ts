/**
 * The XML-DSig identifiers of swx's signature profile (design.md 3.4): one enveloped signature over the whole
 * document, exclusive C14N, SHA-256, RSA-SHA256 or ECDSA-SHA256 (https://www.w3.org/TR/xmldsig-core1/,
 * algorithm URIs from RFC 6931).
 */
export const XMLDSIG = Object.freeze({
  namespace: 'http://www.w3.org/2000/09/xmldsig#',
  exclusiveC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
});
