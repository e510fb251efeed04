import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../src/adapters/crypto/xmldsig-verifier.js';
import { readPartnerFiles } from '../../src/adapters/partners/partner-directory.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import type { GatewayPartner } from '../../src/core/partner.js';
import { Faults } from '../../src/runtime/simulator/faults.js';
import { startPartnerSimulator, type PartnerSimulator } from '../../src/runtime/simulator/partner-simulator.js';
import { freePort, startChildService, until, type ChildService } from '../helpers/child-service.js';
import { partnersDirWith } from '../helpers/partners-dir.js';
import { copyTestPki } from '../helpers/test-pki.js';

const coffee = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');

describe('a crash in the middle of deliveries', () => {
  let child: ChildService | undefined;
  let simulator: PartnerSimulator | undefined;
  afterAll(async () => {
    child?.process.kill('SIGKILL');
    await simulator?.close();
  });

  it('loses no accepted declaration and sends none twice under a different message id', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'swx-crash-'));
    const layout = devPkiLayout(copyTestPki(dataDir));
    const port = await freePort();
    const partnerFile = readPartnerFiles(partnersDirWith({})).find((partner) => partner.id === 'TH') as GatewayPartner;
    simulator = await startPartnerSimulator({
      partner: partnerFile,
      signer: new XmlDsigSigner(readFileSync(layout.gatewayKey('TH'), 'utf8'), readFileSync(layout.gatewayCertificate('TH'), 'utf8')),
      verifier: new XmlDsigVerifier(),
      parseXml,
      nsw: {
        gateway: { gatewayId: 'VN', country: 'VN' },
        certificatePem: readFileSync(layout.gatewayCertificate('VN'), 'utf8'),
        exchangeUrl: () => `http://127.0.0.1:${port}/v1/exchange`,
      },
      faults: Faults.parse({ latencyMs: 150, responseDelayMs: 20 }),
      clock: { now: () => new Date() },
      ids: { uuid: () => randomUUID() },
      sha256: nodeSha256,
      random: Math.random,
      log: () => undefined,
    });
    const partners = partnersDirWith({
      TH: {
        mode: 'live',
        endpoint: simulator.exchangeUrl,
        trust: {
          source: 'pinned',
          certificateFile: layout.gatewayCertificate('TH'),
          rootCertificateFile: layout.rootCertificate('TH'),
          crlFile: layout.crl('TH'),
        },
        retry: { maxAttempts: 50, baseDelayMs: 5, maxDelayMs: 50 },
      },
    });
    const env = {
      PORT: String(port),
      SWX_DATA_DIR: dataDir,
      SWX_PARTNERS_DIR: partners,
      SWX_SIMULATORS: 'off',
      SWX_LOG_LEVEL: 'silent',
      SWX_OUTBOX_POLL_MS: '20',
    };
    child = await startChildService(env);
    const admin = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const key = await fetch(`http://127.0.0.1:${port}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'trader', name: 'crash test', partyId: '0301234567' }),
    });
    const { token } = (await key.json()) as { token: string };

    const accepted: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const response = await fetch(`http://127.0.0.1:${port}/v1/declarations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: coffee,
      });
      expect(response.status).toBe(202);
      accepted.push(((await response.json()) as { id: string }).id);
    }
    const th = simulator;
    await until('some deliveries under way', () => th.receivedMessageIds().length >= 1);
    child.process.kill('SIGKILL');
    await child.exited;

    child = await startChildService(env);
    const db = new Database(join(dataDir, 'swx.db'), { readonly: true });
    try {
      const delivered = () => (db.prepare("SELECT count(*) AS n FROM outbox WHERE state = 'DELIVERED'").get() as { n: number }).n;
      await until('every ACDD delivered after the restart', () => delivered() === accepted.length);
      const stored = db.prepare('SELECT id FROM declarations ORDER BY id').pluck().all() as string[];
      expect(stored).toEqual([...accepted].sort());
      const sent = (db.prepare("SELECT message_id FROM messages WHERE direction = 'OUT'").pluck().all() as string[]).sort();
      const received = th.receivedMessageIds();
      expect(new Set(received).size).toBe(received.length);
      expect([...received].sort()).toEqual(sent);
    } finally {
      db.close();
    }
  });
});
