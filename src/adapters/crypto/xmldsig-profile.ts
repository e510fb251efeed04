import { CoreError } from '../../core/errors.js';
import { attributeValue, childElements, textOf, type TreeElement, type XmlTree } from '../xml/xml-tree.js';
import { XMLDSIG } from './xmldsig-algorithms.js';

/** The parts of a signature that passed swx's profile, ready for the cryptographic checks. */
export interface ProfiledSignature {
  readonly signature: TreeElement;
  readonly signedInfo: TreeElement;
  readonly algorithm: 'rsa' | 'ecdsa';
  readonly digestValue: Buffer;
  readonly signatureValue: Buffer;
  /** DER of each ds:X509Certificate in KeyInfo: information only, never trusted. */
  readonly keyInfoCertificates: readonly Buffer[];
}

const SIGNATURE_METHODS: Readonly<Record<string, 'rsa' | 'ecdsa'>> = {
  [XMLDSIG.rsaSha256]: 'rsa',
  [XMLDSIG.ecdsaSha256]: 'ecdsa',
};
const KEY_INFO_CHILDREN = new Set(['X509Data', 'KeyName', 'KeyValue']);
const X509_DATA_CHILDREN = new Set(['X509Certificate', 'X509IssuerSerial', 'X509SubjectName', 'X509SKI']);

/**
 * Checks swx's strict signature profile (design.md 3.4) and returns the signature's parts; throws CoreError
 * SIGNATURE_PROFILE_VIOLATION naming the first departure. The profile: exactly one ds:Signature in the whole
 * document, the root's last element child; SignedInfo with exc-C14N, rsa-sha256 or ecdsa-sha256 and exactly one
 * Reference with URI="" whose transforms are exactly enveloped-signature then exc-C14N and whose digest is SHA-256;
 * no ds:Object; nothing but white space between the elements. As the one reference is the whole document minus
 * the signature, nothing in the document is left unsigned, so no signature wrapping is possible.
 * @example const { signedInfo, digestValue } = checkSignatureProfile(parseXmlTree(xml))
 */
export function checkSignatureProfile(tree: XmlTree): ProfiledSignature {
  const signatures: TreeElement[] = [];
  collectSignatures(tree.root, signatures);
  if (signatures.length !== 1) violation(`expected exactly one ds:Signature in the document, found ${signatures.length}`);
  const signature = signatures[0] as TreeElement;
  const rootChildren = childElements(tree.root);
  if (rootChildren[rootChildren.length - 1] !== signature) violation('the ds:Signature must be the last element child of the root');

  const parts = structure(signature, ['Id']);
  if (parts.some((part) => part.localName === 'Object')) violation('ds:Object is not allowed');
  const [signedInfo, signatureValue, keyInfo, ...extra] = parts;
  if (signedInfo?.localName !== 'SignedInfo' || signatureValue?.localName !== 'SignatureValue' || (keyInfo && keyInfo.localName !== 'KeyInfo') || extra.length > 0) {
    violation(`ds:Signature must hold ds:SignedInfo, ds:SignatureValue and optionally ds:KeyInfo; found ${names(parts)}`);
  }

  const [canonicalization, signatureMethod, reference, ...more] = structure(signedInfo, ['Id']);
  if (canonicalization?.localName !== 'CanonicalizationMethod' || signatureMethod?.localName !== 'SignatureMethod' || reference?.localName !== 'Reference' || more.length > 0) {
    violation(`ds:SignedInfo must hold ds:CanonicalizationMethod, ds:SignatureMethod and exactly one ds:Reference; found ${names(childElements(signedInfo))}`);
  }
  requireAlgorithm(canonicalization, [XMLDSIG.exclusiveC14n]);
  const algorithm = SIGNATURE_METHODS[requireAlgorithm(signatureMethod, Object.keys(SIGNATURE_METHODS))] as 'rsa' | 'ecdsa';

  const uri = attributeValue(reference, 'URI');
  if (uri !== '') violation(`ds:Reference URI must be "" (the whole document); found ${uri === undefined ? 'none' : `"${uri}"`}`);
  const [transforms, digestMethod, digestValue, ...rest] = structure(reference, ['URI', 'Id']);
  if (transforms?.localName !== 'Transforms' || digestMethod?.localName !== 'DigestMethod' || digestValue?.localName !== 'DigestValue' || rest.length > 0) {
    violation(`ds:Reference must hold ds:Transforms, ds:DigestMethod and ds:DigestValue; found ${names(childElements(reference))}`);
  }
  const steps = structure(transforms, []);
  if (steps.length !== 2 || steps.some((step) => step.localName !== 'Transform')) {
    violation(`ds:Transforms must be exactly enveloped-signature then exc-C14N; found ${steps.length} transforms`);
  }
  requireAlgorithm(steps[0] as TreeElement, [XMLDSIG.envelopedSignature]);
  requireAlgorithm(steps[1] as TreeElement, [XMLDSIG.exclusiveC14n]);
  requireAlgorithm(digestMethod, [XMLDSIG.sha256]);

  const digest = base64(digestValue, 'ds:DigestValue');
  if (digest.length !== 32) violation(`ds:DigestValue must be a SHA-256 digest of 32 bytes; found ${digest.length}`);
  return {
    signature,
    signedInfo,
    algorithm,
    digestValue: digest,
    signatureValue: base64(signatureValue, 'ds:SignatureValue'),
    keyInfoCertificates: keyInfo ? keyInfoCertificates(keyInfo) : [],
  };
}

