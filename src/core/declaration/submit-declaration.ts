import { CoreError } from '../errors.js';
import type { BoundEvent, Clock, ExchangeStore, IdGenerator, PartnerDirectory, Sha256, XmlSigner } from '../ports.js';
import type { LedgerEvent } from '../ledger/entry.js';
import { ExportDeclaration } from '../../../message-schemas/export-declaration/1/schema.js';
import { acddSpec } from '../../../message-schemas/acdd/1/schema.js';
import { validateDocument } from '../document/validate-document.js';
import { encodeDocumentXml } from '../document/xml-mapping.js';
import { deriveAcdd } from '../document/acdd.js';
import { formatDeclarationNumber } from '../document/declaration-number.js';
import { assignChannel, type ChannelRules } from '../clearance/assign-channel.js';
import { sealOutboundMessage, type GatewayIdentity } from '../exchange/outbound-message.js';
import { toBase64 } from '../encoding.js';
import type { MandateStore } from '../mandate/mandate.js';
import { initialStatus, type Declaration, type SubmissionAnswer } from './declaration.js';
import { checkFilingParty } from './filing-party.js';

export interface SubmitDeclarationDeps {
  readonly store: ExchangeStore;
  readonly partners: PartnerDirectory;
  readonly signer: XmlSigner;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly sha256: Sha256;
  readonly rules: ChannelRules;
  readonly self: GatewayIdentity;
  /** The mandates under which a declaring agent files in its principal's name (filing-party.ts). */
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
export async function submitDeclaration(
  deps: SubmitDeclarationDeps,
  submission: DeclarationSubmission,
): Promise<SubmissionAnswer> {
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
    { documentType: 'EXPORT_DECLARATION', role: 'exporter', principalTaxId: document.exporter.taxId, declaringAgentTaxId: document.declaringAgent?.taxId },
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
  const onDeclaration = (event: LedgerEvent, messageId?: string): BoundEvent =>
    messageId === undefined ? { event, declarationId: id } : { event, declarationId: id, messageId };
  const events: BoundEvent[] = [
    onDeclaration({
      type: 'DOCUMENT_RECEIVED',
      subject: id,
      at,
      data: { documentType: 'EXPORT_DECLARATION', partyId: submission.partyId, mediaType: submission.mediaType, bodyDigest: requestHash },
    }),
    onDeclaration({ type: 'DECLARATION_ACCEPTED', subject: id, at, data: { declarationNumber, acdd: route.outcome } }),
    onDeclaration({ type: 'CHANNEL_ASSIGNED', subject: id, at, data: { channel, reasons: reasons.map((reason) => ({ ...reason })) } }),
    onDeclaration({ type: 'STATUS_CHANGED', subject: id, at, data: { status } }),
  ];

  let sealed;
  if (route.partner) {
    const acdd = deriveAcdd(document, declarationNumber);
    sealed = await sealOutboundMessage(deps, {
      partner: route.partner,
      documentType: 'ACDD',
      action: 'SUBMIT',
      bodyXml: encodeDocumentXml(acddSpec, acdd),
      declarationId: id,
    });
    for (const event of sealed.events) events.push(onDeclaration(event, sealed.message.messageId));
  }

  const acceptedAt = 1;
  const answerFrom = (entries: readonly { index: number }[]): SubmissionAnswer => ({
    id,
    declarationNumber,
    status,
    channel,
    ledgerIndex: entries[acceptedAt]?.index ?? -1,
  });
  const entries = await commitOnce(deps.store, submission, requestHash, {
    events,
    insertDeclaration: declaration,
    ...(sealed
      ? {
          insertMessages: [{ ...sealed.message, ledgerEvent: events.length - 1 }],
          enqueue: [{ messageId: sealed.message.messageId, partnerId: sealed.message.partnerId, notBefore: now.getTime() }],
        }
      : {}),
    ...(submission.idempotencyKey === undefined
      ? {}
      : { idempotency: { partyId: submission.partyId, key: submission.idempotencyKey, requestHash, answer: answerFrom } }),
  });
  return 'replay' in entries ? entries.replay : answerFrom(entries);
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

/** Commits; when a concurrent request with the same Idempotency-Key won the race, answers as it did. */
async function commitOnce(
  store: ExchangeStore,
  submission: DeclarationSubmission,
  requestHash: string,
  change: Parameters<ExchangeStore['commit']>[0],
): Promise<readonly { index: number }[] | { replay: SubmissionAnswer }> {
  try {
    return await store.commit(change);
  } catch (error) {
    const key = submission.idempotencyKey;
    const replay = key === undefined ? undefined : await replayIdempotent(store, submission.partyId, key, requestHash);
    if (replay) return { replay };
    throw error;
  }
}

type AcddOutcome = 'QUEUED' | 'NOT_CONSENTED' | 'NO_PARTNER_GATEWAY' | 'PARTNER_NOT_LIVE' | 'PARTNER_DOES_NOT_RECEIVE_ACDD';

/** Whether the ACDD goes to the destination's gateway, and if not, why not (recorded in the ledger). */
function acddRoute(
  partners: PartnerDirectory,
  document: ExportDeclaration,
): { outcome: AcddOutcome; partner?: GatewayIdentity } {
  if (!document.acddConsent) return { outcome: 'NOT_CONSENTED' };
  const partner = partners.gatewayFor(document.destinationCountry);
  if (!partner) return { outcome: 'NO_PARTNER_GATEWAY' };
  if (partner.state !== 'live') return { outcome: 'PARTNER_NOT_LIVE' };
  if (!partner.documents.receive.some((entry) => entry.type === 'ACDD')) return { outcome: 'PARTNER_DOES_NOT_RECEIVE_ACDD' };
  return { outcome: 'QUEUED', partner: { gatewayId: partner.id, country: partner.country } };
}
