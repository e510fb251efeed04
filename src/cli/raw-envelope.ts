import { writeEnvelope, type EnvelopeHeader } from '../../message-schemas/envelope/1/build.js';
import { canonicalizeDocument, canonicalizeElement } from '../adapters/xml/exclusive-c14n.js';
import { parseXmlTree } from '../adapters/xml/parse-xml-tree.js';
import { childElements } from '../adapters/xml/xml-tree.js';
import { CoreError } from '../core/errors.js';
import type { XmlDsigSigner } from '../adapters/crypto/xmldsig-signer.js';

/** Stands for the document in the envelope writeEnvelope writes, then gives way to the document's own bytes. */
const PLACEHOLDER = '<raw:Document xmlns:raw="urn:swx:simulate-send:raw"></raw:Document>';
const END_TAG = '</Envelope>';

/**
 * The root element of an XML file exactly as written: what is left once the byte order mark, the XML declaration
 * and the comments, processing instructions and white space before and after the root element are taken off
 * (an envelope's Body holds one element). A DOCTYPE is refused, as swx refuses it.
 * @example rootElementText('<?xml version="1.0"?>\n<!-- x -->\n<a:R xmlns:a="urn:a"/>\n') // '<a:R xmlns:a="urn:a"/>'
 */
export function rootElementText(text: string): string {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (/\s/.test(text[start] ?? '')) start += 1;
    const close = text.startsWith('<?', start) ? '?>' : text.startsWith('<!--', start) ? '-->' : undefined;
    if (close === undefined) break;
    const end = text.indexOf(close, start);
    if (end === -1) break;
    start = end + close.length;
  }
  if (text.startsWith('<!', start))
    throw new CoreError('XML_FORBIDDEN_CONSTRUCT', 'the document has a DOCTYPE: swx refuses DOCTYPE and entity declarations');
  let end = text.length;
  for (;;) {
    while (end > start && /\s/.test(text[end - 1] ?? '')) end -= 1;
    const tail = text.slice(start, end);
    const open = tail.endsWith('-->') ? tail.lastIndexOf('<!--') : tail.endsWith('?>') ? tail.lastIndexOf('<?') : -1;
    if (open <= 0) break;
    end = start + open;
  }
  return text.slice(start, end);
}

/**
 * An unsigned envelope whose Body holds the document's root element byte for byte (`rootElementText`), its
 * namespace declarations and prefixes as written. Throws VALIDATION_FAILED when the document would not mean the
 * same inside the envelope: elements in no namespace with no `xmlns=""` would fall into the envelope's default
 * namespace (the exc-C14N forms of the document alone and of the Body's element are compared).
 * @example signAsWritten(signer, envelopeAround(header, readFileSync('ephyto.xml', 'utf8')))
 */
export function envelopeAround(header: EnvelopeHeader, documentText: string): string {
  const [before, after] = writeEnvelope(header, PLACEHOLDER).split(PLACEHOLDER);
  const envelope = `${before ?? ''}${rootElementText(documentText)}${after ?? ''}`;
  const alone = canonicalizeElement(parseXmlTree(documentText).root);
  const body = childElements(parseXmlTree(envelope).root).find((element) => element.localName === 'Body');
  const inside = body === undefined ? undefined : childElements(body)[0];
  if (inside === undefined || canonicalizeElement(inside) !== alone) {
    throw new CoreError('VALIDATION_FAILED', 'the document cannot go into an envelope unchanged', {
      issues: [
        {
          pointer: '/body',
          detail: 'it reads differently inside the envelope: declare xmlns="" on elements in no namespace, or send it with --canonical',
        },
      ],
    });
  }
  return envelope;
}

/**
 * Signs an envelope as `signer` would sign its exc-C14N form, keeping the envelope's own bytes: the signature's
 * digest covers the canonical form (the enveloped-signature and exc-C14N transforms give the same octets for
 * either), and the ds:Signature goes before the envelope's end tag. For an envelope swx wrote itself this is
 * exactly `signer.signSync(envelope)`.
 * @example const signed = signAsWritten(signer, envelopeAround(header, text))
 */
export function signAsWritten(signer: XmlDsigSigner, envelope: string): string {
  const canonical = canonicalizeDocument(parseXmlTree(envelope));
  const signed = signer.signSync(canonical);
  const kept = canonical.length - END_TAG.length;
  if (!envelope.endsWith(END_TAG) || !signed.startsWith(canonical.slice(0, kept)) || !signed.endsWith(END_TAG)) {
    throw new CoreError('INTERNAL', 'the signer did not append its signature as the envelope root’s last child');
  }
  return envelope.slice(0, -END_TAG.length) + signed.slice(kept);
}
