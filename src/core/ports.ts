import type { ApiKey } from './auth/api-key.js';
import type { ParsedXml } from './xml/parsed-xml.js';
import type { Channel, ChannelReason, Declaration, DeclarationStatus, TimelineStep } from './declaration/declaration.js';
import type { Certificate, CertificateDocumentType, CertificateStatus, CertificateUpdate } from './certificate/certificate.js';
import type { ImportAssessment } from './certificate/import-assessment.js';
import type { SignedCheckpoint } from './ledger/checkpoint.js';
import type { JsonObject, LedgerEntry, LedgerEvent } from './ledger/entry.js';
import type { TreeNode } from './ledger/merkle.js';
import type { ClearanceFilter, ClearanceSummary } from './clearance/clearance-search.js';
import type { MessageFilter, MessageSummary } from './exchange/message-search.js';
import type { MessageCount, Release } from './report/exchange-report.js';
import type { Period } from './report/period.js';
import type { GatewayPartner, Partner } from './partner.js';
import type { VerificationReport } from './verify/verification-report.js';
import type { SignedXmlVerification } from './verify/signed-xml-verification.js';
import type { SignatureVerifyOptions } from './verify/signature-profiles.js';

/**
 * The ports: what the core needs from the outside world, named by role.
 * Adapters in src/adapters satisfy them by type (`const store: LedgerStore = new SqliteLedgerStore(db)`).
 */

/** The time, injected so tests and replays control it. */
export interface Clock {
  now(): Date;
}

/** Fresh identifiers (UUID v4 on every runtime). */
export interface IdGenerator {
  uuid(): string;
}

/**
 * SHA-256, synchronous: node:crypto on Node, node:crypto under nodejs_compat on Workers. It must not keep `data`:
 * callers reuse the input buffer for the next hash.
 */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/**
 * Signs an XML document swx generated itself (already in exclusive-C14N form, see core/xml/canonical-writer.ts)
 * with an enveloped XML-DSig signature appended as the last child of the root. Every signature swx makes goes
 * through it; async so that an adapter can sign off the request thread (a worker pool on Node).
 */
export interface XmlSigner {
  readonly certificatePem: string;
  sign(canonicalXml: string): Promise<string>;
}

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

