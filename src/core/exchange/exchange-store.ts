import type { Certificate, CertificateDocumentType, CertificateStatus, CertificateUpdate } from '../certificate/certificate.js';
import type { ImportAssessment } from '../import-assessment/import-assessment.js';
import type { Channel, ChannelReason, Declaration, DeclarationStatus, TimelineStep } from '../declaration/declaration.js';
import type { JsonObject, LedgerEntry, LedgerEvent } from '../ledger/entry.js';

/** A signed envelope sent to or received from a partner gateway, kept byte for byte. */
export interface ExchangeMessage {
  readonly messageId: string;
  readonly direction: 'OUT' | 'IN';
  readonly partnerId: string;
  readonly documentType: string;
  readonly conversationId: string;
  readonly refTo: string | undefined;
  readonly declarationId: string | undefined;
  readonly envelope: string;
  /** Base64 SHA-256 of the envelope's bytes. */
  readonly digest: string;
  readonly receipt: string | undefined;
  readonly ledgerIndex: number | undefined;
  readonly createdAt: string;
}

/** Where an outbound message stands in the outbox. */
export type OutboxState = 'PENDING' | 'DELIVERED' | 'REJECTED' | 'DEAD_LETTER';

/** A message waiting in (or done with) the outbox. */
export interface OutboxItem {
  readonly messageId: string;
  readonly partnerId: string;
  readonly state: OutboxState;
  readonly attempts: number;
  /** Epoch milliseconds. */
  readonly nextAttemptAt: number;
  readonly lastError: string | undefined;
  /** When its retry budget started (epoch ms): when it was queued, or last re-driven. */
  readonly budgetStartedAt: number;
  /**
   * The id of the HTTP request that queued it (its X-Request-Id), which every delivery attempt sends as X-Request-Id;
   * absent when no request did (a timer, an inbound envelope): deliveries then send the message id (requestIdOf).
   */
  readonly requestId?: string;
}

/**
 * A ledger event to append, with its links: the declaration whose timeline it joins, the message it concerns, the
 * message stored with its ledger index (`records`), and the label under which the idempotency answer takes that index.
 */
export interface BoundEvent {
  readonly event: LedgerEvent;
  readonly declarationId?: string;
  readonly messageId?: string;
  /** A message recorded with this event's ledger index: the reception of an inbound one, the queuing of an outbound one. */
  readonly records?: ExchangeMessage;
  /** Names this event's ledger index for IdempotencyWrite.ledgerIndexes. */
  readonly label?: string;
}

/** An outbound message's outbox row, due from `notBefore` (epoch ms), queued by the request `requestId` if any. */
export interface OutboxEntry {
  readonly messageId: string;
  readonly partnerId: string;
  readonly notBefore: number;
  readonly requestId?: string;
}

/** A new state of an outbox message; `budgetStartedAt` only when the retry budget starts again (a re-drive). */
export type OutboxUpdate = Omit<OutboxItem, 'partnerId' | 'budgetStartedAt'> & { readonly budgetStartedAt?: number };

/**
 * The idempotency record of a request, as data: the answer to replay, whose `ledgerIndexes` fields take the ledger
 * index of the event with that label once it is appended (`{ ledgerIndex: 'accepted' }`).
 */
export interface IdempotencyWrite {
  readonly partyId: string;
  readonly key: string;
  readonly requestHash: string;
  readonly answer: JsonObject;
  readonly ledgerIndexes: Readonly<Record<string, string>>;
}

/**
 * Everything one step of the exchange changes, applied atomically: the ledger entries (each carrying the message
 * recorded with it), the declaration, receipts, the outbox, certificates, assessments and guards. Plain data, so it
 * can cross to another process or a Durable Object; built with ChangeBuilder (core/exchange/change-builder.ts).
 * Nothing acknowledged is ever half-written.
 */
export interface ExchangeChange {
  readonly events: readonly BoundEvent[];
  readonly insertDeclaration: Declaration | undefined;
  readonly updateDeclarations: readonly DeclarationUpdate[];
  readonly setReceipts: readonly { readonly messageId: string; readonly receipt: string }[];
  readonly enqueue: readonly OutboxEntry[];
  readonly updateOutbox: readonly OutboxUpdate[];
  readonly idempotency: IdempotencyWrite | undefined;
  /** Certificates received or issued (src/core/certificate/). */
  readonly insertCertificates: readonly Certificate[];
  readonly updateCertificates: readonly CertificateUpdate[];
  /** Import declarations' assessments, each replacing the earlier one; the document types still AWAITED are indexed. */
  readonly putAssessments: readonly ImportAssessment[];
  /** Each key must still be at the version read, else the commit fails with DOCUMENT_STATE_CONFLICT; each is moved on. */
  readonly guards: readonly DocumentGuard[];
}

