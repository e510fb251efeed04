import { join } from 'node:path';

/** Where each file of the development PKI lives under its directory. */
export interface DevPkiLayout {
  readonly dir: string;
  rootCertificate(country: string): string;
  rootKey(country: string): string;
  crl(country: string): string;
  gatewayCertificate(id: string): string;
  gatewayKey(id: string): string;
}

/**
 * The development PKI's directory inside swx's data dir.
 * @example devPkiDir('./data') // './data/pki'
 */
export function devPkiDir(dataDir: string): string {
  return join(dataDir, 'pki');
}

/**
 * The files of the development PKI: a root CA and CRL per country, a certificate and key per gateway.
 *
 * ```
 * <pkiDir>/<CC>/root.cert.pem  root.key.pem  crl.pem
 * <pkiDir>/gateways/<ID>.cert.pem  <ID>.key.pem
 * ```
 * @example devPkiLayout('./data/pki').gatewayKey('VN') // './data/pki/gateways/VN.key.pem'
 */
export function devPkiLayout(pkiDir: string): DevPkiLayout {
  return {
    dir: pkiDir,
    rootCertificate: (country) => join(pkiDir, country, 'root.cert.pem'),
    rootKey: (country) => join(pkiDir, country, 'root.key.pem'),
    crl: (country) => join(pkiDir, country, 'crl.pem'),
    gatewayCertificate: (id) => join(pkiDir, 'gateways', `${id}.cert.pem`),
    gatewayKey: (id) => join(pkiDir, 'gateways', `${id}.key.pem`),
  };
}
