import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private key and its self-signed certificate, as PEM strings and as files (for xmlsec1). */
export interface ThrowawayCredential {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  readonly keyPath: string;
  readonly certificatePath: string;
}

/**
 * A fresh key and self-signed certificate made by the real `openssl` CLI: RSA-2048, or EC P-256.
 * @example const { privateKeyPem, certificatePem } = throwawayCredential('rsa')
 */
export function throwawayCredential(kind: 'rsa' | 'ec', commonName = 'swx test gateway'): ThrowawayCredential {
  const dir = mkdtempSync(join(tmpdir(), 'swx-credential-'));
  const keyPath = join(dir, 'key.pem');
  const certificatePath = join(dir, 'cert.pem');
  const algorithm = kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const run = spawnSync(
    'openssl',
    ['req', '-x509', ...algorithm, '-nodes', '-keyout', keyPath, '-out', certificatePath, '-days', '2', '-subj', `/CN=${commonName}`],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`openssl failed: ${run.stderr}`);
  return { privateKeyPem: readFileSync(keyPath, 'utf8'), certificatePem: readFileSync(certificatePath, 'utf8'), keyPath, certificatePath };
}
