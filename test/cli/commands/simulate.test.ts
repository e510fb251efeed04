import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acddSpec } from '../../../message-schemas/acdd/1/schema.js';
import type { EnvelopeHeader } from '../../../message-schemas/envelope/1/build.js';
import { readReceipt } from '../../../message-schemas/receipt/1/build.js';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { XmlDsigSigner } from '../../../src/adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import { parseXml } from '../../../src/adapters/xml/xml-codec.js';
import { createSimulateCommand } from '../../../src/cli/commands/simulate.js';
import { toBase64 } from '../../../src/core/encoding.js';
import { validateDocument } from '../../../src/core/document/validate-document.js';
import { decodeDocumentXml, encodeDocumentXml } from '../../../src/core/document/xml-mapping.js';
import { parseConfig } from '../../../src/config.js';
import { startService, type RunningService } from '../../../src/runtime/service.js';
import type { PartnerSimulator } from '../../../src/runtime/simulator/partner-simulator.js';
import { anEnvelope } from '../../helpers/envelope-builder.js';
import { captureIo } from '../../helpers/capture-io.js';
import { freePorts } from '../../helpers/child-service.js';
import { copyTestPki } from '../../helpers/test-pki.js';

const COFFEE_ACDD_XML = new URL('../../../message-schemas/acdd/1/examples/valid-coffee-from-viet-nam.xml', import.meta.url).pathname;

/** A running `swx simulate`, in process: its captured output, its gateways, and how to stop it. */
interface Simulation {
  readonly io: ReturnType<typeof captureIo>;
  readonly simulators: readonly PartnerSimulator[];
  stop(): Promise<number>;
}

