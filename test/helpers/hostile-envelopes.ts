import { XMLDSIG } from '../../src/adapters/crypto/xmldsig-algorithms.js';

/**
 * Signature templates for `xmlsec1 --sign` and the hostile envelopes built from signed ones at run time
 * (they need fresh timestamps and the keys of the run's test PKI). Each builder is named by its defect and
 * is a pure string transformation, so the verifier-level tests (test/interop) and the HTTP-level tests
 * (test/http/exchange-inbound.test.ts) attack with the same bytes. Static hostile envelopes (DOCTYPE,
 * entity expansion) live as files under test/fixtures/exchange/.
 */

export interface SignatureTemplateOptions {
  /** SignatureMethod Algorithm (default rsa-sha256). */
  readonly method?: string;
  /** Reference URI (default "", the whole document). */
  readonly uri?: string;
  /** Transform elements inserted between enveloped-signature and the canonicalization transform. */
  readonly extraTransform?: string;
  /** The transform after enveloped-signature (default exc-C14N); null for enveloped-signature alone. */
  readonly c14nTransform?: string | null;
  /** An InclusiveNamespaces PrefixList for the exc-C14N transform. */
  readonly transformPrefixList?: string;
  /** SignedInfo's CanonicalizationMethod Algorithm (default exc-C14N). */
  readonly canonicalization?: string;
  /** An InclusiveNamespaces PrefixList for an exc-C14N CanonicalizationMethod. */
  readonly canonicalizationPrefixList?: string;
  /** DigestMethod Algorithm (default sha256). */
  readonly digest?: string;
  /** `prefixed` (default) writes ds:Signature; `default` puts the XML-DSig namespace in the default namespace. */
  readonly signatureElement?: 'prefixed' | 'default';
}

/**
 * An empty ds:Signature for `xmlsec1 --sign` to fill (DigestValue, SignatureValue, the X509Certificate of
 * KeyInfo), laid out as another implementation would write it. The defaults are swx's own profile: exc-C14N,
 * rsa-sha256, one Reference URI="" with enveloped-signature then exc-C14N transforms, SHA-256.
 * @example xmlsec1Sign(`<a xmlns="urn:x">${emptySignature()}</a>`, keyPath, certificatePath)
 */
export function emptySignature(options: SignatureTemplateOptions = {}): string {
  const ds = options.signatureElement === 'default' ? '' : 'ds:';
  const declaration = options.signatureElement === 'default' ? `xmlns="${XMLDSIG.namespace}"` : `xmlns:ds="${XMLDSIG.namespace}"`;
  const c14nTransform = options.c14nTransform === undefined ? XMLDSIG.exclusiveC14n : options.c14nTransform;
  const transform =
    c14nTransform === null
      ? ''
      : `
          <${ds}Transform Algorithm="${c14nTransform}">${inclusiveNamespaces(options.transformPrefixList)}</${ds}Transform>`;
  return `<${ds}Signature ${declaration}>
    <${ds}SignedInfo>
      <${ds}CanonicalizationMethod Algorithm="${options.canonicalization ?? XMLDSIG.exclusiveC14n}">${inclusiveNamespaces(options.canonicalizationPrefixList)}</${ds}CanonicalizationMethod>
      <${ds}SignatureMethod Algorithm="${options.method ?? XMLDSIG.rsaSha256}"/>
      <${ds}Reference URI="${options.uri ?? ''}">
        <${ds}Transforms>
          <${ds}Transform Algorithm="${XMLDSIG.envelopedSignature}"/>${options.extraTransform ?? ''}${transform}
        </${ds}Transforms>
        <${ds}DigestMethod Algorithm="${options.digest ?? XMLDSIG.sha256}"/>
        <${ds}DigestValue/>
      </${ds}Reference>
    </${ds}SignedInfo>
    <${ds}SignatureValue/>
    <${ds}KeyInfo><${ds}X509Data/></${ds}KeyInfo>
  </${ds}Signature>`;
}

function inclusiveNamespaces(prefixList: string | undefined): string {
  return prefixList === undefined ? '' : `<ec:InclusiveNamespaces xmlns:ec="${XMLDSIG.exclusiveC14n}" PrefixList="${prefixList}"/>`;
}

/**
 * A template for `xmlsec1 --sign`: `xml` (one root element, e.g. from writeEnvelope) with an XML declaration
 * and an empty signature as the root's last child.
 * @example xmlsec1Sign(signatureTemplate(writeEnvelope(header, body)), th.keyPath, th.certificatePath)
 */
