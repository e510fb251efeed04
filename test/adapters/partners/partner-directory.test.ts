import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../../src/adapters/crypto/dev-pki-layout.js';
import { ForgeCertificateVerifier } from '../../../src/adapters/crypto/forge-certificate-verifier.js';
import { devPkiPartiesFor, ensureDevPki } from '../../../src/adapters/crypto/forge-dev-pki.js';
import { loadPartnerDirectory, readPartnerFiles, withEndpoints } from '../../../src/adapters/partners/partner-directory.js';
import type { PartnerDirectory } from '../../../src/core/partner.js';
import { thrownCoreError } from '../../helpers/core-error.js';

const shipped = new URL('../../../partners', import.meta.url).pathname;
const asean = ['BN', 'ID', 'KH', 'LA', 'MM', 'MY', 'PH', 'SG', 'TH'];

describe('readPartnerFiles', () => {
  describe('on the shipped partners/', () => {
    const partners = readPartnerFiles(shipped);

    it('validates every file', () => {
      expect(partners.map((partner) => partner.id)).toEqual([
        ...['BN', 'ID', 'KH', 'KR', 'LA', 'MM', 'MY', 'NZ', 'PH', 'RU', 'SG', 'TH'],
        ...['VN-CUSTOMS', 'VN-DAH', 'VN-MOIT-CO', 'VN-PPD'],
      ]);
    });

    it('has the nine ASEAN gateways live and simulated on the development PKI', () => {
      const simulated = partners.filter((partner) => partner.kind === 'gateway' && partner.mode === 'simulated');
      expect(simulated.map((partner) => partner.id)).toEqual(asean);
      for (const partner of simulated) {
        expect(partner.kind === 'gateway' && [partner.state, partner.trust?.source, partner.endpoint]).toEqual(['live', 'dev-pki', undefined]);
      }
    });

    it('has every ASEAN gateway receive the ACDD and the e-Form D, and send Customs Responses', () => {
      for (const partner of partners.filter((candidate) => asean.includes(candidate.id))) {
        expect(partner.documents.receive.map((entry) => entry.type)).toEqual(
          expect.arrayContaining(['ACDD', 'ACDD_CANCELLATION', 'FORM_D', 'FORM_D_STATUS']),
        );
        expect(partner.documents.send.map((entry) => entry.type)).toEqual(expect.arrayContaining(['CUSTOMS_RESPONSE', 'FORM_D', 'FORM_D_STATUS']));
      }
    });

    it('has Korea, Russia and New Zealand planned', () => {
      expect(partners.filter((partner) => partner.state === 'planned').map((partner) => partner.id)).toEqual(['KR', 'NZ', 'RU']);
    });

    it('has the four national agencies', () => {
      expect(partners.filter((partner) => partner.kind === 'agency').map((partner) => partner.id)).toEqual([
        'VN-CUSTOMS',
        'VN-DAH',
        'VN-MOIT-CO',
        'VN-PPD',
      ]);
    });
  });

  describe('when a file is broken', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'swx-partners-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const withFile = (name: string, content: string): string => {
      const copy = mkdtempSync(join(dir, 'copy-'));
      cpSync(shipped, copy, { recursive: true });
      writeFileSync(join(copy, name), content);
      return copy;
    };
    // biome-ignore lint/suspicious/noExplicitAny: the tests edit the shipped file as freely as a partner would.
    type EditableJson = Record<string, any>;
    const editedThailand = (edit: (json: EditableJson) => void): string => {
      const json = JSON.parse(readFileSync(join(shipped, 'th.json'), 'utf8')) as EditableJson;
      edit(json);
      return JSON.stringify(json);
    };

    it('names the file and the field as a JSON pointer, on one line', () => {
      const copy = withFile(
        'th.json',
        editedThailand((json) => (json['documents'].receive[2].type = 'FORM_E')),
      );
      const error = thrownCoreError(() => readPartnerFiles(copy));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toMatch(new RegExp(`^${join(copy, 'th.json')}: /documents/receive/2/type: unknown document type FORM_E \\(known: `));
      expect(error.message).not.toContain('\n');
      expect(error.issues.map((issue) => issue.pointer)).toEqual(['/documents/receive/2/type']);
    });

    it('names a misspelt field', () => {
      const copy = withFile(
        'th.json',
        editedThailand((json) => (json['timeout'] = json['timeouts'])),
      );
      expect(thrownCoreError(() => readPartnerFiles(copy)).message).toBe(`${join(copy, 'th.json')}: /timeout: unknown field`);
    });

    it('names a bad nested value', () => {
      const copy = withFile(
        'th.json',
        editedThailand((json) => (json['retry'].maxAttempts = 0)),
      );
      expect(thrownCoreError(() => readPartnerFiles(copy)).message).toMatch(/th\.json: \/retry\/maxAttempts: /);
    });

    it('names a signature profile swx does not know, and an empty list of them', () => {
      const unknown = withFile(
        'th.json',
        editedThailand((json) => (json['signatureProfiles'] = { algorithms: ['rsa-sha1'] })),
      );
      expect(thrownCoreError(() => readPartnerFiles(unknown)).message).toMatch(/th\.json: \/signatureProfiles\/algorithms\/0: Invalid option/);
      const empty = withFile(
        'th.json',
        editedThailand((json) => (json['signatureProfiles'] = { transforms: [] })),
      );
      expect(thrownCoreError(() => readPartnerFiles(empty)).message).toMatch(/th\.json: \/signatureProfiles\/transforms: /);
    });

    it('names a file that is not JSON', () => {
      const copy = withFile('th.json', '{ "id": "TH", ');
      expect(thrownCoreError(() => readPartnerFiles(copy)).message).toMatch(/th\.json: not valid JSON: /);
    });

    it('rejects a file whose name is not its id', () => {
      const copy = withFile('thailand.json', readFileSync(join(shipped, 'th.json'), 'utf8'));
      expect(thrownCoreError(() => readPartnerFiles(copy)).message).toBe(
        `${join(copy, 'thailand.json')}: /id: TH does not match the file name (expected th.json)`,
      );
    });
  });

  it('rejects a directory that does not exist', () => {
    expect(thrownCoreError(() => readPartnerFiles('/nonexistent/partners')).code).toBe('CONFIG_INVALID');
  });
});

