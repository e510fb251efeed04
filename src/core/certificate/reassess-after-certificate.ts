import type { ImportDeclaration } from '../../../message-schemas/import-declaration/1/schema.js';
import type { Declaration } from '../declaration/declaration.js';
import { mergeChanges } from '../exchange/merge-changes.js';
import type { BoundEvent, DocumentGuard, ExchangeChange } from '../ports.js';
import type { Certificate } from './certificate.js';
import type { AssessedDeclaration, RequirementDeps } from './document-requirement.js';
import { readGuards, unionGuards } from './guards.js';
import { documentRequirements } from './requirements.js';
import { settleImportDeclaration, type Settlement } from './settle-import.js';

/** The assessment's view of a stored import declaration. */
export function assessedFrom(declaration: Declaration): AssessedDeclaration {
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
 * type: each is settled again (settle-import.ts), oldest first, each seeing what the ones before it used up.
 * The change holds the certificate itself (inserted when `stored` is false, else updated with its utilisation),
 * the declarations' new status, channel and assessment (applied only if they are still AWAITING_DOCUMENTS), their
 * effects, and guards that make the commit fail if a declaration or certificate sharing a key was committed
 * meanwhile: rebuild and commit again (commitWithRetry; receive-envelope does so for routed documents).
 * @example const change = await reassessAfterCertificate(deps, { ...certificate, status: 'ACCEPTED' }, { stored: true })
 */
export async function reassessAfterCertificate(
  deps: RequirementDeps,
  certificate: Certificate,
  options: { readonly stored: boolean },
): Promise<ExchangeChange & { readonly declarationIds: readonly string[] }> {
  const requirements = documentRequirements.filter((requirement) => requirement.documentTypes.includes(certificate.documentType));
  const certificateGuards = await readGuards(deps.store, requirements.flatMap((requirement) => requirement.certificateGuardKeys(certificate)));
  const awaiting = await deps.store.listAwaitingDeclarations(certificate.documentType);
  let current = certificate;
  const others = new Map<string, Certificate>();
  let change: ExchangeChange = { events: [] };
  const guards: DocumentGuard[][] = [certificateGuards];
  const declarationIds: string[] = [];
  for (const declaration of awaiting) {
    if (declaration.kind !== 'IMPORT') continue;
    const previous = await deps.store.getAssessment(declaration.id);
    const settlement = await settleImportDeclaration(deps, assessedFrom(declaration), previous, [current, ...others.values()]);
    const unchanged =
      settlement.status === declaration.status &&
      JSON.stringify(settlement.assessment.requirements) === JSON.stringify(previous?.requirements ?? []) &&
      settlement.effects.events.length === 0;
    if (unchanged) continue;
    for (const used of settlement.certificates) {
      if (used.id === current.id) current = used;
      else others.set(used.id, used);
    }
    guards.push([...settlement.guards]);
    declarationIds.push(declaration.id);
    change = mergeChanges(change, settledDeclarationChange(declaration, settlement));
  }
  const at = deps.clock.now().toISOString();
  const usedOthers = [...others.values()].map((other) => ({ id: other.id, utilisation: other.utilisation, updatedAt: at }));
  const own = options.stored
    ? { updateCertificates: [{ id: current.id, status: current.status, utilisation: current.utilisation, updatedAt: at }, ...usedOthers] }
    : { insertCertificates: [current], updateCertificates: usedOthers };
  return { ...mergeChanges(change, { events: [], ...own }), guards: unionGuards(...guards), declarationIds };
}

/**
 * The change that records a stored declaration's new settlement: its effects, then CHANNEL_ASSIGNED when the
 * channel or its reasons changed and STATUS_CHANGED when the status did, applied only if it is still AWAITING_DOCUMENTS.
 */
export function settledDeclarationChange(declaration: Declaration, settlement: Settlement): ExchangeChange {
  const at = settlement.assessment.updatedAt;
  const id = declaration.id;
  const events: BoundEvent[] = [...settlement.effects.events];
  const reasons = settlement.reasons.map((reason) => ({ ...reason }));
  if (settlement.channel !== declaration.channel || JSON.stringify(reasons) !== JSON.stringify(declaration.channelReasons)) {
    events.push({ declarationId: id, event: { type: 'CHANNEL_ASSIGNED', subject: id, at, data: { channel: settlement.channel, reasons } } });
  }
  if (settlement.status !== declaration.status) {
    events.push({ declarationId: id, event: { type: 'STATUS_CHANGED', subject: id, at, data: { status: settlement.status, from: declaration.status } } });
  }
  return {
    events,
    insertMessages: settlement.effects.insertMessages ?? [],
    enqueue: settlement.effects.enqueue ?? [],
    putAssessments: [settlement.assessment],
    updateDeclarations: [
      { id, status: settlement.status, channel: settlement.channel, channelReasons: reasons, updatedAt: at, expectedStatus: declaration.status },
    ],
  };
}
