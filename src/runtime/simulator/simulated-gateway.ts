import { readEnvelope, writeEnvelope, type EnvelopeHeader } from '../../../message-schemas/envelope/1/build.js';
import { GatewayAddress, type EnvelopeAction } from '../../../message-schemas/envelope/1/schema.js';
import { readReceipt, writeReceipt } from '../../../message-schemas/receipt/1/build.js';
import type { Receipt } from '../../../message-schemas/receipt/1/schema.js';
import type { BusinessResponse } from '../../core/documents/document-descriptor.js';
import { findDocument } from '../../core/documents/document-table.js';
import { toBase64 } from '../../core/encoding.js';
import { type CoreErrorCode, isCoreError } from '../../core/errors.js';
import type { GatewayPartner } from '../../core/partner.js';
import type { Clock, IdGenerator, Sha256, XmlParser } from '../../core/primitives.js';
import type { SignatureVerifier } from '../../core/verify/signature-verifier.js';
import { firstFailure } from '../../core/verify/verification-report.js';
import type { Faults } from './faults.js';
import { detached, type GatewayMemory, MapGatewayMemory } from './gateway-memory.js';
import type { OwedEnvelope, PendingResponse } from './simulator-records.js';

/** Signs a whole document on the calling thread (XmlDsigSigner is one). */
export interface SyncXmlSigner {
  signSync(xml: string): string;
}

export type SimulatorLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface SimulatedGatewayOptions {
  readonly partner: GatewayPartner;
  /** Signs with the partner's own development key. */
  readonly signer: SyncXmlSigner;
  readonly verifier: SignatureVerifier;
  readonly parseXml: XmlParser;
  /** The single window it exchanges with: its gateway and the certificate it pins. */
  readonly nsw: { readonly gateway: GatewayAddress; readonly certificatePem: string };
  readonly faults: Faults;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly sha256: Sha256;
  readonly random: () => number;
  readonly log: SimulatorLog;
  /** What it receipted before (a journal, a Durable Object's storage); in memory only without one. */
  readonly memory?: GatewayMemory;
}

/** Its answer to one envelope: the HTTP status, the signed receipt, and what it now owes swx for it (already recorded). */
export interface Reception {
  readonly status: number;
  readonly receipt: string;
  readonly owed?: PendingResponse;
}

/** swx's answer to an envelope the gateway sent it, opened. */
export interface SwxAnswer {
  readonly receipt: Receipt;
  /** The receipt verified with swx's certificate and said RECEIVED. */
  readonly accepted: boolean;
  /** The receipt's signature verified with swx's certificate. */
  readonly verified: boolean;
}

/** What a simulated gateway saw, for operators and tests. */
export interface GatewayStats {
  readonly received: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly responsesSent: number;
  readonly responsesAccepted: number;
  readonly faultsInjected: number;
}

/**
 * A partner gateway played by swx itself (design.md 3.1), with no runtime of its own: it verifies what it receives
 * with the NSW certificate it pins, answers with receipts signed by the partner's development key, prepares the
 * business response a real gateway would (the document table's `simulatorResponse`: a Customs Response for an ACDD),
 * signed now so that every attempt sends the same bytes, and rolls the faults it is asked to inject. The Node
 * simulator (partner-simulator.ts) serves it over HTTP; the simulators Worker (simulator-worker.ts) from a
 * Durable Object per partner. Sending what it owes is theirs.
 * 1. `receive` an envelope: the receipt to answer, and the owed responses, recorded in its memory first.
 * 2. Send each owed envelope to swx's `/v1/exchange`; `openAnswer` the receipt swx answers.
 * @example const { status, receipt, owed } = gateway.receive(envelopeXml)
 */
export class SimulatedGateway {
  readonly #stats = { received: 0, duplicates: 0, rejected: 0, responsesSent: 0, responsesAccepted: 0, faultsInjected: 0 };
  readonly #self: GatewayAddress;
  readonly #memory: GatewayMemory;
  #faults: Faults;

  constructor(private readonly options: SimulatedGatewayOptions) {
    this.#self = GatewayAddress.parse({ gatewayId: options.partner.id, country: options.partner.country });
    this.#faults = options.faults;
    this.#memory = options.memory ?? new MapGatewayMemory();
  }

