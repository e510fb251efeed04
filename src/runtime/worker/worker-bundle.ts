import { z } from 'zod';
import { PartnerBundle, readPartnerBundle } from '../../adapters/partners/bundled-partner-directory.js';
import { failConfigSource, toFieldIssues } from '../../adapters/partners/parse-partner-file.js';
import { ChannelRules } from '../../core/clearance/channel-rules.js';
import defaultChannelRules from '../../core/clearance/default-channel-rules.json' with { type: 'json' };
import type { PartnerDirectory } from '../../core/partner.js';

/**
 * The files the Node service reads at start, read at build time for the Worker (src/runtime/build/build-worker.ts)
 * into one JSON module, src/runtime/worker/generated/worker-bundle.json: the partners directory with its trust PEMs
 * inline, and the channel rules of SWX_CHANNEL_RULES when it was set.
 */
export const WorkerBundle = z.strictObject({ partners: PartnerBundle, channelRules: z.unknown().optional() });
export type WorkerBundle = z.infer<typeof WorkerBundle>;

/** What the Worker takes from its bundle. */
export interface BundledFiles {
  readonly partners: PartnerDirectory;
  readonly rules: ChannelRules;
}

/**
 * Validates a WorkerBundle as the Node service validates the files themselves (PartnerFile for each partner,
 * ChannelRules for the rules, the default rules when none were bundled), and refuses a partner file with `tls`. Throws CoreError CONFIG_INVALID naming
 * `origin` and the field.
 * @example const { partners, rules } = readWorkerBundle(generatedWorkerBundle, 'worker-bundle.json')
 */
export function readWorkerBundle(json: unknown, origin: string): BundledFiles {
  const bundle = WorkerBundle.safeParse(json);
  if (!bundle.success) failConfigSource(origin, bundle.error.issues.flatMap(toFieldIssues));
  const rules = ChannelRules.safeParse(bundle.data.channelRules ?? defaultChannelRules);
  if (!rules.success) {
    const issues = rules.error.issues.flatMap(toFieldIssues).map((issue) => ({ ...issue, pointer: `/channelRules${issue.pointer}` }));
    failConfigSource(origin, issues);
  }
  const partners = readPartnerBundle(bundle.data.partners, origin);
  refusePartnerTls(partners);
  return { partners, rules: rules.data };
}

/**
 * Refuses a partner file with `tls` (PartnerTls): the Worker's `fetch` can neither present a client certificate chosen
 * per partner nor trust roots other than the public ones, so it would deliver without the settings the file asks for.
 * Throws CoreError CONFIG_INVALID naming the file, e.g. `th.json: /tls: …`.
 * @example refusePartnerTls(readPartnerBundle(bundle.partners, origin))
 */
export function refusePartnerTls(partners: PartnerDirectory): void {
  const gateway = partners.list().find((partner) => partner.kind === 'gateway' && partner.tls !== undefined);
  if (gateway === undefined) return;
  failConfigSource(`${gateway.id.toLowerCase()}.json`, [
    {
      pointer: '/tls',
      detail:
        'the Worker cannot use per-partner TLS settings (client certificate, server roots); serve this partner from the Node service, or bind an mTLS certificate in wrangler.toml (mtls_certificates) and remove tls',
    },
  ]);
}