export function signatureTemplate(xml: string, options: SignatureTemplateOptions = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${insertBeforeRootEnd(xml, `\n  ${emptySignature(options)}\n`)}\n`;
}

/**
 * The ds:Signature element of a signed document (the first one), as written.
 * @example const signature = signatureOf(signed)
 */
export function signatureOf(signed: string): string {
  const match = /<(ds:)?Signature[\s>][\s\S]*?<\/(ds:)?Signature>/.exec(signed);
  if (!match) throw new Error('no ds:Signature in the document');
  return match[0];
}

/**
 * Defect: the payload was changed after signing (`from` replaced by `to` once).
 * @example payloadChangedAfterSigning(signed, '<Status>CLEARED</Status>', '<Status>REJECTED</Status>')
 */
export function payloadChangedAfterSigning(signed: string, from: string, to: string): string {
  if (!signed.includes(from)) throw new Error(`the signed document does not contain ${from}`);
  return signed.replace(from, to);
}

/**
 * Signature wrapping, defect: a forged, unsigned envelope that carries the genuine signed envelope under an
 * extension element, so a verifier that looks for "a valid signature somewhere" finds one.
 * @example signedCopyMovedUnderExtension(forgedUnsigned, genuineSigned)
 */
export function signedCopyMovedUnderExtension(forgedUnsigned: string, genuineSigned: string): string {
  return insertBeforeRootEnd(forgedUnsigned, `<Extension>${withoutXmlDeclaration(genuineSigned)}</Extension>`);
}

/**
 * Signature wrapping, defect: a second, unsigned payload (another Body) after the genuine signature, for a
 * processor that reads the last Body while the verifier checks the first.
 * @example secondUnsignedPayload(signed, '<CustomsResponse xmlns="…">…</CustomsResponse>')
 */
export function secondUnsignedPayload(signed: string, payloadXml: string): string {
  return insertBeforeRootEnd(signed, `<Body>${payloadXml}</Body>`);
}

/**
 * Signature wrapping, defect: two signatures, `other` (another signer's ds:Signature) after the genuine one.
 * @example twoSignatures(signed, signatureOf(attackerSigned))
 */
export function twoSignatures(signed: string, other: string): string {
  return insertBeforeRootEnd(signed, other);
}

/**
 * Defect: KeyInfo carries `certificateBase64` (another certificate's DER, base64) instead of the signer's.
 * @example keyInfoCertificateReplaced(signed, certificateBase64Of(impostorPem))
 */
export function keyInfoCertificateReplaced(signed: string, certificateBase64: string): string {
  const replaced = signed.replace(/(<(?:ds:)?X509Certificate>)[^<]*(<\/(?:ds:)?X509Certificate>)/, `$1${certificateBase64}$2`);
  if (replaced === signed) throw new Error('no X509Certificate in KeyInfo to replace');
  return replaced;
}

/**
 * The base64 DER of a PEM certificate, as it goes into ds:X509Certificate.
 * @example certificateBase64Of(readFileSync('TH.cert.pem', 'utf8'))
 */
export function certificateBase64Of(certificatePem: string): string {
  return certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/**
 * Defect, replay: the same signed envelope with other bytes that leave its signature valid (another XML
 * declaration), so only the message id store can tell it apart.
 * @example replayWithChangedBytes(accepted)
 */
export function replayWithChangedBytes(signed: string): string {
  return `<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n${withoutXmlDeclaration(signed)}`;
}

/**
 * Defect: a DOCTYPE whose internal subset declares an entity, used in the payload (XXE and expansion).
 * @example doctypeWithEntity(signed, 'CLEARED')
 */
export function doctypeWithEntity(signed: string, replacedText: string): string {
  const body = withoutXmlDeclaration(signed);
  const root = /^<([^\s>/]+)/.exec(body)?.[1] ?? 'Envelope';
  return `<!DOCTYPE ${root} [<!ENTITY payload "${replacedText}">]>${body.replace(replacedText, '&payload;')}`;
}

function withoutXmlDeclaration(xml: string): string {
  return xml.replace(/^<\?xml[^>]*\?>\s*/, '');
}

function insertBeforeRootEnd(xml: string, content: string): string {
  const trimmed = xml.trimEnd();
  const end = trimmed.lastIndexOf('</');
  if (end < 0) throw new Error('no root end tag');
  return trimmed.slice(0, end) + content + trimmed.slice(end) + xml.slice(trimmed.length);
}
