import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { retiredPaths } from './rotate-dev-gateway-key.js';

/**
 * The PEMs of gateway `id`'s signing certificates that `swx keys rotate` retired into `<pkiDir>/gateways/retired/`,
 * newest first (their names carry the rotation's instant); none when nothing was rotated.
 * @example readRetiredCertificates('./data/pki', 'VN') // ['-----BEGIN CERTIFICATE-----…']
 */
export function readRetiredCertificates(pkiDir: string, id: string): string[] {
  const dir = dirname(retiredPaths(pkiDir, id, new Date(0)).certificatePath);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.startsWith(`${id}.`) && name.endsWith('.cert.pem'))
    .sort()
    .reverse()
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}
