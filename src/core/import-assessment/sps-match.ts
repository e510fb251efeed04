import type { ImportDeclaration } from '../../../message-schemas/import-declaration/1/schema.js';
import { replacedCertificateNumber, type SpsCertificate, type SpsNamedParty } from '../../../message-schemas/common/1/sps-certificate.js';
import type { ChannelRules } from '../clearance/channel-rules.js';
import type { Certificate } from '../certificate/certificate.js';

/** A rule of the rules file that requires an ePhyto or e-AH for some goods, and the agency competent for it. */
export type SpsRule = ChannelRules['requiredCertificates'][number] & { readonly documentType: 'EPHYTO' | 'EAH'; readonly agency: string };

/** The declared items (0-based indexes) one SPS rule requires a certificate for. */
export interface SpsNeed {
  readonly rule: SpsRule;
  readonly items: readonly number[];
}

/**
 * What was found for some of a need's items: MET (covered by a certificate the agency accepted), AWAITED (no
 * certificate yet, or one awaiting the agency), NOT_MET (the certificate was rejected, or the one the declaration
 * cites does not fit it).
 */
export interface SpsFinding {
  readonly state: 'MET' | 'AWAITED' | 'NOT_MET';
  readonly items: readonly number[];
  readonly certificate?: Certificate;
  readonly detail: string;
}

/**
 * The SPS certificates an import declaration needs: for each rule with a `documentType` (EPHYTO, EAH), the items
 * whose HS code begins with one of its prefixes.
 * @example listSpsNeeds(declaration, rules) // [{ rule: { id: 'phytosanitary-certificate', documentType: 'EPHYTO', agency: 'VN-PPD', ... }, items: [0, 1] }]
 */
export function listSpsNeeds(declaration: ImportDeclaration, rules: ChannelRules): SpsNeed[] {
  const needs: SpsNeed[] = [];
  for (const rule of rules.requiredCertificates) {
    if (rule.documentType === undefined || rule.agency === undefined) continue;
    const items = declaration.items.flatMap((item, index) => (rule.hsPrefixes.some((prefix) => item.hsCode.startsWith(prefix)) ? [index] : []));
    if (items.length > 0) needs.push({ rule: rule as SpsRule, items });
  }
  return needs;
}

/**
 * The certificate numbers the declaration cites for a rule (its `certificates` with one of the rule's type codes).
 * @example citedNumbers(declaration, rule) // ['ID-EPHYTO-2026-000458']
 */
export function citedNumbers(declaration: ImportDeclaration, rule: SpsRule): string[] {
  return (declaration.certificates ?? []).filter((cited) => rule.certificateTypeCodes.includes(cited.typeCode)).map((cited) => cited.referenceNumber);
}

const STATUS_RANK: Readonly<Record<string, number>> = { ACCEPTED: 3, RECEIVED: 2, REJECTED: 1 };

/**
 * Matches a need against the inbound certificates swx holds:
 * 1. only certificates of the rule's type, received from a partner, for import into `country`, and not withdrawn
 *    or superseded count;
 * 2. if the declaration cites certificate numbers for the rule, only those (or their replacements) count, and
 *    each that arrived must name the importer as consignee, else NOT_MET; otherwise only certificates whose
 *    consignee is the importer count;
 * 3. each item is covered by a certificate with an HS classification its declared code begins with (compared at
 *    6 digits at most; a cited certificate that gives no HS code covers every item), the accepted one first;
 * 4. items covered by an accepted certificate are MET, by a received one AWAITED (the agency has not decided), by
 *    a rejected one NOT_MET; uncovered items are AWAITED, or NOT_MET when the cited certificate arrived.
 * @example assessSpsNeed(declaration, need, certificates, 'VN') // [{ state: 'MET', items: [0, 1], certificate, detail: '…' }]
 */
