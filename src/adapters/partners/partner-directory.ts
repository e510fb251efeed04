import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { CoreError } from '../../core/errors.js';
import type { GatewayPartner, Partner, PartnerDirectory, PartnerTrust, PartnerTrustSource } from '../../core/partner.js';
import { devPkiLayout } from '../crypto/dev-pki-layout.js';
import { buildPartnerDirectory } from './build-partner-directory.js';
import { failConfigSource, type PartnerSource, parsePartnerFile, sortDistinctPartners } from './parse-partner-file.js';

export { withEndpoints } from './build-partner-directory.js';

/**
 * Reads and validates every `*.json` file of a partners directory (design.md 3.6), sorted by id. The file
 * name is the id in lower case (`th.json`, `vn-customs.json`). Trust material is not read here, so this
 * also serves before the development PKI exists (`swx pki init`).
 * Throws CoreError CONFIG_INVALID with a one-line message naming the file and the field as a JSON pointer,
 * e.g. `partners/th.json: /documents/receive/0/type: Invalid option: ...`; `issues` lists every failing field.
 * @example const partners = readPartnerFiles('partners')
 */
export function readPartnerFiles(dir: string): Partner[] {
  return readEntries(dir).map((entry) => entry.partner);
}

/**
 * Loads the partners directory with each gateway's trust material: from the development PKI in `pkiDir`
 * for `"trust": { "source": "dev-pki" }`, from the files (relative to `dir`) or inline PEM of `"pinned"`
 * trust. Fails like `readPartnerFiles`, and also when trust material is missing.
 * @example const partners: PartnerDirectory = loadPartnerDirectory('partners', { pkiDir: devPkiDir('./data') })
 */
export function loadPartnerDirectory(dir: string, options: { readonly pkiDir: string }): PartnerDirectory {
  const entries = readEntries(dir);
  const trust = new Map<string, PartnerTrust>();
  for (const { source: file, partner } of entries) {
    if (partner.kind === 'gateway' && partner.trust !== undefined)
      trust.set(partner.id, readTrust(file, dir, partner, partner.trust, options.pkiDir));
  }
  return buildPartnerDirectory(
    entries.map((entry) => entry.partner),
    trust,
  );
}

function readEntries(dir: string): PartnerSource[] {
  if (!existsSync(dir)) throw new CoreError('CONFIG_INVALID', `partners directory ${dir} does not exist`);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));
  return sortDistinctPartners(files.map(readEntry));
}

function readEntry(file: string): PartnerSource {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CoreError('CONFIG_INVALID', `${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const partner = parsePartnerFile(file, json);
  const expected = `${partner.id.toLowerCase()}.json`;
  if (basename(file) !== expected)
    failConfigSource(file, [{ pointer: '/id', detail: `${partner.id} does not match the file name (expected ${expected})` }]);
  return { source: file, partner };
}

function readTrust(file: string, dir: string, partner: GatewayPartner, source: PartnerTrustSource, pkiDir: string): PartnerTrust {
  const trust = readGatewayTrust(file, dir, partner, source, pkiDir);
  if (partner.nppoCertificates === undefined) return trust;
  const nppoCertificatePems = partner.nppoCertificates.map((entry, index) =>
    'certificate' in entry
      ? entry.certificate
      : readPem(
          file,
          `/nppoCertificates/${index}/certificateFile`,
          isAbsolute(entry.certificateFile) ? entry.certificateFile : join(dir, entry.certificateFile),
          'CERTIFICATE',
          'file missing or unreadable',
        ),
  );
  return { ...trust, nppoCertificatePems };
}

function readGatewayTrust(file: string, dir: string, partner: GatewayPartner, source: PartnerTrustSource, pkiDir: string): PartnerTrust {
  if (source.source === 'dev-pki') {
    const layout = devPkiLayout(pkiDir);
    const hint = 'development PKI file missing (run `swx pki init`)';
    return {
      certificatePem: readPem(file, '/trust', layout.gatewayCertificate(partner.id), 'CERTIFICATE', hint),
      rootCertificatePem: readPem(file, '/trust', layout.rootCertificate(partner.country), 'CERTIFICATE', hint),
      crlPem: readPem(file, '/trust', layout.crl(partner.country), 'X509 CRL', hint),
    };
  }
  const fromFile = (field: 'certificateFile' | 'rootCertificateFile' | 'crlFile', path: string, label: string): string =>
    readPem(file, `/trust/${field}`, isAbsolute(path) ? path : join(dir, path), label, 'file missing or unreadable');
  const certificatePem = source.certificate ?? fromFile('certificateFile', source.certificateFile ?? '', 'CERTIFICATE');
  const rootCertificatePem = source.rootCertificate ?? fromFile('rootCertificateFile', source.rootCertificateFile ?? '', 'CERTIFICATE');
  return source.crlFile === undefined
    ? { certificatePem, rootCertificatePem }
    : { certificatePem, rootCertificatePem, crlPem: fromFile('crlFile', source.crlFile, 'X509 CRL') };
}

/**
 * Reads a PEM file a partner file names, failing CONFIG_INVALID as `<file>: <pointer>: <missing>: <path>` when it cannot
 * be read and `… holds no <label> PEM block` when it lacks one (a `PRIVATE KEY` may be `RSA` or `EC`).
 * @example readPem('partners/th.json', '/tls/clientKeyFile', '/etc/swx/th.key.pem', 'PRIVATE KEY', 'file missing or unreadable')
 */
export function readPem(file: string, pointer: string, path: string, label: string, missing: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return failConfigSource(file, [{ pointer, detail: `${missing}: ${path}` }], error);
  }
  // A key's block may name its algorithm (`RSA PRIVATE KEY`, `EC PRIVATE KEY`).
  const block = new RegExp(`-----BEGIN ${label === 'PRIVATE KEY' ? '(?:RSA |EC )?' : ''}${label}-----`);
  if (!block.test(text)) failConfigSource(file, [{ pointer, detail: `${path} holds no ${label} PEM block` }]);
  return text;
}
