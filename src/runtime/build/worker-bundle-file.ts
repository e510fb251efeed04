import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePartnerDirectory } from '../../adapters/partners/bundled-partner-directory.js';
import { loadPartnerDirectory } from '../../adapters/partners/partner-directory.js';
import { CoreError } from '../../core/errors.js';
import { refusePartnerTls, type WorkerBundle } from '../worker/worker-bundle.js';

/** Where the Worker imports its bundle from (src/runtime/worker/generated-worker-bundle.ts); gitignored. */
export const WORKER_BUNDLE_FILE = fileURLToPath(new URL('../worker/generated/worker-bundle.json', import.meta.url));

/** The files the Node service reads at start that the Worker needs bundled. */
export interface WorkerBundleSources {
  readonly partnersDir: string;
  /** The development PKI, for partners with `"trust": { "source": "dev-pki" }`. */
  readonly pkiDir: string;
  /** SWX_CHANNEL_RULES; the default rules when undefined. */
  readonly channelRulesFile: string | undefined;
}

/**
 * Reads the partners directory as the Node service does (loadPartnerDirectory: each file validated, trust PEMs read
 * from the files or the development PKI) and the channel rules file, into the Worker's bundle.
 * Throws CoreError CONFIG_INVALID naming the file and field, as the Node service would at start, and for a partner
 * file with `tls`, which the Worker refuses (refusePartnerTls).
 * @example const bundle = buildWorkerBundle({ partnersDir: 'partners', pkiDir: 'data/pki', channelRulesFile: undefined })
 */
export function buildWorkerBundle(sources: WorkerBundleSources): WorkerBundle {
  const directory = loadPartnerDirectory(sources.partnersDir, { pkiDir: sources.pkiDir });
  refusePartnerTls(directory);
  const partners = bundlePartnerDirectory(directory);
  if (sources.channelRulesFile === undefined) return { partners };
  let channelRules: unknown;
  try {
    channelRules = JSON.parse(readFileSync(sources.channelRulesFile, 'utf8'));
  } catch (cause) {
    throw new CoreError('CONFIG_INVALID', `${sources.channelRulesFile}: not readable JSON`, { cause });
  }
  return { partners, channelRules };
}

/**
 * Writes the bundle as JSON at `file` unless it already holds it (so `wrangler dev` does not reload for nothing), by
 * rename so that a bundler reading it meanwhile never sees half a file. Returns whether it changed.
 * @example writeWorkerBundle(bundle, WORKER_BUNDLE_FILE)
 */
export function writeWorkerBundle(bundle: WorkerBundle, file: string): boolean {
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return true;
}
