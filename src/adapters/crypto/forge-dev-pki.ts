import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { Partner } from '../../core/partner.js';
import type { Clock } from '../../core/primitives.js';
import { devPkiLayout, type DevPkiLayout } from './dev-pki-layout.js';
import { OID_SHA256_WITH_RSA, createCrlPem, normalizeSerialNumber, parseCrlPem, type RevokedCertificate } from './forge-crl.js';

/** A gateway the development PKI issues a certificate for. `organization` is its O= (default `<CC> National Single Window`). */
export interface DevPkiParty {
  readonly id: string;
  readonly country: string;
  readonly organization?: string;
}

/** One thing `ensureDevPki` created or renewed. */
export interface DevPkiChange {
  readonly kind: 'root' | 'crl' | 'gateway';
  /** The country code of a root or CRL, the gateway id of a gateway certificate. */
  readonly id: string;
  readonly subject: string;
  readonly path: string;
}

const DAY_MS = 86_400_000;
const ROOT_VALIDITY_MS = 10 * 365 * DAY_MS;
const GATEWAY_VALIDITY_MS = 2 * 365 * DAY_MS;
const CRL_VALIDITY_MS = 365 * DAY_MS;
// Renew a gateway certificate or CRL this long before it lapses, so a running service never meets the lapse.
const RENEW_BEFORE_MS = 30 * DAY_MS;
// Back-date notBefore so that a partner whose clock runs a little behind still accepts a fresh certificate.
const BACKDATE_MS = 60 * 60 * 1000;

const systemClock: Clock = { now: () => new Date() };
const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * The parties the development PKI serves: swx's own gateway (`SWX_GATEWAY_ID`) and every gateway whose
 * partner file says `"trust": { "source": "dev-pki" }`.
 * @example await ensureDevPki(pkiDir, devPkiPartiesFor(readPartnerFiles('partners'), 'VN'))
 */
export function devPkiPartiesFor(
  partners: readonly Partner[],
  ownGatewayId: string,
  ownOrganization = 'Viet Nam National Single Window',
): DevPkiParty[] {
  const parties: DevPkiParty[] = [{ id: ownGatewayId, country: ownGatewayId, organization: ownOrganization }];
  for (const partner of partners) {
    if (partner.kind !== 'gateway' || partner.trust?.source !== 'dev-pki') continue;
    parties.push(
      partner.operator === undefined
        ? { id: partner.id, country: partner.country }
        : { id: partner.id, country: partner.country, organization: partner.operator },
    );
  }
  return parties;
}

/**
 * Creates what is missing of the development PKI under `pkiDir` (layout in dev-pki-layout.ts): per country a
 * root CA (RSA-2048, 10 years) and a signed CRL; per gateway an RSA-2048 key (mode 0600) and a 2-year
 * certificate issued by its country's root. Idempotent: what exists and is still sound is left alone; a
 * certificate no longer issued by its root, or within 30 days of expiry, is re-issued. Keys come from
 * node:crypto (in parallel, off the main thread) and certificates are built with node-forge.
 * @example const created = await ensureDevPki('./data/pki', [{ id: 'VN', country: 'VN' }, { id: 'TH', country: 'TH', organization: 'Thai Customs Department' }])
 */
