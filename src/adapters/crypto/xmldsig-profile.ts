import { CoreError } from '../../core/errors.js';
import {
  ALL_SIGNATURE_PROFILES,
  type SignatureAlgorithm,
  type SignatureCanonicalization,
  type SignatureDigest,
  type SignatureProfiles,
  type SignatureReference,
  type SignatureTransforms,
} from '../../core/verify/signature-profiles.js';
import { attributeValue, childElements, textOf, type TreeElement } from '../xml/xml-tree.js';
import { XMLDSIG } from './xmldsig-algorithms.js';

/** The parts of a signature that passed swx's profile, ready for the cryptographic checks. */
export interface ProfiledSignature {
  readonly signature: TreeElement;
  readonly signedInfo: TreeElement;
  /** The element that stands as the signed document's root: the document's root, or a business document's. */
  readonly top: TreeElement;
  readonly reference: SignatureReference;
  readonly transforms: SignatureTransforms;
  /** The InclusiveNamespaces PrefixList of the exc-C14N transform. */
  readonly transformPrefixes: readonly string[];
  readonly canonicalization: SignatureCanonicalization;
  /** The InclusiveNamespaces PrefixList of the exc-C14N CanonicalizationMethod. */
  readonly canonicalizationPrefixes: readonly string[];
  readonly algorithm: SignatureAlgorithm;
  readonly digest: SignatureDigest;
  readonly digestValue: Buffer;
  readonly signatureValue: Buffer;
  /** DER of each ds:X509Certificate in KeyInfo: information only, never trusted. */
  readonly keyInfoCertificates: readonly Buffer[];
  /** An enveloped signature of the business document (root/Body/document/ds:Signature), part of the signed payload. */
  readonly payloadSignature: TreeElement | undefined;
}

/** Where the signature stands: the root's last child, with or without a business document's signature beneath. */
export interface ProfileScope {
  /** The signed document's root (default: the tree's). A business document's root for a payload signature. */
  readonly top: TreeElement;
  /** Whether a ds:Signature may also end a grandchild of `top` (the business document in root/Body). */
  readonly allowPayloadSignature: boolean;
  readonly profiles?: SignatureProfiles | undefined;
}

