import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import keysRotate from '../../../src/cli/commands/keys-rotate.js';
import { parseConfig } from '../../../src/config.js';
import { generateToken } from '../../../src/core/auth/api-key.js';
import { createApp } from '../../../src/http/app.js';
import { compose } from '../../../src/runtime/compose.js';
import { captureIo } from '../../helpers/capture-io.js';
import { partnerEnvelopes } from '../../helpers/partner-envelopes.js';
import { listen } from '../../helpers/test-app.js';
import { copyTestPki } from '../../helpers/test-pki.js';
import { xmlsec1Verify } from '../../helpers/xmlsec1.js';

/**
 * `swx keys rotate` on a data dir holding the run's development PKI: the service, restarted, signs its receipts with
 * the new key; a receipt signed before still verifies (xmlsec1) with the retired certificate kept beside; the ledger
 * holds a KEY_ROTATED entry with both fingerprints and who rotated.
 */

const CLEARED_XML = new URL('../../../message-schemas/customs-response/1/examples/valid-cleared.xml', import.meta.url).pathname;

let dataDir: string;
let envelopes: ReturnType<typeof partnerEnvelopes>;

/** Starts swx on the data dir, posts TH's signed envelope to POST /v1/exchange and returns the receipt, then stops swx. */
async function receiptFromService(): Promise<string> {
  const config = parseConfig({ SWX_DATA_DIR: dataDir, SWX_SIMULATORS: 'off', SWX_ADMIN_TOKEN: generateToken((n) => randomBytes(n)) });
  const composition = await compose(config, { logger: pino({ level: 'silent' }), signingThreads: 0 });
  try {
    const server = await listen(createApp(composition.deps).fetch);
    const response = await fetch(`${server.url}/v1/exchange`, {
      method: 'POST',
      body: envelopes.sign(CLEARED_XML, envelopes.header('TH', 'CUSTOMS_RESPONSE')),
      headers: { 'Content-Type': 'application/xml' },
    });
    const text = await response.text();
    await server.close();
    expect(response.status, text).toBe(200);
    return text;
  } finally {
    await composition.close();
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'swx-keys-rotate-'));
  envelopes = partnerEnvelopes(copyTestPki(dataDir));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('swx keys rotate', () => {
  it('replaces the signing key, keeps the old certificate for what was signed before, and records the rotation', async () => {
    const layout = devPkiLayout(join(dataDir, 'pki'));
    const before = await receiptFromService();
    const oldPem = readFileSync(layout.gatewayCertificate('VN'), 'utf8');

    const io = captureIo({ USER: 'ops-alice' });
    expect(await keysRotate.run(['--data-dir', dataDir], io), io.err()).toBe(0);

    const newPem = readFileSync(layout.gatewayCertificate('VN'), 'utf8');
    const [oldCertificate, newCertificate] = [new X509Certificate(oldPem), new X509Certificate(newPem)];
    expect(newCertificate.fingerprint256).not.toBe(oldCertificate.fingerprint256);
    expect(newCertificate.subject).toBe(oldCertificate.subject);
    expect(newCertificate.checkIssued(new X509Certificate(readFileSync(layout.rootCertificate('VN'))))).toBe(true);
    expect(io.out()).toContain(`new certificate: ${layout.gatewayCertificate('VN')}`);
    expect(io.out()).toContain(newCertificate.fingerprint256);

    const retiredPath = /old certificate and key kept: (\S+\.cert\.pem) (\S+\.key\.pem)/.exec(io.out())?.[1] ?? '';
    expect(existsSync(retiredPath), io.out()).toBe(true);
    expect(readFileSync(retiredPath, 'utf8')).toBe(oldPem);

    const after = await receiptFromService();
    const verifier = new XmlDsigVerifier();
    expect(verifier.verify(after, newPem).outcome).toBe('VALID');
    expect(verifier.verify(after, oldPem).outcome).not.toBe('VALID');
    expect(verifier.verify(before, newPem).outcome).not.toBe('VALID');
    const verdict = xmlsec1Verify(before, retiredPath);
    expect(verdict.ok, verdict.message).toBe(true);

    const config = parseConfig({ SWX_DATA_DIR: dataDir, SWX_SIMULATORS: 'off', SWX_ADMIN_TOKEN: generateToken((n) => randomBytes(n)) });
    const composition = await compose(config, { logger: pino({ level: 'silent' }), signingThreads: 0 });
    try {
      const rows = composition.db.prepare('SELECT bytes FROM ledger_entries ORDER BY entry_index').all() as { bytes: Buffer }[];
      const rotations = rows.map((row) => JSON.parse(Buffer.from(row.bytes).toString('utf8'))).filter((entry) => entry.type === 'KEY_ROTATED');
      expect(rotations).toEqual([
        expect.objectContaining({
          subject: 'signing-key:VN',
          data: expect.objectContaining({
            gatewayId: 'VN',
            oldFingerprint: oldCertificate.fingerprint256,
            newFingerprint: newCertificate.fingerprint256,
            by: expect.stringMatching(/^cli:\S+$/),
          }),
        }),
      ]);
    } finally {
      await composition.close();
    }
  }, 60_000);
});
