import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../../src/adapters/crypto/dev-pki-layout.js';
import { ForgeCertificateVerifier } from '../../../src/adapters/crypto/forge-certificate-verifier.js';
import { ensureDevPki, issueDevCertificate, revokeCertificate } from '../../../src/adapters/crypto/forge-dev-pki.js';
import type { CertificateVerifier } from '../../../src/core/verify/certificate-verifier.js';
import type { PartnerTrust } from '../../../src/core/partner.js';
import type { VerificationReport } from '../../../src/core/verify/verification-report.js';

const now = new Date();
const year = 365 * 86_400_000;

describe('ForgeCertificateVerifier', () => {
  let pkiDir: string;
  let thailand: PartnerTrust;
  let malaysiaRoot: string;
  let thaiKey: string;
  const verifier: CertificateVerifier = new ForgeCertificateVerifier();
  const read = (path: string) => readFileSync(path, 'utf8');
  const issueThai = (commonName: string, notBefore: Date, notAfter: Date) =>
    issueDevCertificate(pkiDir, { country: 'TH', commonName, notBefore, notAfter, privateKeyPem: thaiKey });

  beforeAll(async () => {
    pkiDir = join(mkdtempSync(join(tmpdir(), 'swx-verifier-')), 'pki');
    await ensureDevPki(pkiDir, [
      { id: 'TH', country: 'TH' },
      { id: 'MY', country: 'MY' },
    ]);
    const layout = devPkiLayout(pkiDir);
    thailand = {
      certificatePem: read(layout.gatewayCertificate('TH')),
      rootCertificatePem: read(layout.rootCertificate('TH')),
      crlPem: read(layout.crl('TH')),
    };
    malaysiaRoot = read(layout.rootCertificate('MY'));
    thaiKey = read(layout.gatewayKey('TH'));
  });
  afterAll(() => rmSync(pkiDir, { recursive: true, force: true }));

  describe('when the certificate is the pinned one, issued by the root, current and not revoked', () => {
    it('is VALID with four VALID checks', () => {
      const report = verifier.verify(thailand.certificatePem, thailand, now);
      expect(report).toEqual({
        outcome: 'VALID',
        checks: [
          { name: 'certificate-pinned', status: 'VALID' },
          { name: 'certificate-chain', status: 'VALID' },
          { name: 'certificate-validity', status: 'VALID' },
          { name: 'certificate-revocation', status: 'VALID' },
        ],
      });
    });

    it('accepts the base64 DER of a KeyInfo X509Certificate', () => {
      const base64 = new X509Certificate(thailand.certificatePem).raw.toString('base64');
      expect(verifier.verify(base64, thailand, now).outcome).toBe('VALID');
    });

    it('skips revocation when the partner has no CRL', () => {
      const { crlPem: _crl, ...withoutCrl } = thailand;
      const report = verifier.verify(thailand.certificatePem, withoutCrl, now);
      expect(report.outcome).toBe('VALID');
      expect(statusOf(report, 'certificate-revocation')).toBe('SKIPPED');
    });
  });

  describe('when the certificate is not the pinned one', () => {
    it('is INVALID with CERTIFICATE_UNTRUSTED, even though the same root issued it', async () => {
      const other = await issueThai('TH impostor', new Date(now.getTime() - year), new Date(now.getTime() + year));
      const report = verifier.verify(other.certificatePem, thailand, now);
      expect(report.outcome).toBe('INVALID');
      expect(failures(report)).toEqual([['certificate-pinned', 'CERTIFICATE_UNTRUSTED']]);
    });
  });

  describe('when the partner file pins a root that did not issue the certificate', () => {
    it('is INVALID on the chain', () => {
      const report = verifier.verify(
        thailand.certificatePem,
        { ...thailand, rootCertificatePem: malaysiaRoot, crlPem: read(devPkiLayout(pkiDir).crl('MY')) },
        now,
      );
      expect(report.outcome).toBe('INVALID');
      expect(failures(report)).toEqual([['certificate-chain', 'CERTIFICATE_UNTRUSTED']]);
    });
  });

  describe('when the certificate has expired', () => {
    it('is INVALID with CERTIFICATE_EXPIRED', async () => {
      const expired = await issueThai('TH expired', new Date(now.getTime() - 2 * year), new Date(now.getTime() - year));
      const report = verifier.verify(expired.certificatePem, { ...thailand, certificatePem: expired.certificatePem }, now);
      expect(failures(report)).toEqual([['certificate-validity', 'CERTIFICATE_EXPIRED']]);
    });
  });

  describe('when the certificate is not valid yet', () => {
    it('is INVALID with CERTIFICATE_NOT_YET_VALID', async () => {
      const early = await issueThai('TH early', new Date(now.getTime() + year), new Date(now.getTime() + 2 * year));
      const report = verifier.verify(early.certificatePem, { ...thailand, certificatePem: early.certificatePem }, now);
      expect(failures(report)).toEqual([['certificate-validity', 'CERTIFICATE_NOT_YET_VALID']]);
    });
  });

  describe('when the certificate is on the CRL', () => {
    it('is INVALID with CERTIFICATE_REVOKED', async () => {
      const revoked = await issueThai('TH revoked', new Date(now.getTime() - year), new Date(now.getTime() + year));
      revokeCertificate(pkiDir, 'TH', revoked.serialNumber, { now: () => new Date(now.getTime() - 1_000) });
      const trust = { ...thailand, certificatePem: revoked.certificatePem, crlPem: read(devPkiLayout(pkiDir).crl('TH')) };
      const report = verifier.verify(revoked.certificatePem, trust, now);
      expect(failures(report)).toEqual([['certificate-revocation', 'CERTIFICATE_REVOKED']]);
      expect(verifier.verify(thailand.certificatePem, { ...thailand, crlPem: trust.crlPem }, now).outcome).toBe('VALID');
    });
  });

  describe('when the CRL has been tampered with', () => {
    it('is ERROR: the revocation status cannot be established', () => {
      const report = verifier.verify(thailand.certificatePem, { ...thailand, crlPem: tamperedCrl(thailand.crlPem ?? '') }, now);
      expect(report.outcome).toBe('ERROR');
      expect(statusOf(report, 'certificate-revocation')).toBe('ERROR');
      expect(report.checks.find((check) => check.name === 'certificate-revocation')?.reason?.message).toMatch(/not signed by the root/);
    });

    it('is ERROR when the CRL is signed by another root', () => {
      const report = verifier.verify(thailand.certificatePem, { ...thailand, crlPem: read(devPkiLayout(pkiDir).crl('MY')) }, now);
      expect(statusOf(report, 'certificate-revocation')).toBe('ERROR');
    });

    it('is ERROR when the CRL is past its nextUpdate', () => {
      const report = verifier.verify(thailand.certificatePem, thailand, new Date(now.getTime() + 1.5 * year));
      expect(statusOf(report, 'certificate-revocation')).toBe('ERROR');
    });
  });

  describe('when the pinned root is not a CA', () => {
    it('is ERROR on the chain', () => {
      const report = verifier.verify(thailand.certificatePem, { ...thailand, rootCertificatePem: thailand.certificatePem }, now);
      expect(statusOf(report, 'certificate-chain')).toBe('ERROR');
    });
  });

  describe('when the certificate cannot be read', () => {
    it('is INVALID and skips the checks that need it', () => {
      const report = verifier.verify('bm90IGEgY2VydGlmaWNhdGU=', thailand, now);
      expect(report.outcome).toBe('INVALID');
      expect(report.checks.map((check) => check.status)).toEqual(['INVALID', 'INVALID', 'SKIPPED', 'SKIPPED']);
    });
  });

  it('is cheap once the partner has been seen', () => {
    const pem = `${thailand.certificatePem}`;
    verifier.verify(pem, thailand, now);
    const started = performance.now();
    for (let i = 0; i < 10_000; i += 1) verifier.verify(pem.slice(0), thailand, now);
    const microsecondsEach = ((performance.now() - started) * 1_000) / 10_000;
    expect(microsecondsEach).toBeLessThan(500);
  });
});

function statusOf(report: VerificationReport, name: string): string | undefined {
  return report.checks.find((check) => check.name === name)?.status;
}

function failures(report: VerificationReport): [string, string | undefined][] {
  return report.checks.filter((check) => check.status !== 'VALID').map((check) => [check.name, check.reason?.code]);
}

/** Changes the CRL's thisUpdate by one second inside the signed bytes, keeping it well-formed. */
function tamperedCrl(pem: string): string {
  const der = forge.pem.decode(pem)[0]?.body ?? '';
  const list = forge.asn1.fromDer(der);
  const tbs = (list.value as forge.asn1.Asn1[])[0]?.value as forge.asn1.Asn1[];
  const thisUpdate = tbs.find((node) => node.type === forge.asn1.Type.UTCTIME);
  if (thisUpdate === undefined || typeof thisUpdate.value !== 'string') throw new Error('no thisUpdate');
  const seconds = thisUpdate.value.slice(10, 12);
  thisUpdate.value = `${thisUpdate.value.slice(0, 10)}${seconds === '00' ? '01' : '00'}Z`;
  return forge.pem.encode({ type: 'X509 CRL', body: forge.asn1.toDer(list).getBytes() });
}
