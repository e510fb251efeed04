import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../../src/adapters/crypto/dev-pki-layout.js';
import { issueDevCertificate } from '../../../src/adapters/crypto/forge-dev-pki.js';
import { XmlDsigSigner } from '../../../src/adapters/crypto/xmldsig-signer.js';
import conformance from '../../../src/cli/commands/conformance.js';
import { main } from '../../../src/cli/main.js';
import type { ConformanceReport } from '../../../src/core/exchange/check-conformance.js';
import { captureIo } from '../../helpers/capture-io.js';
import { payloadChangedAfterSigning } from '../../helpers/hostile-envelopes.js';
import { partnerEnvelopes } from '../../helpers/partner-envelopes.js';
import { partnersDirWith } from '../../helpers/partners-dir.js';
import { copyTestPki } from '../../helpers/test-pki.js';

const examples = new URL('../../../message-schemas/', import.meta.url).pathname;
const CLEARED_XML = join(examples, 'customs-response/1/examples/valid-cleared.xml');
const UNKNOWN_STATUS_XML = join(examples, 'customs-response/1/examples/invalid-unknown-status.xml');
const MISSING_CONSIGNEE_XML = join(examples, 'ephyto/1/examples/invalid-missing-consignee.xml');
const WARNING_EPHYTO_XML = join(examples, 'ephyto/1/examples/valid-with-warning-attachment-not-base64.xml');
const JAXB_EPHYTO_XML = join(examples, 'ephyto/1/examples/valid-third-party-jaxb-prefixes.xml');
const DAY_MS = 86_400_000;

/** A report line: status, check name, location, then the code and message when there is one. */
const line = (status: string, name: string, rest = '') => new RegExp(`^${status} +${name.replaceAll('.', '\\.')} +${rest}`, 'm');

