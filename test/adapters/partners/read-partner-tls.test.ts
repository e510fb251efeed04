import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readPartnerFiles } from '../../../src/adapters/partners/partner-directory.js';
import { readPartnerTls } from '../../../src/adapters/partners/read-partner-tls.js';
import { thrownCoreError } from '../../helpers/core-error.js';
import { partnersDirWith } from '../../helpers/partners-dir.js';
import { clientIdentity, rootCertificatePem, type TlsIdentity } from '../../helpers/tls-certificates.js';

const live = { mode: 'live', endpoint: 'https://th.example/v1/exchange' };

describe('readPartnerTls', () => {
  const pkiDir = inject('testPkiDir');
  let vn: TlsIdentity;
  let other: TlsIdentity;

  beforeAll(async () => {
    [vn, other] = await Promise.all([clientIdentity(pkiDir, 'VN'), clientIdentity(pkiDir, 'VN')]);
  });

  /** A partners directory whose TH file has `tls`, with the PEM files it names under `certs/`. */
  function partnersWith(tls: Record<string, unknown>, files: Record<string, string>): string {
    const dir = partnersDirWith({ TH: { ...live, tls } });
    mkdirSync(join(dir, 'certs'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'certs', name), text);
    return dir;
  }

  it('reads the client certificate, key and server roots of each gateway with tls, files relative to the directory', () => {
    const thRoot = rootCertificatePem(pkiDir, 'TH');
    const dir = partnersWith(
      {
        clientCertificateFile: 'certs/vn.cert.pem',
        clientKeyFile: 'certs/vn.key.pem',
        serverRoots: [{ certificateFile: 'certs/th-root.pem' }],
        serverName: 'th.example',
      },
      { 'vn.cert.pem': vn.certificatePem, 'vn.key.pem': vn.privateKeyPem, 'th-root.pem': thRoot },
    );
    const tls = readPartnerTls(dir, readPartnerFiles(dir));
    expect([...tls.keys()]).toEqual(['TH']);
    expect(tls.get('TH')).toEqual({
      clientCertificatePem: vn.certificatePem,
      clientKeyPem: vn.privateKeyPem,
      serverRootPems: [thRoot],
      serverName: 'th.example',
    });
  });

  it('refuses a missing file, naming the partner file and the field', () => {
    const dir = partnersWith({ clientCertificateFile: 'certs/vn.cert.pem', clientKeyFile: 'certs/absent.pem' }, { 'vn.cert.pem': vn.certificatePem });
    const error = thrownCoreError(() => readPartnerTls(dir, readPartnerFiles(dir)));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/th\.json: \/tls\/clientKeyFile: file missing or unreadable: .*certs\/absent\.pem$/);
  });

  it('refuses a key that does not belong to the client certificate', () => {
    const dir = partnersWith(
      { clientCertificateFile: 'certs/vn.cert.pem', clientKeyFile: 'certs/other.key.pem' },
      { 'vn.cert.pem': vn.certificatePem, 'other.key.pem': other.privateKeyPem },
    );
    expect(thrownCoreError(() => readPartnerTls(dir, readPartnerFiles(dir))).message).toMatch(
      /th\.json: \/tls: not usable for TLS: .*key values mismatch/,
    );
  });
});
