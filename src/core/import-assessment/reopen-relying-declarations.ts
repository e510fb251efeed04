import { ChangeBuilder } from '../exchange/change-builder.js';
import type { ExchangeChange } from '../exchange/exchange-store.js';
import type { Certificate } from '../certificate/certificate.js';
import type { RequirementDeps } from './document-requirement.js';
import { readAssessedDeclaration, buildSettlementChange } from './reassess-after-certificate.js';
import { settleImportDeclaration } from './settle-import-declaration.js';

/** Declarations past these are not reopened: the goods are released, or the declaration is closed. */
const CLOSED = new Set(['RELEASED', 'CANCELLED', 'REJECTED']);

/**
 * What a certificate's withdrawal or replacement does to the import declarations relying on it (their assessment
 * names it): each that is not released or closed gets a ledger entry saying what happened to the certificate
 * (`event.type`, bound to the declaration), and its requirements for that certificate's type are assessed afresh
 * with `certificate` as it now is (and `pending`, certificates of the same commit): they await a certificate again,
 * so the declaration goes back to AWAITING_DOCUMENTS (applied only if its status has not moved meanwhile).
 * @example const change = await reopenRelyingDeclarations(deps, { ...certificate, status: 'WITHDRAWN' }, { type: 'CERTIFICATE_WITHDRAWN', detail: 'ePhyto ID-… withdrawn by ID' })
 */
export async function reopenRelyingDeclarations(
  deps: RequirementDeps,
  certificate: Certificate,
  event: { readonly type: 'CERTIFICATE_WITHDRAWN' | 'CERTIFICATE_REPLACED'; readonly detail: string },
  pending: readonly Certificate[] = [],
): Promise<ExchangeChange> {
  const change = new ChangeBuilder();
  const at = deps.clock.now().toISOString();
  for (const declaration of await deps.store.listDeclarationsRelyingOn(certificate.id)) {
    if (declaration.kind !== 'IMPORT' || CLOSED.has(declaration.status)) continue;
    const previous = await deps.store.getAssessment(declaration.id);
    const relied = new Set(
      (previous?.requirements ?? []).filter((result) => result.certificateId === certificate.id).map((result) => result.requirement),
    );
    const kept =
      previous === undefined ? undefined : { ...previous, requirements: previous.requirements.filter((result) => !relied.has(result.requirement)) };
    const settlement = await settleImportDeclaration(deps, readAssessedDeclaration(declaration), kept, [certificate, ...pending]);
    const data = {
      certificateId: certificate.id,
      documentType: certificate.documentType,
      referenceNumber: certificate.referenceNumber,
      issuingCountry: certificate.issuingCountry,
      detail: event.detail,
    };
    change
      .event({ type: event.type, subject: declaration.id, at, data }, { declarationId: declaration.id })
      .include(buildSettlementChange(declaration, settlement));
  }
  return change.build();
}
