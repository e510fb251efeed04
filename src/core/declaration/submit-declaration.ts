import { CoreError } from '../errors.js';
import type { Clock, IdGenerator, Sha256, XmlSigner } from '../primitives.js';
import type { ExchangeStore } from '../exchange/exchange-store.js';
import type { PartnerDirectory } from '../partner.js';
import { commitWithRetry } from '../exchange/commit-with-retry.js';
import { ChangeBuilder, findLedgerIndex } from '../exchange/change-builder.js';
import { ExportDeclaration } from '../../../message-schemas/export-declaration/1/schema.js';
import { acddSpec } from '../../../message-schemas/acdd/1/schema.js';
import { validateDocument } from '../document/validate-document.js';
import { encodeDocumentXml } from '../document/xml-mapping.js';
import { deriveAcdd } from './derive-acdd.js';
import { formatDeclarationNumber } from '../document/declaration-number.js';
import { assignChannel, type ChannelRules } from '../clearance/assign-channel.js';
import { sealOutboundMessage, type GatewayIdentity } from '../exchange/seal-outbound-message.js';
import { toBase64 } from '../encoding.js';
import type { MandateStore } from '../mandate/mandate.js';
import { initialStatus, type Declaration, type SubmissionAnswer } from './declaration.js';
import { checkFilingParty } from './check-filing-party.js';

export interface SubmitDeclarationDeps {
  readonly store: ExchangeStore;
  readonly partners: PartnerDirectory;
  readonly signer: XmlSigner;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly sha256: Sha256;
  readonly rules: ChannelRules;
  readonly self: GatewayIdentity;
  /** The mandates under which a declaring agent files in its principal's name (check-filing-party.ts). */
  readonly mandates: MandateStore;
}

export interface DeclarationSubmission {
  readonly partyId: string;
  /** The document as JSON (decoded from XML by the caller when it came as XML). */
  readonly document: unknown;
  readonly mediaType: 'application/json' | 'application/xml';
  /** The request body's bytes: their digest keys idempotency and is recorded in the ledger. */
  readonly body: Uint8Array;
  readonly idempotencyKey: string | undefined;
  /** The HTTP request's id (X-Request-Id), recorded in the DOCUMENT_RECEIVED event so the ledger leads to its log lines. */
  readonly requestId?: string;
}

/** The DOCUMENT_RECEIVED event's `requestId` field, when the submission came with one. */
export function requestContext(submission: DeclarationSubmission): { requestId?: string } {
  return submission.requestId === undefined ? {} : { requestId: submission.requestId };
}

/**
 * Accepts a trader's export declaration: the trader provides it once and swx does the rest.
 * 1. Replay: the same Idempotency-Key with the same body returns the first answer; with another body, 409.
 * 2. Validate every field (422 lists them all); nothing is written for a rejected declaration.
 *    The key's party must be the exporter, or the declaring agent with a mandate from it (403 otherwise).
 * 3. Assign the clearance channel from the rules and number the declaration.
 * 4. With the trader's consent and a live partner gateway for the destination, derive the ACDD,
 *    wrap it in a signed envelope and queue it.
 * 5. Commit the declaration, its ledger entries, the message and the outbox row in one transaction.
 * @example const answer = await submitDeclaration(deps, { partyId, document, mediaType: 'application/json', body, idempotencyKey })
 */
export async function submitDeclaration(deps: SubmitDeclarationDeps, submission: DeclarationSubmission): Promise<SubmissionAnswer> {
  const requestHash = toBase64(deps.sha256(submission.body));
  if (submission.idempotencyKey !== undefined) {
    const replay = await replayIdempotent(deps.store, submission.partyId, submission.idempotencyKey, requestHash);
    if (replay) return replay;
  }

  const document = validateDocument(ExportDeclaration, submission.document);
  const now = deps.clock.now();
  await checkFilingParty(
    deps.mandates,
    submission.partyId,
    {
      documentType: 'EXPORT_DECLARATION',
      role: 'exporter',
      principalTaxId: document.exporter.taxId,
      declaringAgentTaxId: document.declaringAgent?.taxId,
    },
    now,
  );
  const at = now.toISOString();
  const id = deps.ids.uuid();
  const { channel, reasons } = assignChannel(document, deps.rules, { partyId: submission.partyId });
  const sequence = await deps.store.nextDeclarationSequence(now.getUTCFullYear());
  const declarationNumber = formatDeclarationNumber({ kind: 'EXPORT', year: now.getUTCFullYear(), sequence });
  const status = initialStatus(channel);
  const route = acddRoute(deps.partners, document);

  const declaration: Declaration = {
    id,
    declarationNumber,
    kind: 'EXPORT',
    partyId: submission.partyId,
    status,
    channel,
    channelReasons: reasons,
    partnerId: route.partner?.gatewayId,
    document,
    createdAt: at,
    updatedAt: at,
  };
  const sealed = route.partner
    ? await sealOutboundMessage(deps, {
        partner: route.partner,
        documentType: 'ACDD',
        action: 'SUBMIT',
        bodyXml: encodeDocumentXml(acddSpec, deriveAcdd(document, declarationNumber)),
        declarationId: id,
      })
    : undefined;
  const onDeclaration = { declarationId: id };
  return commitSubmission(deps.store, submission, requestHash, async () => {
    const change = new ChangeBuilder()
      .insertDeclaration(declaration)
      .event(
        {
          type: 'DOCUMENT_RECEIVED',
          subject: id,
          at,
          data: {
            documentType: 'EXPORT_DECLARATION',
            partyId: submission.partyId,
            mediaType: submission.mediaType,
            bodyDigest: requestHash,
            ...requestContext(submission),
          },
        },
        onDeclaration,
      )
      .event(
        { type: 'DECLARATION_ACCEPTED', subject: id, at, data: { declarationNumber, acdd: route.outcome } },
        { ...onDeclaration, label: ACCEPTED },
      )
      .event({ type: 'CHANNEL_ASSIGNED', subject: id, at, data: { channel, reasons: reasons.map((reason) => ({ ...reason })) } }, onDeclaration)
      .event({ type: 'STATUS_CHANGED', subject: id, at, data: { status } }, onDeclaration);
    if (sealed) change.queue(sealed, { declarationId: id, notBefore: now.getTime() });
    return change;
  });
}

