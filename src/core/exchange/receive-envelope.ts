import { CoreError, isCoreError } from '../errors.js';
import type { JsonObject, LedgerEvent } from '../ledger/entry.js';
import type { ExchangeMessage } from './exchange-store.js';
import { type VerificationReport, firstFailure } from '../verify/verification-report.js';
import type { PayloadSignature } from '../verify/signature-profiles.js';
import { type EnvelopeHeader, readEnvelope } from '../../../message-schemas/envelope/1/build.js';
import { writeReceipt } from '../../../message-schemas/receipt/1/build.js';
import type { ReceiptWarning } from '../../../message-schemas/receipt/1/schema.js';
import { toBase64 } from '../encoding.js';
import { checkAddressee, checkSender, checkWindow, claimedHeader, findInboundHandler } from './envelope-checks.js';
import type { InboundDocument } from '../documents/document-descriptor.js';
import type { Partner } from '../partner.js';
import { ChangeBuilder, findLedgerIndex } from './change-builder.js';
import { commitWithRetry } from './commit-with-retry.js';
import { addressKey, ISSUE_CHARACTERS, refuseEnvelope } from './refuse-envelope.js';
import type { ReceiveAnswer, ReceiveDeps } from './reception.js';

/** Where an envelope came from, as the runtime knows it. */
export interface EnvelopeSource {
  /** The client's network address (the socket's remote address on Node). */
  readonly address?: string | undefined;
}

/** Warnings of an accepted document listed in its ledger entry and receipt; the rest are counted. */
export const LISTED_WARNINGS = 20;

/**
 * Receives a partner gateway's signed envelope (design.md 3.4), checking in this order and answering every
 * failure with a signed error receipt (refuseEnvelope: a bounded ledger entry once the signature is verified,
 * none before, and RATE_LIMITED for a source or sender over its refusal budget):
 * 0. the source address is not over its refusal budget (checked before anything is parsed);
 * 1. well-formed XML with no DOCTYPE or entity declarations, and a valid header;
 * 2. the From gateway is a partner we know;
 * 3. the strict signature profile, in a profile the partner file allows (`signatureProfiles`), verified with the
 *    certificate pinned for that partner (never KeyInfo); a signature ending the business document (an NPPO-signed
 *    ePhyto) is payload, checked with the file's `nppoCertificates` and recorded (`issuerSignature`), never deciding;
 * 4. that certificate's chain to the partner country's root, its validity period and the revocation list;
 *    from here on only the signed bytes the verifier returns are read (an envelope with anything but Header,
 *    Body and the signature fails the profile at 3, so a wrapped or second payload is a signature failure);
 * 5. the signed From (gateway and country) is the signer's partner file;
 * 6. the envelope is addressed to us;
 * 7. replay: the same message id with the same bytes gets the original receipt; with other bytes, 409;
 * 8. the creation time is inside the allowed window;
 * 9. the partner may send this document type, and the document validates against its schema (defects that do not
 *    touch its meaning are accepted as warnings: listed, bounded, in the ledger entry and the receipt);
 * 10. a RefToMessageId naming a message swx exchanged names one exchanged with this partner.
 * Then the document is routed (its handler's `route`: the agency or declaration it concerns, and what that
 * changes), recorded byte for byte with what routing changed in one commit, and receipted with its ledger index
 * and a signed checkpoint that includes it.
 * @example const answer = await receiveEnvelope(deps, await request.text(), { address: '203.0.113.9' })
 */