export async function ensureDevPki(pkiDir: string, parties: readonly DevPkiParty[], clock: Clock = systemClock): Promise<readonly DevPkiChange[]> {
  const layout = devPkiLayout(pkiDir);
  const now = clock.now();
  const changes: DevPkiChange[] = [];
  const countries = new Map<string, string>();
  for (const party of parties) {
    if (!countries.has(party.country)) countries.set(party.country, organizationOf(party));
  }

  const existingRoots = new Map([...countries.keys()].map((country) => [country, readRoot(layout, country, now)] as const));
  const existingGateways = new Map(parties.map((party) => [party.id, readGateway(layout, party.id)] as const));
  const newKeys = await generateKeys([
    ...[...existingRoots].filter(([, root]) => root === undefined).map(([country]) => `root:${country}`),
    ...[...existingGateways].filter(([, gateway]) => gateway.key === undefined).map(([id]) => `gateway:${id}`),
  ]);

  const roots = new Map<string, Issuer>();
  for (const [country, organization] of countries) {
    let root = existingRoots.get(country);
    if (root === undefined) {
      root = createRoot(layout, country, organization, requireKey(newKeys, `root:${country}`), now);
      changes.push({ kind: 'root', id: country, subject: subjectLine(root.certificate), path: layout.rootCertificate(country) });
    }
    roots.set(country, root);
    if (ensureCrl(layout, country, root, now)) {
      changes.push({ kind: 'crl', id: country, subject: subjectLine(root.certificate), path: layout.crl(country) });
    }
  }

  for (const party of parties) {
    const root = roots.get(party.country);
    if (root === undefined) continue;
    const existing = existingGateways.get(party.id);
    if (existing?.key !== undefined && existing.certificate !== undefined && isSoundGateway(existing.certificate, existing.key, root, now)) continue;
    const key = existing?.key ?? requireKey(newKeys, `gateway:${party.id}`);
    const certificate = issueCertificate({
      subject: gatewaySubject(party),
      issuer: root,
      publicKey: createPublicKey(key),
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + GATEWAY_VALIDITY_MS),
      ca: false,
    });
    if (existing?.key === undefined) writeKey(layout.gatewayKey(party.id), key);
    writeAtomically(layout.gatewayCertificate(party.id), forge.pki.certificateToPem(certificate));
    changes.push({ kind: 'gateway', id: party.id, subject: subjectLine(certificate), path: layout.gatewayCertificate(party.id) });
  }
  return changes;
}

/**
 * Adds a serial number to a country's CRL and re-signs it (for revocation tests and drills).
 * @example revokeCertificate('./data/pki', 'TH', new X509Certificate(pem).serialNumber)
 */
export function revokeCertificate(pkiDir: string, country: string, serialNumber: string, clock: Clock = systemClock): void {
  const layout = devPkiLayout(pkiDir);
  const now = clock.now();
  const root = readRoot(layout, country, now);
  if (root === undefined) throw new Error(`no development root for ${country} in ${pkiDir}`);
  const current = parseCrlPem(readFileSync(layout.crl(country), 'utf8'));
  const revoked = [...current.revoked].map(([serial, revocationDate]) => ({ serialNumber: serial, revocationDate }));
  const serial = normalizeSerialNumber(serialNumber);
  if (!current.revoked.has(serial)) revoked.push({ serialNumber: serial, revocationDate: now });
  writeCrl(layout, country, root, (current.crlNumber ?? 0) + 1, now, revoked);
}

/**
 * What a TLS certificate of the development PKI is for: a server (`serverNames`, DNS names and IP addresses written as
 * subjectAltName, e.g. `['localhost', '127.0.0.1']`) and/or a client (mutual TLS).
 */
export interface DevTlsUse {
  readonly serverNames?: readonly string[];
  readonly client?: boolean;
}

/**
 * Issues a certificate from a country's development root with chosen validity dates (for tests of expired
 * and not-yet-valid certificates, and with `tls` for TLS servers and clients on loopback). Reuses `privateKeyPem`
 * when given, else generates an RSA-2048 key. Writes nothing.
 * @example const { certificatePem } = await issueDevCertificate(pkiDir, { country: 'TH', commonName: 'TH expired', notBefore, notAfter })
 */
export async function issueDevCertificate(
  pkiDir: string,
  options: {
    readonly country: string;
    readonly commonName: string;
    readonly notBefore: Date;
    readonly notAfter: Date;
    readonly organization?: string;
    readonly privateKeyPem?: string;
    readonly tls?: DevTlsUse;
  },
): Promise<{ readonly certificatePem: string; readonly privateKeyPem: string; readonly serialNumber: string }> {
  const layout = devPkiLayout(pkiDir);
  const root = readRoot(layout, options.country, options.notBefore, false);
  if (root === undefined) throw new Error(`no development root for ${options.country} in ${pkiDir}`);
  const key = options.privateKeyPem === undefined ? (await generateKeys(['key'])).get('key') : createPrivateKey(options.privateKeyPem);
  if (key === undefined) throw new Error('key generation failed');
  const certificate = issueCertificate({
    subject: [
      { shortName: 'CN', value: options.commonName },
      { shortName: 'O', value: options.organization ?? `${options.country} National Single Window` },
      { shortName: 'C', value: options.country },
    ],
    issuer: root,
    publicKey: createPublicKey(key),
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    ca: false,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
  });
  return {
    certificatePem: forge.pki.certificateToPem(certificate),
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    serialNumber: certificate.serialNumber,
  };
}

