import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../../src/adapters/crypto/dev-pki-layout.js';
import { parseCrlPem } from '../../../src/adapters/crypto/forge-crl.js';
import { ensureDevPki, issueDevCertificate, revokeCertificate, type DevPkiChange } from '../../../src/adapters/crypto/forge-dev-pki.js';

const parties = [
  { id: 'VN', country: 'VN' },
  { id: 'TH', country: 'TH', organization: 'Thai Customs Department' },
  { id: 'MY', country: 'MY' },
];

describe('ensureDevPki', () => {
  let pkiDir: string;
  let created: readonly DevPkiChange[];
  const layout = () => devPkiLayout(pkiDir);
  const certificate = (path: string) => new X509Certificate(readFileSync(path));

  beforeAll(async () => {
    pkiDir = join(mkdtempSync(join(tmpdir(), 'swx-dev-pki-')), 'pki');
    created = await ensureDevPki(pkiDir, parties);
  });
  afterAll(() => rmSync(pkiDir, { recursive: true, force: true }));

  it('creates a root and a CRL per country and a certificate per gateway', () => {
    expect(created.map((change) => `${change.kind}:${change.id}`).sort()).toEqual([
      'crl:MY',
      'crl:TH',
      'crl:VN',
      'gateway:MY',
      'gateway:TH',
      'gateway:VN',
      'root:MY',
      'root:TH',
      'root:VN',
    ]);
  });

  it('writes keys readable by the owner only', () => {
    for (const path of [layout().rootKey('TH'), layout().gatewayKey('TH'), layout().gatewayKey('VN')]) {
      expect(statSync(path).mode & 0o777).toBe(0o600);
    }
  });

  it('issues each gateway certificate from its country root, as node:crypto sees it', () => {
    const root = certificate(layout().rootCertificate('TH'));
    const gateway = certificate(layout().gatewayCertificate('TH'));
    expect(root.ca).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(gateway.ca).toBe(false);
    expect(gateway.checkIssued(root)).toBe(true);
    expect(gateway.verify(root.publicKey)).toBe(true);
    expect(gateway.verify(certificate(layout().rootCertificate('MY')).publicKey)).toBe(false);
    expect(gateway.subject).toBe('CN=TH National Single Window Gateway\nO=Thai Customs Department\nC=TH');
  });

  it('gives gateways two years and roots ten', () => {
    const years = (cert: X509Certificate) => (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365 * 86_400_000);
    expect(years(certificate(layout().gatewayCertificate('VN')))).toBeCloseTo(2, 1);
    expect(years(certificate(layout().rootCertificate('VN')))).toBeCloseTo(10, 1);
  });

  it('pairs each gateway key with its certificate', () => {
    const gateway = certificate(layout().gatewayCertificate('VN'));
    expect(gateway.checkPrivateKey(createPrivateKeyFrom(layout().gatewayKey('VN')))).toBe(true);
  });

  it('writes an empty CRL signed by the root', () => {
    const crl = parseCrlPem(readFileSync(layout().crl('TH'), 'utf8'));
    expect(crl.revoked.size).toBe(0);
    expect(crl.isSignedBy(forgeCertificate(layout().rootCertificate('TH')))).toBe(true);
    expect(crl.isSignedBy(forgeCertificate(layout().rootCertificate('MY')))).toBe(false);
  });

  describe('when called again', () => {
    it('changes nothing', async () => {
      const before = snapshot(pkiDir);
      expect(await ensureDevPki(pkiDir, parties)).toEqual([]);
      expect(snapshot(pkiDir)).toEqual(before);
    });

    it('re-creates only a missing gateway certificate, keeping its key', async () => {
      const key = readFileSync(layout().gatewayKey('MY'), 'utf8');
      unlinkSync(layout().gatewayCertificate('MY'));
      const changes = await ensureDevPki(pkiDir, parties);
      expect(changes.map((change) => `${change.kind}:${change.id}`)).toEqual(['gateway:MY']);
      expect(readFileSync(layout().gatewayKey('MY'), 'utf8')).toBe(key);
      expect(certificate(layout().gatewayCertificate('MY')).checkPrivateKey(createPrivateKeyFrom(layout().gatewayKey('MY')))).toBe(true);
    });

    it('adds a new party without touching the others', async () => {
      const before = snapshot(pkiDir);
      const changes = await ensureDevPki(pkiDir, [...parties, { id: 'SG', country: 'SG' }]);
      expect(changes.map((change) => `${change.kind}:${change.id}`).sort()).toEqual(['crl:SG', 'gateway:SG', 'root:SG']);
      const after = snapshot(pkiDir);
      for (const [path, content] of Object.entries(before)) expect(after[path]).toBe(content);
    });
  });

  describe('revokeCertificate', () => {
    it('lists the serial in a re-signed CRL with a higher CRL number', () => {
      const serial = certificate(layout().gatewayCertificate('TH')).serialNumber;
      const before = parseCrlPem(readFileSync(layout().crl('TH'), 'utf8'));
      revokeCertificate(pkiDir, 'TH', serial);
      const after = parseCrlPem(readFileSync(layout().crl('TH'), 'utf8'));
      expect([...after.revoked.keys()]).toEqual([serial.toLowerCase().replace(/^0+/, '')]);
      expect(after.crlNumber).toBe((before.crlNumber ?? 0) + 1);
      expect(after.isSignedBy(forgeCertificate(layout().rootCertificate('TH')))).toBe(true);
    });
  });

  describe('issueDevCertificate', () => {
    it('issues from the country root with the chosen dates', async () => {
      const notBefore = new Date('2020-01-01T00:00:00Z');
      const notAfter = new Date('2021-01-01T00:00:00Z');
      const issued = await issueDevCertificate(pkiDir, {
        country: 'TH',
        commonName: 'TH expired gateway',
        notBefore,
        notAfter,
        privateKeyPem: readFileSync(layout().gatewayKey('TH'), 'utf8'),
      });
      const cert = new X509Certificate(issued.certificatePem);
      expect(new Date(cert.validFrom)).toEqual(notBefore);
      expect(new Date(cert.validTo)).toEqual(notAfter);
      expect(cert.verify(certificate(layout().rootCertificate('TH')).publicKey)).toBe(true);
      expect(cert.serialNumber.toLowerCase()).toBe(issued.serialNumber);
    });
  });
});

function snapshot(dir: string): Record<string, string> {
  const files = ['VN', 'TH', 'MY'].flatMap((country) => {
    const layout = devPkiLayout(dir);
    return [
      layout.rootCertificate(country),
      layout.rootKey(country),
      layout.crl(country),
      layout.gatewayCertificate(country),
      layout.gatewayKey(country),
    ];
  });
  return Object.fromEntries(files.map((path) => [path, readFileSync(path, 'utf8')]));
}

function createPrivateKeyFrom(path: string) {
  return createPrivateKey(readFileSync(path));
}

function forgeCertificate(path: string) {
  return forge.pki.certificateFromPem(readFileSync(path, 'utf8'));
}