const SIGNATURE_METHODS: Readonly<Record<string, SignatureAlgorithm>> = {
  [XMLDSIG.rsaSha256]: 'rsa-sha256',
  [XMLDSIG.rsaSha512]: 'rsa-sha512',
  [XMLDSIG.ecdsaSha256]: 'ecdsa-sha256',
};
const DIGEST_METHODS: Readonly<Record<string, { readonly digest: SignatureDigest; readonly bytes: number }>> = {
  [XMLDSIG.sha256]: { digest: 'sha256', bytes: 32 },
  [XMLDSIG.sha512]: { digest: 'sha512', bytes: 64 },
};
const C14N_TRANSFORMS: Readonly<Record<string, SignatureTransforms>> = {
  [XMLDSIG.exclusiveC14n]: 'enveloped+exc-c14n',
  [XMLDSIG.exclusiveC14nWithComments]: 'enveloped+exc-c14n',
  [XMLDSIG.inclusiveC14n]: 'enveloped+c14n',
  [XMLDSIG.inclusiveC14nWithComments]: 'enveloped+c14n',
};
const CANONICALIZATIONS: Readonly<Record<string, SignatureCanonicalization>> = {
  [XMLDSIG.exclusiveC14n]: 'exc-c14n',
  [XMLDSIG.inclusiveC14n]: 'c14n',
};
/** The attributes that can give the root its Id (as .NET SignedXml looks them up), unprefixed. */
const ID_ATTRIBUTES = ['Id', 'ID', 'id'];
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const BARE_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;
const PREFIX = /^(?:#default|[A-Za-z_][A-Za-z0-9._-]*)$/;
const MAX_PREFIXES = 32;
const KEY_INFO_CHILDREN = new Set(['X509Data', 'KeyName', 'KeyValue']);
const X509_DATA_CHILDREN = new Set(['X509Certificate', 'X509IssuerSerial', 'X509SubjectName', 'X509SKI']);

/**
 * Checks swx's signature profile (design.md 3.4) and returns the signature's parts; throws CoreError
 * SIGNATURE_PROFILE_VIOLATION naming the first departure. The profile: one ds:Signature, the last element child of
 * `scope.top` (and, when `allowPayloadSignature`, at most one more ending the business document: top/Body/document,
 * which the first covers); SignedInfo with exactly one Reference to the whole document (`URI=""`, or `URI="#id"` where
 * id is the root's Id, ID or id attribute and no other element has it), transforms enveloped-signature alone or then
 * exc-C14N (PrefixList allowed) or C14N 1.0, SignedInfo by exc-C14N or C14N 1.0 without comments, rsa-sha256,
 * rsa-sha512 or ecdsa-sha256 over a SHA-256 or SHA-512 digest, each as `scope.profiles` allows; no ds:Object;
 * nothing but white space between the elements. As the one reference is the whole document minus the signature,
 * nothing in the document is left unsigned, so no signature wrapping is possible.
 * @example const { signedInfo, digestValue } = checkSignatureProfile({ top: tree.root, allowPayloadSignature: true })
 */
export function checkSignatureProfile(scope: ProfileScope): ProfiledSignature {
  const { top } = scope;
  const profiles = scope.profiles ?? ALL_SIGNATURE_PROFILES;
  const { signature, payloadSignature } = locateSignatures(top, scope.allowPayloadSignature);

  const parts = structure(signature, ['Id']);
  if (parts.some((part) => part.localName === 'Object')) violation('ds:Object is not allowed');
  const [signedInfo, signatureValue, keyInfo, ...extra] = parts;
  if (
    signedInfo?.localName !== 'SignedInfo' ||
    signatureValue?.localName !== 'SignatureValue' ||
    (keyInfo && keyInfo.localName !== 'KeyInfo') ||
    extra.length > 0
  ) {
    violation(`ds:Signature must hold ds:SignedInfo, ds:SignatureValue and optionally ds:KeyInfo; found ${names(parts)}`);
  }

  const [canonicalizationMethod, signatureMethod, referenceElement, ...more] = structure(signedInfo, ['Id']);
  if (
    canonicalizationMethod?.localName !== 'CanonicalizationMethod' ||
    signatureMethod?.localName !== 'SignatureMethod' ||
    referenceElement?.localName !== 'Reference' ||
    more.length > 0
  ) {
    violation(
      `ds:SignedInfo must hold ds:CanonicalizationMethod, ds:SignatureMethod and exactly one ds:Reference; found ${names(childElements(signedInfo))}`,
    );
  }
  const c14n = methodWithPrefixList(canonicalizationMethod, Object.keys(CANONICALIZATIONS), 'comments are never part of SignedInfo');
  const canonicalization = allow(profiles, 'canonicalization', CANONICALIZATIONS[c14n.algorithm] as SignatureCanonicalization);
  const algorithm = allow(
    profiles,
    'algorithms',
    SIGNATURE_METHODS[requireAlgorithm(signatureMethod, Object.keys(SIGNATURE_METHODS))] as SignatureAlgorithm,
  );

  const reference = allow(profiles, 'references', referenceOf(referenceElement, top));
  const [transformsElement, digestMethod, digestValue, ...rest] = structure(referenceElement, ['URI', 'Id', 'Type']);
  if (
    transformsElement?.localName !== 'Transforms' ||
    digestMethod?.localName !== 'DigestMethod' ||
    digestValue?.localName !== 'DigestValue' ||
    rest.length > 0
  ) {
    violation(`ds:Reference must hold ds:Transforms, ds:DigestMethod and ds:DigestValue; found ${names(childElements(referenceElement))}`);
  }
  const { transforms, prefixes: transformPrefixes } = transformsOf(transformsElement);
  allow(profiles, 'transforms', transforms);
  const method = DIGEST_METHODS[requireAlgorithm(digestMethod, Object.keys(DIGEST_METHODS))] as { digest: SignatureDigest; bytes: number };
  const digest = allow(profiles, 'digests', method.digest);

  const digestBytes = base64(digestValue, 'ds:DigestValue');
  if (digestBytes.length !== method.bytes)
    violation(`ds:DigestValue must be a ${digest} digest of ${method.bytes} bytes; found ${digestBytes.length}`);
  return {
    signature,
    signedInfo,
    top,
    reference,
    transforms,
    transformPrefixes,
    canonicalization,
    canonicalizationPrefixes: c14n.prefixes,
    algorithm,
    digest,
    digestValue: digestBytes,
    signatureValue: base64(signatureValue, 'ds:SignatureValue'),
    keyInfoCertificates: keyInfo ? keyInfoCertificates(keyInfo) : [],
    payloadSignature,
  };
}

/** The envelope's signature (top's last element child) and the business document's, refusing any other. */
function locateSignatures(top: TreeElement, allowPayloadSignature: boolean): { signature: TreeElement; payloadSignature: TreeElement | undefined } {
  const found: TreeElement[] = [];
  collectSignatures(top, found);
  const children = childElements(top);
  const signature = children[children.length - 1];
  if (found.length === 0 || signature === undefined) violation('expected a ds:Signature as the last element child of the root, found none');
  if (!found.includes(signature)) violation('the ds:Signature must be the last element child of the root');
  let payloadSignature: TreeElement | undefined;
  for (const other of found) {
    if (other === signature) continue;
    const parent = other.parent;
    const isPayloadSignature =
      allowPayloadSignature && payloadSignature === undefined && parent?.parent?.parent === top && lastElementChild(parent) === other;
    if (!isPayloadSignature) {
      violation(
        `expected one envelope ds:Signature (the root's last child)${allowPayloadSignature ? ' and at most one ending the business document (root/Body/document)' : ''}; found ${found.length} ds:Signature elements`,
      );
    }
    payloadSignature = other;
  }
  return { signature, payloadSignature };
}

function collectSignatures(element: TreeElement, found: TreeElement[]): void {
  if (element.localName === 'Signature' && element.namespaceUri === XMLDSIG.namespace) found.push(element);
  for (const child of element.children) if (child.kind === 'element') collectSignatures(child, found);
}

function lastElementChild(element: TreeElement): TreeElement | undefined {
  for (let i = element.children.length - 1; i >= 0; i -= 1) {
    const child = element.children[i];
    if (child?.kind === 'element') return child;
  }
  return undefined;
}

/** `URI=""`, or `URI="#id"` naming the root by its Id, ID or id, which no other element (nor an xml:id) shares. */
function referenceOf(reference: TreeElement, top: TreeElement): SignatureReference {
  const uri = attributeValue(reference, 'URI');
  if (uri === '') return 'whole-document';
  const id = uri?.startsWith('#') ? uri.slice(1) : undefined;
  if (id === undefined || !BARE_NAME.test(id)) {
    violation(`ds:Reference URI must be "" or "#" and the root's Id (the whole document); found ${uri === undefined ? 'none' : `"${uri}"`}`);
  }
  if (!ID_ATTRIBUTES.some((name) => attributeValue(top, name) === id)) {
    violation(
      `ds:Reference URI "${uri}" must name the root element by its ${ID_ATTRIBUTES.join(', ')} attribute: only the whole document may be signed`,
    );
  }
  if (idHolders(top, id, top) > 0) violation(`ds:Reference URI "${uri}": the Id "${id}" is not unique in the document`);
  return 'root-id';
}

/** How many elements below `element` (besides `root`) carry `id` in an Id, ID, id or xml:id attribute. */
function idHolders(element: TreeElement, id: string, root: TreeElement): number {
  let count = 0;
  const stack: TreeElement[] = [element];
  while (stack.length > 0) {
    const at = stack.pop() as TreeElement;
    if (at !== root) {
      for (const attribute of at.attributes) {
        const isId =
          attribute.prefix === ''
            ? ID_ATTRIBUTES.includes(attribute.localName)
            : attribute.namespaceUri === XML_NAMESPACE && attribute.localName === 'id';
        if (isId && attribute.value === id) count += 1;
      }
    }
    for (const child of at.children) if (child.kind === 'element') stack.push(child);
  }
  return count;
}

/** enveloped-signature alone, or then exc-C14N (an InclusiveNamespaces PrefixList allowed) or C14N 1.0. */
function transformsOf(transforms: TreeElement): { transforms: SignatureTransforms; prefixes: readonly string[] } {
  const steps = structure(transforms, []);
  if (steps.length < 1 || steps.length > 2 || steps.some((step) => step.localName !== 'Transform')) {
    violation(`ds:Transforms must be enveloped-signature, alone or then exc-C14N or C14N 1.0; found ${steps.length} transforms`);
  }
  requireAlgorithm(steps[0] as TreeElement, [XMLDSIG.envelopedSignature]);
  const second = steps[1];
  if (second === undefined) return { transforms: 'enveloped', prefixes: [] };
  const { algorithm, prefixes } = methodWithPrefixList(second, Object.keys(C14N_TRANSFORMS), '');
  if (prefixes.length > 0 && C14N_TRANSFORMS[algorithm] !== 'enveloped+exc-c14n') violation('ec:InclusiveNamespaces is for exc-C14N only');
  return { transforms: C14N_TRANSFORMS[algorithm] as SignatureTransforms, prefixes };
}

/** A method element whose Algorithm is one of `accepted`, empty but for an exc-C14N InclusiveNamespaces PrefixList. */
function methodWithPrefixList(
  element: TreeElement,
  accepted: readonly string[],
  refusedWhy: string,
): { algorithm: string; prefixes: readonly string[] } {
  let inclusive: TreeElement | undefined;
  for (const child of element.children) {
    if (
      child.kind === 'element' &&
      child.localName === 'InclusiveNamespaces' &&
      child.namespaceUri === XMLDSIG.exclusiveC14n &&
      inclusive === undefined
    ) {
      inclusive = child;
    }
  }
  const children = element.children.filter((child) => child !== inclusive);
  const algorithm = requireAlgorithm({ ...element, children }, accepted, refusedWhy);
  if (inclusive === undefined) return { algorithm, prefixes: [] };
  if (algorithm !== XMLDSIG.exclusiveC14n && algorithm !== XMLDSIG.exclusiveC14nWithComments)
    violation('ec:InclusiveNamespaces is for exc-C14N only');
  if (structure(inclusive, ['PrefixList']).length > 0) violation('ec:InclusiveNamespaces must be empty');
  const prefixes = (attributeValue(inclusive, 'PrefixList') ?? '').split(/[ \t\n]+/).filter((prefix) => prefix !== '');
  if (prefixes.length > MAX_PREFIXES || prefixes.some((prefix) => !PREFIX.test(prefix))) {
    violation(`ec:InclusiveNamespaces PrefixList must be at most ${MAX_PREFIXES} prefixes or #default`);
  }
  return { algorithm, prefixes };
}

function allow<K extends keyof SignatureProfiles>(
  profiles: SignatureProfiles,
  aspect: K,
  value: SignatureProfiles[K][number],
): SignatureProfiles[K][number] {
  const allowed: readonly string[] = profiles[aspect];
  if (!allowed.includes(value)) violation(`the partner's signatureProfiles do not allow ${aspect} "${value}" (allowed: ${allowed.join(', ')})`);
  return value;
}

/** The ds element children of an element allowed to hold only elements and white space, with only `allowed` attributes. */
function structure(element: TreeElement, allowed: readonly string[]): TreeElement[] {
  for (const attribute of element.attributes) {
    if (!allowed.includes(attribute.qname)) violation(`attribute ${attribute.qname} is not allowed on ${element.qname}`);
  }
  for (const child of element.children) {
    if (child.kind === 'text' && child.value.trim() !== '') violation(`text is not allowed in ${element.qname}`);
    if (child.kind === 'instruction') violation(`processing instructions are not allowed in ${element.qname}`);
    if (child.kind === 'element' && child.namespaceUri !== XMLDSIG.namespace) violation(`${child.qname} is not allowed in ${element.qname}`);
  }
  return childElements(element);
}

/** An empty method element whose Algorithm is one of `accepted`. */
function requireAlgorithm(element: TreeElement, accepted: readonly string[], refusedWhy = ''): string {
  if (structure(element, ['Algorithm']).length > 0) violation(`ds:${element.localName} must be empty; found ${names(childElements(element))}`);
  const algorithm = attributeValue(element, 'Algorithm') ?? '';
  if (!accepted.includes(algorithm)) {
    violation(
      `ds:${element.localName} Algorithm "${algorithm}" is not allowed; swx accepts ${accepted.join(' or ')}${refusedWhy === '' ? '' : ` (${refusedWhy})`}`,
    );
  }
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
