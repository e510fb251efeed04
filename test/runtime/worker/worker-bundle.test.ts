import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { devPkiLayout } from '../../../src/adapters/crypto/dev-pki-layout.js';
import { loadPartnerDirectory } from '../../../src/adapters/partners/partner-directory.js';
import { ChannelRules } from '../../../src/core/clearance/channel-rules.js';
import defaultChannelRules from '../../../src/core/clearance/default-channel-rules.json' with { type: 'json' };
import { partnersDirFrom } from '../../../src/config.js';
import type { PartnerDirectory } from '../../../src/core/partner.js';
import { buildWorkerBundle } from '../../../src/runtime/build/worker-bundle-file.js';
import { readWorkerBundle, type WorkerBundle } from '../../../src/runtime/worker/worker-bundle.js';
import { thrownCoreError } from '../../helpers/core-error.js';
import { partnersDirWith } from '../../helpers/partners-dir.js';

const pkiDir = inject('testPkiDir');
const layout = devPkiLayout(pkiDir);

/** The bundle as the Worker imports it: written as JSON and read back. */
function asImported(bundle: WorkerBundle): unknown {
  return JSON.parse(JSON.stringify(bundle));
}

/** The message of the CONFIG_INVALID error reading `bundle` throws. */
function refusalOf(bundle: unknown): string {
  const error = thrownCoreError(() => readWorkerBundle(bundle, 'bundle.json'));
  expect(error.code).toBe('CONFIG_INVALID');
  return error.message;
}

/** Every partner of a directory with its trust material, or the error trustFor answers. */
function withTrust(directory: PartnerDirectory): unknown[] {
  return directory.list().map((partner) => {
    try {
      return { partner, trust: directory.trustFor(partner.id) };
    } catch (error) {
      return { partner, refused: (error as Error).message };
    }
  });
}

