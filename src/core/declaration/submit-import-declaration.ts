import { ImportDeclaration } from '../../../message-schemas/import-declaration/1/schema.js';
import { settleImportDeclaration } from '../import-assessment/settle-import-declaration.js';
import { formatDeclarationNumber } from '../document/declaration-number.js';
import { validateDocument } from '../document/validate-document.js';
import { toBase64 } from '../encoding.js';
import { ChangeBuilder } from '../exchange/change-builder.js';
import type { Declaration, SubmissionAnswer } from './declaration.js';
import { checkFilingParty } from './check-filing-party.js';
import {
  ACCEPTED,
  commitSubmission,
  replayIdempotent,
  requestContext,
  type DeclarationSubmission,
  type SubmitDeclarationDeps,
} from './submit-declaration.js';

/**
 * Accepts a trader's import declaration (design.md 1, flows B and C).
 * 1. Replay: the same Idempotency-Key with the same body returns the first answer; with another body, 409.
 * 2. Validate every field (422 lists them all); nothing is written for a rejected declaration.
 *    The key's party must be the importer, or the declaring agent with a mandate from it (403 otherwise): checked
 *    before the number is taken or an e-Form D used up.
 * 3. Number it, then assess its documents (import-assessment/settle-import-declaration.ts): an e-Form D it cites is matched and the
 *    preference decided at once if the certificate is here, else it waits in AWAITING_DOCUMENTS; the channel comes
 *    from the rules and the requirements' results; green with everything in place is released.
 * 4. Commit the declaration, its assessment, the certificates it used up, its ledger entries and any business
 *    response (the e-Form D status) in one transaction, guarded so that a certificate arriving meanwhile is seen:
 *    on a conflict the assessment is redone.
 * @example const answer = await submitImportDeclaration(deps, { partyId, document, mediaType: 'application/json', body, idempotencyKey })
 */
export async function submitImportDeclaration(deps: SubmitDeclarationDeps, submission: DeclarationSubmission): Promise<SubmissionAnswer> {
  const requestHash = toBase64(deps.sha256(submission.body));
  const key = submission.idempotencyKey;
  if (key !== undefined) {
    const replay = await replayIdempotent(deps.store, submission.partyId, key, requestHash);
    if (replay) return replay;
  }
  const document = validateDocument(ImportDeclaration, submission.document);
  const now = deps.clock.now();
  await checkFilingParty(
    deps.mandates,
    submission.partyId,
    {
      documentType: 'IMPORT_DECLARATION',
      role: 'importer',
      principalTaxId: document.importer.taxId,
      declaringAgentTaxId: document.declaringAgent?.taxId,
    },
    now,
  );
  const lodgedAt = now.toISOString();
  const id = deps.ids.uuid();
  const sequence = await deps.store.nextDeclarationSequence(now.getUTCFullYear());
  const declarationNumber = formatDeclarationNumber({ kind: 'IMPORT', year: now.getUTCFullYear(), sequence });

  return commitSubmission(deps.store, submission, requestHash, async () => {
    // Assessed afresh on each attempt: a certificate it relies on may have arrived or been used up meanwhile.
    const settlement = await settleImportDeclaration(deps, { id, declarationNumber, partyId: submission.partyId, document, lodgedAt }, undefined, []);
    const at = settlement.assessment.updatedAt;
    const { status, channel } = settlement;
    const reasons = settlement.reasons.map((reason) => ({ ...reason }));
    const declaration: Declaration = {
      id,
      declarationNumber,
      kind: 'IMPORT',
      partyId: submission.partyId,
      status,
      channel,
      channelReasons: reasons,
      partnerId: document.preference?.issuingCountry,
      document,
      createdAt: lodgedAt,
      updatedAt: at,
    };
    const onDeclaration = { declarationId: id };
    const awaiting = settlement.assessment.requirements.filter((result) => result.state === 'AWAITED').map((result) => result.detail);
    return new ChangeBuilder()
      .insertDeclaration(declaration)
      .event(
        {
          type: 'DOCUMENT_RECEIVED',
          subject: id,
          at: lodgedAt,
          data: {
            documentType: 'IMPORT_DECLARATION',
            partyId: submission.partyId,
            mediaType: submission.mediaType,
            bodyDigest: requestHash,
            ...requestContext(submission),
          },
        },
        onDeclaration,
      )
      .event(
        { type: 'DECLARATION_ACCEPTED', subject: id, at: lodgedAt, data: { declarationNumber, awaiting } },
        { ...onDeclaration, label: ACCEPTED },
      )
      .include(settlement.effects)
      .event({ type: 'CHANNEL_ASSIGNED', subject: id, at, data: { channel, reasons } }, onDeclaration)
      .event({ type: 'STATUS_CHANGED', subject: id, at, data: { status } }, onDeclaration)
      .putAssessment(settlement.assessment)
      .guard(settlement.guards)
      .updateCertificates(
        settlement.certificates.map((certificate) => ({ id: certificate.id, utilisation: certificate.utilisation, updatedAt: at })),
      );
  });
}