/** An optimistic guard (import-assessment/read-guards.ts): the version of `key` read before deciding; 0 when it was never moved. */
export interface DocumentGuard {
  readonly key: string;
  readonly expectedVersion: number;
}

/**
 * A declaration's new status. With `expectedStatus`, the update applies only if the declaration still has
 * that status; otherwise the whole commit fails with DOCUMENT_STATE_CONFLICT (two officers deciding at once: one wins).
 */
export interface DeclarationUpdate {
  readonly id: string;
  readonly status: DeclarationStatus;
  readonly updatedAt: string;
  readonly expectedStatus?: DeclarationStatus;
  /** A new channel and its reasons, when reassessing changed them (an import's certificate arrived). */
  readonly channel?: Channel;
  readonly channelReasons?: readonly ChannelReason[];
}

/** The answer recorded for a party's Idempotency-Key, and the hash of the request it answered. */
export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly answer: unknown;
}

/** The exchange's storage: one SQL schema, driven by better-sqlite3 on Node and D1 / Durable Objects on Workers. */
export interface ExchangeStore {
  commit(change: ExchangeChange): Promise<readonly LedgerEntry[]>;
  nextDeclarationSequence(year: number): Promise<number>;
  findIdempotency(partyId: string, key: string): Promise<IdempotencyRecord | undefined>;
  getDeclaration(id: string): Promise<Declaration | undefined>;
  getTimeline(declarationId: string): Promise<readonly TimelineStep[]>;
  getMessage(messageId: string): Promise<ExchangeMessage | undefined>;
  getCertificate(id: string): Promise<Certificate | undefined>;
  /** Certificates of a type and direction with this reference number, from any issuing country unless one is given. */
  findCertificates(filter: {
    readonly documentType: CertificateDocumentType;
    readonly direction: 'IN' | 'OUT';
    readonly referenceNumber: string;
    readonly issuingCountry?: string;
  }): Promise<readonly Certificate[]>;
  /** Certificates of a type and direction in one of these statuses, oldest first (SPS requirements match them by content). */
  listCertificates(filter: {
    readonly documentType: CertificateDocumentType;
    readonly direction: 'IN' | 'OUT';
    readonly statuses: readonly CertificateStatus[];
  }): Promise<readonly Certificate[]>;
  /** Import declarations whose assessment names this certificate in a result, oldest first. */
  listDeclarationsRelyingOn(certificateId: string): Promise<readonly Declaration[]>;
  getAssessment(declarationId: string): Promise<ImportAssessment | undefined>;
  /** Declarations in AWAITING_DOCUMENTS that await a certificate of this type, oldest first. */
  listAwaitingDeclarations(documentType: CertificateDocumentType): Promise<readonly Declaration[]>;
  /** The current version of each guard key (0 for a key never moved). */
  guardVersions(keys: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** Messages whose RefToMessageId is this message (the partner's business responses to it), oldest first. */
  listReplies(messageId: string): Promise<readonly ExchangeMessage[]>;
  listMessages(declarationId: string): Promise<readonly ExchangeMessage[]>;
  /** One partner's PENDING messages due by `now`, longest due first: one window per partner, so none waits behind another. */
  dueOutbox(partnerId: string, now: number, limit: number): Promise<readonly OutboxItem[]>;
  /** One partner's PENDING messages whose retry budget started at or before `budgetStartedBy`, oldest budget first. */
  overdueOutbox(partnerId: string, budgetStartedBy: number, limit: number): Promise<readonly OutboxItem[]>;
  getOutbox(messageId: string): Promise<OutboxItem | undefined>;
  /** Outbox messages in a state, optionally of one partner, oldest first. */
  listOutbox(filter: { readonly state: OutboxState; readonly partnerId?: string; readonly limit: number }): Promise<readonly OutboxItem[]>;
  /** Per partner and state: how many messages, and when the last one changed. */
  outboxSummary(): Promise<readonly OutboxCount[]>;
}

/** How many of a partner's outbox messages are in a state, and when the last of them changed. */
export interface OutboxCount {
  readonly partnerId: string;
  readonly state: OutboxState;
  readonly count: number;
  readonly lastChangeAt: string | undefined;
}