interface Issuer {
  readonly certificate: forge.pki.Certificate;
  readonly key: KeyObject;
}

function organizationOf(party: DevPkiParty): string {
  return party.organization ?? `${party.country} National Single Window`;
}

function gatewaySubject(party: DevPkiParty): forge.pki.CertificateField[] {
  return [
    { shortName: 'CN', value: `${party.id} National Single Window Gateway` },
    { shortName: 'O', value: organizationOf(party) },
    { shortName: 'C', value: party.country },
  ];
}

function subjectLine(certificate: forge.pki.Certificate): string {
  return certificate.subject.attributes.map((attribute) => `${attribute.shortName ?? attribute.name}=${String(attribute.value)}`).join(', ');
}

async function generateKeys(names: readonly string[]): Promise<Map<string, KeyObject>> {
  const pairs = await Promise.all(
    names.map(async (name) => [name, (await generateKeyPairAsync('rsa', { modulusLength: 2048 })).privateKey] as const),
  );
  return new Map(pairs);
}

function requireKey(keys: ReadonlyMap<string, KeyObject>, name: string): KeyObject {
  const key = keys.get(name);
  if (key === undefined) throw new Error(`no key generated for ${name}`);
  return key;
}

function readRoot(layout: DevPkiLayout, country: string, now: Date, mustBeCurrent = true): Issuer | undefined {
  const certificatePath = layout.rootCertificate(country);
  const keyPath = layout.rootKey(country);
  if (!existsSync(certificatePath) || !existsSync(keyPath)) return undefined;
  try {
    const certificate = forge.pki.certificateFromPem(readFileSync(certificatePath, 'utf8'));
    const key = createPrivateKey(readFileSync(keyPath, 'utf8'));
    if (!matches(certificate, key) || !certificate.verify(certificate)) return undefined;
    if (mustBeCurrent && certificate.validity.notAfter.getTime() <= now.getTime()) return undefined;
    return { certificate, key };
  } catch {
    return undefined;
  }
}

function readGateway(layout: DevPkiLayout, id: string): { key?: KeyObject; certificate?: forge.pki.Certificate } {
  const result: { key?: KeyObject; certificate?: forge.pki.Certificate } = {};
  try {
    result.key = createPrivateKey(readFileSync(layout.gatewayKey(id), 'utf8'));
  } catch {
    // A missing or unreadable key is replaced below.
  }
  try {
    result.certificate = forge.pki.certificateFromPem(readFileSync(layout.gatewayCertificate(id), 'utf8'));
  } catch {
    // A missing or unreadable certificate is re-issued below.
  }
  return result;
}

function isSoundGateway(certificate: forge.pki.Certificate, key: KeyObject, root: Issuer, now: Date): boolean {
  try {
    return (
      matches(certificate, key) &&
      root.certificate.verify(certificate) &&
      certificate.validity.notBefore.getTime() <= now.getTime() &&
      certificate.validity.notAfter.getTime() - RENEW_BEFORE_MS > now.getTime()
    );
  } catch {
    return false;
  }
}

function matches(certificate: forge.pki.Certificate, key: KeyObject): boolean {
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('binary');
  const fromCertificate = forge.asn1.toDer(forge.pki.publicKeyToAsn1(certificate.publicKey)).getBytes();
  return fromKey === fromCertificate;
}

function createRoot(layout: DevPkiLayout, country: string, organization: string, key: KeyObject, now: Date): Issuer {
  const subject = [
    { shortName: 'CN', value: `${country} Single Window Development Root CA` },
    { shortName: 'O', value: organization },
    { shortName: 'C', value: country },
  ];
  const certificate = issueCertificate({
    subject,
    issuer: { subject, key },
    publicKey: createPublicKey(key),
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + ROOT_VALIDITY_MS),
    ca: true,
  });
  writeKey(layout.rootKey(country), key);
  writeAtomically(layout.rootCertificate(country), forge.pki.certificateToPem(certificate));
  return { certificate, key };
}

