import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { devPkiLayout } from '../../adapters/crypto/dev-pki-layout.js';
import { CHECKPOINT_KEY_FILE, loadOrCreateCheckpointKey } from '../../adapters/crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../../adapters/crypto/node-sha256.js';
import { ensureAdminToken } from '../../adapters/storage/admin-token-file.js';
import { DEFAULT_LEDGER_ORIGIN } from '../../core/ledger/checkpoint.js';
import type { WorkerSecrets } from '../worker/worker-config.js';

/**
 * The Worker's secrets for local development, from the data directory the Node service uses: the gateway's key and
 * certificate from the development PKI (`<dataDir>/pki`, which must exist: ensureDevPki), the checkpoint key
 * `<dataDir>/ledger/checkpoint-ed25519.pem` and the admin token `<dataDir>/admin-token` (each created when missing,
 * as the Node service creates them), unless `adminToken` (SWX_ADMIN_TOKEN) is given. The Worker and `npm run dev`
 * on the same data directory thus sign as the same gateway and share the admin token.
 * @example const secrets = devSecretsFrom('./data', 'VN', process.env.SWX_ADMIN_TOKEN)
 */
export function devSecretsFrom(dataDir: string, gatewayId: string, adminToken: string | undefined): WorkerSecrets {
  const layout = devPkiLayout(join(dataDir, 'pki'));
  loadOrCreateCheckpointKey(dataDir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
  return {
    SWX_SIGNING_KEY: readFileSync(layout.gatewayKey(gatewayId), 'utf8'),
    SWX_SIGNING_CERTIFICATE: readFileSync(layout.gatewayCertificate(gatewayId), 'utf8'),
    SWX_CHECKPOINT_KEY: readFileSync(join(dataDir, CHECKPOINT_KEY_FILE), 'utf8'),
    SWX_ADMIN_TOKEN: adminToken ?? ensureAdminToken(dataDir).token,
  };
}

const HEADER =
  "# The Worker's secrets for local development, written by `npm run build:worker` (src/runtime/build/build-worker.ts) from the data directory.";

/**
 * Writes `values` as the dotenv file `.dev.vars`, which wrangler dev and the workers tests read (only the names
 * wrangler.toml lists in `[secrets] required`), double-quoted with newlines escaped (dotenv expands `\n` inside
 * double quotes). Mode 0600: the file holds private keys. Returns whether the file changed.
 * @example writeDevVars('.dev.vars', devSecretsFrom('./data', 'VN', undefined))
 */
export function writeDevVars(file: string, values: Readonly<Record<string, string>>): boolean {
  const lines = Object.entries(values).map(([name, value]) => `${name}="${escapeDotenv(value)}"`);
  const text = `${[HEADER, ...lines].join('\n')}\n`;
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return true;
}

// dotenv's double-quoted values: `\n` becomes a newline; a backslash or quote inside would end or alter the value.
function escapeDotenv(value: string): string {
  if (/["\\]/.test(value)) throw new Error('a .dev.vars value may not hold a double quote or a backslash');
  return value.replaceAll('\r\n', '\n').replaceAll('\n', '\\n');
}
