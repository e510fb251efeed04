import type { ImportDeclaration } from '../../../message-schemas/import-declaration/1/schema.js';
import type { Declaration } from '../declaration/declaration.js';
import { ChangeBuilder } from '../exchange/change-builder.js';
import type { ExchangeChange } from '../exchange/exchange-store.js';
import type { Certificate } from '../certificate/certificate.js';
import type { AssessedDeclaration, RequirementDeps } from './document-requirement.js';
import { readGuards } from './read-guards.js';
import { documentRequirements } from './document-requirements.js';
import { settleImportDeclaration, type Settlement } from './settle-import-declaration.js';

/** The assessment's view of a stored import declaration. */
export function readAssessedDeclaration(declaration: Declaration): AssessedDeclaration {
  return {
    id: declaration.id,
    declarationNumber: declaration.declarationNumber,
    partyId: declaration.partyId,
    document: declaration.document as ImportDeclaration,
    lodgedAt: declaration.createdAt,
  };
}

/**
 * What a certificate's arrival or change (accepted, withdrawn, ...) does to the import declarations awaiting its
 * type: each is settled again (settle-import-declaration.ts), oldest first, each seeing what the ones before it used up.
 * The change holds the certificate itself (inserted when `stored` is false, else updated with its utilisation),
 * the declarations' new status, channel and assessment (applied only if they are still AWAITING_DOCUMENTS), their
 * effects, and guards that make the commit fail if a declaration or certificate sharing a key was committed
 * meanwhile: rebuild and commit again (commitWithRetry).
 * @example const { change, declarationIds } = await reassessAfterCertificate(deps, { ...certificate, status: 'ACCEPTED' }, { stored: true })
 */
export async function reassessAfterCertificate(
  deps: RequirementDeps,
  certificate: Certificate,
  options: { readonly stored: boolean },
): Promise<{ readonly change: ExchangeChange; readonly declarationIds: readonly string[] }> {
  const requirements = documentRequirements.filter((requirement) => requirement.documentTypes.includes(certificate.documentType));
  const certificateGuards = await readGuards(
    deps.store,
    requirements.flatMap((requirement) => requirement.certificateGuardKeys(certificate)),
  );
  const awaiting = await deps.store.listAwaitingDeclarations(certificate.documentType);
  let current = certificate;
  const others = new Map<string, Certificate>();
  const change = new ChangeBuilder().guard(certificateGuards);
  const declarationIds: string[] = [];
  for (const declaration of awaiting) {
    if (declaration.kind !== 'IMPORT') continue;
    const previous = await deps.store.getAssessment(declaration.id);
    const settlement = await settleImportDeclaration(deps, readAssessedDeclaration(declaration), previous, [current, ...others.values()]);
    const unchanged =
      settlement.status === declaration.status &&
      JSON.stringify(settlement.assessment.requirements) === JSON.stringify(previous?.requirements ?? []) &&
      settlement.effects.events.length === 0;
    if (unchanged) continue;
    for (const used of settlement.certificates) {
      if (used.id === current.id) current = used;
      else others.set(used.id, used);
    }
    change.guard(settlement.guards).include(buildSettlementChange(declaration, settlement));
    declarationIds.push(declaration.id);
  }
  const at = deps.clock.now().toISOString();
  const usedOthers = [...others.values()].map((other) => ({ id: other.id, utilisation: other.utilisation, updatedAt: at }));
  if (options.stored) change.updateCertificate({ id: current.id, status: current.status, utilisation: current.utilisation, updatedAt: at });
  else change.insertCertificate(current);
  return { change: change.updateCertificates(usedOthers).build(), declarationIds };
}

/**
 * The change that records a stored declaration's new settlement: its effects, then CHANNEL_ASSIGNED when the
 * channel or its reasons changed and STATUS_CHANGED when the status did, applied only if it is still AWAITING_DOCUMENTS.
 */
export function buildSettlementChange(declaration: Declaration, settlement: Settlement): ExchangeChange {
  const at = settlement.assessment.updatedAt;
  const id = declaration.id;
  const change = new ChangeBuilder().include(settlement.effects);
  const reasons = settlement.reasons.map((reason) => ({ ...reason }));
  if (settlement.channel !== declaration.channel || JSON.stringify(reasons) !== JSON.stringify(declaration.channelReasons)) {
    change.event({ type: 'CHANNEL_ASSIGNED', subject: id, at, data: { channel: settlement.channel, reasons } }, { declarationId: id });
  }
  if (settlement.status !== declaration.status) {
    change.event({ type: 'STATUS_CHANGED', subject: id, at, data: { status: settlement.status, from: declaration.status } }, { declarationId: id });
  }
  return change
    .putAssessment(settlement.assessment)
    .updateDeclaration({
      id,
      status: settlement.status,
      channel: settlement.channel,
      channelReasons: reasons,
      updatedAt: at,
      expectedStatus: declaration.status,
    })
    .build();
}
