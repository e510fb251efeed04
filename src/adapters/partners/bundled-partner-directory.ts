import { z } from 'zod';
import type { PartnerDirectory, PartnerTrust } from '../../core/partner.js';
import { buildPartnerDirectory } from './build-partner-directory.js';
import { failConfigSource, parsePartnerFile, sortDistinctPartners, toFieldIssues } from './parse-partner-file.js';

const pem = (label: string) => z.string().refine((text) => text.includes(`-----BEGIN ${label}-----`), `holds no ${label} PEM block`);

/** A gateway's trust material with every PEM inline (PartnerTrust as JSON). */
export const BundledTrust = z.strictObject({
  certificatePem: pem('CERTIFICATE'),
  rootCertificatePem: pem('CERTIFICATE'),
  crlPem: pem('X509 CRL').optional(),
  nppoCertificatePems: z.array(pem('CERTIFICATE')).readonly().optional(),
});
export type BundledTrust = z.infer<typeof BundledTrust>;

/**
 * A partners directory as one JSON value, for a runtime with no file system (Workers): each partner as its file
 * gives it (validated again with PartnerFile when read) and the trust material of each gateway that has some,
 * PEMs inline, keyed by partner id.
 */
export const PartnerBundle = z.strictObject({
  partners: z.array(z.strictObject({ source: z.string().min(1), partner: z.unknown() })),
  trust: z.record(z.string(), BundledTrust),
});
export type PartnerBundle = z.infer<typeof PartnerBundle>;

/**
 * Writes a loaded directory (loadPartnerDirectory) as a PartnerBundle: what the Worker build step puts in the
 * Worker's JSON module.
 * @example writeFileSync(out, JSON.stringify(bundlePartnerDirectory(loadPartnerDirectory(dir, { pkiDir }))))
 */
export function bundlePartnerDirectory(directory: PartnerDirectory): PartnerBundle {
  const partners = directory.list();
  const trust: Record<string, BundledTrust> = {};
  for (const partner of partners) {
    if (partner.kind === 'gateway' && partner.trust !== undefined) trust[partner.id] = directory.trustFor(partner.id);
  }
  return { partners: partners.map((partner) => ({ source: `${partner.id.toLowerCase()}.json`, partner })), trust };
}

/**
 * Reads a PartnerBundle into the PartnerDirectory loadPartnerDirectory gives on Node: every partner validated with
 * PartnerFile, ids distinct, and trust material present for exactly the gateways whose file has `trust` (and one
 * NPPO certificate per `nppoCertificates` entry). Throws CoreError CONFIG_INVALID naming `origin` or the partner's
 * source and the field.
 * @example const partners = readPartnerBundle(bundle.partners, 'worker-bundle.json')
 */
export function readPartnerBundle(json: unknown, origin: string): PartnerDirectory {
  const result = PartnerBundle.safeParse(json);
  if (!result.success) failConfigSource(origin, result.error.issues.flatMap(toFieldIssues));
  const bundle = result.data;
  const entries = sortDistinctPartners(bundle.partners.map(({ source, partner }) => ({ source, partner: parsePartnerFile(source, partner) })));
  const trust = new Map<string, PartnerTrust>();
  for (const { source, partner } of entries) {
    const material = bundle.trust[partner.id];
    const expected = partner.kind === 'gateway' && partner.trust !== undefined;
    if (!expected) {
      if (material !== undefined) failConfigSource(origin, [{ pointer: `/trust/${partner.id}`, detail: `${partner.id} has no trust in ${source}` }]);
      continue;
    }
    if (material === undefined) failConfigSource(source, [{ pointer: '/trust', detail: `no trust material for ${partner.id} in ${origin}` }]);
    const nppo = partner.kind === 'gateway' ? (partner.nppoCertificates?.length ?? 0) : 0;
    if ((material.nppoCertificatePems?.length ?? 0) !== nppo) {
      failConfigSource(source, [
        { pointer: '/nppoCertificates', detail: `${origin} holds ${material.nppoCertificatePems?.length ?? 0} NPPO certificates, not ${nppo}` },
      ]);
    }
    trust.set(partner.id, toPartnerTrust(material));
  }
  const known = new Set(entries.map((entry) => entry.partner.id));
  for (const id of Object.keys(bundle.trust)) {
    if (!known.has(id)) failConfigSource(origin, [{ pointer: `/trust/${id}`, detail: `no partner ${id}` }]);
  }
  return buildPartnerDirectory(
    entries.map((entry) => entry.partner),
    trust,
  );
}

function toPartnerTrust(material: BundledTrust): PartnerTrust {
  const { certificatePem, rootCertificatePem, crlPem, nppoCertificatePems } = material;
  return {
    certificatePem,
    rootCertificatePem,
    ...(crlPem === undefined ? {} : { crlPem }),
    ...(nppoCertificatePems === undefined ? {} : { nppoCertificatePems }),
  };
}