export async function receiveEnvelope(deps: ReceiveDeps, envelope: string, source: EnvelopeSource = {}): Promise<ReceiveAnswer> {
  const wait = source.address === undefined ? undefined : deps.refusals?.retryAfter(addressKey(source.address));
  if (wait !== undefined) {
    throw new CoreError('RATE_LIMITED', `too many refused envelopes from this address; retry in ${wait} s`, { retryAfterSeconds: wait });
  }
  const bytes = new TextEncoder().encode(envelope);
  const digest = toBase64(deps.sha256(bytes));
  let header: EnvelopeHeader | undefined;
  let signer: Partner | undefined;
  try {
    // The header as claimed, read before anything is verified: only to choose the pinned certificate and to
    // address an error receipt. The structure of the rest is judged after the signature profile, on signed bytes.
    const claimed = claimedHeader(deps.parseXml(envelope));
    header = claimed;
    const partner = deps.partners.get(claimed.from.gatewayId);
    if (partner?.kind !== 'gateway') {
      throw new CoreError('UNKNOWN_PARTNER', `gateway ${claimed.from.gatewayId} is not a partner of this single window`);
    }
    const trust = deps.partners.trustFor(partner.id);
    const verification = deps.signatures.verify(envelope, trust.certificatePem, {
      profiles: partner.signatureProfiles,
      payloadCertificates: trust.nppoCertificatePems,
    });
    failOn(verification);
    failOn(deps.certificates.verify(trust.certificatePem, trust, deps.clock.now()));
    signer = partner;
    // Only what the signature covers is processed (design.md 3.4).
    const parsed = readEnvelope(deps.parseXml(verification.signedXml ?? ''));
    header = parsed.header;
    checkSender(header, partner);
    checkAddressee(deps.self, header);
    const earlier = await deps.store.getMessage(header.messageId);
    if (earlier) return await answerAgain(deps, header, digest, earlier);
    checkWindow(deps, header);
    // A business acknowledgement is of a document type the partner receives from us; anything else, of one it sends.
    const acknowledgement = header.action === 'ACKNOWLEDGE';
    const handler = findInboundHandler(partner, header);
    const document = handler.validate(parsed.body);
    const warnings = boundedWarnings(handler.warnings?.(document) ?? []);
    let recorded: Recorded;
    try {
      recorded = await recordReception(deps, {
        header,
        partner,
        handler,
        document,
        envelope,
        digest,
        acknowledgement,
        warnings,
        payloadSignature: verification.payloadSignature,
      });
    } catch (error) {
      // The same envelope posted twice at once: the other request recorded it first, so answer as a replay.
      const raced = isCoreError(error, 'MESSAGE_ID_CONFLICT') ? await deps.store.getMessage(header.messageId) : undefined;
      if (raced === undefined) throw error;
      return await answerAgain(deps, header, digest, raced);
    }
    const receipt = await receiptFor(deps, header, digest, recorded.index, recorded.declarationId, warnings.inReceipt);
    return { accepted: true, code: undefined, messageId: header.messageId, receipt };
  } catch (error) {
    if (!isCoreError(error)) throw error;
    return refuseEnvelope(deps, error, { header, digest, bytes: bytes.length, signer, address: source.address });
  }
}

/** An envelope with a message id already recorded: the original receipt for the same bytes; 409 for others. */
async function answerAgain(deps: ReceiveDeps, header: EnvelopeHeader, digest: string, earlier: ExchangeMessage): Promise<ReceiveAnswer> {
  if (earlier.digest !== digest || earlier.direction !== 'IN') {
    throw new CoreError('MESSAGE_ID_CONFLICT', `message ${header.messageId} was already received with different content`);
  }
  const receipt = earlier.receipt ?? (await receiptFor(deps, header, digest, earlier.ledgerIndex, earlier.declarationId));
  return { accepted: true, code: undefined, messageId: header.messageId, receipt };
}

interface Reception {
  readonly header: EnvelopeHeader;
  readonly partner: Partner;
  readonly handler: InboundDocument;
  readonly document: unknown;
  readonly envelope: string;
  readonly digest: string;
  readonly acknowledgement: boolean;
  readonly warnings: BoundedWarnings;
  /** The business document's own signature, checked: it never decides acceptance, it is recorded. */
  readonly payloadSignature: PayloadSignature | undefined;
}

interface Recorded {
  readonly declarationId: string | undefined;
  readonly index: number | undefined;
}

/**
 * Routes a validated document and records it byte for byte with what routing changed, in one commit. Routing
 * that read what another commit moved meanwhile (a certificate and a declaration arriving at once) routes again
 * (commitWithRetry).
 */
async function recordReception(deps: ReceiveDeps, reception: Reception): Promise<Recorded> {
  const { header, partner, handler, document, envelope, digest } = reception;
  const related = header.refToMessageId === undefined ? undefined : await deps.store.getMessage(header.refToMessageId);
  if (related !== undefined && related.partnerId !== partner.id) {
    throw new CoreError('REFERENCE_OTHER_PARTNER', `RefToMessageId ${related.messageId} is not a message exchanged with ${partner.id}`, {
      issues: [{ pointer: '/header/refToMessageId', detail: `must name a message exchanged with ${partner.id}` }],
    });
  }
  const at = deps.clock.now().toISOString();
  let declarationId: string | undefined;
  const { change, entries } = await commitWithRetry(deps.store, async () => {
    const { payloadSignature } = reception;
    const routing = handler.route
      ? await handler.route(document, { deps, header, partner, at, declarationId: related?.declarationId, payloadSignature })
      : {};
    declarationId = routing.declarationId ?? related?.declarationId;
    const received: LedgerEvent = {
      type: reception.acknowledgement ? 'ACKNOWLEDGEMENT_RECEIVED' : (handler.receivedAs ?? 'DOCUMENT_RECEIVED'),
      subject: header.messageId,
      at,
      data: {
        documentType: header.documentType,
        from: partner.id,
        envelopeDigest: digest,
        refTo: header.refToMessageId ?? null,
        summary: handler.summarise(document),
        ...(routing.routedTo === undefined ? {} : { routedTo: routing.routedTo }),
        ...(reception.warnings.count === 0 ? {} : { warningCount: reception.warnings.count, warnings: reception.warnings.listed.map(warningEntry) }),
        ...(payloadSignature === undefined ? {} : { issuerSignature: issuerSignatureEntry(payloadSignature) }),
      },
    };
    const message: ExchangeMessage = {
      messageId: header.messageId,
      direction: 'IN',
      partnerId: partner.id,
      documentType: header.documentType,
      conversationId: header.conversationId,
      refTo: header.refToMessageId,
      declarationId,
      envelope,
      digest,
      receipt: undefined,
      ledgerIndex: undefined,
      createdAt: at,
    };
    return new ChangeBuilder()
      .receive(received, message, { ...(declarationId === undefined ? {} : { declarationId }), label: 'received' })
      .include(routing.change)
      .build();
  });
  return { declarationId, index: findLedgerIndex(change, entries, 'received') };
}