describe('swx conformance', () => {
  let root: string;
  let dataDir: string;
  let envelopes: ReturnType<typeof partnerEnvelopes>;
  let partnersDir: string;
  let expiredMy: XmlDsigSigner;

  const write = (name: string, text: string) => {
    const file = join(root, name);
    writeFileSync(file, text);
    return file;
  };
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const io = captureIo({ SWX_DATA_DIR: dataDir, SWX_PARTNERS_DIR: partnersDir, ...env });
    const code = await conformance.run(args, io);
    return { code, out: io.out(), err: io.err() };
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'swx-conformance-'));
    dataDir = join(root, 'data');
    const pkiDir = copyTestPki(dataDir);
    envelopes = partnerEnvelopes(pkiDir);
    // MY's partner file pins a certificate that expired yesterday, for the same key.
    const pki = devPkiLayout(pkiDir);
    const myKey = readFileSync(pki.gatewayKey('MY'), 'utf8');
    const now = Date.now();
    const expired = await issueDevCertificate(pkiDir, {
      country: 'MY',
      commonName: 'MY gateway (expired)',
      notBefore: new Date(now - 400 * DAY_MS),
      notAfter: new Date(now - DAY_MS),
      privateKeyPem: myKey,
    });
    const certificateFile = write('MY.pinned.cert.pem', expired.certificatePem);
    partnersDir = partnersDirWith({
      MY: {
        mode: 'live',
        endpoint: 'http://127.0.0.1:9/my/v1/exchange',
        trust: { source: 'pinned', certificateFile, rootCertificateFile: pki.rootCertificate('MY'), crlFile: pki.crl('MY') },
      },
    });
    expiredMy = new XmlDsigSigner(myKey, expired.certificatePem);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  describe('of a valid signed envelope', () => {
    it('lists every check VALID and exits 0', async () => {
      const file = write('valid.xml', envelopes.sign(JAXB_EPHYTO_XML, envelopes.header('TH', 'EPHYTO')));
      const { code, out, err } = await run([file]);
      expect(err).toBe('');
      expect(code).toBe(0);
      const lines = out.trimEnd().split('\n');
      expect(lines.at(-1)).toBe(`${file}: envelope EPHYTO from TH VALID (17 checks)`);
      expect(lines.slice(0, -1).every((text) => text.startsWith('VALID '))).toBe(true);
      expect(out).toMatch(line('VALID', 'signature.profile', '/Envelope/ds:Signature$'));
      expect(out).toMatch(line('VALID', 'certificate.chain', 'partners/th.json#/trust$'));
    });

    it('prints the report as JSON with --json', async () => {
      const file = write('valid-json.xml', envelopes.sign(CLEARED_XML, envelopes.header('SG', 'CUSTOMS_RESPONSE')));
      const { code, out } = await run(['--json', file]);
      expect(code).toBe(0);
      const report = JSON.parse(out) as ConformanceReport;
      expect(report).toMatchObject({ outcome: 'VALID', subject: 'ENVELOPE', documentType: 'CUSTOMS_RESPONSE', from: 'SG' });
      expect(report.checks.map((check) => check.name)).toEqual([
        'xml.well-formed',
        'envelope.schema',
        'sender.partner',
        'signature.well-formed',
        'signature.profile',
        'signature.key-info',
        'signature.digest',
        'signature.value',
        'certificate.pinned',
        'certificate.chain',
        'certificate.validity',
        'certificate.revocation',
        'sender.signer',
        'envelope.addressee',
        'envelope.time-window',
        'document.type',
        'document.schema',
      ]);
    });
  });

  describe('of a defective envelope', () => {
    it.each([
      [
        'tampered after signing',
        () =>
          payloadChangedAfterSigning(
            envelopes.sign(CLEARED_XML, envelopes.header('TH', 'CUSTOMS_RESPONSE')),
            '<Status>CLEARED</Status>',
            '<Status>REJECTED</Status>',
          ),
        [line('INVALID', 'signature.digest', '/Envelope/ds:Signature/ds:SignedInfo/ds:Reference/ds:DigestValue  SIGNATURE_INVALID: ')],
      ],
      [
        'signed with another gateway’s key (SG’s, From TH)',
        () => envelopes.sign(CLEARED_XML, envelopes.header('TH', 'CUSTOMS_RESPONSE'), 'SG'),
        [
          line('INVALID', 'signature.key-info', '\\S+  CERTIFICATE_UNTRUSTED: '),
          line(
            'INVALID',
            'sender.signer',
            '/Envelope/Header/From  SENDER_NOT_SIGNER: the envelope says it is from TH \\(TH\\) but is signed with the key of SG \\(SG\\)$',
          ),
        ],
      ],
      [
        'From naming another country than the signer’s partner file',
        () => envelopes.sign(CLEARED_XML, envelopes.header('TH', 'CUSTOMS_RESPONSE', { from: { gatewayId: 'TH', country: 'SG' } })),
        [
          line('VALID', 'signature.value'),
          line('INVALID', 'sender.signer', '/Envelope/Header/From  SENDER_NOT_SIGNER: the envelope says it is from TH \\(SG\\)'),
        ],
      ],
      [
        'signed with an expired pinned certificate (MY)',
        () => envelopes.signWith(expiredMy, CLEARED_XML, envelopes.header('MY', 'CUSTOMS_RESPONSE')),
        [line('VALID', 'signature.value'), line('INVALID', 'certificate.validity', 'partners/my.json#/trust  CERTIFICATE_EXPIRED: ')],
      ],
      [
        'created two hours ago',
        () => envelopes.sign(CLEARED_XML, envelopes.header('TH', 'CUSTOMS_RESPONSE', { createdAt: new Date(Date.now() - 7_200_000).toISOString() })),
        [line('INVALID', 'envelope.time-window', '/Envelope/Header/CreatedAt  ENVELOPE_STALE: ')],
      ],
      [
        'holding an invalid document',
        () => envelopes.sign(UNKNOWN_STATUS_XML, envelopes.header('TH', 'CUSTOMS_RESPONSE')),
        [
          line('VALID', 'signature.value'),
          line('INVALID', 'document.schema', '/Envelope/Body  VALIDATION_FAILED: '),
          /^ {11}\/status: expected RECEIVED, ACCEPTED, CLEARED or REJECTED$/m,
        ],
      ],
      [
        'from a gateway that is not a partner',
        () => envelopes.sign(CLEARED_XML, envelopes.header('TH', 'CUSTOMS_RESPONSE', { from: { gatewayId: 'XX', country: 'FR' } }), 'TH'),
        [line('INVALID', 'sender.partner', '/Envelope/Header/From/GatewayId  UNKNOWN_PARTNER: '), line('SKIPPED', 'signature.value')],
      ],
    ])('%s: reports the INVALID check with where it looked, and exits 1', async (name, build, expected) => {
      const file = write(`${name.replace(/\W+/g, '-')}.xml`, build());
      const { code, out } = await run([file]);
      expect(code).toBe(1);
      for (const pattern of expected) expect(out).toMatch(pattern);
      expect(out.trimEnd().split('\n').at(-1)).toMatch(/ INVALID \(\d+ checks, \d+ invalid\)$/);
    });
  });

  describe('of a business document alone', () => {
    it('lists every failing field by JSON pointer and exits 1', async () => {
      const { code, out } = await run([MISSING_CONSIGNEE_XML]);
      expect(code).toBe(1);
      expect(out).toBe(
        'VALID    xml.well-formed         /\n' +
          'VALID    document.type           /SPSCertificate\n' +
          'INVALID  document.schema         /SPSCertificate  VALIDATION_FAILED: the document has 1 invalid field\n' +
          '           /consignment/consignee: required\n' +
          `${MISSING_CONSIGNEE_XML}: document EPHYTO INVALID (3 checks, 1 invalid)\n`,
      );
    });

    it('passes a document accepted with warnings, listing each warning, and exits 0', async () => {
      const { code, out } = await run([WARNING_EPHYTO_XML]);
      expect(code).toBe(0);
      expect(out).toMatch(line('WARNING', 'document.warnings', '/SPSCertificate  ATTACHMENT_NOT_BASE64: '));
      expect(out).toMatch(/^ {11}\/referencedDocuments\/0\/attachment\/content: ATTACHMENT_NOT_BASE64: /m);
      expect(out).toMatch(/ EPHYTO VALID \(4 checks, 1 warning\)\n$/);
    });

    it('reads an SPSCertificate as an e-AH with --type EAH, and says when the root element names no document type', async () => {
      const eah = await run(['--type', 'eah', '--json', JAXB_EPHYTO_XML]);
      expect((JSON.parse(eah.out) as ConformanceReport).documentType).toBe('EAH');
      const unknown = await run([write('unknown.xml', '<Invoice xmlns="urn:example:invoice"><Total>1</Total></Invoice>')]);
      expect(unknown.code).toBe(1);
      expect(unknown.out).toMatch(
        line(
          'INVALID',
          'document.type',
          '/Invoice  DOCUMENT_TYPE_NOT_SUPPORTED: cannot tell the document type from its root element Invoice in urn:example:invoice$',
        ),
      );
      const malformed = await run([write('malformed.xml', '<a><b></a>')]);
      expect(malformed.code).toBe(1);
      expect(malformed.out).toMatch(line('INVALID', 'xml.well-formed', '/  MALFORMED_REQUEST: '));
    });
  });

  describe('usage errors', () => {
    it('exits 2 without a file, with an unknown --type, an unreadable file, or no development PKI', async () => {
      expect(await run([])).toMatchObject({ code: 2, err: 'swx conformance: give exactly one XML file (see swx conformance --help)\n' });
      expect((await run(['--type', 'INVOICE', CLEARED_XML])).err).toMatch(
        /^swx conformance: --type: unknown document type "INVOICE" \(supported: ACDD, /,
      );
      expect(await run([join(root, 'nothing.xml')])).toMatchObject({
        code: 2,
        err: `swx conformance: cannot read ${join(root, 'nothing.xml')}: ENOENT\n`,
      });
      const noPki = await run([CLEARED_XML], { SWX_DATA_DIR: join(root, 'no-data') });
      expect(noPki.code).toBe(2);
      expect(noPki.err).toMatch(/^swx conformance: .*development PKI file missing \(run `swx pki init`\)/);
    });

    it('is listed by swx --help and shows its usage', async () => {
      const io = captureIo();
      expect(await main(['--help'], io)).toBe(0);
      expect(io.out()).toMatch(/^ {2}conformance +check an envelope or a business document/m);
      const help = captureIo();
      expect(await main(['conformance', '--help'], help)).toBe(0);
      expect(help.out()).toMatch(/^Usage: swx conformance /);
    });
  });
});
