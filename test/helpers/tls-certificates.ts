import { readFileSync } from 'node:fs';
import { issueDevCertificate } from '../../src/adapters/crypto/forge-dev-pki.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';

/** A certificate and its private key, PEM. */
export interface TlsIdentity {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

const DAY_MS = 86_400_000;

/**
 * A TLS server certificate for loopback (subjectAltName `localhost` and `127.0.0.1`), issued by `country`'s root of the
 * development PKI in `pkiDir`.
 * @example const th = await loopbackServerIdentity(pkiDir, 'TH')
 */
export function loopbackServerIdentity(pkiDir: string, country: string): Promise<TlsIdentity> {
  return issueTlsIdentity(pkiDir, country, `${country} gateway TLS`, { serverNames: ['localhost', '127.0.0.1'] });
}

/**
 * A TLS client certificate (mutual TLS), issued by `country`'s root of the development PKI in `pkiDir`.
 * @example const vn = await clientIdentity(pkiDir, 'VN')
 */
export function clientIdentity(pkiDir: string, country: string): Promise<TlsIdentity> {
  return issueTlsIdentity(pkiDir, country, `${country} gateway TLS client`, { client: true });
}

/**
 * The PEM of `country`'s root in the development PKI.
 * @example const thRoot = rootCertificatePem(pkiDir, 'TH')
 */
export function rootCertificatePem(pkiDir: string, country: string): string {
  return readFileSync(devPkiLayout(pkiDir).rootCertificate(country), 'utf8');
}

async function issueTlsIdentity(
  pkiDir: string,
  country: string,
  commonName: string,
  tls: { readonly serverNames?: readonly string[]; readonly client?: boolean },
): Promise<TlsIdentity> {
  const now = Date.now();
  const issued = await issueDevCertificate(pkiDir, { country, commonName, notBefore: new Date(now - DAY_MS), notAfter: new Date(now + DAY_MS), tls });
  return { certificatePem: issued.certificatePem, privateKeyPem: issued.privateKeyPem };
}
