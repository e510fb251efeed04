import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { issueDevCertificate } from '../../src/adapters/crypto/forge-dev-pki.js';
import { parseConfig } from '../../src/config.js';
import { generateToken } from '../../src/core/auth/api-key.js';
import { createApp } from '../../src/http/app.js';
import { compose, type Composition } from '../../src/runtime/compose.js';
import { partnersDirWith } from '../helpers/partners-dir.js';
import { copyTestPki } from '../helpers/test-pki.js';

/**
 * Certificates near expiry (SWX_CERT_WARN_DAYS, 30 by default): TH's pinned certificate lapsing in 10 days is a
 * warning line at start and a warning in GET /v1/partners; MY's, two years away, is neither.
 */

const DAY_MS = 86_400_000;

let dataDir: string;
let composition: Composition;
let adminToken: string;
let notAfter: string;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'swx-cert-expiry-'));
  const pki = devPkiLayout(copyTestPki(dataDir));
  const now = Date.now();
  const soon = await issueDevCertificate(pki.dir, {
    country: 'TH',
    commonName: 'TH National Single Window Gateway',
    notBefore: new Date(now - 355 * DAY_MS),
    notAfter: new Date(now + 10 * DAY_MS + 3_600_000),
    privateKeyPem: readFileSync(pki.gatewayKey('TH'), 'utf8'),
  });
  const certificateFile = join(dataDir, 'th.pinned.cert.pem');
  writeFileSync(certificateFile, soon.certificatePem);
  notAfter = new Date(Math.floor((now + 10 * DAY_MS + 3_600_000) / 1_000) * 1_000).toISOString();
  const partners = partnersDirWith({
    TH: {
      mode: 'live',
      endpoint: 'http://127.0.0.1:9/th/v1/exchange',
      trust: { source: 'pinned', certificateFile, rootCertificateFile: pki.rootCertificate('TH'), crlFile: pki.crl('TH') },
    },
  });
  adminToken = generateToken((n) => randomBytes(n));
  const config = parseConfig({ SWX_DATA_DIR: dataDir, SWX_PARTNERS_DIR: partners, SWX_SIMULATORS: 'off', SWX_ADMIN_TOKEN: adminToken });
  composition = await compose(config, {
    logger: pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) }),
    signingThreads: 0,
  });
});

afterAll(async () => {
  await composition?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a partner certificate expiring in 10 days', () => {
  it('is a warning line in the logs at start, with its subject, notAfter and days left', () => {
    const warnings = logs.filter((line) => line['level'] === 40 && line['role'] === 'partner-gateway');
    expect(warnings).toEqual([
      expect.objectContaining({
        owner: 'TH',
        notAfter,
        daysLeft: 10,
        subject: expect.stringContaining('CN=TH National Single Window Gateway'),
        msg: `partner-gateway certificate of TH: certificate expires in 10 days (${notAfter})`,
      }),
    ]);
  });

  it('is a warning in GET /v1/partners, where other gateways show only their notAfter', async () => {
    const response = await createApp(composition.deps).request('/v1/partners', { headers: { Authorization: `Bearer ${adminToken}` } });
    const body = (await response.json()) as { items: { id: string; certificate: unknown }[] };
    expect(response.status, JSON.stringify(body)).toBe(200);
    const byId = new Map(body.items.map((item) => [item.id, item.certificate]));
    expect(byId.get('TH')).toEqual({ notAfter, daysLeft: 10, warning: `certificate expires in 10 days (${notAfter})` });
    expect(byId.get('MY')).toEqual({ notAfter: expect.any(String), daysLeft: expect.any(Number), warning: null });
    expect(byId.get('VN-CUSTOMS')).toBeNull();
  });
});
