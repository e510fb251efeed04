import { createHash, createPrivateKey, sign } from 'node:crypto';
import { XMLDSIG } from '../../src/adapters/crypto/xmldsig-algorithms.js';
import { referenceOctets, signedInfoOctets } from '../../src/adapters/crypto/xmldsig-octets.js';
import { checkSignatureProfile } from '../../src/adapters/crypto/xmldsig-profile.js';
import { parseXmlTree } from '../../src/adapters/xml/parse-xml-tree.js';
import type { SignatureProfiles } from '../../src/core/verify/signature-profiles.js';
import { certificateBase64Of, type SignatureTemplateOptions } from './hostile-envelopes.js';

/** One signing profile a partner's toolkit produces, as template options, with the partner-file words for it. */
export interface ProfileUnderTest {
  readonly name: string;
  readonly key: 'rsa' | 'ec';
  readonly template: SignatureTemplateOptions;
  /** What `signatureProfiles` of a partner file calls each of its aspects. */
  readonly aspects: { readonly [K in keyof SignatureProfiles]: SignatureProfiles[K][number] };
  /** Whether the root carries Id="envelope" and the reference points at it (xmlsec1 needs --id-attr then). */
  readonly rootId: boolean;
}

const rootId = { uri: '#envelope' } as const;

/**
 * The profiles swx accepts (design.md 3.4), each as a toolkit writes it: xmlsec1's and swx's own exc-C14N
 * profile, Santuario's and .NET SignedXml's defaults (enveloped-signature alone, C14N 1.0 SignedInfo), C14N 1.0
 * and its #WithComments variant, exc-C14N with InclusiveNamespaces, a reference to the root's Id, RSA-SHA512 and ECDSA.
 */
export const PROFILES_UNDER_TEST: readonly ProfileUnderTest[] = [
  {
    name: 'exc-C14N, RSA-SHA256, URI="" (xmlsec1, swx)',
    key: 'rsa',
    template: {},
    aspects: {
      references: 'whole-document',
      transforms: 'enveloped+exc-c14n',
      canonicalization: 'exc-c14n',
      algorithms: 'rsa-sha256',
      digests: 'sha256',
    },
    rootId: false,
  },
  {
    name: 'enveloped-signature alone, C14N 1.0 SignedInfo, RSA-SHA256 (Santuario, .NET SignedXml)',
    key: 'rsa',
    template: { c14nTransform: null, canonicalization: XMLDSIG.inclusiveC14n },
    aspects: { references: 'whole-document', transforms: 'enveloped', canonicalization: 'c14n', algorithms: 'rsa-sha256', digests: 'sha256' },
    rootId: false,
  },
  {
    name: 'enveloped-signature then C14N 1.0, RSA-SHA512 over SHA-512',
    key: 'rsa',
    template: { c14nTransform: XMLDSIG.inclusiveC14n, canonicalization: XMLDSIG.inclusiveC14n, method: XMLDSIG.rsaSha512, digest: XMLDSIG.sha512 },
    aspects: { references: 'whole-document', transforms: 'enveloped+c14n', canonicalization: 'c14n', algorithms: 'rsa-sha512', digests: 'sha512' },
    rootId: false,
  },
  {
    name: 'enveloped-signature then C14N 1.0 #WithComments, exc-C14N SignedInfo',
    key: 'rsa',
    template: { c14nTransform: XMLDSIG.inclusiveC14nWithComments },
    aspects: {
      references: 'whole-document',
      transforms: 'enveloped+c14n',
      canonicalization: 'exc-c14n',
      algorithms: 'rsa-sha256',
      digests: 'sha256',
    },
    rootId: false,
  },
  {
    name: 'exc-C14N with InclusiveNamespaces PrefixList in the transform and SignedInfo',
    key: 'rsa',
    template: { transformPrefixList: 'unused #default', canonicalizationPrefixList: 'env unused' },
    aspects: {
      references: 'whole-document',
      transforms: 'enveloped+exc-c14n',
      canonicalization: 'exc-c14n',
      algorithms: 'rsa-sha256',
      digests: 'sha256',
    },
    rootId: false,
  },
  {
    name: 'URI="#<root Id>", exc-C14N, ECDSA-SHA256',
    key: 'ec',
    template: { ...rootId, method: XMLDSIG.ecdsaSha256 },
    aspects: { references: 'root-id', transforms: 'enveloped+exc-c14n', canonicalization: 'exc-c14n', algorithms: 'ecdsa-sha256', digests: 'sha256' },
    rootId: true,
  },
  {
    name: 'URI="#<root Id>", enveloped-signature alone, C14N 1.0 SignedInfo, RSA-SHA512 over SHA-256',
    key: 'rsa',
    template: { ...rootId, c14nTransform: null, canonicalization: XMLDSIG.inclusiveC14n, method: XMLDSIG.rsaSha512 },
    aspects: { references: 'root-id', transforms: 'enveloped', canonicalization: 'c14n', algorithms: 'rsa-sha512', digests: 'sha256' },
    rootId: true,
  },
];

/**
 * Signs a template (an empty ds:Signature as the root's last child, as for `xmlsec1 --sign`) the way swx
 * verifies: the reference's octets and SignedInfo canonicalized by swx's own C14N code in the template's profile,
 * so that xmlsec1 verifying the result checks swx's canonicalization against libxml2's.
 * @example const signed = signTemplate(signatureTemplate(envelope, profile.template), credential)
 */
export function signTemplate(template: string, credential: { readonly privateKeyPem: string; readonly certificatePem: string }): string {
  const key = createPrivateKey(credential.privateKeyPem);
  const placeholder = Buffer.alloc(template.includes(XMLDSIG.sha512) ? 64 : 32).toString('base64');
  let xml = template
    .replace(
      /<((?:ds:)?)X509Data\/>/,
      `<$1X509Data><$1X509Certificate>${certificateBase64Of(credential.certificatePem)}</$1X509Certificate></$1X509Data>`,
    )
    .replace(/<((?:ds:)?)DigestValue\/>/, `<$1DigestValue>${placeholder}</$1DigestValue>`)
    .replace(/<((?:ds:)?)SignatureValue\/>/, '<$1SignatureValue>AAAA</$1SignatureValue>');
  const tree = parseXmlTree(xml);
  const profile = checkSignatureProfile({ top: tree.root, allowPayloadSignature: true });
  const digest = createHash(profile.digest).update(referenceOctets(tree, profile), 'utf8').digest('base64');
  xml = xml.replace(`>${placeholder}<`, `>${digest}<`);
  const filled = checkSignatureProfile({ top: parseXmlTree(xml).root, allowPayloadSignature: true });
  const octets = Buffer.from(signedInfoOctets(filled), 'utf8');
  const hash = filled.algorithm === 'rsa-sha512' ? 'sha512' : 'sha256';
  const value = filled.algorithm === 'ecdsa-sha256' ? sign(hash, octets, { key, dsaEncoding: 'ieee-p1363' }) : sign(hash, octets, key);
  return xml.replace(/(<(?:ds:)?SignatureValue>)AAAA</, `$1${value.toString('base64')}<`);
}