/** An outbound message's outbox row, due from `notBefore` (epoch ms). */
export interface OutboxEntry {
  readonly messageId: string;
  readonly partnerId: string;
  readonly notBefore: number;
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

/** An optimistic guard (certificate/guards.ts): the version of `key` read before deciding; 0 when it was never moved. */
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

export interface OutboxCount {
  readonly partnerId: string;
  readonly state: OutboxState;
  readonly count: number;
  readonly lastChangeAt: string | undefined;
}

/** A partner gateway's delivery circuit as the delivering process recorded it at its last change. */
export interface PartnerCircuitRecord {
  readonly partnerId: string;
  readonly state: 'CLOSED' | 'OPEN' | 'HALF_OPEN';
  readonly consecutiveFailures: number;
  /** While open: when it opened, and from when it lets one probe through (ISO 8601). */
  readonly openedAt: string | undefined;
  readonly probeAt: string | undefined;
  readonly lastFailureAt: string | undefined;
  readonly lastError: string | undefined;
  readonly recordedAt: string;
}

/**
 * Where the delivering process records each partner's circuit as it changes, so that other processes
 * (`swx partners list`) can show it. Only the delivering process writes.
 * @example await circuits.save({ partnerId: 'TH', state: 'OPEN', consecutiveFailures: 5, ... })
 */
export interface PartnerCircuitLog {
  /** Replaces every record: all circuits closed when a delivering process starts, none when it stops. */
  reset(records: readonly PartnerCircuitRecord[]): Promise<void>;
  save(record: PartnerCircuitRecord): Promise<void>;
  list(): Promise<readonly PartnerCircuitRecord[]>;
}

/** Officers' list of exchanged messages (`GET /v1/messages`): read-only, newest first. */
export interface MessageQueries {
  /** Up to `filter.limit` messages matching the filter, after `filter.after`, by creation time then message id, descending. */
  search(filter: MessageFilter): Promise<readonly MessageSummary[]>;
}

/** What a partner gateway answered over HTTP. */
export interface TransportAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * Carries a signed envelope to a partner gateway's exchange endpoint. Resolves with whatever HTTP answer came back;
 * rejects with CoreError('DELIVERY_FAILED') when none did (refused, reset, timed out).
 */
export interface PartnerTransport {
  post(
    endpoint: string,
    envelope: string,
    timeouts: { readonly connectMs: number; readonly responseMs: number },
  ): Promise<TransportAnswer>;
  close(): Promise<void>;
}

/**
 * What a partner gateway's certificate must be checked against, taken from its partner file, never from
 * the envelope's KeyInfo (design.md 3.4): the pinned gateway certificate, its country root and that root's
 * revocation list (PEM).
 */
export interface PartnerTrust {
  readonly certificatePem: string;
  readonly rootCertificatePem: string;
  readonly crlPem?: string;
  /** The certificates of the partner country's NPPO (plant protection), which sign the ePhytos it issues. */
  readonly nppoCertificatePems?: readonly string[];
}

/**
 * The parties of partners/ (design.md 3.6), validated at start. A gateway's id is its country code, so
 * `gatewayFor(id)` also finds a gateway by id.
 * @example const th = partners.gatewayFor('TH'); if (th?.state === 'live') partners.trustFor('TH')
 */
export interface PartnerDirectory {
  get(id: string): Partner | undefined;
  list(): readonly Partner[];
  gatewayFor(country: string): GatewayPartner | undefined;
  /** Throws CoreError UNKNOWN_PARTNER for an unknown id, CERTIFICATE_UNTRUSTED for a party with no trust material. */
  trustFor(id: string): PartnerTrust;
}

/**
 * Checks a certificate presented by a partner (PEM, or the base64 DER of a KeyInfo X509Certificate) against
 * that partner's trust at a given time: pinned, chain to the country root, validity period, revocation.
 * Never throws; a check that cannot be carried out is an ERROR check.
 */
export interface CertificateVerifier {
  verify(certificate: string, trust: PartnerTrust, at: Date): VerificationReport;
}

/** Random bytes from a cryptographically secure source (crypto.getRandomValues on every runtime). */
export type RandomBytes = (length: number) => Uint8Array;

/** API keys, looked up by the hash of their bearer token. */
export interface ApiKeyStore {
  /** Inserts the key, or replaces the one with the same id (the bootstrap admin, on each start). */
  save(key: ApiKey): Promise<void>;
  /** The key with this token hash, revoked or not. */
  findByTokenHash(tokenHash: string): Promise<ApiKey | undefined>;
  /** Every key, oldest first. */
  list(): Promise<readonly ApiKey[]>;
  /** Marks the key revoked (keeping an earlier revocation time); false when there is no such key. */
  revoke(id: string, revokedAt: string): Promise<boolean>;
}

/** Operational metrics, rendered in the Prometheus text format on `GET /metrics`. */
export interface Metrics {
  /** The Content-Type of `render()`'s output. */
  readonly contentType: string;
  render(): Promise<string>;
  observeHttpRequest(sample: { method: string; route: string; status: number; seconds: number }): void;
}

/** Parses XML with swx's one frozen, hardened configuration (no DTD, no entities, text never coerced). */
export type XmlParser = (text: string) => ParsedXml;

/**
 * Verifies a signed XML document under swx's strict signature profile (one enveloped signature over the
 * whole document, in one of the standard profiles `options.profiles` allows) with a certificate swx chose, never
 * the one in KeyInfo. When VALID, `signedXml` holds the bytes the signature covers: process those, not the received
 * text; a signature inside the business document is checked with `options.payloadCertificates` (`payloadSignature`).
 */
export interface SignatureVerifier {
  verify(xml: string, certificatePem: string, options?: SignatureVerifyOptions): SignedXmlVerification;
}

/**
 * Signs C2SP signed notes (ledger checkpoints) with the checkpoint key: Ed25519, separate from the
 * document-signing key. `keyId` is the uint32 of signed-note.ts computeNoteKeyId.
 */
export interface NoteSigner {
  readonly keyName: string;
  readonly keyId: number;
  sign(message: Uint8Array): Uint8Array;
}

/** Checks one named key's Ed25519 signature over a signed note's text. */
export interface NoteVerifier {
  readonly keyName: string;
  readonly keyId: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/**
 * The exchange ledger's storage: an append-only log of entries, the hashes of the perfect subtrees of its
 * RFC 9162 Merkle tree (so proofs never rehash the log), and its signed checkpoints. Async so that D1 and
 * Durable Object storage can satisfy it; the SQLite adapter also appends synchronously inside other stores'
 * transactions.
 */
export interface LedgerStore {
  /** Appends events in order, atomically, and returns them as entries with their index and leaf hash. */
  append(events: readonly LedgerEvent[]): Promise<LedgerEntry[]>;
  /** The number of entries (the current tree size). */
  size(): Promise<number>;
  /** Entries with start <= index < end, in order. */
  entries(start: number, end: number): Promise<LedgerEntry[]>;
  /** Stored hashes of perfect subtrees (level 0: leaf hashes), in the order asked; LEDGER_INCONSISTENT if one is missing. */
  subtreeHashes(nodes: readonly TreeNode[]): Promise<Uint8Array[]>;
  /** Keeps a signed checkpoint; signing the same tree size again is a no-op. */
  saveCheckpoint(checkpoint: SignedCheckpoint): Promise<void>;
  /** The checkpoint with the largest tree size, if any was signed. */
  latestCheckpoint(): Promise<SignedCheckpoint | undefined>;
  /** The first checkpoint whose tree includes entry `index`, if one was signed yet. */
  checkpointCovering(index: number): Promise<SignedCheckpoint | undefined>;
}

/** Signed ledger checkpoints for receipts, which carry the checkpoint that includes their entry. */
export interface CheckpointIssuer {
  /**
   * A signed checkpoint whose tree includes entry `index`: the latest one when it does, else one signed at once for
   * the ledger's current size (at most one per tree size). Undefined when the log refuses to sign because its
   * stored tree no longer matches a checkpoint it signed (LEDGER_INCONSISTENT, reported by the issuer).
   */
  covering(index: number): Promise<SignedCheckpoint | undefined>;
  /** The newest checkpoint signed, stored yet or not (GET /v1/ledger/checkpoint). */
  latest(): Promise<SignedCheckpoint | undefined>;
}

/** Officers' search over declarations (`GET /v1/clearances`): read-only, newest first. */
export interface ClearanceQueries {
  /** Up to `filter.limit` declarations matching the filter, after `filter.after`, by submission time then id, descending. */
  search(filter: ClearanceFilter): Promise<readonly ClearanceSummary[]>;
}

/** The raw figures of the MIS report (`GET /v1/reports/exchange`) for a period. */
export interface ExchangeReportQueries {
  /** Messages created in the period (outbound by outbox state, inbound accepted) and inbound envelopes refused in it. */
  messageCounts(period: Period): Promise<readonly MessageCount[]>;
  /** Declarations whose release was recorded in the period. */
  releases(period: Period): Promise<readonly Release[]>;
}
