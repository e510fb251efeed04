import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { devPkiDir } from '../../adapters/crypto/dev-pki-layout.js';
import { devPkiPartiesFor, ensureDevPki } from '../../adapters/crypto/forge-dev-pki.js';
import { loadPartnerDirectory, readPartnerFiles } from '../../adapters/partners/partner-directory.js';
import { parseConfig, partnersDirFrom } from '../../config.js';
import { devSecretsFrom, writeDevVars } from './dev-vars-file.js';
import { SIMULATOR_DEV_VARS_FILE, simulatorSecretsFrom } from './simulator-dev-vars.js';
import { buildWorkerBundle, WORKER_BUNDLE_FILE, writeWorkerBundle } from './worker-bundle-file.js';

/** The repository, where wrangler.toml and .dev.vars live (paths in SWX_* variables are relative to the working directory, as on Node). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Prepares the Worker before wrangler bundles it (`npm run build:worker`; `dev:worker`, `check:worker` and the workers
 * tests run it first), from the same SWX_* variables and data directory as the Node service:
 * 1. the development PKI under `<SWX_DATA_DIR>/pki`, created when missing (as the Node service does at start);
 * 2. src/runtime/worker/generated/worker-bundle.json: the partner files of SWX_PARTNERS_DIR with their trust PEMs,
 *    and SWX_CHANNEL_RULES;
 * 3. `.dev.vars`: the secrets for wrangler dev and the tests (devSecretsFrom). A deployed Worker gets its secrets
 *    from `wrangler secret put` instead.
 * 4. src/runtime/simulator-worker/.dev.vars: the simulators Worker's (simulatorSecretsFrom).
 * @example await buildWorker(process.env)
 */
export async function buildWorker(env: Readonly<Record<string, string | undefined>>): Promise<readonly string[]> {
  const config = parseConfig(env);
  const dataDir = resolve(config.SWX_DATA_DIR);
  const partnersDir = partnersDirFrom(env);
  const pkiDir = devPkiDir(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  await ensureDevPki(pkiDir, devPkiPartiesFor(readPartnerFiles(partnersDir), config.SWX_GATEWAY_ID));
  const bundle = buildWorkerBundle({
    partnersDir,
    pkiDir,
    channelRulesFile: config.SWX_CHANNEL_RULES,
  });
  const written: string[] = [];
  if (writeWorkerBundle(bundle, WORKER_BUNDLE_FILE)) written.push(WORKER_BUNDLE_FILE);
  const devVars = join(ROOT, '.dev.vars');
  if (writeDevVars(devVars, { ...devSecretsFrom(dataDir, config.SWX_GATEWAY_ID, config.SWX_ADMIN_TOKEN) })) written.push(devVars);
  const simulatorSecrets = simulatorSecretsFrom(pkiDir, config.SWX_GATEWAY_ID, loadPartnerDirectory(partnersDir, { pkiDir }));
  if (writeDevVars(SIMULATOR_DEV_VARS_FILE, simulatorSecrets)) written.push(SIMULATOR_DEV_VARS_FILE);
  return written;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const written = await buildWorker(process.env);
    console.log(written.length === 0 ? 'worker bundle and .dev.vars up to date' : `wrote ${written.join(', ')}`);
  } catch (error) {
    console.error(`npm run build:worker: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
