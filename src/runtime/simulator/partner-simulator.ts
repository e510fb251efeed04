import { type HttpBindings, serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { Agent, request } from 'undici';
import type { AddressInfo } from 'node:net';
import { readEnvelope, writeEnvelope, type EnvelopeHeader } from '../../../message-schemas/envelope/1/build.js';
import { readReceipt, writeReceipt } from '../../../message-schemas/receipt/1/build.js';
import { type CoreErrorCode, isCoreError } from '../../core/errors.js';
import { toBase64 } from '../../core/encoding.js';
import type { GatewayPartner } from '../../core/partner.js';
import type { Clock, IdGenerator, Sha256, XmlParser } from '../../core/primitives.js';
import type { SignatureVerifier } from '../../core/verify/signature-verifier.js';
import type { XmlDsigSigner } from '../../adapters/crypto/xmldsig-signer.js';
import { GatewayAddress, type EnvelopeAction } from '../../../message-schemas/envelope/1/schema.js';
import type { BusinessResponse } from '../../core/documents/document-descriptor.js';
import { findDocument } from '../../core/documents/document-table.js';
import type { Faults } from './faults.js';
import { firstFailure } from '../../core/verify/verification-report.js';
import type { LedgerWitness } from './ledger-witness.js';
import { DEFAULT_RETRY, OwedResponses, type RetryPolicy } from './owed-responses.js';
import type { OwedEnvelope, PendingResponse, ReceivedMessage, ResponseJournal } from './response-journal.js';

export interface PartnerSimulatorOptions {
  readonly partner: GatewayPartner;
  /** Signs with the partner's own development key. */
  readonly signer: XmlDsigSigner;
  readonly verifier: SignatureVerifier;
  readonly parseXml: XmlParser;
  /** The single window it exchanges with: its gateway, the certificate it pins, and where to send responses. */
  readonly nsw: { readonly gateway: GatewayAddress; readonly certificatePem: string; readonly exchangeUrl: () => string };
  readonly faults: Faults;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly sha256: Sha256;
  readonly random: () => number;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  readonly port?: number;
  /** Checks the ledger checkpoint each receipt of the single window carries (the partner as a witness). */
  readonly witness?: LedgerWitness;
  /** Keeps what it received and what it owes across a crash (`<data>/simulators/<ID>/`); in memory only without one. */
  readonly journal?: ResponseJournal;
  /** How long it keeps retrying a response swx does not receipt (default: 10 minutes, backoff from 250 ms to 15 s). */
  readonly retry?: RetryPolicy;
}

type Received = Omit<ReceivedMessage, 'messageId'>;

/** What a simulated gateway saw, for operators and tests. */
export interface SimulatorStats {
  readonly received: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly responsesSent: number;
  readonly responsesAccepted: number;
  readonly faultsInjected: number;
  /** Checkpoints of swx's ledger checked, and checks failed (history rewritten), when the simulator is a witness. */
  readonly checkpointsWitnessed: number;
  readonly ledgerInconsistencies: number;
}

/**
 * A partner gateway played by swx itself (design.md 3.1), on a loopback port: it verifies what it receives
 * with the NSW certificate it pins, answers with receipts signed by its own development key, sends the
 * business response a real gateway would (a Customs Response for an ACDD), and injects faults on demand.
 * @example const th = await startPartnerSimulator(options); console.log(th.url)
 */
export async function startPartnerSimulator(options: PartnerSimulatorOptions): Promise<PartnerSimulator> {
  const simulator = new PartnerSimulator(options);
  await simulator.listen();
  return simulator;
}

export class PartnerSimulator {
  readonly #received = new Map<string, Received>();
  readonly #stats = { received: 0, duplicates: 0, rejected: 0, responsesSent: 0, responsesAccepted: 0, faultsInjected: 0 };
  readonly #owed: OwedResponses;
  // Its own few connections to swx: hundreds of owed responses queue here instead of opening a connection each.
  readonly #agent = new Agent({ connections: 8 });
  #server: ServerType | undefined;
  #url = '';
  #ledgerSize = 0;
  readonly #self: GatewayAddress;
  #faults: Faults;

  constructor(private readonly options: PartnerSimulatorOptions) {
    this.#self = GatewayAddress.parse({ gatewayId: options.partner.id, country: options.partner.country });
    this.#faults = options.faults;
    for (const { messageId, ...received } of options.journal?.received() ?? []) this.#received.set(messageId, received);
    this.#ledgerSize = this.#received.size;
    this.#owed = new OwedResponses({
      ...(options.journal === undefined ? {} : { journal: options.journal }),
      retry: options.retry ?? DEFAULT_RETRY,
      send: (step) => this.#send(step),
      random: options.random,
      log: (level, message, fields) => options.log(level, message, { partner: options.partner.id, ...fields }),
    });
  }

  /** Starts sending what the journal held from before this start; call once swx's exchange URL is known. */
  resumePending(): void {
    const count = this.#owed.resume();
    if (count > 0) this.#note('resuming business responses owed from before the restart', { count });
  }

  /** Changes the faults injected from the next request on (an outage starts or ends). */
  setFaults(faults: Faults): void {
    this.#faults = faults;
  }

  get url(): string {
    return this.#url;
  }

  get exchangeUrl(): string {
    return `${this.#url}/v1/exchange`;
  }

  get partnerId(): string {
    return this.options.partner.id;
  }

  stats(): SimulatorStats {
    return { ...this.#stats, ...(this.options.witness?.stats() ?? { checkpointsWitnessed: 0, ledgerInconsistencies: 0 }) };
  }

  /** The message ids received and receipted, in the order they first arrived. */
  receivedMessageIds(): string[] {
    return [...this.#received.keys()];
  }

  async listen(): Promise<void> {
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.get('/healthz', (c) => c.json({ status: 'ok', partner: this.options.partner.id }));
    app.post('/v1/exchange', async (c) => {
      const faults = this.#faults;
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      if (this.#roll(faults.dropRate)) {
        this.#note('fault: dropped the connection');
        c.env.incoming.socket.destroy();
        return new Response(null);
      }
      if (this.#roll(faults.errorRate)) {
        this.#note('fault: answered 503 without a receipt');
        return c.text('simulated outage', 503);
      }
      const body = await c.req.text();
      const { status, receipt } = this.#receive(body);
      const answer = this.#tamper(receipt);
      if (this.#roll(faults.slowBodyRate)) {
        this.#note('fault: the receipt trickles out one chunk a second');
        return new Response(trickle(answer), { status, headers: { 'content-type': 'application/xml' } });
      }
      return c.body(answer, status as 200, { 'content-type': 'application/xml' });
    });
    await new Promise<void>((resolve, reject) => {
      this.#server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: this.options.port ?? 0 }, (info: AddressInfo) => {
        this.#url = `http://127.0.0.1:${info.port}`;
        resolve();
      });
      // A port already in use must fail the start, not crash the process with an unhandled 'error'.
      this.#server.once('error', reject);
    });
  }

  async close(): Promise<void> {
    this.#owed.close();
    await this.#agent.destroy();
    await new Promise<void>((resolve) => {
      if (!this.#server) return resolve();
      this.#server.close(() => resolve());
      (this.#server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
  }

  /** Verifies and receipts one envelope; the same message id with the same bytes gets the same receipt. */
  #receive(envelope: string): Received {
    const digest = toBase64(this.options.sha256(new TextEncoder().encode(envelope)));
    let header: EnvelopeHeader | undefined;
    try {
      const parsed = readEnvelope(this.options.parseXml(envelope));
      header = parsed.header;
      const earlier = this.#received.get(header.messageId);
      if (earlier) {
        this.#stats.duplicates += 1;
        if (earlier.digest === digest) {
          this.#note('received again with the same bytes: same receipt', { messageId: header.messageId });
          return earlier;
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
      this.#ledgerSize += 1;
      const received: Received = { digest, status: 200, receipt: this.#receipt(header, digest, 'RECEIVED', []) };
      const owed = this.#owedFor(header, response, digest);
      // Journaled in one write before the receipt is answered: what a receipt promises survives a crash of this gateway.
      this.options.journal?.recordReceived({ messageId: header.messageId, ...received }, owed);
      this.#received.set(header.messageId, received);
      this.#stats.received += 1;
      this.#note('received', { messageId: header.messageId, documentType: header.documentType, action: header.action, from: header.from.gatewayId });
      if (owed) this.#owed.deliver(owed);
      return received;
    } catch (error) {
      if (!isCoreError(error)) throw error;
      return this.#reject(header, digest, error.code, error.message, 400);
    }
  }

  #reject(header: EnvelopeHeader | undefined, digest: string, code: CoreErrorCode, message: string, status: number): Received {
    this.#stats.rejected += 1;
    this.options.log('warn', 'simulator rejected an envelope', { partner: this.options.partner.id, code, message });
    return { digest, status, receipt: this.#receipt(header, digest, 'REJECTED', [{ code, message }]) };
  }

  #receipt(header: EnvelopeHeader | undefined, digest: string, status: 'RECEIVED' | 'REJECTED', errors: { code: string; message: string }[]): string {
    const { nsw } = this.options;
    return this.options.signer.signSync(
      writeReceipt({
        receiptId: this.options.ids.uuid(),
        ...(header === undefined ? {} : { messageId: header.messageId }),
        from: this.#self,
        to: header?.from ?? nsw.gateway,
        status,
        envelopeDigest: digest,
        ...(status === 'RECEIVED' ? { ledgerIndex: this.#ledgerSize - 1 } : {}),
        errors,
        createdAt: this.options.clock.now().toISOString(),
      }),
    );
  }

  /** Corrupts a receipt when a fault says so: a bad signature, or a receipt for another message. */
  #tamper(receipt: string): string {
    if (this.#roll(this.#faults.badSignatureRate)) {
      this.#note('fault: the receipt signature is corrupted');
      return receipt.replace(/<ds:SignatureValue>(.)/, (_, first: string) => `<ds:SignatureValue>${first === 'A' ? 'B' : 'A'}`);
    }
    if (this.#roll(this.#faults.wrongReceiptRate)) {
      this.#note('fault: the receipt names another message');
      return receipt.replace(/<MessageId>[^<]*<\/MessageId>/, `<MessageId>${this.options.ids.uuid()}</MessageId>`);
    }
    return receipt;
  }

  /** What it owes for a message: the business acknowledgement when the faults say so, then (unless it was a rejection) the business response. */
  #owedFor(header: EnvelopeHeader, response: BusinessResponse | undefined, digest: string): PendingResponse | undefined {
    const acknowledge = (header.action === 'SUBMIT' || header.action === 'CANCEL') && this.#roll(this.#faults.businessAckRate);
    const rejected = acknowledge && this.#roll(this.#faults.businessRejectRate);
    const now = this.options.clock.now().getTime();
    const steps: OwedEnvelope[] = [];
    if (acknowledge) steps.push(this.#owe(header, header.documentType, 'ACKNOWLEDGE', this.#acknowledgement(header, digest, rejected), now));
    if (response && !rejected)
      steps.push(this.#owe(header, response.documentType, response.action, response.bodyXml, now + this.#faults.responseDelayMs));
    return steps.length > 0 ? { id: this.options.ids.uuid(), steps } : undefined;
  }

  /** A business acknowledgement's Body: this gateway's receipt/1 Receipt of the message (the envelope carrying it is signed). */
  #acknowledgement(header: EnvelopeHeader, digest: string, rejected: boolean): string {
    return writeReceipt({
      receiptId: this.options.ids.uuid(),
      messageId: header.messageId,
      from: this.#self,
      to: header.from,
      status: rejected ? 'REJECTED' : 'RECEIVED',
      envelopeDigest: digest,
      ledgerIndex: this.#ledgerSize - 1,
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
    return { documentType, refToMessageId: inReplyTo.messageId, notBefore, envelope };
  }

  /** Sends one owed envelope; resolves once swx answered with a receipt (received or rejected), throws otherwise. */
  async #send(step: OwedEnvelope): Promise<void> {
    const { partner, nsw } = this.options;
    const answer = await request(nsw.exchangeUrl(), {
      method: 'POST',
      body: step.envelope,
      headers: { 'content-type': 'application/xml' },
      dispatcher: this.#agent,
    });
    const text = await answer.body.text();
    this.#stats.responsesSent += 1;
    const report = this.options.verifier.verify(text, nsw.certificatePem);
    const receipt = readReceipt(this.options.parseXml(text));
    if (report.outcome === 'VALID') await this.options.witness?.observe(receipt);
    if (report.outcome === 'VALID' && receipt.status === 'RECEIVED') {
      this.#stats.responsesAccepted += 1;
      this.#note('sent a business response', {
        messageId: receipt.messageId,
        documentType: step.documentType,
        refTo: step.refToMessageId,
        receipt: receipt.status,
      });
    } else
      this.options.log('warn', 'single window did not accept the simulated response', {
        partner: partner.id,
        status: answer.statusCode,
        errors: receipt.errors,
      });
  }

  /** One line per envelope and per fault, for `swx simulate` to show operators what happens. */
  #note(message: string, fields: Record<string, unknown> = {}): void {
    this.options.log('info', message, { partner: this.options.partner.id, ...fields });
  }

  #roll(rate: number): boolean {
    const hit = rate > 0 && this.options.random() < rate;
    if (hit) this.#stats.faultsInjected += 1;
    return hit;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A body that arrives in small chunks, one per second. */
function trickle(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const size = Math.max(1, Math.ceil(bytes.length / 4));
  let offset = 0;
  return new ReadableStream({
    async pull(controller) {
      if (offset >= bytes.length) return controller.close();
      if (offset > 0) await sleep(1_000);
      controller.enqueue(bytes.subarray(offset, offset + size));
      offset += size;
    },
  });
}
