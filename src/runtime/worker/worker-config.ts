import { z } from 'zod';
import { type Config, parseConfig } from '../../config.js';

const pem = (label: RegExp, what: string) => z.string().regex(label, `must be ${what} in PEM`);

/**
 * The Worker's secrets (`wrangler secret put`, or `.dev.vars` locally, made by `npm run build:worker`): what the
 * Node service reads from its data directory.
 */
export const WorkerSecrets = z.object({
  /** The gateway's document-signing key (RSA ≥ 2048 or EC P-256), PKCS#8 or traditional PEM. */
  SWX_SIGNING_KEY: pem(/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/, 'a private key'),
  /** The certificate of that key, which partners pin (not secret, but kept with its key). */
  SWX_SIGNING_CERTIFICATE: pem(/-----BEGIN CERTIFICATE-----/, 'a certificate'),
  /** The ledger's Ed25519 checkpoint key, PKCS#8 PEM. */
  SWX_CHECKPOINT_KEY: pem(/-----BEGIN PRIVATE KEY-----/, 'an Ed25519 private key'),
  /** The bootstrap admin token; required on Workers, where no file can hold a generated one. */
  SWX_ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters'),
});
export type WorkerSecrets = z.infer<typeof WorkerSecrets>;

/** Every setting of swx on Workers: the SWX_* variables of src/config.ts (same names, same defaults) and the secrets. */
export type WorkerConfig = Config & WorkerSecrets;

/**
 * Parses the Worker's `env`: its string, number and boolean entries (vars and secrets; bindings are skipped) with the
 * Node service's Config schema, and the secrets with WorkerSecrets. Throws an Error whose message is one line naming
 * the first bad variable; a secret's value is never in it. Settings that name files (SWX_CHANNEL_RULES,
 * SWX_PARTNERS_DIR) are read at build time on Workers (src/runtime/build/build-worker.ts), not here.
 * @example const config = parseWorkerConfig(env)
 */
export function parseWorkerConfig(env: object): WorkerConfig {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') vars[name] = String(value);
  }
  const secrets = WorkerSecrets.safeParse(vars);
  if (!secrets.success) {
    const issue = secrets.error.issues[0];
    const name = String(issue?.path[0] ?? 'secret');
    const hint = vars[name] === undefined ? 'missing (wrangler secret put, or .dev.vars from npm run build:worker)' : (issue?.message ?? 'invalid');
    throw new Error(`invalid ${name}: ${hint}`);
  }
  return { ...parseConfig(vars), ...secrets.data };
}
