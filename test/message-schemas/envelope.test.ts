import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { readEnvelope, writeEnvelope, type EnvelopeHeader } from '../../message-schemas/envelope/1/build.js';
import { schemaFolders, xmllintValidate } from '../helpers/xmllint.js';
import { thrownCoreError } from '../helpers/core-error.js';

const root = join(import.meta.dirname, '../../message-schemas');
const folder = schemaFolders(root).find((candidate) => candidate.name === 'envelope');
if (!folder) throw new Error('message-schemas/envelope/1 has no XSD and examples');
const scratch = mkdtempSync(join(tmpdir(), 'swx-envelope-'));

const header: EnvelopeHeader = {
  messageId: '0b9c3a4e-6d1f-4c53-9a57-0f7a3c1e2d45',
  conversationId: 'conv-1',
  refToMessageId: 'TH:2026:41',
  from: { gatewayId: 'VN', country: 'VN' },
  to: { gatewayId: 'TH', country: 'TH' },
  documentType: 'ACDD',
  documentVersion: '1',
  action: 'SUBMIT',
  createdAt: '2026-11-20T07:05:00.000Z',
};
const body = '<ACDD xmlns="urn:swx:xsd:acdd:1"><Note>Fish &amp; chips</Note></ACDD>';

function readsWithZod(file: string): boolean {
  try {
    readEnvelope(parseXml(readFileSync(file, 'utf8')));
    return true;
  } catch {
    return false;
  }
}

describe('envelope/1', () => {
  describe('readEnvelope agrees with envelope.xsd', () => {
    for (const file of [...folder.valid, ...folder.invalid]) {
      it(`on ${basename(file)}`, () => {
        const expected = basename(file).startsWith('valid-');
        expect(xmllintValidate(folder.xsd, file).ok).toBe(expected);
        expect(readsWithZod(file)).toBe(expected);
      });
    }
  });

  describe('writeEnvelope', () => {
    it('writes what envelope.xsd accepts and readEnvelope reads back', () => {
      const xml = writeEnvelope(header, body);
      const file = join(scratch, 'written.xml');
      writeFileSync(file, xml);
      expect(xmllintValidate(folder.xsd, file)).toEqual({ ok: true, message: `${file} validates` });
      const envelope = readEnvelope(parseXml(xml));
      expect(envelope.header).toEqual(header);
      expect(envelope.body).toEqual({ root: 'ACDD', namespace: 'urn:swx:xsd:acdd:1', value: { Note: 'Fish & chips' } });
    });

    it('writes the canonical form: no declaration, default namespace on the root, no white space between elements', () => {
      const { refToMessageId: _omitted, ...withoutReference } = header;
      expect(writeEnvelope(withoutReference, body)).toBe(
        '<Envelope xmlns="urn:swx:xsd:envelope:1"><Header><MessageId>0b9c3a4e-6d1f-4c53-9a57-0f7a3c1e2d45</MessageId>' +
          '<ConversationId>conv-1</ConversationId><From><GatewayId>VN</GatewayId><Country>VN</Country></From>' +
          '<To><GatewayId>TH</GatewayId><Country>TH</Country></To><DocumentType>ACDD</DocumentType>' +
          '<DocumentVersion>1</DocumentVersion><Action>SUBMIT</Action><CreatedAt>2026-11-20T07:05:00.000Z</CreatedAt></Header>' +
          `<Body>${body}</Body></Envelope>`,
      );
    });

    it('refuses an invalid header, naming each field', () => {
      const error = thrownCoreError(() =>
        writeEnvelope({ ...header, to: { gatewayId: 'TH', country: 'XX' as 'TH' }, createdAt: '2026-11-20T14:05:00+07:00' }, body),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues.map((issue) => issue.pointer)).toEqual(['/to/country', '/createdAt']);
    });

    it('refuses a body that does not declare its own namespace', () => {
      expect(thrownCoreError(() => writeEnvelope(header, '<ACDD><Note>x</Note></ACDD>')).code).toBe('VALIDATION_FAILED');
      expect(thrownCoreError(() => writeEnvelope(header, '<a:ACDD xmlns="urn:x"></a:ACDD>')).code).toBe('VALIDATION_FAILED');
    });
  });

  describe('readEnvelope', () => {
    it('lists every failing field with a pointer', () => {
      const xml = readFileSync(join(folder.dir, 'examples/invalid-unknown-header-element.xml'), 'utf8').replace(
        '<Country>TH</Country>',
        '<Country>XX</Country>',
      );
      const error = thrownCoreError(() => readEnvelope(parseXml(xml)));
      expect(error.issues.map((issue) => issue.pointer)).toEqual(['/header/to/country', '/header/priority']);
    });

    it('refuses another root or namespace', () => {
      const error = thrownCoreError(() => readEnvelope(parseXml('<Envelope xmlns="urn:other"/>')));
      expect(error.code).toBe('VALIDATION_FAILED');
    });

    it('ignores a ds:Signature but not another element named Signature', () => {
      const signed = writeEnvelope(header, body).replace(
        '</Envelope>',
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature></Envelope>',
      );
      expect(readEnvelope(parseXml(signed)).header).toEqual(header);
      const impostor = writeEnvelope(header, body).replace('</Envelope>', '<Signature><SignatureValue>AA==</SignatureValue></Signature></Envelope>');
      expect(thrownCoreError(() => readEnvelope(parseXml(impostor))).issues).toEqual([
        { pointer: '/<Signature>', detail: 'unknown element Signature' },
      ]);
    });
  });
});
