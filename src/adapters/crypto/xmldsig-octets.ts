import { canonicalizeElement, withProlog } from '../xml/exclusive-c14n.js';
import { canonicalizeElementInclusive } from '../xml/inclusive-c14n.js';
import type { XmlTree } from '../xml/xml-tree.js';
import type { ProfiledSignature } from './xmldsig-profile.js';

/**
 * The octets a signature's reference covers: its root (the document's, or a business document's) without the
 * signature, by exc-C14N (the PrefixList applied) or by C14N 1.0 (the enveloped-signature transform alone, XML-DSig
 * §4.4.3.2, or then C14N 1.0), with the processing instructions around the root for `URI=""` of a whole document
 * (a `#id` node-set is the root element only; both leave comments out, XML-DSig §4.4.3.3).
 * @example createHash('sha256').update(referenceOctets(tree, profile)).digest()
 */
export function referenceOctets(tree: XmlTree, profile: ProfiledSignature): string {
  const options = { omit: profile.signature, top: profile.top };
  const root =
    profile.transforms === 'enveloped+exc-c14n'
      ? canonicalizeElement(profile.top, { ...options, inclusivePrefixes: profile.transformPrefixes })
      : canonicalizeElementInclusive(profile.top, options);
  return profile.reference === 'whole-document' && profile.top === tree.root ? withProlog(tree, root) : root;
}

/**
 * The octets a signature's value covers: SignedInfo by its CanonicalizationMethod, in its document up to the signed
 * root (C14N 1.0 brings down the namespaces and xml:* attributes in scope; exc-C14N only the PrefixList's).
 * @example sign('sha256', Buffer.from(signedInfoOctets(profile)), key)
 */
export function signedInfoOctets(profile: ProfiledSignature): string {
  return profile.canonicalization === 'c14n'
    ? canonicalizeElementInclusive(profile.signedInfo, { top: profile.top })
    : canonicalizeElement(profile.signedInfo, { inclusivePrefixes: profile.canonicalizationPrefixes, top: profile.top });
}