export function assessSpsNeed(declaration: ImportDeclaration, need: SpsNeed, certificates: readonly Certificate[], country: string): SpsFinding[] {
  const { rule } = need;
  const kind = rule.documentType === 'EPHYTO' ? 'ePhyto' : 'e-AH';
  const cited = citedNumbers(declaration, rule);
  const live = certificates.filter(
    (certificate) =>
      certificate.documentType === rule.documentType &&
      certificate.direction === 'IN' &&
      certificate.importingCountry === country &&
      STATUS_RANK[certificate.status] !== undefined,
  );
  const findings: SpsFinding[] = [];
  let usable: Certificate[];
  if (cited.length > 0) {
    const citedHere = live.filter(
      (certificate) => cited.includes(certificate.referenceNumber) || cited.includes(replacedCertificateNumber(sps(certificate)) ?? ''),
    );
    usable = [];
    for (const certificate of citedHere) {
      const problem = misfit(declaration, certificate, country);
      if (problem === undefined) usable.push(certificate);
      else findings.push({ state: 'NOT_MET', items: need.items, certificate, detail: `${kind} ${certificate.referenceNumber} ${problem}` });
    }
    if (findings.length > 0 && usable.length === 0) return findings;
  } else {
    usable = live.filter((certificate) => misfit(declaration, certificate, country) === undefined);
  }

  const byCertificate = new Map<string, { certificate: Certificate; items: number[] }>();
  const uncovered: number[] = [];
  for (const index of need.items) {
    const hsCode = declaration.items[index]?.hsCode ?? '';
    const best = usable
      .filter((certificate) => covers(sps(certificate), hsCode, cited.length > 0))
      .sort((a, b) => (STATUS_RANK[b.status] ?? 0) - (STATUS_RANK[a.status] ?? 0) || b.createdAt.localeCompare(a.createdAt))[0];
    if (best === undefined) uncovered.push(index);
    else {
      const group = byCertificate.get(best.id) ?? { certificate: best, items: [] };
      group.items.push(index);
      byCertificate.set(best.id, group);
    }
  }
  for (const { certificate, items } of byCertificate.values()) {
    const what = `${kind} ${certificate.referenceNumber} from ${certificate.issuingCountry} (items ${lines(items)})`;
    if (certificate.status === 'ACCEPTED') findings.push({ state: 'MET', items, certificate, detail: `${what} accepted by ${rule.agency}` });
    else if (certificate.status === 'RECEIVED')
      findings.push({ state: 'AWAITED', items, certificate, detail: `${what} received, awaiting ${rule.agency}'s acknowledgement` });
    else {
      const why = certificate.statusReason === undefined ? '' : `: ${certificate.statusReason}`;
      findings.push({ state: 'NOT_MET', items, certificate, detail: `${what} rejected by ${rule.agency}${why}` });
    }
  }
  if (uncovered.length > 0) {
    const codes = uncovered.map((index) => declaration.items[index]?.hsCode).join(', ');
    const arrived = cited.length > 0 && usable.length > 0;
    findings.push(
      arrived
        ? { state: 'NOT_MET', items: uncovered, detail: `${kind} ${cited.join(', ')} does not cover items ${lines(uncovered)} (HS ${codes})` }
        : {
            state: 'AWAITED',
            items: uncovered,
            detail: `awaiting ${cited.length > 0 ? `${kind} ${cited.join(', ')}` : `an ${kind}`} for items ${lines(uncovered)} (HS ${codes}) from ${declaration.exportCountry}`,
          },
    );
  }
  return findings;
}

/**
 * Whether a certificate's consignee is the declaration's importer: by tax id when the certificate gives the
 * consignee a 10- or 13-digit id, else by name, ignoring case, accents, punctuation and spacing.
 * @example consigneeIsImporter({ name: 'SAIGON FRESH PRODUCE IMPORT J.S.C.' }, { taxId: '0312345678', name: 'Saigon Fresh Produce Import JSC' }) // true
 */
export function consigneeIsImporter(consignee: SpsNamedParty, importer: { readonly taxId: string; readonly name: string }): boolean {
  const id = consignee.id?.replace(/[\s.-]/g, '');
  if (id !== undefined && /^[0-9]{10}([0-9]{3})?$/.test(id)) return id === importer.taxId;
  return comparableName(consignee.name) === comparableName(importer.name);
}

/**
 * The HS codes a certificate classifies its goods under: ApplicableSPSClassification with system `HS` (or
 * "Harmonized System ..."), digits only, at least 4.
 * @example readHsCodes(ephyto) // ['081090', '091011']
 */
export function readHsCodes(certificate: SpsCertificate): string[] {
  return certificate.consignment.items.flatMap((item) =>
    item.classifications.flatMap((classification) => {
      const system = `${classification.systemId ?? ''} ${classification.systemName ?? ''}`.trim().toUpperCase();
      const code = classification.classCode?.replace(/[\s.]/g, '') ?? '';
      return (/^HS\b/.test(system) || system.includes('HARMONI')) && /^[0-9]{4,}$/.test(code) ? [code] : [];
    }),
  );
}

/** Why the certificate does not fit the declaration, or undefined when it does. */
function misfit(declaration: ImportDeclaration, certificate: Certificate, country: string): string | undefined {
  const document = sps(certificate);
  if (document.consignment.importCountry.id !== country) return `is for import into ${document.consignment.importCountry.id}, not ${country}`;
  if (!consigneeIsImporter(document.consignment.consignee, declaration.importer)) {
    return `names ${document.consignment.consignee.name} as consignee, not the importer ${declaration.importer.name} (${declaration.importer.taxId})`;
  }
  return undefined;
}

function covers(certificate: SpsCertificate, hsCode: string, cited: boolean): boolean {
  const codes = readHsCodes(certificate);
  if (codes.length === 0) return cited;
  return codes.some((code) => {
    const digits = Math.min(6, code.length);
    return hsCode.slice(0, digits) === code.slice(0, digits);
  });
}

function sps(certificate: Certificate): SpsCertificate {
  return certificate.document as SpsCertificate;
}

function comparableName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** Items as the declaration numbers them (1-based). */
function lines(items: readonly number[]): string {
  return items.map((index) => index + 1).join(', ');
}
