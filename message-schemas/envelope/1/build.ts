import { CoreError, type FieldIssue } from '../../../src/core/errors.js';
import { validateDocument } from '../../../src/core/document/validate-document.js';
import { element, textElement } from '../../../src/core/xml/canonical-writer.js';
import { XML_NAMESPACE, type ParsedXml, type XmlValue } from '../../../src/core/xml/parsed-xml.js';
import { elementOf, fieldsOf, isList, isXmlSignatureElement, validateWithIssues } from '../../../src/core/xml/xml-fields.js';
import { ENVELOPE_NAMESPACE, EnvelopeHeader, type GatewayAddress } from './schema.js';

export { EnvelopeHeader } from './schema.js';

/** An envelope read from its parsed XML: the validated header and the business document of its Body. */
export interface Envelope {
  readonly header: EnvelopeHeader;
  /** The Body's one child, as a document of its own: local name, namespace and content. */
  readonly body: ParsedXml;
}

/**
 * Writes an unsigned envelope in exclusive-C14N form, ready for `XmlSigner.sign`. The header is validated
 * (VALIDATION_FAILED otherwise); `bodyXml` is one canonical element that declares its own namespace, as
 * `encodeDocumentXml` writes it.
 * @example writeEnvelope(header, encodeDocumentXml(acddSpec, acdd))
 *   // '<Envelope xmlns="urn:swx:xsd:envelope:1"><Header><MessageId>…</Header><Body><ACDD xmlns="urn:swx:xsd:acdd:1">…</Body></Envelope>'
 */
export function writeEnvelope(header: EnvelopeHeader, bodyXml: string): string {
  const valid = validateDocument(EnvelopeHeader, header);
  refuseUndeclaredBody(bodyXml);
  const content =
    textElement('MessageId', valid.messageId) +
    textElement('ConversationId', valid.conversationId) +
    (valid.refToMessageId === undefined ? '' : textElement('RefToMessageId', valid.refToMessageId)) +
    writeAddress('From', valid.from) +
    writeAddress('To', valid.to) +
    textElement('DocumentType', valid.documentType) +
    textElement('DocumentVersion', valid.documentVersion) +
    textElement('Action', valid.action) +
    textElement('CreatedAt', valid.createdAt);
  return element('Envelope', { namespaces: { '': ENVELOPE_NAMESPACE } }, element('Header', {}, content) + element('Body', {}, bodyXml));
}

/**
 * Writes a gateway address (From, To) of an envelope or a receipt.
 * @example writeAddress('From', { gatewayId: 'VN', country: 'VN' }) // '<From><GatewayId>VN</GatewayId><Country>VN</Country></From>'
 */
export function writeAddress(name: string, address: GatewayAddress): string {
  return element(name, {}, textElement('GatewayId', address.gatewayId) + textElement('Country', address.country));
}

/**
 * Reads an envelope from the codec's parsed view (src/adapters/xml/xml-codec.ts): the root must be Envelope in
 * the envelope namespace, the header valid, the Body exactly one element; a ds:Signature last child and an Id, ID or
 * id attribute on the root (for a signature's `URI="#id"` reference) are allowed and ignored (verify it first, and read the signed bytes the verifier returns). Throws VALIDATION_FAILED
 * listing every issue. Element order is not checked here; envelope.xsd states it.
 * @example const { header, body } = readEnvelope(parseXml(verification.signedXml))
 */
export function readEnvelope(parsed: ParsedXml): Envelope {
  if (parsed.root !== 'Envelope' || parsed.namespace !== ENVELOPE_NAMESPACE) {
    throw new CoreError('VALIDATION_FAILED', 'expected an envelope', {
      issues: [
        {
          pointer: '',
          detail: `the root element is ${parsed.root} in ${parsed.namespace ?? 'no namespace'}; expected Envelope in ${ENVELOPE_NAMESPACE}`,
        },
      ],
    });
  }
  const issues: FieldIssue[] = [];
  const envelope = elementOf(parsed.value) ?? {};
  for (const [name, value] of Object.entries(envelope)) {
    if (ROOT_ID_ATTRIBUTES.has(name)) continue;
    if (name !== 'Header' && name !== 'Body' && !(name === 'Signature' && isXmlSignatureElement(value)))
      issues.push({ pointer: `/<${name}>`, detail: `unknown element ${name}` });
  }
  const body = readBody(envelope['Body'], issues);
  const headerValue = envelope['Header'];
  const header = validateWithIssues(EnvelopeHeader, headerValue === undefined ? undefined : fieldsOf(headerValue), issues, '/header');
  if (body === undefined) throw new CoreError('VALIDATION_FAILED', 'the envelope has no business document', { issues });
  return { header, body };
}

function readBody(value: XmlValue | undefined, issues: FieldIssue[]): ParsedXml | undefined {
  const body = value === undefined || isList(value) ? undefined : elementOf(value);
  const names = body === undefined ? [] : Object.keys(body);
  const root = names[0];
  const document = root === undefined ? undefined : body?.[root];
  if (names.length !== 1 || root === undefined || root.startsWith('@_') || root === '#text' || document === undefined || isList(document)) {
    issues.push({ pointer: '/body', detail: 'the Body must hold exactly one business document element' });
    return undefined;
  }
  const namespace = elementOf(document)?.[XML_NAMESPACE];
  if (namespace === ENVELOPE_NAMESPACE || (namespace === undefined && typeof document !== 'string')) {
    issues.push({ pointer: '/body', detail: 'the business document must be in its own namespace' });
  }
  return { root, namespace, value: document };
}

/** The Id a signature's `URI="#id"` reference may name the envelope by (xmldsig-profile.ts): Id, ID or id. */
const ROOT_ID_ATTRIBUTES = new Set(['@_Id', '@_ID', '@_id']);

/** A body without its own namespace declaration would fall into the envelope's default namespace. */
function refuseUndeclaredBody(bodyXml: string): void {
  const start = /^<([A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*(\s[^>]*)?>/.exec(bodyXml);
  const prefix = start?.[1]?.slice(0, -1);
  const declaration = prefix === undefined ? ' xmlns="' : ` xmlns:${prefix}="`;
  if (!start || !(start[2] ?? '').includes(declaration) || (start[2] ?? '').includes(`${declaration}"`) || !bodyXml.endsWith('>')) {
    throw new CoreError('VALIDATION_FAILED', 'the body must be one canonical element declaring its own namespace', {
      issues: [{ pointer: '/body', detail: 'expected one element such as <ACDD xmlns="urn:swx:xsd:acdd:1">…</ACDD>' }],
    });
  }
}
