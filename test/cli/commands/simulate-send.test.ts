import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvelope } from '../../../message-schemas/envelope/1/build.js';
import { writeReceipt } from '../../../message-schemas/receipt/1/build.js';
import { XmlDsigSigner } from '../../../src/adapters/crypto/xmldsig-signer.js';
import { parseXml } from '../../../src/adapters/xml/xml-codec.js';
import simulateSend from '../../../src/cli/commands/simulate-send.js';
import { main } from '../../../src/cli/main.js';
import { parseConfig } from '../../../src/config.js';
import { startService, type RunningService } from '../../../src/runtime/service.js';
import { captureIo } from '../../helpers/capture-io.js';
import { copyTestPki } from '../../helpers/test-pki.js';

const examples = new URL('../../../message-schemas/', import.meta.url).pathname;
const CLEARED_XML = join(examples, 'customs-response/1/examples/valid-cleared.xml');
const REJECTED_JSON = join(examples, 'customs-response/1/examples/valid-rejected.json');
const UNKNOWN_STATUS_XML = join(examples, 'customs-response/1/examples/invalid-unknown-status.xml');
const COFFEE_ACDD_XML = join(examples, 'acdd/1/examples/valid-coffee-from-viet-nam.xml');
const CANCELLATION_XML = join(examples, 'acdd-cancellation/1/examples/valid-contract-cancelled.xml');
const JAXB_EPHYTO_XML = join(examples, 'ephyto/1/examples/valid-third-party-jaxb-prefixes.xml');
const DOTNET_EPHYTO_XML = join(examples, 'ephyto/1/examples/valid-third-party-default-namespace.xml');
const DEAD_URL = 'http://127.0.0.1:1';

interface MessageView {
  messageId: string;
  direction: string;
  partner: string;
  documentType: string;
  conversationId: string;
  refTo: string | null;
  ledgerIndex: number | null;
  digest: string;
  envelope: string;
  receipt: string | null;
}

