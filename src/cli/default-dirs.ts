import { fileURLToPath } from 'node:url';

/**
 * swx's data directory: `--data-dir`, else `SWX_DATA_DIR`, else `./data` (design.md 3.1).
 * @example const dataDir = dataDirFrom(io.env, values['data-dir'])
 */
export function dataDirFrom(env: Readonly<Record<string, string | undefined>>, option?: string): string {
  return option ?? env['SWX_DATA_DIR'] ?? './data';
}

/**
 * The partners directory: `SWX_PARTNERS_DIR`, else the `partners/` shipped in this repository.
 * @example readPartnerFiles(partnersDirFrom(io.env))
 */
export function partnersDirFrom(env: Readonly<Record<string, string | undefined>>): string {
  return env['SWX_PARTNERS_DIR'] ?? fileURLToPath(new URL('../../partners', import.meta.url));
}