describe('loadPartnerDirectory', () => {
  let dataDir: string;
  let pkiDir: string;
  let directory: PartnerDirectory;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'swx-directory-'));
    pkiDir = join(dataDir, 'pki');
    await ensureDevPki(pkiDir, devPkiPartiesFor(readPartnerFiles(shipped), 'VN'));
    directory = loadPartnerDirectory(shipped, { pkiDir });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finds partners by id and gateways by country', () => {
    expect(directory.get('VN-PPD')?.kind).toBe('agency');
    expect(directory.get('XX')).toBeUndefined();
    expect(directory.gatewayFor('TH')?.name).toBe('Thailand National Single Window');
    expect(directory.gatewayFor('VN')).toBeUndefined();
    expect(directory.list()).toHaveLength(16);
  });

  it('gives a simulated gateway its development PKI certificate, country root and CRL', () => {
    const layout = devPkiLayout(pkiDir);
    expect(directory.trustFor('TH')).toEqual({
      certificatePem: readFileSync(layout.gatewayCertificate('TH'), 'utf8'),
      rootCertificatePem: readFileSync(layout.rootCertificate('TH'), 'utf8'),
      crlPem: readFileSync(layout.crl('TH'), 'utf8'),
    });
  });

  it('gives trust that verifies the gateway certificate itself', () => {
    const trust = directory.trustFor('MY');
    expect(new ForgeCertificateVerifier().verify(trust.certificatePem, trust, new Date()).outcome).toBe('VALID');
  });

  it('refuses trust for unknown partners, planned gateways without material and agencies', () => {
    expect(thrownCoreError(() => directory.trustFor('XX')).code).toBe('UNKNOWN_PARTNER');
    expect(thrownCoreError(() => directory.trustFor('KR')).code).toBe('CERTIFICATE_UNTRUSTED');
    expect(thrownCoreError(() => directory.trustFor('VN-PPD')).code).toBe('CERTIFICATE_UNTRUSTED');
  });

  it('reads pinned trust from files beside the partner file', () => {
    const layout = devPkiLayout(pkiDir);
    const dir = mkdtempSync(join(dataDir, 'pinned-'));
    writeFileSync(join(dir, 'kr.cert.pem'), readFileSync(layout.gatewayCertificate('TH')));
    writeFileSync(join(dir, 'kr.root.pem'), readFileSync(layout.rootCertificate('TH')));
    const korea = JSON.parse(readFileSync(join(shipped, 'kr.json'), 'utf8')) as Record<string, unknown>;
    const trust = { source: 'pinned', certificateFile: 'kr.cert.pem', rootCertificateFile: 'kr.root.pem' };
    writeFileSync(join(dir, 'kr.json'), JSON.stringify({ ...korea, state: 'test', endpoint: 'https://uni-pass.example/v1/exchange', trust }));
    const pinned = loadPartnerDirectory(dir, { pkiDir });
    expect(pinned.trustFor('KR')).toEqual({
      certificatePem: readFileSync(layout.gatewayCertificate('TH'), 'utf8'),
      rootCertificatePem: readFileSync(layout.rootCertificate('TH'), 'utf8'),
    });
  });

  it('allows every signature profile by default, and a file may restrict them', () => {
    expect(readPartnerFiles(shipped).find((partner) => partner.id === 'TH')).not.toHaveProperty('signatureProfiles');
    const dir = mkdtempSync(join(dataDir, 'profiles-'));
    cpSync(shipped, dir, { recursive: true });
    const thailand = JSON.parse(readFileSync(join(shipped, 'th.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'th.json'), JSON.stringify({ ...thailand, signatureProfiles: { algorithms: ['ecdsa-sha256'] } }));
    const partner = readPartnerFiles(dir).find((candidate) => candidate.id === 'TH');
    expect(partner?.kind === 'gateway' && partner.signatureProfiles).toEqual({
      references: ['whole-document', 'root-id'],
      transforms: ['enveloped', 'enveloped+exc-c14n', 'enveloped+c14n'],
      canonicalization: ['exc-c14n', 'c14n'],
      algorithms: ['ecdsa-sha256'],
      digests: ['sha256', 'sha512'],
    });
  });

  it('reads the NPPO certificates a gateway lists, inline or from a file, with its trust', () => {
    const layout = devPkiLayout(pkiDir);
    const dir = mkdtempSync(join(dataDir, 'nppo-'));
    cpSync(shipped, dir, { recursive: true });
    const nppoPem = readFileSync(layout.gatewayCertificate('MY'), 'utf8');
    writeFileSync(join(dir, 'nppo.cert.pem'), nppoPem);
    const thailand = JSON.parse(readFileSync(join(shipped, 'th.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(
      join(dir, 'th.json'),
      JSON.stringify({ ...thailand, nppoCertificates: [{ certificateFile: 'nppo.cert.pem' }, { certificate: nppoPem }] }),
    );
    expect(loadPartnerDirectory(dir, { pkiDir }).trustFor('TH').nppoCertificatePems).toEqual([nppoPem, nppoPem]);
    writeFileSync(join(dir, 'th.json'), JSON.stringify({ ...thailand, nppoCertificates: [{ certificateFile: 'missing.pem' }] }));
    expect(thrownCoreError(() => loadPartnerDirectory(dir, { pkiDir })).message).toMatch(
      /th\.json: \/nppoCertificates\/0\/certificateFile: file missing or unreadable: /,
    );
  });

  it('names the file and /trust when the development PKI has not been created', () => {
    const error = thrownCoreError(() => loadPartnerDirectory(shipped, { pkiDir: join(dataDir, 'no-pki') }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/bn\.json: \/trust: development PKI file missing \(run `swx pki init`\): /);
  });

  describe('withEndpoints', () => {
    it('fills in the endpoints of simulated gateways and keeps their trust', () => {
      const simulated = withEndpoints(directory, new Map([['TH', 'http://127.0.0.1:41234/v1/exchange']]));
      expect(simulated.gatewayFor('TH')?.endpoint).toBe('http://127.0.0.1:41234/v1/exchange');
      expect(simulated.gatewayFor('MY')?.endpoint).toBeUndefined();
      expect(simulated.trustFor('TH')).toEqual(directory.trustFor('TH'));
    });
  });
});