describe('swx simulate send', () => {
  let root: string;
  let dataDir: string;
  let service: RunningService;
  let officerToken: string;

  const run = async (args: string[], env: Record<string, string> = {}) => {
    const io = captureIo({ SWX_DATA_DIR: dataDir, ...env });
    const code = await simulateSend.run(args, io);
    return { code, out: io.out(), err: io.err() };
  };
  const sentMessageId = (out: string) => /^ {2}message id +(\S+)$/m.exec(out)?.[1] ?? '';
  const readMessage = async (messageId: string) => {
    const response = await fetch(`${service.url}/v1/messages/${messageId}`, { headers: { authorization: `Bearer ${officerToken}` } });
    return { status: response.status, body: (await response.json()) as MessageView };
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'swx-simulate-send-'));
    dataDir = join(root, 'data');
    copyTestPki(dataDir);
    service = await startService(parseConfig({ PORT: '0', SWX_DATA_DIR: dataDir, SWX_LOG_LEVEL: 'silent', SWX_SIMULATORS: 'off' }));
    const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const created = await fetch(`${service.url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'officer', name: 'simulate send test', partyId: 'VN-CUSTOMS' }),
    });
    expect(created.status).toBe(201);
    officerToken = ((await created.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await service.close();
    rmSync(root, { recursive: true, force: true });
  });

  describe('when swx receives the document', () => {
    it('prints the verified RECEIVED receipt, exits 0, and swx holds the envelope byte for byte', async () => {
      const { code, out, err } = await run(['--partner', 'TH', '--type', 'CUSTOMS_RESPONSE', '--url', service.url, CLEARED_XML]);
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(out).toMatch(new RegExp(`^sent CUSTOMS_RESPONSE from TH to VN at ${service.url}/v1/exchange$`, 'm'));
      expect(out).toMatch(/^receipt RECEIVED \(HTTP 200\)$/m);
      expect(out).toMatch(/^ {2}signature +valid, by VN \(.*VN\.cert\.pem\)$/m);
      expect(out).toMatch(/^ {2}message id +\S+ \(the message sent\)$/m);
      expect(out).toMatch(/^ {2}ledger index +\d+$/m);
      expect(out).toMatch(/^ {2}digest +matches the envelope sent$/m);

      const messageId = sentMessageId(out);
      const { status, body } = await readMessage(messageId);
      expect(status).toBe(200);
      expect(body).toMatchObject({ messageId, direction: 'IN', partner: 'TH', documentType: 'CUSTOMS_RESPONSE', refTo: null });
      const printedDigest = /envelope digest sha256:(\S+)/.exec(out)?.[1];
      expect(createHash('sha256').update(body.envelope, 'utf8').digest('base64')).toBe(printedDigest);
      expect(body.envelope).toContain(
        `<Body>${readFileSync(CLEARED_XML, 'utf8')
          .replace(/^<\?xml[^>]*>\n/, '')
          .trimEnd()}</Body>`,
      );
      expect(out).toMatch(/^ {2}body +the file's bytes as written \(--raw\)$/m);
      expect(out).toContain(`ledger index    ${body.ledgerIndex}`);
    });

    it("with --canonical, sends the document as swx's codec writes it", async () => {
      const { code, out } = await run(['--partner', 'TH', '--canonical', '--url', service.url, CLEARED_XML]);
      expect(code).toBe(0);
      expect(out).toMatch(/^ {2}body +written by swx's codec \(--canonical\)$/m);
      const { body } = await readMessage(sentMessageId(out));
      expect(body.envelope).toContain('<Body><CustomsResponse xmlns="urn:swx:xsd:customs-response:1"><RespondingCountry>TH</RespondingCountry>');
    });

    it('with --print-receipt, prints the signed receipt exactly as received', async () => {
      const { code, out } = await run(['--partner', 'TH', '--print-receipt', '--url', service.url, CLEARED_XML]);
      expect(code).toBe(0);
      expect(out).toMatch(/^<Receipt xmlns="urn:swx:xsd:receipt:1">.*<Status>RECEIVED<\/Status>.*<\/ds:Signature><\/Receipt>\n$/s);
    });

    it('sends a JSON document with the conversation and reference given, and takes the partner id in any case', async () => {
      const conversation = randomUUID();
      const refTo = randomUUID();
      const { code, out } = await run([
        '--partner',
        'th',
        '--type',
        'customs-response',
        '--conversation',
        conversation,
        '--ref-to',
        refTo,
        '--url',
        service.url,
        REJECTED_JSON,
      ]);
      expect(code).toBe(0);
      expect(out).toMatch(/^ {2}action +RESPOND$/m);
      const { body } = await readMessage(sentMessageId(out));
      expect(body).toMatchObject({ partner: 'TH', conversationId: conversation, refTo, documentType: 'CUSTOMS_RESPONSE' });
    });

    it('tells the document type from the root element of an XML document', async () => {
      const { code, out } = await run(['--partner', 'SG', '--url', service.url, CLEARED_XML]);
      expect(code).toBe(0);
      expect(out).toMatch(/^sent CUSTOMS_RESPONSE from SG to VN/m);
    });
  });

  describe("with a partner's own ePhyto (--raw, the default for XML)", () => {
    // Third-party ePhytos as other national systems write them, from a partner that may send them: the
    // exporting country is the sender's (TH), as routing requires; every other byte is the example's.
    const fromThailand = (file: string, exportCountry: RegExp, name: string) => {
      const copy = join(root, name);
      writeFileSync(
        copy,
        readFileSync(file, 'utf8').replace(exportCountry, (match, id: string) => match.replace(id, 'TH')),
      );
      return copy;
    };

    it.each([
      ['JAXB ns2/ns3/ns4 prefixes', JAXB_EPHYTO_XML, /<ns2:ExportSPSCountry>\s*<ns2:ID>(NZ)</, 'jaxb.xml'],
      ['.NET default namespace, xmlns="" and i:nil', DOTNET_EPHYTO_XML, /<a:ExportSPSCountry>\s*<a:ID>(KE)</, 'dotnet.xml'],
    ])("delivers the file's root element byte for byte (%s), prefixes and white space intact", async (_name, file, country, name) => {
      const copy = fromThailand(file, country, name);
      const text = readFileSync(copy, 'utf8');
      const rootElement = text.slice(text.indexOf('<', text.indexOf('-->'))).trimEnd();
      const { code, out, err } = await run(['--partner', 'TH', '--url', service.url, copy]);
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(out).toMatch(/^sent EPHYTO from TH to VN/m);
      expect(out).toMatch(/^receipt RECEIVED \(HTTP 200\)$/m);

      const stored = await fetch(`${service.url}/v1/messages/${sentMessageId(out)}/envelope`, {
        headers: { authorization: `Bearer ${officerToken}` },
      });
      expect(stored.status).toBe(200);
      const envelope = await stored.text();
      expect(envelope).toContain(`<Body>${rootElement}</Body>`);
      expect(envelope).not.toContain('<?xml');
    });

    it('refuses --raw for a JSON document, and --raw with --canonical', async () => {
      const json = await run(['--partner', 'TH', '--type', 'CUSTOMS_RESPONSE', '--raw', '--url', DEAD_URL, REJECTED_JSON]);
      expect(json.code).toBe(2);
      expect(json.err).toMatch(/^swx simulate send: --raw sends an XML file as it is; a JSON document is always written by swx's codec/);
      const both = await run(['--partner', 'TH', '--raw', '--canonical', '--url', DEAD_URL, CLEARED_XML]);
      expect(both.code).toBe(2);
      expect(both.err).toMatch(/^swx simulate send: give --raw or --canonical, not both/);
    });

    it("refuses, sending nothing, a document whose unqualified elements would fall into the envelope's namespace", async () => {
      const file = join(root, 'no-namespace-children.xml');
      const cleared = readFileSync(CLEARED_XML, 'utf8');
      writeFileSync(
        file,
        cleared
          .replace('<CustomsResponse xmlns="urn:swx:xsd:customs-response:1">', '<cr:CustomsResponse xmlns:cr="urn:swx:xsd:customs-response:1">')
          .replace('</CustomsResponse>', '</cr:CustomsResponse>'),
      );
      const { code, err } = await run(['--partner', 'TH', '--raw', '--url', DEAD_URL, '--type', 'CUSTOMS_RESPONSE', file]);
      expect(code).toBe(1);
      expect(err).toBe(
        `swx simulate send: ${file}: the document cannot go into an envelope unchanged: it reads differently inside the envelope: ` +
          'declare xmlns="" on elements in no namespace, or send it with --canonical; nothing was sent\n',
      );
    });
  });

  describe('when swx rejects the document', () => {
    it('prints the REJECTED receipt with each error code and exits 1', async () => {
      const { code, out, err } = await run(['--partner', 'TH', '--type', 'ACDD_CANCELLATION', '--url', service.url, CANCELLATION_XML]);
      expect(code).toBe(1);
      expect(out).toMatch(/^receipt REJECTED \(HTTP 422\)$/m);
      expect(out).toMatch(/^ {2}signature +valid, by VN/m);
      expect(out).toMatch(/^ {2}error +DOCUMENT_TYPE_NOT_SUPPORTED: TH is not configured to send ACDD_CANCELLATION$/m);
      expect(err).toBe(
        "note: TH's partner file does not list ACDD_CANCELLATION among the documents it sends: swx will reject it\n" +
          'swx simulate send: swx rejected the ACDD_CANCELLATION (DOCUMENT_TYPE_NOT_SUPPORTED)\n',
      );
    });
  });

  describe('when the receipt does not hold up', () => {
    let fake: Server;
    let fakeUrl: string;
    let answer: 'wrong-signer' | 'problem';

    beforeAll(async () => {
      const pki = join(dataDir, 'pki', 'gateways');
      const thSigner = new XmlDsigSigner(readFileSync(join(pki, 'TH.key.pem'), 'utf8'), readFileSync(join(pki, 'TH.cert.pem'), 'utf8'));
      fake = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        request.on('end', () => {
          if (answer === 'problem') {
            response.writeHead(415, { 'content-type': 'application/problem+json' });
            response.end(
              JSON.stringify({ type: 'unsupported-media-type', title: 'Unsupported Media Type', status: 415, detail: 'send application/xml' }),
            );
            return;
          }
          const { header } = readEnvelope(parseXml(body));
          const receipt = writeReceipt({
            receiptId: randomUUID(),
            messageId: header.messageId,
            from: { gatewayId: 'VN', country: 'VN' },
            to: header.from,
            status: 'RECEIVED',
            envelopeDigest: createHash('sha256').update(body, 'utf8').digest('base64'),
            ledgerIndex: 7,
            errors: [],
            createdAt: new Date().toISOString(),
          });
          response.writeHead(200, { 'content-type': 'application/xml' });
          response.end(thSigner.signSync(receipt));
        });
      });
      await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
      fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => fake.close(() => resolve())));

    it('exits 1 when the receipt is not signed by swx, though it says RECEIVED', async () => {
      answer = 'wrong-signer';
      const { code, out, err } = await run(['--partner', 'TH', '--type', 'CUSTOMS_RESPONSE', '--url', fakeUrl, CLEARED_XML]);
      expect(code).toBe(1);
      expect(out).toMatch(/^receipt RECEIVED \(HTTP 200\)$/m);
      expect(out).toMatch(/^ {2}signature +NOT VALID: CERTIFICATE_UNTRUSTED: KeyInfo carries a certificate/m);
      expect(err).toMatch(/^swx simulate send: the receipt's signature does not verify: CERTIFICATE_UNTRUSTED: .*\n$/);
    });

    it('exits 1 naming the answer when there is no receipt at all', async () => {
      answer = 'problem';
      const { code, err } = await run(['--partner', 'TH', '--type', 'CUSTOMS_RESPONSE', '--url', fakeUrl, CLEARED_XML]);
      expect(code).toBe(1);
      expect(err).toBe(
        `swx simulate send: ${fakeUrl}/v1/exchange answered without a receipt: HTTP 415 Unsupported Media Type: send application/xml\n`,
      );
    });
  });

  describe('with --out', () => {
    it('writes a signed envelope that xmlsec1 verifies with the partner certificate, and sends nothing', async () => {
      const file = join(root, 'envelope.xml');
      const { code, out } = await run(['--partner', 'TH', '--type', 'CUSTOMS_RESPONSE', '--url', DEAD_URL, '--out', file, CLEARED_XML]);
      expect(code).toBe(0);
      expect(out).toMatch(new RegExp(`^wrote a signed CUSTOMS_RESPONSE envelope from TH to VN to ${file}$`, 'm'));
      const envelope = readFileSync(file, 'utf8');
      const { header } = readEnvelope(parseXml(envelope));
      expect(header).toMatchObject({
        messageId: sentMessageId(out),
        from: { gatewayId: 'TH', country: 'TH' },
        to: { gatewayId: 'VN', country: 'VN' },
        action: 'RESPOND',
      });

      const xmlsec1 = (certificate: string) =>
        spawnSync(
          'xmlsec1',
          ['--verify', '--enabled-reference-uris', 'empty', '--pubkey-cert-pem', join(dataDir, 'pki', 'gateways', certificate), file],
          { encoding: 'utf8' },
        );
      const verified = xmlsec1('TH.cert.pem');
      expect(verified.error).toBeUndefined();
      expect(verified.status, verified.stderr).toBe(0);
      expect(verified.stderr).toMatch(/^OK$/m);
      expect(xmlsec1('SG.cert.pem').status).not.toBe(0);
    });
  });

  describe('when the document is not valid', () => {
    it('lists each failing field by pointer, exits 1 and sends nothing', async () => {
      const { code, out, err } = await run(['--partner', 'TH', '--type', 'CUSTOMS_RESPONSE', '--url', DEAD_URL, UNKNOWN_STATUS_XML]);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toBe(
        `swx simulate send: ${UNKNOWN_STATUS_XML} is not a valid CUSTOMS_RESPONSE (1 invalid field); nothing was sent:\n` +
          '  /status: expected RECEIVED, ACCEPTED, CLEARED or REJECTED\n',
      );
    });

    it('names the root element when the document is of another type than --type', async () => {
      const { code, err } = await run(['--partner', 'TH', '--type', 'CUSTOMS_RESPONSE', '--url', DEAD_URL, COFFEE_ACDD_XML]);
      expect(code).toBe(1);
      expect(err).toMatch(
        /is not a valid CUSTOMS_RESPONSE \(1 invalid field\); nothing was sent:\n {2}\/: the root element is ACDD in namespace urn:swx:xsd:acdd:1; expected CustomsResponse/,
      );
    });

    it('reports malformed XML and broken JSON in one line', async () => {
      const broken = join(root, 'broken.json');
      writeFileSync(broken, '{ "status": ');
      const json = await run(['--partner', 'TH', '--type', 'CUSTOMS_RESPONSE', '--url', DEAD_URL, broken]);
      expect(json.code).toBe(1);
      expect(json.err).toMatch(/^swx simulate send: .*broken\.json: not valid JSON: .*\n$/);
      const malformed = join(root, 'malformed.xml');
      writeFileSync(malformed, '<CustomsResponse xmlns="urn:swx:xsd:customs-response:1"><Status>');
      const xml = await run(['--partner', 'TH', '--url', DEAD_URL, malformed]);
      expect(xml.code).toBe(1);
      expect(xml.err).toMatch(/^swx simulate send: .*malformed\.xml: malformed XML.*\n$/);
    });
  });

  describe('usage errors and failures', () => {
    it.each([
      [
        ['--partner', 'XX'],
        /^swx simulate send: --partner: no partner "XX" in .* \(gateways to simulate: BN, ID, KH, LA, MM, MY, PH, SG, TH\) \(see swx simulate send --help\)\n$/,
      ],
      [['--partner', 'KR'], /^swx simulate send: --partner: KR is planned: swx exchanges nothing with it yet/],
      [['--partner', 'VN-CUSTOMS'], /^swx simulate send: --partner: VN-CUSTOMS is an agency, not a partner gateway/],
    ])('refuses %j in one line with exit 2', async (partner, message) => {
      const { code, out, err } = await run([...partner, '--type', 'CUSTOMS_RESPONSE', '--url', DEAD_URL, CLEARED_XML]);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(message);
      expect(err.trimEnd().split('\n')).toHaveLength(1);
    });

    it('lists the supported types for an unknown type or one without a schema yet', async () => {
      const supported = '(supported: ACDD, ACDD_CANCELLATION, CUSTOMS_RESPONSE, EAH, EPHYTO, EXPORT_DECLARATION, FORM_D, FORM_D_STATUS, SPS_ACK)';
      const unknown = await run(['--partner', 'TH', '--type', 'INVOICE', CLEARED_XML]);
      expect(unknown.code).toBe(2);
      expect(unknown.err).toBe(`swx simulate send: --type: unknown document type "INVOICE" ${supported} (see swx simulate send --help)\n`);
      const noSchema = await run(['--partner', 'TH', '--type', 'IMPORT_DECLARATION', CLEARED_XML]);
      expect(noSchema.code).toBe(2);
      expect(noSchema.err).toBe(
        `swx simulate send: --type: IMPORT_DECLARATION has no schema in message-schemas/ yet ${supported} (see swx simulate send --help)\n`,
      );
    });

    it('is a usage error without a file, --partner, a valid --action, or --type for JSON', async () => {
      expect((await run(['--partner', 'TH'])).err).toBe('swx simulate send: give exactly one document file (see swx simulate send --help)\n');
      expect((await run([CLEARED_XML])).code).toBe(2);
      const action = await run(['--partner', 'TH', '--action', 'SEND', CLEARED_XML]);
      expect(action.code).toBe(2);
      expect(action.err).toMatch(/^swx simulate send: --action: "SEND" is not one of SUBMIT, CANCEL, RESPOND, ACKNOWLEDGE/);
      const json = await run(['--partner', 'TH', REJECTED_JSON]);
      expect(json.code).toBe(2);
      expect(json.err).toMatch(/^swx simulate send: --type is required for a JSON document/);
    });

    it('names the URL when swx cannot be reached', async () => {
      const { code, err } = await run(['--partner', 'TH', '--url', DEAD_URL, CLEARED_XML]);
      expect(code).toBe(1);
      expect(err).toBe(
        `swx simulate send: cannot reach swx at ${DEAD_URL}/v1/exchange: ECONNREFUSED (is it running? start it with swx serve, or give its address with --url or SWX_URL)\n`,
      );
    });

    it('says to run swx pki init when the partner key is missing, and when the file cannot be read', async () => {
      const empty = join(root, 'no-pki');
      const missingKey = await run(['--partner', 'TH', '--data-dir', empty, '--url', DEAD_URL, CLEARED_XML]);
      expect(missingKey.code).toBe(1);
      expect(missingKey.err).toBe(
        `swx simulate send: no development key for TH in ${join(empty, 'pki')}: run swx pki init (with the data dir swx uses)\n`,
      );
      const missingFile = await run(['--partner', 'TH', '--url', DEAD_URL, join(root, 'nothing.xml')]);
      expect(missingFile.code).toBe(1);
      expect(missingFile.err).toBe(`swx simulate send: cannot read ${join(root, 'nothing.xml')}: ENOENT\n`);
    });

    it('is reached through swx simulate send, which shows its usage', async () => {
      const io = captureIo();
      expect(await main(['simulate', 'send', '--help'], io)).toBe(0);
      expect(io.out()).toMatch(/^Usage: swx simulate send --partner <ID>/);
    });
  });
});
