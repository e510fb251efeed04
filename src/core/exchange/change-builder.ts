import type { Certificate, CertificateUpdate } from '../certificate/certificate.js';
import type { ImportAssessment } from '../import-assessment/import-assessment.js';
import type { Declaration } from '../declaration/declaration.js';
import { CoreError } from '../errors.js';
import type { JsonObject, LedgerEvent } from '../ledger/entry.js';
import type {
  BoundEvent,
  DeclarationUpdate,
  DocumentGuard,
  ExchangeChange,
  ExchangeMessage,
  IdempotencyWrite,
  OutboxEntry,
  OutboxUpdate,
} from './exchange-store.js';
import type { SealedMessage } from './seal-outbound-message.js';

/** What a ledger event is tied to (BoundEvent without the event). */
export type EventLinks = Omit<BoundEvent, 'event'>;

/**
 * Builds one ExchangeChange, part by part, in the order things happen. Each event carries its own links (the message
 * recorded with its ledger index, the label the idempotency answer names it by), so parts built apart join by
 * `include` without renumbering anything.
 * @example
 * const change = new ChangeBuilder()
 *   .event(accepted, { declarationId: id, label: 'accepted' })
 *   .queue(sealed, { declarationId: id, notBefore: now })
 *   .insertDeclaration(declaration)
 *   .build()
 */
export class ChangeBuilder {
  readonly #events: BoundEvent[] = [];
  #insertDeclaration: Declaration | undefined;
  readonly #updateDeclarations: DeclarationUpdate[] = [];
  readonly #setReceipts: { readonly messageId: string; readonly receipt: string }[] = [];
  readonly #enqueue: OutboxEntry[] = [];
  #requestId: string | undefined;
  readonly #updateOutbox: OutboxUpdate[] = [];
  #idempotency: IdempotencyWrite | undefined;
  readonly #insertCertificates: Certificate[] = [];
  readonly #updateCertificates: CertificateUpdate[] = [];
  readonly #putAssessments: ImportAssessment[] = [];
  readonly #guards = new Map<string, DocumentGuard>();

  /** Appends a ledger event with its links. */
  event(event: LedgerEvent, links: EventLinks = {}): this {
    this.#events.push({ event, ...links });
    return this;
  }

  /** Records a message received: its reception event carries it, stored with that event's ledger index. */
  receive(event: LedgerEvent, message: ExchangeMessage, links: Omit<EventLinks, 'records' | 'messageId'> = {}): this {
    return this.event(event, { ...links, messageId: message.messageId, records: message });
  }

  /**
   * Queues a sealed outbound message: DOCUMENT_SIGNED, then MESSAGE_QUEUED carrying the message, both about it (and
   * in the declaration's timeline when one is given), and its outbox row due from `notBefore` (epoch ms).
   */
  queue(sealed: SealedMessage, options: { readonly notBefore: number; readonly declarationId?: string | undefined }): this {
    const { message } = sealed;
    const links: EventLinks =
      options.declarationId === undefined ? { messageId: message.messageId } : { messageId: message.messageId, declarationId: options.declarationId };
    const [signed, queued] = sealed.events;
    this.event(signed, links).event(queued, { ...links, records: message });
    this.#enqueue.push({ messageId: message.messageId, partnerId: message.partnerId, notBefore: options.notBefore });
    return this;
  }

  /**
   * Names the HTTP request (its X-Request-Id) this change answers: every message the change queues, its included parts'
   * too, keeps it in the outbox, and its deliveries send it as X-Request-Id. Undefined (no request) changes nothing.
   */
  requestedBy(requestId: string | undefined): this {
    this.#requestId = requestId;
    return this;
  }

