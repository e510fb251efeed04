import type { FormD, FormDItem } from '../../../message-schemas/form-d/1/schema.js';
import type { ImportDeclaration, PreferenceClaim } from '../../../message-schemas/import-declaration/1/schema.js';
import { remainingQuantity, roundQuantity, type Certificate, type ItemUtilisation } from '../certificate/certificate.js';
import type { PreferenceDecision, PreferenceLine } from '../import-assessment/preference-decision.js';

/** The declaration whose claim is matched, and when and where it was lodged. */
export interface PreferenceClaimant {
  readonly id: string;
  readonly declarationNumber: string;
  readonly document: ImportDeclaration & { readonly preference: PreferenceClaim };
  /** The day it was lodged (YYYY-MM-DD): the e-Form D must be valid on that day. */
  readonly lodgedOn: string;
  /** Our own country: the e-Form D's importing country and its consignee's country. */
  readonly country: string;
}

/**
 * Matches an import declaration's preference claim against the received e-Form D (design.md 1, flow B) and
 * decides the ATIGA preferential tariff line by line.
 * - The whole certificate: issued by the country cited, for our country, to the declared exporter (name and
 *   country) and to the importer as consignee, valid on the day the declaration was lodged (12 months from issue),
 *   not withdrawn. A failure here denies every line, for that reason.
 * - Each line: an e-Form D item with the same HS subheading (6 digits), the same unit, an origin criterion, the
 *   goods originating in the issuing country, and a quantity not above the certified one less what earlier
 *   declarations (and earlier lines) already utilised.
 * Names compare ignoring case, punctuation and spacing. Returns the decision and the new utilisation records.
 * @example const { decision, utilisation } = decidePreference(claimant, certificate, at)
 */
export function decidePreference(
  claimant: PreferenceClaimant,
  certificate: Certificate,
  at: string,
): { readonly decision: PreferenceDecision; readonly utilisation: readonly ItemUtilisation[] } {
  const formD = certificate.document as FormD;
  const declaration = claimant.document;
  const reasons = certificateReasons(claimant, certificate, formD);
  const used: ItemUtilisation[] = [];
  const lines = declaration.items.map((item, index): PreferenceLine => {
    const line = { line: index + 1, hsCode: item.hsCode, quantity: item.quantity, unit: item.unit };
    if (reasons.length > 0) return { ...line, outcome: 'DENIED', reasons };
    const matched = matchLine(item, formD, certificate, [...certificate.utilisation, ...used]);
    if ('reasons' in matched)
      return {
        ...line,
        outcome: 'DENIED',
        ...(matched.itemNumber === undefined ? {} : { formDItemNumber: matched.itemNumber }),
        reasons: matched.reasons,
      };
    used.push({
      itemNumber: matched.itemNumber,
      quantity: item.quantity,
      declarationNumber: claimant.declarationNumber,
      declarationId: claimant.id,
      at,
    });
    return { ...line, outcome: 'GRANTED', formDItemNumber: matched.itemNumber, reasons: [] };
  });
  const granted = lines.filter((line) => line.outcome === 'GRANTED').length;
  return {
    decision: {
      formDReference: declaration.preference.formDReference,
      issuingCountry: declaration.preference.issuingCountry,
      certificateId: certificate.id,
      outcome: granted === lines.length ? 'GRANTED' : granted === 0 ? 'DENIED' : 'PARTLY_GRANTED',
      lines,
      reasons,
      decidedAt: at,
    },
    utilisation: used,
  };
}