/** The first answer to an Idempotency-Key already used with the same body; IDEMPOTENCY_CONFLICT (409) with another body. */
export async function replayIdempotent(
  store: ExchangeStore,
  partyId: string,
  key: string,
  requestHash: string,
): Promise<SubmissionAnswer | undefined> {
  const record = await store.findIdempotency(partyId, key);
  if (!record) return undefined;
  if (record.requestHash !== requestHash) {
    throw new CoreError('IDEMPOTENCY_CONFLICT', `Idempotency-Key "${key}" was already used with a different request body`);
  }
  return record.answer as SubmissionAnswer;
}

/** The label of a submission's DECLARATION_ACCEPTED event, whose ledger index its answer gives. */
export const ACCEPTED = 'accepted';

/**
 * Commits a submission's change (commitWithRetry: rebuilt when what it read moved) with its idempotency record, and
 * answers with the ledger index of its event labelled ACCEPTED; when a concurrent request with the same
 * Idempotency-Key won the race, answers as that one did.
 */
export async function commitSubmission(
  store: ExchangeStore,
  submission: DeclarationSubmission,
  requestHash: string,
  build: () => Promise<ChangeBuilder>,
): Promise<SubmissionAnswer> {
  const key = submission.idempotencyKey;
  try {
    const committed = await commitWithRetry(store, async () => {
      const change = (await build()).requestedBy(submission.requestId);
      const declaration = change.declaration();
      if (key !== undefined && declaration !== undefined) {
        const answer = {
          id: declaration.id,
          declarationNumber: declaration.declarationNumber,
          status: declaration.status,
          channel: declaration.channel,
        };
        change.answerIdempotently({ partyId: submission.partyId, key, requestHash, answer, ledgerIndexes: { ledgerIndex: ACCEPTED } });
      }
      return change.build();
    });
    const declaration = committed.change.insertDeclaration;
    if (declaration === undefined) throw new CoreError('INTERNAL', 'a submission inserts its declaration');
    const { id, declarationNumber, status, channel } = declaration;
    return { id, declarationNumber, status, channel, ledgerIndex: findLedgerIndex(committed.change, committed.entries, ACCEPTED) };
  } catch (error) {
    const replay = key === undefined ? undefined : await replayIdempotent(store, submission.partyId, key, requestHash);
    if (replay) return replay;
    throw error;
  }
}

type AcddOutcome = 'QUEUED' | 'NOT_CONSENTED' | 'NO_PARTNER_GATEWAY' | 'PARTNER_NOT_LIVE' | 'PARTNER_DOES_NOT_RECEIVE_ACDD';

/** Whether the ACDD goes to the destination's gateway, and if not, why not (recorded in the ledger). */
function acddRoute(partners: PartnerDirectory, document: ExportDeclaration): { outcome: AcddOutcome; partner?: GatewayIdentity } {
  if (!document.acddConsent) return { outcome: 'NOT_CONSENTED' };
  const partner = partners.gatewayFor(document.destinationCountry);
  if (!partner) return { outcome: 'NO_PARTNER_GATEWAY' };
  if (partner.state !== 'live') return { outcome: 'PARTNER_NOT_LIVE' };
  if (!partner.documents.receive.some((entry) => entry.type === 'ACDD')) return { outcome: 'PARTNER_DOES_NOT_RECEIVE_ACDD' };
  return { outcome: 'QUEUED', partner: { gatewayId: partner.id, country: partner.country } };
}
