import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { z } from 'zod';
import { CoreError, type FieldIssue } from '../../core/errors.js';
import type { GatewayPartner, Partner, PartnerDirectory, PartnerTrust, PartnerTrustSource } from '../../core/partner.js';
import { PartnerFile } from '../../core/documents/partner-file.js';
import { devPkiLayout } from '../crypto/dev-pki-layout.js';

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
  for (const { file, partner } of entries) {
    if (partner.kind === 'gateway' && partner.trust !== undefined)
      trust.set(partner.id, readTrust(file, dir, partner, partner.trust, options.pkiDir));
  }
  return directoryOf(
    entries.map((entry) => entry.partner),
    trust,
  );
}

/**
 * The same directory with endpoints filled in for gateways whose file has none: the loopback URLs the
 * simulator gives the `simulated` gateways when it starts.
 * @example const partners = withEndpoints(loadPartnerDirectory(dir, { pkiDir }), new Map([['TH', 'http://127.0.0.1:41234/v1/exchange']]))
 */
export function withEndpoints(directory: PartnerDirectory, endpoints: ReadonlyMap<string, string>): PartnerDirectory {
  const partners = directory.list().map((partner) => {
    const endpoint = endpoints.get(partner.id);
    return partner.kind === 'gateway' && partner.endpoint === undefined && endpoint !== undefined ? { ...partner, endpoint } : partner;
  });
  const trust = new Map<string, PartnerTrust>();
  for (const partner of partners) {
    if (partner.kind === 'gateway' && partner.trust !== undefined) trust.set(partner.id, directory.trustFor(partner.id));
  }
  return directoryOf(partners, trust);
}

interface Entry {
  readonly file: string;
  readonly partner: Partner;
}

function directoryOf(partners: readonly Partner[], trust: ReadonlyMap<string, PartnerTrust>): PartnerDirectory {
  const byId = new Map(partners.map((partner) => [partner.id, partner] as const));
  const gateways = new Map<string, GatewayPartner>();
  for (const partner of partners) if (partner.kind === 'gateway') gateways.set(partner.country, partner);
  return {
    get: (id) => byId.get(id),
    list: () => partners,
    gatewayFor: (country) => gateways.get(country),
    trustFor(id) {
      const partner = byId.get(id);
      if (partner === undefined) throw new CoreError('UNKNOWN_PARTNER', `no partner ${id}`);
      const material = trust.get(id);
      if (material !== undefined) return material;
      throw new CoreError(
        'CERTIFICATE_UNTRUSTED',
        partner.kind === 'agency' ? `${id} is an agency: agencies hold no certificate` : `${id} has no trust material yet (state ${partner.state})`,
      );
    },
  };
}

function readEntries(dir: string): Entry[] {
  if (!existsSync(dir)) throw new CoreError('CONFIG_INVALID', `partners directory ${dir} does not exist`);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));
  const entries = files.map(readEntry);
  const seen = new Map<string, string>();
  for (const { file, partner } of entries) {
    const other = seen.get(partner.id);
    if (other !== undefined) fail(file, [{ pointer: '/id', detail: `${partner.id} is also the id in ${other}` }]);
    seen.set(partner.id, file);
  }
  return entries.sort((a, b) => (a.partner.id < b.partner.id ? -1 : a.partner.id > b.partner.id ? 1 : 0));
}

function readEntry(file: string): Entry {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CoreError('CONFIG_INVALID', `${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const result = PartnerFile.safeParse(json);
  if (!result.success) fail(file, result.error.issues.flatMap(toFieldIssues));
  const partner = result.data;
  const expected = `${partner.id.toLowerCase()}.json`;
  if (basename(file) !== expected) fail(file, [{ pointer: '/id', detail: `${partner.id} does not match the file name (expected ${expected})` }]);
  return { file, partner };
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

function readPem(file: string, pointer: string, path: string, label: string, missing: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return fail(file, [{ pointer, detail: `${missing}: ${path}` }], error);
  }
  if (!text.includes(`-----BEGIN ${label}-----`)) fail(file, [{ pointer, detail: `${path} holds no ${label} PEM block` }]);
  return text;
}

function fail(file: string, issues: readonly FieldIssue[], cause?: unknown): never {
  const first = issues[0];
  const where = first === undefined || first.pointer === '' ? '' : ` ${first.pointer}:`;
  const message = `${file}:${where} ${first?.detail ?? 'invalid'}`;
  throw new CoreError('CONFIG_INVALID', message, cause === undefined ? { issues } : { issues, cause });
}

function toFieldIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ pointer: toJsonPointer([...issue.path, key]), detail: 'unknown field' }));
  }
  return [{ pointer: toJsonPointer(issue.path), detail: issue.message }];
}

// RFC 6901: "~" is written "~0" and "/" is written "~1".
function toJsonPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
