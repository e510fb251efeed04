import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Clock } from '../../core/primitives.js';
import { devPkiLayout } from './dev-pki-layout.js';
import { issueDevCertificate } from './forge-dev-pki.js';

/** One generation of the gateway's signing certificate, as a rotation reports it. */
export interface SigningCertificateFacts {
  readonly fingerprint: string;
  readonly serialNumber: string;
  readonly notAfter: string;
  readonly certificatePath: string;
  readonly keyPath: string;
}

/** What `rotateDevGatewayKey` did: the retired generation (moved aside, kept) and the new one (in place). */
export interface GatewayKeyRotation {
  readonly retired: SigningCertificateFacts;
  readonly current: SigningCertificateFacts;
}

const DAY_MS = 86_400_000;
const GATEWAY_VALIDITY_MS = 2 * 365 * DAY_MS;
// As ensureDevPki does: a partner whose clock runs a little behind still accepts the fresh certificate.
const BACKDATE_MS = 60 * 60 * 1000;

/**
 * Where a gateway's retired key and certificate are kept: `<pkiDir>/gateways/retired/<ID>.<stamp>.{cert,key}.pem`,
 * the stamp being the rotation's instant (`20261205T013700Z`), so generations sort by date.
 * @example retiredPaths('./data/pki', 'VN', new Date('2026-12-05T01:37:00Z')).certificatePath // './data/pki/gateways/retired/VN.20261205T013700Z.cert.pem'
 */
export function retiredPaths(pkiDir: string, id: string, at: Date): { certificatePath: string; keyPath: string } {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  const dir = join(devPkiLayout(pkiDir).dir, 'gateways', 'retired');
  return { certificatePath: join(dir, `${id}.${stamp}.cert.pem`), keyPath: join(dir, `${id}.${stamp}.key.pem`) };
}

/**
 * Rotates a gateway's signing key in the development PKI:
 * 1. issues a new RSA-2048 key and a 2-year certificate from the country root, with the current certificate's CN and O;
 * 2. copies the current key and certificate to `gateways/retired/` (retiredPaths), so signatures made before stay
 *    verifiable with the old certificate;
 * 3. writes the new key (mode 0600) and certificate in place, each renamed into place whole.
 * A running service keeps signing with the key it read at start until it restarts.
 * @example const { retired, current } = await rotateDevGatewayKey('./data/pki', { id: 'VN', country: 'VN' }, clock)
 */
export async function rotateDevGatewayKey(
  pkiDir: string,
  gateway: { readonly id: string; readonly country: string },
  clock: Clock,
): Promise<GatewayKeyRotation> {
  const layout = devPkiLayout(pkiDir);
  const now = clock.now();
  const certificatePath = layout.gatewayCertificate(gateway.id);
  const keyPath = layout.gatewayKey(gateway.id);
  const oldCertificate = new X509Certificate(readFileSync(certificatePath, 'utf8'));
  const subject = new Map(oldCertificate.subject.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  const issued = await issueDevCertificate(pkiDir, {
    country: gateway.country,
    commonName: subject.get('CN') ?? `${gateway.id} National Single Window Gateway`,
    organization: subject.get('O') ?? `${gateway.country} National Single Window`,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + GATEWAY_VALIDITY_MS),
  });
  const retired = retiredPaths(pkiDir, gateway.id, now);
  mkdirSync(dirname(retired.certificatePath), { recursive: true, mode: 0o700 });
  copyFileSync(certificatePath, retired.certificatePath);
  copyFileSync(keyPath, retired.keyPath);
  writeAtomically(keyPath, issued.privateKeyPem, 0o600);
  writeAtomically(certificatePath, issued.certificatePem, 0o644);
  const newCertificate = new X509Certificate(issued.certificatePem);
  return {
    retired: { ...factsOf(oldCertificate), certificatePath: retired.certificatePath, keyPath: retired.keyPath },
    current: { ...factsOf(newCertificate), certificatePath, keyPath },
  };
}

function factsOf(certificate: X509Certificate): Pick<SigningCertificateFacts, 'fingerprint' | 'serialNumber' | 'notAfter'> {
  return {
    fingerprint: certificate.fingerprint256,
    serialNumber: certificate.serialNumber,
    notAfter: new Date(certificate.validTo).toISOString(),
  };
}

function writeAtomically(path: string, content: string, mode: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  renameSync(temporary, path);
}