function failOn(report: VerificationReport): void {
  if (report.outcome === 'VALID') return;
  const failed = firstFailure(report);
  throw new CoreError(failed?.reason?.code ?? 'SIGNATURE_INVALID', failed?.reason?.message ?? 'signature verification failed');
}

/** Signs the receipt for an accepted envelope and records that it was sent. */
async function receiptFor(
  deps: ReceiveDeps,
  header: EnvelopeHeader,
  digest: string,
  ledgerIndex: number | undefined,
  declarationId: string | undefined,
  warnings: readonly ReceiptWarning[] = [],
): Promise<string> {
  const at = deps.clock.now().toISOString();
  const checkpoint = ledgerIndex === undefined ? undefined : await deps.checkpoints.covering(ledgerIndex);
  const receipt = await deps.signer.sign(
    writeReceipt({
      receiptId: deps.ids.uuid(),
      messageId: header.messageId,
      from: deps.self,
      to: header.from,
      status: 'RECEIVED',
      envelopeDigest: digest,
      ...(ledgerIndex === undefined ? {} : { ledgerIndex }),
      ...(checkpoint === undefined ? {} : { checkpoint: checkpoint.note }),
      errors: [],
      ...(warnings.length === 0 ? {} : { warnings: [...warnings] }),
      createdAt: at,
    }),
  );
  const event: LedgerEvent = {
    type: 'RECEIPT_SENT',
    subject: header.messageId,
    at,
    data: { to: header.from.gatewayId, status: 'RECEIVED', envelopeDigest: digest },
  };
  const links = declarationId === undefined ? { messageId: header.messageId } : { messageId: header.messageId, declarationId };
  await deps.store.commit(new ChangeBuilder().event(event, links).setReceipt(header.messageId, receipt).build());
  return receipt;
}

/** An accepted document's warnings as recorded: the first LISTED_WARNINGS, their texts cut to ISSUE_CHARACTERS, and how many there were. */
interface BoundedWarnings {
  readonly count: number;
  readonly listed: readonly ReceiptWarning[];
  /** The listed ones, and one WARNINGS_NOT_LISTED counting the rest when there are more. */
  readonly inReceipt: readonly ReceiptWarning[];
}

function boundedWarnings(warnings: readonly ReceiptWarning[]): BoundedWarnings {
  const listed = warnings.slice(0, LISTED_WARNINGS).map((warning) => ({
    code: warning.code,
    ...(warning.pointer === undefined ? {} : { pointer: cut(warning.pointer) }),
    message: cut(warning.message),
  }));
  const more = warnings.length - listed.length;
  const rest: ReceiptWarning[] = more > 0 ? [{ code: 'WARNINGS_NOT_LISTED', message: `… and ${more} more warnings` }] : [];
  return { count: warnings.length, listed, inReceipt: [...listed, ...rest] };
}

function issuerSignatureEntry(signature: PayloadSignature): JsonObject {
  return { status: signature.status, ...(signature.signer === undefined ? {} : { signer: cut(signature.signer) }), message: cut(signature.message) };
}

function warningEntry(warning: ReceiptWarning): JsonObject {
  return warning.pointer === undefined
    ? { code: warning.code, message: warning.message }
    : { code: warning.code, pointer: warning.pointer, message: warning.message };
}

function cut(text: string): string {
  return text.length <= ISSUE_CHARACTERS ? text : `${text.slice(0, ISSUE_CHARACTERS - 1)}…`;
}
