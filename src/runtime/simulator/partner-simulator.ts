import { type HttpBindings, serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { Agent, request } from 'undici';
import type { AddressInfo } from 'node:net';
import type { GatewayAddress } from '../../../message-schemas/envelope/1/schema.js';
import type { GatewayPartner } from '../../core/partner.js';
import type { Clock, IdGenerator, Sha256, XmlParser } from '../../core/primitives.js';
import type { SignatureVerifier } from '../../core/verify/signature-verifier.js';
import type { XmlDsigSigner } from '../../adapters/crypto/xmldsig-signer.js';
import type { Faults } from './faults.js';
import { MapGatewayMemory } from './gateway-memory.js';
import { JournaledGatewayMemory } from './journaled-gateway-memory.js';
import type { LedgerWitness } from './ledger-witness.js';
import { DEFAULT_RETRY, OwedResponses, type RetryPolicy } from './owed-responses.js';
import type { ResponseJournal } from './response-journal.js';
import { type GatewayStats, SimulatedGateway, type SimulatorLog } from './simulated-gateway.js';
import type { OwedEnvelope } from './simulator-records.js';

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
  readonly log: SimulatorLog;
  readonly port?: number;
  /** Checks the ledger checkpoint each receipt of the single window carries (the partner as a witness). */
  readonly witness?: LedgerWitness;
  /** Keeps what it received and what it owes across a crash (`<data>/simulators/<ID>/`); in memory only without one. */
  readonly journal?: ResponseJournal;
  /** How long it keeps retrying a response swx does not receipt (default: 10 minutes, backoff from 250 ms to 15 s). */
  readonly retry?: RetryPolicy;
}

/** What a simulated gateway saw, for operators and tests. */
export interface SimulatorStats extends GatewayStats {
  /** Checkpoints of swx's ledger checked, and checks failed (history rewritten), when the simulator is a witness. */
  readonly checkpointsWitnessed: number;
  readonly ledgerInconsistencies: number;
}

/**
 * A partner gateway played by swx itself (design.md 3.1), on a loopback port: the SimulatedGateway (verification,
 * receipts, business responses) served over HTTP, with the faults only a server can inject (latency, dropped
 * connections, outages, slow bodies), its owed responses journaled and sent to swx with retries (OwedResponses), and
 * the ledger witness.
 * @example const th = await startPartnerSimulator(options); console.log(th.url)
 */
export async function startPartnerSimulator(options: PartnerSimulatorOptions): Promise<PartnerSimulator> {
  const simulator = new PartnerSimulator(options);
  await simulator.listen();
  return simulator;
}

export class PartnerSimulator {
  readonly #gateway: SimulatedGateway;
  readonly #memory: MapGatewayMemory | JournaledGatewayMemory;
  readonly #owed: OwedResponses;
  /** options.log with `component: 'simulator'` and the partner's id on every line. */
  readonly #log: SimulatorLog;
  // Its own few connections to swx: hundreds of owed responses queue here instead of opening a connection each.
  readonly #agent = new Agent({ connections: 8 });
  #server: ServerType | undefined;
  #url = '';

  constructor(private readonly options: PartnerSimulatorOptions) {
    const { journal } = options;
    this.#memory = journal === undefined ? new MapGatewayMemory() : new JournaledGatewayMemory(journal);
    this.#log = (level, message, fields) => options.log(level, message, { component: 'simulator', partner: options.partner.id, ...fields });
    this.#gateway = new SimulatedGateway({ ...options, log: this.#log, memory: this.#memory });
    this.#owed = new OwedResponses({
      ...(journal === undefined ? {} : { journal }),
      retry: options.retry ?? DEFAULT_RETRY,
      send: (step) => this.#send(step),
      random: options.random,
      log: this.#log,
    });
  }

  /** Starts sending what the journal held from before this start; call once swx's exchange URL is known. */
  resumePending(): void {
    const count = this.#owed.resume();
    if (count > 0) this.#gateway.note('resuming business responses owed from before the restart', { count });
  }

  /** Changes the faults injected from the next request on (an outage starts or ends). */
  setFaults(faults: Faults): void {
    this.#gateway.setFaults(faults);
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
    return { ...this.#gateway.stats(), ...(this.options.witness?.stats() ?? { checkpointsWitnessed: 0, ledgerInconsistencies: 0 }) };
  }

  /** The message ids received and receipted, in the order they first arrived. */
  receivedMessageIds(): string[] {
    return this.#memory.messageIds();
  }

  async listen(): Promise<void> {
    const gateway = this.#gateway;
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.get('/healthz', (c) => c.json({ status: 'ok', partner: this.options.partner.id }));
    app.post('/v1/exchange', async (c) => {
      const faults = gateway.faults;
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      if (gateway.roll(faults.dropRate)) {
        gateway.note('fault: dropped the connection');
        c.env.incoming.socket.destroy();
        return new Response(null);
      }
      if (gateway.roll(faults.errorRate)) {
        gateway.note('fault: answered 503 without a receipt');
        return c.text('simulated outage', 503);
      }
      const { status, receipt, owed } = gateway.receive(await c.req.text());
      // swx names the delivery in X-Request-Id: the id of the request that queued it (else the message id), in its logs too.
      this.#log('info', 'envelope received', { status, requestId: c.req.header('x-request-id') });
      if (owed) this.#owed.deliver(owed);
      const answer = gateway.tamper(receipt);
      if (gateway.roll(faults.slowBodyRate)) {
        gateway.note('fault: the receipt trickles out one chunk a second');
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

  /** Sends one owed envelope; resolves once swx answered with a receipt (received or rejected), throws otherwise. */
  async #send(step: OwedEnvelope): Promise<void> {
    const answer = await request(this.options.nsw.exchangeUrl(), {
      method: 'POST',
      body: step.envelope,
      headers: { 'content-type': 'application/xml' },
      dispatcher: this.#agent,
    });
    const { receipt, verified } = this.#gateway.openAnswer(step, answer.statusCode, await answer.body.text());
    if (verified) await this.options.witness?.observe(receipt);
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