function collectSignatures(element: TreeElement, found: TreeElement[]): void {
  if (element.localName === 'Signature' && element.namespaceUri === XMLDSIG.namespace) found.push(element);
  for (const child of element.children) if (child.kind === 'element') collectSignatures(child, found);
}

/** The ds element children of an element allowed to hold only elements and white space, with only `allowed` attributes. */
function structure(element: TreeElement, allowed: readonly string[]): TreeElement[] {
  for (const attribute of element.attributes) {
    if (!allowed.includes(attribute.qname)) violation(`attribute ${attribute.qname} is not allowed on ds:${element.localName}`);
  }
  for (const child of element.children) {
    if (child.kind === 'text' && child.value.trim() !== '') violation(`text is not allowed in ds:${element.localName}`);
    if (child.kind === 'instruction') violation(`processing instructions are not allowed in ds:${element.localName}`);
    if (child.kind === 'element' && child.namespaceUri !== XMLDSIG.namespace) violation(`${child.qname} is not allowed in ds:${element.localName}`);
  }
  return childElements(element);
}

/** An empty method element whose Algorithm is one of `accepted`. */
function requireAlgorithm(element: TreeElement, accepted: readonly string[]): string {
  if (structure(element, ['Algorithm']).length > 0) violation(`ds:${element.localName} must be empty; found ${names(childElements(element))}`);
  const algorithm = attributeValue(element, 'Algorithm') ?? '';
  if (!accepted.includes(algorithm)) violation(`ds:${element.localName} Algorithm "${algorithm}" is not allowed; swx accepts ${accepted.join(' or ')}`);
  return algorithm;
}

function keyInfoCertificates(keyInfo: TreeElement): Buffer[] {
  const certificates: Buffer[] = [];
  for (const child of structure(keyInfo, ['Id'])) {
    if (!KEY_INFO_CHILDREN.has(child.localName)) violation(`ds:${child.localName} is not allowed in ds:KeyInfo`);
    if (child.localName !== 'X509Data') continue;
    for (const data of structure(child, [])) {
      if (!X509_DATA_CHILDREN.has(data.localName)) violation(`ds:${data.localName} is not allowed in ds:X509Data`);
      if (data.localName === 'X509Certificate') certificates.push(base64(data, 'ds:X509Certificate'));
    }
  }
  return certificates;
}

/** XML-DSig base64 content, where line breaks and spaces are allowed. */
function base64(element: TreeElement, what: string): Buffer {
  const text = textOf(element).replace(/[ \t\n\r]/g, '');
  if (childElements(element).length > 0 || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text) || text === '') {
    violation(`${what} is not base64`);
  }
  return Buffer.from(text, 'base64');
}

function names(elements: readonly TreeElement[]): string {
  return elements.length === 0 ? 'nothing' : elements.map((element) => element.qname).join(', ');
}

function violation(message: string): never {
  throw new CoreError('SIGNATURE_PROFILE_VIOLATION', message);
}
