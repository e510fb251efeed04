/**
 * The XML-DSig identifiers swx reads and writes (https://www.w3.org/TR/xmldsig-core1/, algorithm URIs from
 * RFC 6931): the enveloped-signature transform, exclusive and inclusive C14N 1.0 (the #WithComments variants
 * only as reference transforms, where a same-document reference has no comments left to keep), SHA-256/512,
 * RSA-SHA256/512 and ECDSA-SHA256.
 */
export const XMLDSIG = Object.freeze({
  namespace: 'http://www.w3.org/2000/09/xmldsig#',
  exclusiveC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  exclusiveC14nWithComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  inclusiveC14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  inclusiveC14nWithComments: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
});
