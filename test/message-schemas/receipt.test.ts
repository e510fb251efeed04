import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { readReceipt, writeReceipt, type Receipt } from '../../message-schemas/receipt/1/build.js';
import { schemaFolders, xmllintValidate } from '../helpers/xmllint.js';
import { thrownCoreError } from '../helpers/core-error.js';

const root = join(import.meta.dirname, '../../message-schemas');
const folder = schemaFolders(root).find((candidate) => candidate.name === 'receipt');
if (!folder) throw new Error('message-schemas/receipt/1 has no XSD and examples');
const scratch = mkdtempSync(join(tmpdir(), 'swx-receipt-'));

const received: Receipt = {
  receiptId: '5f0c2d7e-3b7a-4f0e-8a51-2c9e7d1b6a30',
  messageId: '0b9c3a4e-6d1f-4c53-9a57-0f7a3c1e2d45',
  from: { gatewayId: 'VN', country: 'VN' },
  to: { gatewayId: 'TH', country: 'TH' },
  status: 'RECEIVED',
  envelopeDigest: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
  ledgerIndex: 0,
  checkpoint: 'swx.gov.vn/ledger\n1\nbase64==\n\n— swx.gov.vn/ledger sig==',
  errors: [],
  createdAt: '2026-11-20T07:05:01.000Z',
};
const rejected: Receipt = {
  receiptId: '9d4b7c1a-0e2f-4a6b-8c3d-5e7f9a1b2c3d',
  from: { gatewayId: 'VN', country: 'VN' },
  status: 'REJECTED',
  envelopeDigest: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
  errors: [
    { code: 'MALFORMED_REQUEST', message: 'malformed XML at line 1, column 1: <"&">' },
    { code: 'SIGNATURE_INVALID', message: 'digest differs' },
  ],
  createdAt: '2026-11-20T07:05:01Z',
};

const receivedWithWarnings: Receipt = {
  ...received,
  warnings: [
    { code: 'ATTACHMENT_NOT_BASE64', pointer: '/referencedDocuments/0/attachment/content', message: 'the attachment does not decode as base64' },
    { code: 'UNIT_CODE_UNKNOWN', pointer: '/consignment/items/0/netWeight/unitCode', message: '"kilo<grams>" is not a unit code' },
    { code: 'TEXT_UNREADABLE', pointer: '', message: 'the whole document' },
  ],
};

function readsWithZod(file: string): boolean {
  try {
    readReceipt(parseXml(readFileSync(file, 'utf8')));
    return true;
  } catch {
    return false;
  }
}

describe('receipt/1', () => {
  describe('readReceipt agrees with receipt.xsd', () => {
    for (const file of [...folder.valid, ...folder.invalid]) {
      it(`on ${basename(file)}`, () => {
        const expected = basename(file).startsWith('valid-');
        expect(xmllintValidate(folder.xsd, file).ok).toBe(expected);
        expect(readsWithZod(file)).toBe(expected);
      });
    }
  });

  describe('writeReceipt', () => {
    for (const [name, receipt] of Object.entries({ received, rejected, receivedWithWarnings })) {
      it(`writes a ${name} receipt that receipt.xsd accepts and readReceipt reads back`, () => {
        const xml = writeReceipt(receipt);
        const file = join(scratch, `${name}.xml`);
        writeFileSync(file, xml);
        expect(xmllintValidate(folder.xsd, file)).toEqual({ ok: true, message: `${file} validates` });
        expect(readReceipt(parseXml(xml))).toEqual(receipt);
      });
    }

    it('writes the canonical form, with the digest algorithm and each error code as attributes', () => {
      expect(writeReceipt(rejected)).toBe(
        '<Receipt xmlns="urn:swx:xsd:receipt:1"><ReceiptId>9d4b7c1a-0e2f-4a6b-8c3d-5e7f9a1b2c3d</ReceiptId>' +
          '<From><GatewayId>VN</GatewayId><Country>VN</Country></From><Status>REJECTED</Status>' +
          '<EnvelopeDigest Algorithm="sha256">47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=</EnvelopeDigest>' +
          '<Error code="MALFORMED_REQUEST">malformed XML at line 1, column 1: &lt;"&amp;"&gt;</Error>' +
          '<Error code="SIGNATURE_INVALID">digest differs</Error><CreatedAt>2026-11-20T07:05:01Z</CreatedAt></Receipt>',
      );
    });

    it('writes each warning after the errors, its code and pointer as attributes, and none when there are none', () => {
      const xml = writeReceipt({ ...receivedWithWarnings, warnings: receivedWithWarnings.warnings?.slice(1, 2) ?? [] });
      expect(xml).toContain(
        '<Warning code="UNIT_CODE_UNKNOWN" pointer="/consignment/items/0/netWeight/unitCode">"kilo&lt;grams&gt;" is not a unit code</Warning><CreatedAt>',
      );
      expect(writeReceipt({ ...received, warnings: [] })).toBe(writeReceipt(received));
      expect(readReceipt(parseXml(writeReceipt(received)))).not.toHaveProperty('warnings');
    });

    it('refuses an invalid receipt, naming each field', () => {
      const error = thrownCoreError(() =>
        writeReceipt({ ...received, envelopeDigest: 'abc', ledgerIndex: -1, errors: [{ code: 'bad code', message: '' }] }),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues.map((issue) => issue.pointer)).toEqual(['/envelopeDigest', '/ledgerIndex', '/errors/0/code', '/errors/0/message']);
    });
  });

  describe('readReceipt', () => {
    it('reports a wrong digest algorithm and an unknown element with pointers', () => {
      const xml = readFileSync(join(folder.dir, 'examples/invalid-digest-algorithm-sha1.xml'), 'utf8').replace(
        '</Receipt>',
        '<Comment>x</Comment></Receipt>',
      );
      const error = thrownCoreError(() => readReceipt(parseXml(xml)));
      expect(error.issues).toEqual([
        { pointer: '/envelopeDigest', detail: 'expected the attribute Algorithm="sha256"' },
        { pointer: '/comment', detail: 'unknown property "comment"' },
      ]);
    });

    it('refuses another root', () => {
      expect(thrownCoreError(() => readReceipt(parseXml('<Receipt xmlns="urn:swx:xsd:envelope:1"/>'))).code).toBe('VALIDATION_FAILED');
    });
  });
});
