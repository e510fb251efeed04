import { CoreError, type FieldIssue } from '../../../src/core/errors.js';
import { validateDocument } from '../../../src/core/document/validate-document.js';
import { element, escapeText, textElement } from '../../../src/core/xml/canonical-writer.js';
import type { ParsedXml, XmlElement, XmlValue } from '../../../src/core/xml/parsed-xml.js';
import { elementOf, fieldsOf, isList, isXmlSignatureElement, validateWithIssues } from '../../../src/core/xml/xml-fields.js';
import { writeAddress } from '../../envelope/1/build.js';
import { Receipt, RECEIPT_NAMESPACE } from './schema.js';

export { Receipt } from './schema.js';

const LEDGER_INDEX = /^(0|[1-9][0-9]{0,15})$/;

/**
 * Writes an unsigned receipt in exclusive-C14N form, ready for `XmlSigner.sign`; VALIDATION_FAILED when the
 * receipt is not valid.
 * @example signer.sign(writeReceipt({ receiptId, messageId, from, to, status: 'RECEIVED', envelopeDigest, ledgerIndex, errors: [], createdAt }))
 */
export function writeReceipt(receipt: Receipt): string {
  const valid = validateDocument(Receipt, receipt);
  const content =
    textElement('ReceiptId', valid.receiptId) +
    (valid.messageId === undefined ? '' : textElement('MessageId', valid.messageId)) +
    writeAddress('From', valid.from) +
    (valid.to === undefined ? '' : writeAddress('To', valid.to)) +
    textElement('Status', valid.status) +
    element('EnvelopeDigest', { attributes: { Algorithm: 'sha256' } }, valid.envelopeDigest) +
    (valid.ledgerIndex === undefined ? '' : textElement('LedgerIndex', String(valid.ledgerIndex))) +
    (valid.checkpoint === undefined ? '' : textElement('Checkpoint', valid.checkpoint)) +
    valid.errors.map((error) => element('Error', { attributes: { code: error.code } }, escapeText(error.message))).join('') +
    (valid.warnings ?? [])
      .map((warning) =>
        element(
          'Warning',
          { attributes: { code: warning.code, ...(warning.pointer === undefined ? {} : { pointer: warning.pointer }) } },
          escapeText(warning.message),
        ),
      )
      .join('') +
    textElement('CreatedAt', valid.createdAt);
  return element('Receipt', { namespaces: { '': RECEIPT_NAMESPACE } }, content);
}

/**
 * Reads a receipt from the codec's parsed view (src/adapters/xml/xml-codec.ts): the root must be Receipt in the
 * receipt namespace and every field valid; a ds:Signature last child is allowed and ignored (verify it first,
 * and read the signed bytes the verifier returns). Throws VALIDATION_FAILED listing every issue. Element order
 * is not checked here; receipt.xsd states it. The codec trims text, so a checkpoint note reads without its final line feed.
 * @example const receipt = readReceipt(parseXml(verification.signedXml))
 */
export function readReceipt(parsed: ParsedXml): Receipt {
  if (parsed.root !== 'Receipt' || parsed.namespace !== RECEIPT_NAMESPACE) {
    throw new CoreError('VALIDATION_FAILED', 'expected a receipt', {
      issues: [
        {
          pointer: '',
          detail: `the root element is ${parsed.root} in ${parsed.namespace ?? 'no namespace'}; expected Receipt in ${RECEIPT_NAMESPACE}`,
        },
      ],
    });
  }
  const issues: FieldIssue[] = [];
  const {
    Signature: signature,
    EnvelopeDigest: digest,
    LedgerIndex: ledgerIndex,
    Error: errors,
    Warning: warnings,
    ...rest
  } = elementOf(parsed.value) ?? {};
  if (signature !== undefined && !isXmlSignatureElement(signature)) {
    issues.push({ pointer: '/<Signature>', detail: 'unknown element Signature' });
  }
  const fields = {
    ...(fieldsOf(rest) as Record<string, unknown>),
    ...(digest === undefined ? {} : { envelopeDigest: readDigest(digest, issues) }),
    ...(ledgerIndex === undefined ? {} : { ledgerIndex: readLedgerIndex(ledgerIndex) }),
    errors: errors === undefined ? [] : (isList(errors) ? errors : [errors]).map((error, index) => readError(error, index, issues)),
    ...(warnings === undefined
      ? {}
      : { warnings: (isList(warnings) ? warnings : [warnings]).map((warning, index) => readWarning(warning, index, issues)) }),
  };
  return validateWithIssues(Receipt, fields, issues);
}

function readDigest(value: XmlValue, issues: FieldIssue[]): unknown {
  const digest = elementOf(value);
  if (digest?.['@_Algorithm'] !== 'sha256') issues.push({ pointer: '/envelopeDigest', detail: 'expected the attribute Algorithm="sha256"' });
  const unknown = Object.keys(digest ?? {}).filter((name) => name !== '@_Algorithm' && name !== '#text');
  if (unknown.length > 0) issues.push({ pointer: '/envelopeDigest', detail: `unexpected ${unknown.join(', ')}` });
  return digest?.['#text'] ?? value;
}

function readLedgerIndex(value: XmlValue): unknown {
  return typeof value === 'string' && LEDGER_INDEX.test(value) ? Number(value) : fieldsOf(value);
}

function readError(value: XmlValue, index: number, issues: FieldIssue[]): unknown {
  if (typeof value === 'string') return { message: value === '' ? undefined : value };
  const { '@_code': code, '#text': message, ...unknown }: XmlElement = elementOf(value) ?? {};
  for (const name of Object.keys(unknown)) issues.push({ pointer: `/errors/${index}/<${name}>`, detail: `unknown ${name}` });
  return { code, message };
}

function readWarning(value: XmlValue, index: number, issues: FieldIssue[]): unknown {
  if (typeof value === 'string') return { message: value === '' ? undefined : value };
  const { '@_code': code, '@_pointer': pointer, '#text': message, ...unknown }: XmlElement = elementOf(value) ?? {};
  for (const name of Object.keys(unknown)) issues.push({ pointer: `/warnings/${index}/<${name}>`, detail: `unknown ${name}` });
  return { code, ...(pointer === undefined ? {} : { pointer }), message };
}
