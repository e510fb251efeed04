import { createSecureContext } from 'node:tls';
import { isAbsolute, join } from 'node:path';
import type { Partner, PartnerTlsMaterial } from '../../core/partner.js';
import { failConfigSource } from './parse-partner-file.js';
import { readPem } from './partner-directory.js';

/**
 * Reads the TLS settings (PartnerTls) of every gateway whose file has `tls`, keyed by partner id: the client certificate
 * and key files and the server roots, files relative to `dir`. Each set is tried in a TLS context at once, so a key that
 * does not match its certificate, or a PEM OpenSSL cannot use, stops the start naming the file, not the first delivery.
 * Throws CoreError CONFIG_INVALID as `partners/th.json: /tls/clientKeyFile: file missing or unreadable: <path>`.
 * @example const tls = readPartnerTls('partners', readPartnerFiles('partners'))
 */
export function readPartnerTls(dir: string, partners: readonly Partner[]): ReadonlyMap<string, PartnerTlsMaterial> {
  const material = new Map<string, PartnerTlsMaterial>();
  for (const partner of partners) {
    if (partner.kind !== 'gateway' || partner.tls === undefined) continue;
    const file = join(dir, `${partner.id.toLowerCase()}.json`);
    const { tls } = partner;
    const path = (name: string) => (isAbsolute(name) ? name : join(dir, name));
    const read = (pointer: string, name: string, label: string) => readPem(file, `/tls/${pointer}`, path(name), label, 'file missing or unreadable');
    const entry: PartnerTlsMaterial = {
      ...(tls.clientCertificateFile === undefined
        ? {}
        : { clientCertificatePem: read('clientCertificateFile', tls.clientCertificateFile, 'CERTIFICATE') }),
      ...(tls.clientKeyFile === undefined ? {} : { clientKeyPem: read('clientKeyFile', tls.clientKeyFile, 'PRIVATE KEY') }),
      ...(tls.serverRoots === undefined
        ? {}
        : {
            serverRootPems: tls.serverRoots.map((root, index) =>
              'certificate' in root ? root.certificate : read(`serverRoots/${index}/certificateFile`, root.certificateFile, 'CERTIFICATE'),
            ),
          }),
      ...(tls.serverName === undefined ? {} : { serverName: tls.serverName }),
    };
    try {
      createSecureContext({
        ...(entry.clientCertificatePem === undefined ? {} : { cert: entry.clientCertificatePem, key: entry.clientKeyPem }),
        ...(entry.serverRootPems === undefined ? {} : { ca: [...entry.serverRootPems] }),
      });
    } catch (error) {
      failConfigSource(file, [{ pointer: '/tls', detail: `not usable for TLS: ${(error as Error).message}` }], error);
    }
    material.set(partner.id, entry);
  }
  return material;
}