/** Re-signs the CRL when it is missing, not signed by the current root or near its nextUpdate; true when it did. */
function ensureCrl(layout: DevPkiLayout, country: string, root: Issuer, now: Date): boolean {
  let revoked: RevokedCertificate[] = [];
  let crlNumber = 1;
  try {
    const current = parseCrlPem(readFileSync(layout.crl(country), 'utf8'));
    if (current.issuerHash === root.certificate.subject.hash && current.isSignedBy(root.certificate)) {
      if (current.nextUpdate !== undefined && current.nextUpdate.getTime() - RENEW_BEFORE_MS > now.getTime()) return false;
      revoked = [...current.revoked].map(([serialNumber, revocationDate]) => ({ serialNumber, revocationDate }));
      crlNumber = (current.crlNumber ?? 0) + 1;
    }
  } catch {
    // Missing or unreadable: written afresh below.
  }
  writeCrl(layout, country, root, crlNumber, now, revoked);
  return true;
}

function writeCrl(layout: DevPkiLayout, country: string, root: Issuer, crlNumber: number, now: Date, revoked: readonly RevokedCertificate[]): void {
  const pem = createCrlPem({
    issuer: root.certificate,
    issuerKey: root.key,
    crlNumber,
    thisUpdate: new Date(now.getTime() - BACKDATE_MS),
    nextUpdate: new Date(now.getTime() + CRL_VALIDITY_MS),
    revoked,
  });
  writeAtomically(layout.crl(country), pem);
}

function issueCertificate(options: {
  readonly subject: forge.pki.CertificateField[];
  readonly issuer: Issuer | { readonly subject: forge.pki.CertificateField[]; readonly key: KeyObject };
  readonly publicKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ca: boolean;
  readonly tls?: DevTlsUse;
}): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(options.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  certificate.serialNumber = serialNumber();
  certificate.validity.notBefore = options.notBefore;
  certificate.validity.notAfter = options.notAfter;
  certificate.setSubject(options.subject);
  const issuerCertificate = 'certificate' in options.issuer ? options.issuer.certificate : undefined;
  certificate.setIssuer(issuerCertificate?.subject.attributes ?? options.subject);
  const authorityKeyIdentifier = (issuerCertificate ?? certificate).generateSubjectKeyIdentifier().getBytes();
  certificate.setExtensions(
    options.ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ]
      : options.tls === undefined
        ? [
            { name: 'basicConstraints', cA: false, critical: true },
            { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
            { name: 'subjectKeyIdentifier' },
            { name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyIdentifier },
          ]
        : tlsExtensions(options.tls, authorityKeyIdentifier),
  );
  signCertificate(certificate, options.issuer.key);
  return certificate;
}

// RFC 5280 4.2.1.3, 4.2.1.6, 4.2.1.12: an RSA key for TLS signs (ECDHE) or enciphers (RSA key exchange); the
// names a server answers to are in subjectAltName (an IP address as type 7, a DNS name as type 2).
function tlsExtensions(use: DevTlsUse, authorityKeyIdentifier: string): object[] {
  const names = (use.serverNames ?? []).map((name) => (isIP(name) === 0 ? { type: 2, value: name } : { type: 7, ip: name }));
  return [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: names.length > 0, clientAuth: use.client === true },
    ...(names.length > 0 ? [{ name: 'subjectAltName', altNames: names }] : []),
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyIdentifier },
  ];
}

// node-forge signs RSA in pure JavaScript (about 45 ms a signature); node:crypto signs the same TBSCertificate
// bytes in well under a millisecond. getTBSCertificate is public in node-forge but missing from its typings.
function signCertificate(certificate: forge.pki.Certificate, key: KeyObject): void {
  const pki = forge.pki as typeof forge.pki & { getTBSCertificate(certificate: forge.pki.Certificate): forge.asn1.Asn1 };
  certificate.signatureOid = OID_SHA256_WITH_RSA;
  certificate.siginfo.algorithmOid = OID_SHA256_WITH_RSA;
  certificate.tbsCertificate = pki.getTBSCertificate(certificate);
  const tbs = Buffer.from(forge.asn1.toDer(certificate.tbsCertificate).getBytes(), 'binary');
  certificate.signature = sign('sha256', tbs, key).toString('binary');
}

// RFC 5280 4.1.2.2: a positive integer of at most 20 octets; 16 random octets with the top bit clear.
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes.writeUInt8((bytes.readUInt8(0) & 0x7f) | 0x01, 0);
  return bytes.toString('hex');
}

function writeKey(path: string, key: KeyObject): void {
  writeAtomically(path, key.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
}

// Written beside and renamed into place, so a crash never leaves half a PEM behind.
function writeAtomically(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  renameSync(temporary, path);
}