  insertDeclaration(declaration: Declaration): this {
    if (this.#insertDeclaration !== undefined) throw new CoreError('INTERNAL', 'one change inserts one declaration');
    this.#insertDeclaration = declaration;
    return this;
  }

  /** The declaration the change inserts, if any. */
  declaration(): Declaration | undefined {
    return this.#insertDeclaration;
  }

  updateDeclaration(update: DeclarationUpdate): this {
    this.#updateDeclarations.push(update);
    return this;
  }

  setReceipt(messageId: string, receipt: string): this {
    this.#setReceipts.push({ messageId, receipt });
    return this;
  }

  updateOutbox(update: OutboxUpdate): this {
    this.#updateOutbox.push(update);
    return this;
  }

  insertCertificate(certificate: Certificate): this {
    this.#insertCertificates.push(certificate);
    return this;
  }

  updateCertificate(update: CertificateUpdate): this {
    this.#updateCertificates.push(update);
    return this;
  }

  updateCertificates(updates: readonly CertificateUpdate[]): this {
    this.#updateCertificates.push(...updates);
    return this;
  }

  putAssessment(assessment: ImportAssessment): this {
    this.#putAssessments.push(assessment);
    return this;
  }

  /** Adds guards, one per key: the version read first is kept, so a move between two reads fails the commit. */
  guard(guards: readonly DocumentGuard[]): this {
    for (const guard of guards) if (!this.#guards.has(guard.key)) this.#guards.set(guard.key, guard);
    return this;
  }

  /**
   * Stores the request's idempotency record with the change: `answer`, with each field of `ledgerIndexes` set to the
   * ledger index of the event labelled so. Throws INTERNAL for a label no event of the change carries.
   */
  answerIdempotently(idempotency: IdempotencyWrite): this {
    if (this.#idempotency !== undefined) throw new CoreError('INTERNAL', 'one change answers one request');
    this.#idempotency = idempotency;
    return this;
  }

  /** Appends another change's parts after this one's: its events after these, each with its own links. */
  include(change: ExchangeChange | undefined): this {
    if (change === undefined) return this;
    this.#events.push(...change.events);
    if (change.insertDeclaration !== undefined) this.insertDeclaration(change.insertDeclaration);
    this.#updateDeclarations.push(...change.updateDeclarations);
    this.#setReceipts.push(...change.setReceipts);
    this.#enqueue.push(...change.enqueue);
    this.#updateOutbox.push(...change.updateOutbox);
    if (change.idempotency !== undefined) this.answerIdempotently(change.idempotency);
    this.#insertCertificates.push(...change.insertCertificates);
    this.#updateCertificates.push(...change.updateCertificates);
    this.#putAssessments.push(...change.putAssessments);
    return this.guard(change.guards);
  }

  build(): ExchangeChange {
    const labels = new Set(this.#events.flatMap((bound) => (bound.label === undefined ? [] : [bound.label])));
    for (const label of Object.values(this.#idempotency?.ledgerIndexes ?? {})) {
      if (!labels.has(label))
        throw new CoreError('INTERNAL', `the idempotency answer names an event labelled ${label} that the change does not hold`);
    }
    return {
      events: [...this.#events],
      insertDeclaration: this.#insertDeclaration,
      updateDeclarations: [...this.#updateDeclarations],
      setReceipts: [...this.#setReceipts],
      enqueue: this.#enqueue.map((entry) => {
        const requestId = entry.requestId ?? this.#requestId;
        return requestId === undefined ? entry : { ...entry, requestId };
      }),
      updateOutbox: [...this.#updateOutbox],
      idempotency: this.#idempotency,
      insertCertificates: [...this.#insertCertificates],
      updateCertificates: [...this.#updateCertificates],
      putAssessments: [...this.#putAssessments],
      guards: [...this.#guards.values()],
    };
  }
}

/**
 * The ledger index the event labelled `label` got, from the entries a commit of `change` returned (in event order).
 * @example const ledgerIndex = findLedgerIndex(change, await store.commit(change), 'accepted')
 */
export function findLedgerIndex(change: ExchangeChange, entries: readonly { readonly index: number }[], label: string): number {
  const position = change.events.findIndex((bound) => bound.label === label);
  const entry = entries[position];
  if (position < 0 || entry === undefined) throw new CoreError('INTERNAL', `no ledger entry for the event labelled ${label}`);
  return entry.index;
}

/**
 * The idempotency answer to store: the change's answer with its `ledgerIndexes` fields filled from the entries
 * (store adapters call it inside the commit).
 * @example JSON.stringify(buildIdempotencyAnswer(change.idempotency, change, entries))
 */
export function buildIdempotencyAnswer(
  idempotency: IdempotencyWrite,
  change: ExchangeChange,
  entries: readonly { readonly index: number }[],
): JsonObject {
  const filled: Record<string, number> = {};
  for (const [field, label] of Object.entries(idempotency.ledgerIndexes)) filled[field] = findLedgerIndex(change, entries, label);
  return { ...idempotency.answer, ...filled };
}
