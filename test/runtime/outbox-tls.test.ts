import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../src/adapters/crypto/xmldsig-verifier.js';
import { readPartnerFiles } from '../../src/adapters/partners/partner-directory.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import type { GatewayPartner } from '../../src/core/partner.js';
import { NO_FAULTS } from '../../src/runtime/simulator/faults.js';
import { type PartnerSimulator, startPartnerSimulator } from '../../src/runtime/simulator/partner-simulator.js';
import { partnersDirWith } from '../helpers/partners-dir.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { clientIdentity, loopbackServerIdentity, type TlsIdentity } from '../helpers/tls-certificates.js';
import { startTlsFront, type TlsFront } from '../helpers/tls-front.js';

const coffee = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');

/** The first value `probe` gives that is not undefined, polled every 25 ms for at most 15 s. */
async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface OutboxRow {
  readonly state: string;
  readonly attempts: number;
  readonly last_error: string | null;
}

/**
 * TH's gateway as a live partner over HTTPS with mutual TLS: a simulator of TH on a plain loopback port, behind a TLS
 * endpoint whose server certificate comes from `serverCountry`'s development root and which requires a client
 * certificate from VN's root; and swx (its own simulators off) whose partner file reaches TH there with `tls`.
 */
describe('delivery to a partner gateway over mutual TLS', () => {
  const pkiDir = inject('testPkiDir');
  const layout = devPkiLayout(pkiDir);
  const running: { close(): Promise<void> }[] = [];
  let vnClient: TlsIdentity;
  let certs: string;

  beforeAll(async () => {
    vnClient = await clientIdentity(pkiDir, 'VN');
    certs = mkdtempSync(join(tmpdir(), 'swx-partner-tls-'));
    writeFileSync(join(certs, 'vn-client.cert.pem'), vnClient.certificatePem);
    writeFileSync(join(certs, 'vn-client.key.pem'), vnClient.privateKeyPem, { mode: 0o600 });
  });
  afterAll(async () => {
    for (const part of running.reverse()) await part.close();
  });

  async function startGateway(serverCountry: string): Promise<{ simulator: PartnerSimulator; front: TlsFront; swxUrl: { value: string } }> {
    const swxUrl = { value: '' };
    const simulator = await startPartnerSimulator({
      partner: readPartnerFiles(partnersDirWith({})).find((partner) => partner.id === 'TH') as GatewayPartner,
      signer: new XmlDsigSigner(readFileSync(layout.gatewayKey('TH'), 'utf8'), readFileSync(layout.gatewayCertificate('TH'), 'utf8')),
      verifier: new XmlDsigVerifier(),
      parseXml,
      nsw: {
        gateway: { gatewayId: 'VN', country: 'VN' },
        certificatePem: readFileSync(layout.gatewayCertificate('VN'), 'utf8'),
        exchangeUrl: () => `${swxUrl.value}/v1/exchange`,
      },
      faults: NO_FAULTS,
      clock: { now: () => new Date() },
      ids: { uuid: () => randomUUID() },
      sha256: nodeSha256,
      random: Math.random,
      log: () => undefined,
    });
    running.push(simulator);
    const front = await startTlsFront({
      identity: await loopbackServerIdentity(pkiDir, serverCountry),
      clientRoots: [readFileSync(layout.rootCertificate('VN'), 'utf8')],
      targetPort: Number(new URL(simulator.url).port),
    });
    running.push(front);
    return { simulator, front, swxUrl };
  }

  async function startSwx(front: TlsFront, tls: Record<string, unknown>, swxUrl: { value: string }): Promise<TestService> {
    const partners = partnersDirWith({
      TH: {
        mode: 'live',
        endpoint: `${front.origin}/v1/exchange`,
        trust: { source: 'pinned', certificateFile: layout.gatewayCertificate('TH'), rootCertificateFile: layout.rootCertificate('TH') },
        retry: { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 200 },
        tls,
      },
    });
    const swx = await startTestService({ SWX_SIMULATORS: 'off', SWX_PARTNERS_DIR: partners });
    running.push(swx);
    swxUrl.value = swx.url;
    return swx;
  }

  async function submitAcdd(swx: TestService): Promise<string> {
    const trader = await swx.createKey('trader', '0301234567');
    const response = await fetch(`${swx.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json' },
      body: coffee,
    });
    expect(response.status).toBe(202);
    return await waitFor('the ACDD queued', () => {
      const [row] = swx.query<{ message_id: string }>("SELECT message_id FROM messages WHERE direction = 'OUT' AND document_type = 'ACDD'");
      return row?.message_id;
    });
  }

  const outboxRow = (swx: TestService, messageId: string) =>
    swx.query<OutboxRow>('SELECT state, attempts, last_error FROM outbox WHERE message_id = ?', messageId)[0];

  const mutualTls = () => ({
    clientCertificateFile: join(certs, 'vn-client.cert.pem'),
    clientKeyFile: join(certs, 'vn-client.key.pem'),
    serverRoots: [{ certificateFile: layout.rootCertificate('TH') }],
  });

  it('delivers with the client certificate of the partner file, the partner seeing VN as the client', async () => {
    const { simulator, front, swxUrl } = await startGateway('TH');
    const swx = await startSwx(front, mutualTls(), swxUrl);
    const messageId = await submitAcdd(swx);
    await waitFor('the ACDD delivered', () => (outboxRow(swx, messageId)?.state === 'DELIVERED' ? true : undefined));
    expect(simulator.receivedMessageIds()).toContain(messageId);
    expect(front.clients).toContain('VN gateway TLS client');
  });

  it('does not deliver to a gateway whose server certificate does not chain to the configured roots, and says why', async () => {
    const { simulator, front, swxUrl } = await startGateway('SG');
    const swx = await startSwx(front, mutualTls(), swxUrl);
    const messageId = await submitAcdd(swx);
    const row = await waitFor('a failed attempt', () => {
      const current = outboxRow(swx, messageId);
      return current !== undefined && current.attempts > 0 ? current : undefined;
    });
    expect(row).toMatchObject({
      state: 'PENDING',
      last_error: `no answer from ${front.origin}: TLS: certificate of 127.0.0.1 not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
    });
    expect(simulator.receivedMessageIds()).toEqual([]);
    const partners = await fetch(`${swx.url}/v1/partners`, { headers: { Authorization: `Bearer ${swx.adminToken}` } });
    const th = ((await partners.json()) as { items: { id: string; delivery: { lastError: string } | null }[] }).items.find(
      (partner) => partner.id === 'TH',
    );
    expect(th?.delivery?.lastError).toMatch(/TLS: certificate of 127\.0\.0\.1 not trusted/);
  });

  it('does not deliver without a client certificate to a gateway that requires one, and says why', async () => {
    const { simulator, front, swxUrl } = await startGateway('TH');
    const swx = await startSwx(front, { serverRoots: [{ certificateFile: layout.rootCertificate('TH') }] }, swxUrl);
    const messageId = await submitAcdd(swx);
    const row = await waitFor('a failed attempt', () => {
      const current = outboxRow(swx, messageId);
      return current !== undefined && current.attempts > 0 ? current : undefined;
    });
    expect(row).toMatchObject({
      state: 'PENDING',
      last_error: `no answer from ${front.origin}: TLS: 127.0.0.1 requires a client certificate (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)`,
    });
    expect(simulator.receivedMessageIds()).toEqual([]);
    expect(front.clients).toEqual([]);
  });
});
