import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import keysRotate from '../../src/cli/commands/keys-rotate.js';
import { parseConfig } from '../../src/config.js';
import { generateToken } from '../../src/core/auth/api-key.js';
import { createApp } from '../../src/http/app.js';
import { compose } from '../../src/runtime/compose.js';
import { call, submitExport } from '../helpers/api-client.js';
import { captureIo } from '../helpers/capture-io.js';
import { CHROMIUM, launchChromium } from '../helpers/chromium.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { createKeyOver } from '../helpers/service-under-test.js';
import { listen } from '../helpers/test-app.js';
import { copyTestPki } from '../helpers/test-pki.js';

/**
 * A message swx signed before `swx keys rotate` still reads as signed validly after the restart, checked with the
 * retired certificate kept in pki/gateways/retired/ and naming it (subject, expiry, fingerprint), over HTTP and in
 * the console's message view (Chromium); one signed after is checked with the new certificate.
 */

interface Signature {
  outcome: string;
  reason: string | null;
  signer: string;
  certificateNotAfter: string | null;
  certificate: { subject: string; fingerprint: string; notAfter: string; retired: boolean } | null;
}
interface MessageList {
  items: { messageId: string; documentType: string; declarationId: string | null }[];
}

const adminToken = generateToken((n) => randomBytes(n));
let dataDir: string;
let officer: string;
let trader: string;

/** Runs swx on the data dir (no simulators, nothing delivered) for the length of `work`, then stops it. */
async function withService<T>(work: (url: string) => Promise<T>): Promise<T> {
  const config = parseConfig({ SWX_DATA_DIR: dataDir, SWX_SIMULATORS: 'off', SWX_ADMIN_TOKEN: adminToken });
  const composition = await compose(config, { logger: pino({ level: 'silent' }), signingThreads: 0 });
  const server = await listen(createApp(composition.deps).fetch);
  try {
    return await work(server.url);
  } finally {
    await server.close();
    await composition.close();
  }
}

/** Files an export as the trader and answers the id of the ACDD swx signed for Thailand about it. */
async function signedAcdd(url: string): Promise<{ declarationId: string; messageId: string }> {
  const declaration = await submitExport({ url }, trader, anExportDeclaration({ channel: 'YELLOW' }));
  const { body } = await call<MessageList>({ url }, officer, 'GET', '/v1/messages?direction=OUT&documentType=ACDD&limit=200');
  const acdd = body.items.find((item) => item.declarationId === declaration.id);
  expect(acdd, JSON.stringify(body)).toBeDefined();
  return { declarationId: declaration.id, messageId: acdd?.messageId ?? '' };
}

const signatureOf = async (url: string, messageId: string) =>
  (await call<{ signature: Signature }>({ url }, officer, 'GET', `/v1/messages/${messageId}`)).body.signature;

let before: { declarationId: string; messageId: string };
let oldCertificate: X509Certificate;
let newCertificate: X509Certificate;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'swx-signature-rotation-'));
  const layout = devPkiLayout(copyTestPki(dataDir));
  oldCertificate = new X509Certificate(readFileSync(layout.gatewayCertificate('VN'), 'utf8'));
  before = await withService(async (url) => {
    const createKey = createKeyOver(url, adminToken);
    officer = await createKey('officer', 'VN-CUSTOMS', 'Trần Văn Minh');
    trader = await createKey('trader', '0301234567');
    return signedAcdd(url);
  });
  const io = captureIo({ USER: 'ops-alice' });
  expect(await keysRotate.run(['--data-dir', dataDir], io), io.err()).toBe(0);
  newCertificate = new X509Certificate(readFileSync(layout.gatewayCertificate('VN'), 'utf8'));
  expect(newCertificate.fingerprint256).not.toBe(oldCertificate.fingerprint256);
}, 60_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('a message signed before swx keys rotate', () => {
  it('still reads as valid, checked with the retired certificate it was signed with; a later one with the new certificate', async () => {
    await withService(async (url) => {
      expect(await signatureOf(url, before.messageId)).toEqual({
        outcome: 'VALID',
        reason: null,
        signer: 'VN (this single window)',
        certificateNotAfter: new Date(oldCertificate.validTo).toISOString(),
        certificate: {
          subject: oldCertificate.subject.split('\n').join(', '),
          fingerprint: oldCertificate.fingerprint256,
          notAfter: new Date(oldCertificate.validTo).toISOString(),
          retired: true,
        },
      });
      const after = await signedAcdd(url);
      expect((await signatureOf(url, after.messageId)).certificate).toEqual(
        expect.objectContaining({ fingerprint: newCertificate.fingerprint256, retired: false }),
      );
    });
  }, 30_000);

  it.skipIf(!existsSync(CHROMIUM))(
    'shows the officer “valid”, naming the retired certificate, in the console',
    async () => {
      const browser = await launchChromium();
      try {
        await withService(async (url) => {
          const page = await browser.newPage();
          await page.goto(`${url}/console`);
          await page.locator('#token').fill(officer);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await expect.poll(() => page.locator('#who').textContent()).toContain('Trần Văn Minh');
          await page.evaluate((id) => {
            window.location.hash = `#clearance?id=${id}`;
          }, before.declarationId);
          await page.locator('#documents button', { hasText: 'ACDD' }).click();
          const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          const subject = escaped(oldCertificate.subject.split('\n').join(', '));
          await expect
            .poll(() => page.locator('#message-signature').textContent())
            .toMatch(
              new RegExp(
                `^✔ Signature.*: valid; signer VN \\(this single window\\); certificate ${subject} \\(retired by a key rotation\\), valid until \\d{4}-.+, SHA-256 ${escaped(oldCertificate.fingerprint256)}$`,
              ),
            );
        });
      } finally {
        await browser.close();
      }
    },
    30_000,
  );

  it('reads as not valid once the retired certificate is gone: it is what the check relies on', async () => {
    rmSync(join(dataDir, 'pki', 'gateways', 'retired'), { recursive: true });
    await withService(async (url) => {
      const signature = await signatureOf(url, before.messageId);
      expect(signature.outcome).not.toBe('VALID');
      expect(signature.certificate).toEqual(expect.objectContaining({ fingerprint: newCertificate.fingerprint256, retired: false }));
    });
  }, 30_000);
});