function certificateReasons(claimant: PreferenceClaimant, certificate: Certificate, formD: FormD): string[] {
  const declaration = claimant.document;
  const reasons: string[] = [];
  const cited = declaration.preference.issuingCountry;
  if (certificate.issuingCountry !== cited) {
    reasons.push(
      `issuing country: the declaration cites an e-Form D issued in ${cited}; ${formD.referenceNumber} was issued in ${certificate.issuingCountry}`,
    );
  }
  if (formD.importingCountry !== claimant.country)
    reasons.push(`importing country: the e-Form D is for ${formD.importingCountry}, not ${claimant.country}`);
  if (!sameName(formD.exporter.name, declaration.exporter.name) || formD.exporter.country !== declaration.exporter.country) {
    reasons.push(
      `exporter: declared "${declaration.exporter.name}" (${declaration.exporter.country}), the e-Form D names "${formD.exporter.name}" (${formD.exporter.country})`,
    );
  }
  if (!sameName(formD.consignee.name, declaration.importer.name) || formD.consignee.country !== claimant.country) {
    reasons.push(
      `consignee: the importer is "${declaration.importer.name}", the e-Form D's consignee is "${formD.consignee.name}" (${formD.consignee.country})`,
    );
  }
  if (certificate.validUntil !== undefined && claimant.lodgedOn > certificate.validUntil) {
    reasons.push(
      `expired: issued ${certificate.issueDate}, valid until ${certificate.validUntil}; the declaration was lodged on ${claimant.lodgedOn}`,
    );
  }
  if (claimant.lodgedOn < certificate.issueDate)
    reasons.push(`not yet valid: issued ${certificate.issueDate}, after the declaration was lodged on ${claimant.lodgedOn}`);
  if (certificate.status === 'WITHDRAWN' || certificate.status === 'SUPERSEDED')
    reasons.push(`the e-Form D was ${certificate.status.toLowerCase()} by its issuing authority`);
  return reasons;
}

/** The e-Form D item a declared line uses, or why none can be. */
function matchLine(
  item: ImportDeclaration['items'][number],
  formD: FormD,
  certificate: Certificate,
  utilisation: readonly ItemUtilisation[],
): { readonly itemNumber: number } | { readonly itemNumber?: number; readonly reasons: string[] } {
  const subheading = item.hsCode.slice(0, 6);
  const sameGoods = formD.items.filter((candidate) => candidate.hsCode.slice(0, 6) === subheading);
  if (sameGoods.length === 0) {
    return {
      reasons: [
        `HS mismatch: no e-Form D item under HS ${subheading} (items are under ${formD.items.map((candidate) => candidate.hsCode.slice(0, 6)).join(', ')})`,
      ],
    };
  }
  if (item.countryOfOrigin !== certificate.issuingCountry) {
    return {
      reasons: [`origin: the goods are declared as originating in ${item.countryOfOrigin}, the e-Form D was issued in ${certificate.issuingCountry}`],
    };
  }
  const sameUnit = sameGoods.filter((candidate) => candidate.unit === item.unit);
  const first = sameGoods[0] as FormDItem;
  if (sameUnit.length === 0)
    return {
      itemNumber: first.itemNumber,
      reasons: [`unit: declared in ${item.unit}, e-Form D item ${first.itemNumber} certifies ${first.quantity} ${first.unit}`],
    };
  const withCriterion = sameUnit.filter((candidate) => candidate.originCriteria.length > 0);
  if (withCriterion.length === 0)
    return { itemNumber: first.itemNumber, reasons: [`origin criterion: e-Form D item ${first.itemNumber} states none`] };
  const fitting = withCriterion.find((candidate) => item.quantity <= remainingQuantity(candidate.quantity, utilisation, candidate.itemNumber));
  if (fitting) return { itemNumber: fitting.itemNumber };
  const largest = withCriterion.reduce((best, candidate) => (candidate.quantity > best.quantity ? candidate : best));
  if (item.quantity > largest.quantity) {
    return {
      itemNumber: largest.itemNumber,
      reasons: [
        `quantity above the certificate: ${item.quantity} ${item.unit} declared, ${largest.quantity} ${largest.unit} certified on item ${largest.itemNumber}`,
      ],
    };
  }
  const left = remainingQuantity(largest.quantity, utilisation, largest.itemNumber);
  const by = [...new Set(utilisation.filter((use) => use.itemNumber === largest.itemNumber).map((use) => use.declarationNumber))];
  return {
    itemNumber: largest.itemNumber,
    reasons: [
      `already utilised: ${roundQuantity(largest.quantity - left)} of ${largest.quantity} ${largest.unit} on item ${largest.itemNumber} used by declaration ${by.join(', ')}; ${left} ${largest.unit} remain, ${item.quantity} declared`,
    ],
  };
}

/** Names compare ignoring case, punctuation and spacing ("Co., Ltd." = "CO LTD"); letters keep their accents. */
function sameName(a: string, b: string): boolean {
  const key = (name: string) =>
    name
      .normalize('NFC')
      .toLocaleLowerCase('en')
      .replace(/[\p{P}\p{S}\s]+/gu, '');
  return key(a) === key(b);
}