  get partnerId(): string {
    return this.options.partner.id;
  }

  get faults(): Faults {
    return this.#faults;
  }

  /** Changes the faults injected from the next request on (an outage starts or ends). */
  setFaults(faults: Faults): void {
    this.#faults = faults;
  }

  stats(): GatewayStats {
    return { ...this.#stats };
  }

  /** Verifies and receipts one envelope; the same message id with the same bytes gets the same receipt. */
  receive(envelope: string): Reception {
    const digest = toBase64(this.options.sha256(new TextEncoder().encode(envelope)));
    let header: EnvelopeHeader | undefined;
    try {
      const parsed = readEnvelope(this.options.parseXml(envelope));
      header = parsed.header;
      const earlier = this.#memory.received(header.messageId);
      if (earlier) {
        this.#stats.duplicates += 1;
        if (earlier.digest === digest) {
          this.note('received again with the same bytes: same receipt', { messageId: header.messageId });
          return { status: earlier.status, receipt: earlier.receipt };
        }
        return this.#reject(header, digest, 'MESSAGE_ID_CONFLICT', 'message id already received with different content', 409);
      }
      const report = this.options.verifier.verify(envelope, this.options.nsw.certificatePem);
      if (report.outcome !== 'VALID') {
        const failed = firstFailure(report);
        return this.#reject(header, digest, failed?.reason?.code ?? 'SIGNATURE_INVALID', failed?.reason?.message ?? 'signature invalid', 400);
      }
      if (header.to.gatewayId !== this.options.partner.id) {
        return this.#reject(header, digest, 'ENVELOPE_NOT_FOR_US', `addressed to ${header.to.gatewayId}`, 400);
      }
      // The business document is validated (a Customs Response prepared) before the envelope counts as received.
      const response = findDocument(header.documentType)?.simulatorResponse?.(parsed.body, {
        header,
        self: this.#self,
        clock: this.options.clock,
        random: this.options.random,
      });
      const ledgerIndex = this.#memory.receivedCount();
      const receipt = this.#receipt(header, digest, 'RECEIVED', [], ledgerIndex);
      const owed = this.#owedFor(header, response, digest, ledgerIndex);
      // Recorded in one write before the receipt is answered: what a receipt promises survives a crash of this gateway.
      this.#memory.record({ messageId: header.messageId, digest, status: 200, receipt }, owed);
      this.#stats.received += 1;
      this.note('received', { messageId: header.messageId, documentType: header.documentType, action: header.action, from: header.from.gatewayId });
      return { status: 200, receipt, ...(owed === undefined ? {} : { owed }) };
    } catch (error) {
      if (!isCoreError(error)) throw error;
      return this.#reject(header, digest, error.code, error.message, 400);
    }
  }

  /** Corrupts a receipt when a fault says so: a bad signature, or a receipt for another message. */
  tamper(receipt: string): string {
    if (this.roll(this.#faults.badSignatureRate)) {
      this.note('fault: the receipt signature is corrupted');
      return receipt.replace(/<ds:SignatureValue>(.)/, (_, first: string) => `<ds:SignatureValue>${first === 'A' ? 'B' : 'A'}`);
    }
    if (this.roll(this.#faults.wrongReceiptRate)) {
      this.note('fault: the receipt names another message');
      return receipt.replace(/<MessageId>[^<]*<\/MessageId>/, `<MessageId>${this.options.ids.uuid()}</MessageId>`);
    }
    return receipt;
  }

  /**
   * Opens swx's answer to an owed envelope it sent: the receipt, verified with swx's certificate. Throws when the
   * answer is no receipt at all (swx unavailable): the envelope is still owed.
   */
  openAnswer(step: OwedEnvelope, status: number, text: string): SwxAnswer {
    this.#stats.responsesSent += 1;
    const report = this.options.verifier.verify(text, this.options.nsw.certificatePem);
    const receipt = readReceipt(this.options.parseXml(text));
    const verified = report.outcome === 'VALID';
    const accepted = verified && receipt.status === 'RECEIVED';
    if (accepted) {
      this.#stats.responsesAccepted += 1;
      this.note('sent a business response', {
        messageId: receipt.messageId,
        documentType: step.documentType,
        refTo: step.refToMessageId,
        receipt: receipt.status,
      });
    } else
      this.options.log('warn', 'single window did not accept the simulated response', { partner: this.partnerId, status, errors: receipt.errors });
    return { receipt, accepted, verified };
  }

  /** One line per envelope and per fault, for operators to see what happens. */
  note(message: string, fields: Record<string, unknown> = {}): void {
    this.options.log('info', message, { partner: this.partnerId, ...fields });
  }

  /** True with probability `rate`, counted as a fault injected. */
  roll(rate: number): boolean {
    const hit = rate > 0 && this.options.random() < rate;
    if (hit) this.#stats.faultsInjected += 1;
    return hit;
  }

  #reject(header: EnvelopeHeader | undefined, digest: string, code: CoreErrorCode, message: string, status: number): Reception {
    this.#stats.rejected += 1;
    this.options.log('warn', 'simulator rejected an envelope', { partner: this.partnerId, code, message });
    return { status, receipt: this.#receipt(header, digest, 'REJECTED', [{ code, message }], undefined) };
  }

  #receipt(
    header: EnvelopeHeader | undefined,
    digest: string,
    status: 'RECEIVED' | 'REJECTED',
    errors: { code: string; message: string }[],
    ledgerIndex: number | undefined,
  ): string {
    return this.options.signer.signSync(
      writeReceipt({
        receiptId: this.options.ids.uuid(),
        ...(header === undefined ? {} : { messageId: header.messageId }),
        from: this.#self,
        to: header?.from ?? this.options.nsw.gateway,
        status,
        envelopeDigest: digest,
        ...(ledgerIndex === undefined ? {} : { ledgerIndex }),
        errors,
        createdAt: this.options.clock.now().toISOString(),
      }),
    );
  }

  /** What it owes for a message: the business acknowledgement when the faults say so, then (unless it was a rejection) the business response. */
  #owedFor(header: EnvelopeHeader, response: BusinessResponse | undefined, digest: string, ledgerIndex: number): PendingResponse | undefined {
    const acknowledge = (header.action === 'SUBMIT' || header.action === 'CANCEL') && this.roll(this.#faults.businessAckRate);
    const rejected = acknowledge && this.roll(this.#faults.businessRejectRate);
    const now = this.options.clock.now().getTime();
    const steps: OwedEnvelope[] = [];
    if (acknowledge) {
      steps.push(this.#owe(header, header.documentType, 'ACKNOWLEDGE', this.#acknowledgement(header, digest, rejected, ledgerIndex), now));
    }
    if (response && !rejected)
      steps.push(this.#owe(header, response.documentType, response.action, response.bodyXml, now + this.#faults.responseDelayMs));
    return steps.length > 0 ? { id: this.options.ids.uuid(), steps } : undefined;
  }

  /** A business acknowledgement's Body: this gateway's receipt/1 Receipt of the message (the envelope carrying it is signed). */
  #acknowledgement(header: EnvelopeHeader, digest: string, rejected: boolean, ledgerIndex: number): string {
    return writeReceipt({
      receiptId: this.options.ids.uuid(),
      messageId: header.messageId,
      from: this.#self,
      to: header.from,
      status: rejected ? 'REJECTED' : 'RECEIVED',
      envelopeDigest: digest,
      ledgerIndex,
      errors: rejected ? [{ code: 'BUSINESS_RULE_FAILED', message: 'simulated: the importing customs did not accept the document' }] : [],
      createdAt: this.options.clock.now().toISOString(),
    });
  }

  /** A business response to the single window, signed now: every attempt to send it sends the same bytes. */
  #owe(
    inReplyTo: EnvelopeHeader,
    documentType: EnvelopeHeader['documentType'],
    action: EnvelopeAction,
    bodyXml: string,
    notBefore: number,
  ): OwedEnvelope {
    const envelope = this.options.signer.signSync(
      writeEnvelope(
        {
          messageId: this.options.ids.uuid(),
          conversationId: inReplyTo.conversationId,
          refToMessageId: inReplyTo.messageId,
          from: this.#self,
          to: this.options.nsw.gateway,
          documentType,
          documentVersion: '1',
          action,
          createdAt: this.options.clock.now().toISOString(),
        },
        bodyXml,
      ),
    );
    return { documentType, refToMessageId: detached(inReplyTo.messageId), notBefore, envelope };
  }
}