describe('swx simulate', () => {
  let root: string;
  let dataDir: string;
  let service: RunningService;
  let officerToken: string;
  let vnSigner: XmlDsigSigner;
  let acddXml: string;

  const certificate = (id: string) => readFileSync(join(dataDir, 'pki', 'gateways', `${id}.cert.pem`), 'utf8');

  async function simulate(args: string[]): Promise<Simulation> {
    const io = captureIo({ SWX_DATA_DIR: dataDir });
    const controller = new AbortController();
    let listening: (simulators: readonly PartnerSimulator[]) => void = () => undefined;
    const started = new Promise<readonly PartnerSimulator[]>((resolve) => (listening = resolve));
    const running = createSimulateCommand({ stop: controller.signal, onListening: (simulators) => listening(simulators) }).run(args, io);
    const simulators = await Promise.race([started, running.then((code) => Promise.reject(new Error(`swx simulate exited ${code}: ${io.err()}`)))]);
    return {
      io,
      simulators,
      stop: () => {
        controller.abort();
        return running;
      },
    };
  }

  /** An ACDD envelope from VN to `to`, as swx's outbox writes it. */
  const acddTo = (to: string) => anEnvelope().from('VN').to(to).carrying('ACDD').inConversation(randomUUID());

  /** An ACDD envelope from VN to `to`, signed with VN's development key, as swx's outbox sends it. */
  function signedAcdd(to: string): { header: EnvelopeHeader; envelope: string } {
    const acdd = acddTo(to);
    return { header: acdd.header(), envelope: acdd.signedBy(vnSigner, acddXml) };
  }

  async function post(url: string, envelope: string): Promise<{ status: number; text: string }> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: envelope });
    return { status: response.status, text: await response.text() };
  }

  async function eventually(condition: () => boolean, what: string): Promise<void> {
    for (let waited = 0; !condition(); waited += 20) {
      if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'swx-simulate-'));
    dataDir = join(root, 'data');
    copyTestPki(dataDir);
    service = await startService(parseConfig({ PORT: '0', SWX_DATA_DIR: dataDir, SWX_LOG_LEVEL: 'silent', SWX_SIMULATORS: 'off' }));
    const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const created = await fetch(`${service.url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'officer', name: 'simulate test', partyId: 'VN-CUSTOMS' }),
    });
    officerToken = ((await created.json()) as { token: string }).token;
    vnSigner = new XmlDsigSigner(readFileSync(join(dataDir, 'pki', 'gateways', 'VN.key.pem'), 'utf8'), certificate('VN'));
    acddXml = encodeDocumentXml(
      acddSpec,
      validateDocument(acddSpec.schema, decodeDocumentXml(acddSpec, parseXml(readFileSync(COFFEE_ACDD_XML, 'utf8')))),
    );
  });
  afterAll(async () => {
    await service.close();
    rmSync(root, { recursive: true, force: true });
  });

  describe('without faults', () => {
    it('lists the gateways, receipts a VN envelope with a signed receipt, sends swx the Customs Response, and stops', async () => {
      const simulation = await simulate(['--partners', 'TH,sg', '--swx-url', service.url, '--response-delay-ms', '0']);
      const [th, sg] = simulation.simulators;
      expect(simulation.simulators.map((simulator) => simulator.partnerId)).toEqual(['TH', 'SG']);
      const out = simulation.io.out();
      expect(out).toMatch(/^PARTNER +NAME +URL +EXCHANGE ENDPOINT$/m);
      expect(out).toMatch(new RegExp(`^TH +Thailand National Single Window +${th?.url} +${th?.exchangeUrl}$`, 'm'));
      expect(out).toMatch(new RegExp(`^SG +Singapore .+ +${sg?.url} +${sg?.exchangeUrl}$`, 'm'));
      expect(out).toContain('faults: none; business responses after 0 ms\n');
      expect(out).toContain(`business responses go to ${service.url}/v1/exchange`);

      const { header, envelope } = signedAcdd('TH');
      const answer = await post(th?.exchangeUrl ?? '', envelope);
      expect(answer.status).toBe(200);
      const verification = new XmlDsigVerifier().verify(answer.text, certificate('TH'));
      expect(verification.outcome).toBe('VALID');
      const receipt = readReceipt(parseXml(verification.signedXml ?? ''));
      expect(receipt).toMatchObject({
        messageId: header.messageId,
        status: 'RECEIVED',
        from: { gatewayId: 'TH', country: 'TH' },
        to: { gatewayId: 'VN', country: 'VN' },
        envelopeDigest: toBase64(nodeSha256(new TextEncoder().encode(envelope))),
        errors: [],
      });
      expect(simulation.io.out()).toMatch(
        new RegExp(`^\\S+ +TH +received +messageId=${header.messageId} documentType=ACDD action=SUBMIT from=VN$`, 'm'),
      );

      await eventually(() => /sent a business response/.test(simulation.io.out()), 'the Customs Response');
      const responseId = /TH +sent a business response +messageId=(\S+) documentType=CUSTOMS_RESPONSE refTo=(\S+) receipt=RECEIVED$/m.exec(
        simulation.io.out(),
      );
      expect(responseId?.[2]).toBe(header.messageId);
      const message = await fetch(`${service.url}/v1/messages/${responseId?.[1] ?? ''}`, { headers: { authorization: `Bearer ${officerToken}` } });
      expect(message.status).toBe(200);
      expect(await message.json()).toMatchObject({
        direction: 'IN',
        partner: 'TH',
        documentType: 'CUSTOMS_RESPONSE',
        refTo: header.messageId,
        conversationId: header.conversationId,
      });

      expect(await simulation.stop()).toBe(0);
      expect(simulation.io.out()).toContain('TH: received 1, rejected 0, duplicates 0, responses accepted 1/1, faults injected 0\n');
      expect(simulation.io.out()).toContain('SG: received 0, rejected 0, duplicates 0, responses accepted 0/0, faults injected 0\n');
      await expect(fetch(th?.exchangeUrl ?? '', { method: 'POST', body: envelope })).rejects.toThrow();
    });

    it('rejects, with a signed receipt, an envelope not signed by VN', async () => {
      const simulation = await simulate(['--partners', 'TH', '--swx-url', service.url]);
      const sgSigner = new XmlDsigSigner(readFileSync(join(dataDir, 'pki', 'gateways', 'SG.key.pem'), 'utf8'), certificate('SG'));
      const acdd = acddTo('TH');
      const header = acdd.header();
      const answer = await post(simulation.simulators[0]?.exchangeUrl ?? '', acdd.signedBy(sgSigner, acddXml));
      expect(answer.status).toBe(400);
      const verification = new XmlDsigVerifier().verify(answer.text, certificate('TH'));
      expect(verification.outcome).toBe('VALID');
      expect(readReceipt(parseXml(verification.signedXml ?? ''))).toMatchObject({ status: 'REJECTED', messageId: header.messageId });
      expect(await simulation.stop()).toBe(0);
      expect(simulation.io.err()).toMatch(/TH +WARN simulator rejected an envelope +code=CERTIFICATE_UNTRUSTED/);
    });
  });

  describe('with --bad-signature-rate 1', () => {
    it('answers with receipts whose signature does not verify, and says so', async () => {
      const simulation = await simulate(['--partners', 'TH', '--bad-signature-rate', '1', '--swx-url', service.url, '--response-delay-ms', '60000']);
      expect(simulation.io.out()).toContain('faults: bad-signature-rate 1; business responses after 60000 ms\n');
      const { header, envelope } = signedAcdd('TH');
      const answer = await post(simulation.simulators[0]?.exchangeUrl ?? '', envelope);
      expect(answer.status).toBe(200);
      const verification = new XmlDsigVerifier().verify(answer.text, certificate('TH'));
      expect(verification.outcome).toBe('INVALID');
      expect(verification.checks.find((check) => check.name === 'signature-value')).toMatchObject({
        status: 'INVALID',
        reason: { code: 'SIGNATURE_INVALID' },
      });
      expect(readReceipt(parseXml(answer.text)).messageId).toBe(header.messageId);
      expect(simulation.io.out()).toMatch(/TH +fault: the receipt signature is corrupted$/m);
      expect(await simulation.stop()).toBe(0);
      expect(simulation.io.out()).toContain('TH: received 1, rejected 0, duplicates 0, responses accepted 0/0, faults injected 1\n');
    });
  });

  describe('with --port-base', () => {
    it('listens on consecutive ports in the order given, and fails in one line when a port is taken', async () => {
      // Three free ports below the ephemeral range: the blocker takes the middle one, SG gets the first, then SG and TH the last two.
      const taken = (await freePorts(3)) + 1;
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(taken, '127.0.0.1', resolve));
      try {
        const io = captureIo({ SWX_DATA_DIR: dataDir });
        expect(await createSimulateCommand({ stop: AbortSignal.abort() }).run(['--partners', 'SG,TH', '--port-base', String(taken - 1)], io)).toBe(1);
        expect(io.err()).toBe(`swx simulate: cannot listen on 127.0.0.1:${taken} for TH: EADDRINUSE (the port is in use; try another --port-base)\n`);
      } finally {
        await new Promise<void>((resolve) => blocker.close(() => resolve()));
      }
      const simulation = await simulate(['--partners', 'SG,TH', '--port-base', String(taken)]);
      expect(simulation.simulators.map((simulator) => simulator.url)).toEqual([`http://127.0.0.1:${taken}`, `http://127.0.0.1:${taken + 1}`]);
      expect(await simulation.stop()).toBe(0);
    });
  });

  describe('usage errors', () => {
    it.each([
      [['--error-rate', '2'], 'swx simulate: --error-rate: "2": expected a rate from 0 to 1'],
      [['--drop-rate', 'often'], 'swx simulate: --drop-rate: "often": expected a rate from 0 to 1'],
      [['--latency-ms', '1.5'], 'swx simulate: --latency-ms: "1.5": expected a whole number of milliseconds, 0 or more'],
      [['--response-delay-ms', ''], 'swx simulate: --response-delay-ms: expected a number'],
      [['--port-base', '70000'], 'swx simulate: --port-base: "70000" is not a port number (1 to 65535)'],
      [['--retry-minutes', '0'], 'swx simulate: --retry-minutes: "0" is not a positive number of minutes'],
      [['--retry-minutes', 'long'], 'swx simulate: --retry-minutes: "long" is not a positive number of minutes'],
      [['--partners', 'KR'], 'swx simulate: --partners: KR is planned: swx exchanges nothing with it yet'],
      [['--partners', 'TH,XX'], 'swx simulate: --partners: no partner "XX" in '],
      [['--partners', 'VN-PPD'], 'swx simulate: --partners: VN-PPD is an agency, not a partner gateway'],
      [['--slow'], "swx simulate: Unknown option '--slow'"],
    ])('refuses %j in one line with exit 2', async (args, message) => {
      const io = captureIo({ SWX_DATA_DIR: dataDir });
      expect(await createSimulateCommand({ stop: AbortSignal.abort() }).run(args, io)).toBe(2);
      expect(io.err().startsWith(message)).toBe(true);
      expect(io.err().trimEnd().split('\n')).toHaveLength(1);
      expect(io.out()).toBe('');
    });
  });
});
