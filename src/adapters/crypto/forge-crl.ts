import { sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;
// node-forge accepts an options object here; @types/node-forge only declares the older boolean.
const fromDerKeepingBitStrings = asn1.fromDer as unknown as (bytes: string, options: { decodeBitStrings: boolean }) => Asn1;

/** A revoked certificate: its serial number in hexadecimal and when it was revoked. */
export interface RevokedCertificate {
  readonly serialNumber: string;
  readonly revocationDate: Date;
}

/** A parsed X.509 v2 CRL (RFC 5280 section 5). */
export interface CertificateRevocationList {
  /** SHA-1 of the issuer Name's DER, comparable with node-forge's `certificate.subject.hash`. */
  readonly issuerHash: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly crlNumber: number | undefined;
  /** Revocation dates by serial number (normalised with `normalizeSerialNumber`). */
  readonly revoked: ReadonlyMap<string, Date>;
  /** Whether `issuer`'s key signed this CRL (RSA PKCS#1 v1.5 with SHA-256, -384 or -512). */
  isSignedBy(issuer: forge.pki.Certificate): boolean;
}

const OID_CRL_NUMBER = '2.5.29.20';
const OID_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';
/** RFC 4055 section 5. */
export const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const digestByOid: Record<string, () => forge.md.MessageDigest> = {
  [OID_SHA256_WITH_RSA]: () => forge.md.sha256.create(),
  '1.2.840.113549.1.1.12': () => forge.md.sha384.create(),
  '1.2.840.113549.1.1.13': () => forge.md.sha512.create(),
};

/**
 * A serial number in one spelling: lower-case hexadecimal without leading zeros.
 * @example normalizeSerialNumber('00A1:0F') // 'a10f'
 */
export function normalizeSerialNumber(serialNumber: string): string {
  return serialNumber
    .replace(/[^0-9a-fA-F]/g, '')
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
}

/**
 * Builds and signs a v2 CRL for `issuer` (with AuthorityKeyIdentifier and CRLNumber, as RFC 5280 5.2 asks).
 * node-forge has no CRL support, so the ASN.1 is written here; node:crypto signs it.
 * @example const pem = createCrlPem({ issuer: root, issuerKey, crlNumber: 1, thisUpdate: now, nextUpdate, revoked: [] })
 */
export function createCrlPem(options: {
  readonly issuer: forge.pki.Certificate;
  readonly issuerKey: KeyObject;
  readonly crlNumber: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revoked: readonly RevokedCertificate[];
}): string {
  const { issuer } = options;
  const revoked = options.revoked.map((entry) => sequence([integerFromHex(entry.serialNumber), time(entry.revocationDate)]));
  const authorityKeyIdentifier = sequence([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, issuer.generateSubjectKeyIdentifier().getBytes())]);
  const crlNumber = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(options.crlNumber).getBytes());
  const tbsCertList = sequence([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(1).getBytes()),
    sequence([oid(OID_SHA256_WITH_RSA), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]),
    subjectNameOf(issuer),
    time(options.thisUpdate),
    time(options.nextUpdate),
    ...(revoked.length > 0 ? [sequence(revoked)] : []),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
      sequence([extension(OID_AUTHORITY_KEY_IDENTIFIER, authorityKeyIdentifier), extension(OID_CRL_NUMBER, crlNumber)]),
    ]),
  ]);
  const tbsDer = Buffer.from(asn1.toDer(tbsCertList).getBytes(), 'binary');
  const signature = sign('sha256', tbsDer, options.issuerKey).toString('binary');
  const certificateList = sequence([
    tbsCertList,
    sequence([oid(OID_SHA256_WITH_RSA), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${signature}`),
  ]);
  return forge.pem.encode({ type: 'X509 CRL', body: asn1.toDer(certificateList).getBytes() });
}

/**
 * Parses a PEM CRL. Throws an Error naming what is malformed.
 * @example parseCrlPem(pem).revoked.has(normalizeSerialNumber(certificate.serialNumber))
 */
export function parseCrlPem(pem: string): CertificateRevocationList {
  const block = forge.pem.decode(pem).find((candidate) => candidate.type === 'X509 CRL');
  if (block === undefined) throw new Error('no "X509 CRL" PEM block');
  // Signature bytes must stay bytes: forge would otherwise try to read a BIT STRING as nested ASN.1.
  const certificateList = fromDerKeepingBitStrings(block.body, { decodeBitStrings: false });
  const [tbs, algorithm, signatureValue] = childrenOf(certificateList, 'CertificateList');
  const signatureOid = asn1.derToOid(valueBytes(childrenOf(algorithm, 'signatureAlgorithm')[0], 'signatureAlgorithm'));
  const fields = childrenOf(tbs, 'tbsCertList');
  let at = fields[0]?.type === asn1.Type.INTEGER && fields[0].tagClass === asn1.Class.UNIVERSAL ? 1 : 0;
  const issuer = fields[at + 1];
  if (issuer === undefined) throw new Error('tbsCertList has no issuer');
  const thisUpdate = timeOf(fields[at + 2], 'thisUpdate');
  at += 3;
  let nextUpdate: Date | undefined;
  if (isTime(fields[at])) nextUpdate = timeOf(fields[at++], 'nextUpdate');
  const revoked = new Map<string, Date>();
  const maybeRevoked = fields[at];
  if (maybeRevoked?.tagClass === asn1.Class.UNIVERSAL && maybeRevoked.type === asn1.Type.SEQUENCE) {
    for (const entry of childrenOf(maybeRevoked, 'revokedCertificates')) {
      const [serial, date] = childrenOf(entry, 'revokedCertificate');
      revoked.set(normalizeSerialNumber(forge.util.bytesToHex(valueBytes(serial, 'userCertificate'))), timeOf(date, 'revocationDate'));
    }
    at += 1;
  }
  const extensions = fields[at];
  const crlNumber = extensions === undefined ? undefined : crlNumberOf(extensions);
  if (tbs === undefined) throw new Error('CertificateList has no tbsCertList');
  const tbsBytes = asn1.toDer(tbs).getBytes();
  const signatureBytes = valueBytes(signatureValue, 'signatureValue').slice(1);
  return {
    issuerHash: sha1Hex(asn1.toDer(issuer).getBytes()),
    thisUpdate,
    nextUpdate,
    crlNumber,
    revoked,
    isSignedBy(issuerCertificate) {
      const createDigest = digestByOid[signatureOid];
      if (createDigest === undefined) return false;
      const digest = createDigest().update(tbsBytes).digest().getBytes();
      try {
        return (issuerCertificate.publicKey as forge.pki.rsa.PublicKey).verify(digest, signatureBytes);
      } catch {
        return false;
      }
    },
  };
}

function crlNumberOf(extensions: Asn1): number | undefined {
  for (const entry of childrenOf(childrenOf(extensions, 'crlExtensions')[0], 'crlExtensions')) {
    const [id, ...rest] = childrenOf(entry, 'extension');
    if (asn1.derToOid(valueBytes(id, 'extnID')) !== OID_CRL_NUMBER) continue;
    const value = asn1.fromDer(valueBytes(rest[rest.length - 1], 'extnValue'));
    return parseInt(forge.util.bytesToHex(valueBytes(value, 'CRLNumber')), 16);
  }
  return undefined;
}

function subjectNameOf(certificate: forge.pki.Certificate): Asn1 {
  // The issuer Name is copied byte for byte from the certificate so that name matching cannot depend on re-encoding.
  const fields = childrenOf(certificate.tbsCertificate, 'tbsCertificate');
  const offset = fields[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const subject = fields[offset + 4];
  if (subject === undefined) throw new Error('certificate has no subject');
  return subject;
}

function sequence(items: Asn1[]): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}

function oid(value: string): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
}

function extension(id: string, value: Asn1): Asn1 {
  return sequence([oid(id), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, asn1.toDer(value).getBytes())]);
}

function integerFromHex(serialNumber: string): Asn1 {
  let hex = normalizeSerialNumber(serialNumber);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 1), 16) >= 8) hex = `00${hex}`;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(hex));
}

// RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
function time(date: Date): Asn1 {
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function isTime(node: Asn1 | undefined): boolean {
  return node?.tagClass === asn1.Class.UNIVERSAL && (node.type === asn1.Type.UTCTIME || node.type === asn1.Type.GENERALIZEDTIME);
}

function timeOf(node: Asn1 | undefined, field: string): Date {
  if (node === undefined || !isTime(node)) throw new Error(`${field} is not a time`);
  const text = valueBytes(node, field);
  return node.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(text) : asn1.generalizedTimeToDate(text);
}

function childrenOf(node: Asn1 | undefined, field: string): Asn1[] {
  if (node === undefined || !Array.isArray(node.value)) throw new Error(`${field} is not a constructed value`);
  return node.value;
}

function valueBytes(node: Asn1 | undefined, field: string): string {
  if (node === undefined || typeof node.value !== 'string') throw new Error(`${field} is not a primitive value`);
  return node.value;
}

function sha1Hex(bytes: string): string {
  return forge.md.sha1.create().update(bytes).digest().toHex();
}