describe('readWorkerBundle', () => {
  describe('when the partners directory is the shipped one, trusted through the development PKI', () => {
    const dir = partnersDirFrom({});

    it('gives the directory the Node service loads: the same partners, trust PEMs and refusals', () => {
      const bundled = readWorkerBundle(asImported(buildWorkerBundle({ partnersDir: dir, pkiDir, channelRulesFile: undefined })), 'bundle.json');
      const loaded = loadPartnerDirectory(dir, { pkiDir });

      expect(withTrust(bundled.partners)).toEqual(withTrust(loaded));
      expect(bundled.partners.gatewayFor('TH')).toEqual(loaded.gatewayFor('TH'));
      expect(bundled.partners.trustFor('TH').certificatePem).toBe(readFileSync(layout.gatewayCertificate('TH'), 'utf8'));
    });

    it('gives the default channel rules', () => {
      const { rules } = readWorkerBundle(asImported(buildWorkerBundle({ partnersDir: dir, pkiDir, channelRulesFile: undefined })), 'bundle.json');
      expect(rules).toEqual(ChannelRules.parse(defaultChannelRules));
    });
  });

  describe('when a gateway is pinned with files and has NPPO certificates', () => {
    const dir = partnersDirWith({
      KR: {
        state: 'test',
        endpoint: 'https://kr.example/v1/exchange',
        trust: {
          source: 'pinned',
          certificateFile: layout.gatewayCertificate('TH'),
          rootCertificateFile: layout.rootCertificate('TH'),
          crlFile: layout.crl('TH'),
        },
        nppoCertificates: [
          { certificateFile: layout.gatewayCertificate('SG') },
          { certificate: readFileSync(layout.gatewayCertificate('MY'), 'utf8') },
        ],
      },
    });

    it('carries every PEM inline, as the Node service read them from the files', () => {
      const bundled = readWorkerBundle(asImported(buildWorkerBundle({ partnersDir: dir, pkiDir, channelRulesFile: undefined })), 'bundle.json');
      expect(withTrust(bundled.partners)).toEqual(withTrust(loadPartnerDirectory(dir, { pkiDir })));
      expect(bundled.partners.trustFor('KR')).toEqual({
        certificatePem: readFileSync(layout.gatewayCertificate('TH'), 'utf8'),
        rootCertificatePem: readFileSync(layout.rootCertificate('TH'), 'utf8'),
        crlPem: readFileSync(layout.crl('TH'), 'utf8'),
        nppoCertificatePems: [readFileSync(layout.gatewayCertificate('SG'), 'utf8'), readFileSync(layout.gatewayCertificate('MY'), 'utf8')],
      });
    });
  });

  describe('when SWX_CHANNEL_RULES named a file at build time', () => {
    it('gives those rules', () => {
      const file = join(partnersDirWith({}), '..', 'rules.json');
      const rules = structuredClone(defaultChannelRules) as { defaultChannel: string };
      rules.defaultChannel = rules.defaultChannel === 'GREEN' ? 'YELLOW' : 'GREEN';
      writeFileSync(file, JSON.stringify(rules));
      const bundled = readWorkerBundle(
        asImported(buildWorkerBundle({ partnersDir: partnersDirFrom({}), pkiDir, channelRulesFile: file })),
        'bundle.json',
      );
      expect(bundled.rules.defaultChannel).toBe(rules.defaultChannel);
    });
  });

  describe('when the bundle holds what the Node service would refuse', () => {
    const good = () => asImported(buildWorkerBundle({ partnersDir: partnersDirFrom({}), pkiDir, channelRulesFile: undefined })) as WorkerBundle;
    const partnerEntry = (bundle: WorkerBundle, source: string) =>
      bundle.partners.partners.find((entry) => entry.source === source)!.partner as Record<string, unknown>;

    it('refuses a partner with an unknown document type, naming its file and the field', () => {
      const bundle = good();
      (partnerEntry(bundle, 'th.json')['documents'] as { send: { type: string }[] }).send[0]!.type = 'NOT_A_TYPE';
      expect(refusalOf(bundle)).toMatch(/^th\.json: \/documents\/send\/0\/type: unknown document type NOT_A_TYPE/);
    });

    it('refuses two partners with the same id', () => {
      const bundle = good();
      bundle.partners.partners.push({ source: 'th-again.json', partner: partnerEntry(bundle, 'th.json') });
      expect(refusalOf(bundle)).toMatch(/TH is also the id in/);
    });

    it('refuses a gateway whose trust material is missing', () => {
      const bundle = good();
      delete bundle.partners.trust['SG'];
      expect(refusalOf(bundle)).toMatch(/^sg\.json: \/trust: no trust material for SG in bundle\.json/);
    });

    it('refuses trust material for a party whose file gives none', () => {
      const bundle = good();
      bundle.partners.trust['VN-CUSTOMS'] = bundle.partners.trust['TH']!;
      expect(refusalOf(bundle)).toMatch(/^bundle\.json: \/trust\/VN-CUSTOMS: VN-CUSTOMS has no trust/);
    });

    it('refuses a certificate that is not a certificate PEM', () => {
      const bundle = good();
      bundle.partners.trust['TH'] = { ...bundle.partners.trust['TH']!, certificatePem: readFileSync(layout.crl('TH'), 'utf8') };
      expect(refusalOf(bundle)).toMatch(/^bundle\.json: \/partners\/trust\/TH\/certificatePem: holds no CERTIFICATE PEM block/);
    });

    it('refuses invalid channel rules', () => {
      expect(refusalOf({ ...good(), channelRules: { defaultChannel: 'PURPLE' } })).toMatch(/^bundle\.json: \/channelRules\//);
    });

    it('refuses a partner file with tls, which the Worker cannot honour', () => {
      const bundle = good();
      Object.assign(partnerEntry(bundle, 'th.json'), { mode: 'live', endpoint: 'https://th.example/v1/exchange', tls: { serverName: 'th.example' } });
      expect(refusalOf(bundle)).toMatch(/^th\.json: \/tls: the Worker cannot use per-partner TLS settings .*mtls_certificates/);
    });

    it('refuses what is not a bundle', () => {
      expect(refusalOf({ partners: [] })).toMatch(/^bundle\.json: \/partners: /);
    });
  });
});
