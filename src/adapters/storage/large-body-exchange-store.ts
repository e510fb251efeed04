import type { Certificate, CertificateDocumentType } from '../../core/certificate/certificate.js';
import type { Declaration, TimelineStep } from '../../core/declaration/declaration.js';
import { toHex } from '../../core/encoding.js';
import { CoreError } from '../../core/errors.js';
import type {
  BoundEvent,
  ExchangeChange,
  ExchangeMessage,
  ExchangeStore,
  IdempotencyRecord,
  OutboxCount,
  OutboxItem,
} from '../../core/exchange/exchange-store.js';
import type { ImportAssessment } from '../../core/import-assessment/import-assessment.js';
import type { LedgerEntry } from '../../core/ledger/entry.js';
import type { Sha256 } from '../../core/primitives.js';

/** Bodies kept apart from their rows, each under the lower-case hex SHA-256 of its bytes (R2 on Workers). */
export interface BodyStore {
  /** Stores `bytes` under `sha256`, their digest; storing the same bytes again changes nothing. */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  /** The bytes stored under `sha256`, or undefined when there are none. */
  get(sha256: string): Promise<Uint8Array | undefined>;
}

/** Bodies larger than this (UTF-8 bytes) leave the row: half a SQLite-backed Durable Object's 2 MB row, the rest for the row's other columns. */
export const DEFAULT_LARGE_BODY_BYTES = 1024 * 1024;

/** What an envelope column holds in place of a large envelope: never a well-formed XML document, so never an envelope. */
const ENVELOPE_REFERENCE = /^swx-body:sha256:([0-9a-f]{64})$/;
/** The key of the object a certificate's document column holds in place of a large document. */
const DOCUMENT_REFERENCE_KEY = 'swx-body:sha256';
/**
 * The most a declaration's document may take in its row: below the object's 2 MB per row, with room for the other
 * columns. Only 999 goods items whose descriptions are nearly all 512 four-byte characters come near it.
 */
export const MAX_DECLARATION_DOCUMENT_BYTES = 1_900_000;
/** A JavaScript string holds at most 3 UTF-8 bytes per UTF-16 code unit: shorter strings need no encoding to be measured. */
const MAX_UTF8_BYTES_PER_CODE_UNIT = 3;

/**
 * An ExchangeStore whose large bodies live in a BodyStore (R2 on Workers), because a row of a SQLite-backed Durable
 * Object holds at most 2 MB and a request may carry SWX_BODY_LIMIT_BYTES (5 MB). Before a commit, each envelope and
 * each certificate document over `largeBodyBytes` is stored under its SHA-256 (content-addressed: a retried or
 * duplicate commit stores the same object again, harmlessly), and the change carries a reference in its place; every
 * read resolves the reference, checking the digest, so callers see the body they committed. Ledger entries are not
 * touched: they already commit to the envelope's digest (envelopeDigest), not to its bytes.
 * Declarations stay in their rows (the clearance search reads them in SQL): one whose document would not fit is refused
 * PAYLOAD_TOO_LARGE (413) before anything is written, where the object alone would fail the commit.
 * @example const store: ExchangeStore = new LargeBodyExchangeStore(rpcStore, new R2BodyStore(env.BODIES), sha256)
 */
export class LargeBodyExchangeStore implements ExchangeStore {
  readonly #inner: ExchangeStore;
  readonly #bodies: BodyStore;
  readonly #sha256: Sha256;
  readonly #largeBodyBytes: number;

  constructor(inner: ExchangeStore, bodies: BodyStore, sha256: Sha256, options: { readonly largeBodyBytes?: number } = {}) {
    this.#inner = inner;
    this.#bodies = bodies;
    this.#sha256 = sha256;
    this.#largeBodyBytes = options.largeBodyBytes ?? DEFAULT_LARGE_BODY_BYTES;
  }

  /** Stores the change's large bodies, then commits the change with references in their place. */
  async commit(change: ExchangeChange): Promise<readonly LedgerEntry[]> {
    const declaration = change.insertDeclaration;
    if (declaration !== undefined) {
      const text = JSON.stringify(declaration.document);
      const size = text.length * MAX_UTF8_BYTES_PER_CODE_UNIT <= MAX_DECLARATION_DOCUMENT_BYTES ? 0 : new TextEncoder().encode(text).length;
      if (size > MAX_DECLARATION_DOCUMENT_BYTES) {
        throw new CoreError(
          'PAYLOAD_TOO_LARGE',
          `the declaration takes ${size} bytes stored, more than the ${MAX_DECLARATION_DOCUMENT_BYTES} a declaration may take on this deployment`,
        );
      }
    }
    const [events, insertCertificates] = await Promise.all([
      Promise.all(change.events.map((bound) => this.#offloadEnvelope(bound))),
      Promise.all(change.insertCertificates.map((certificate) => this.#offloadDocument(certificate))),
    ]);
    return this.#inner.commit({ ...change, events, insertCertificates });
  }

  async getMessage(messageId: string): Promise<ExchangeMessage | undefined> {
    const message = await this.#inner.getMessage(messageId);
    return message && this.#withEnvelope(message);
  }

  async listReplies(messageId: string): Promise<readonly ExchangeMessage[]> {
    return Promise.all((await this.#inner.listReplies(messageId)).map((message) => this.#withEnvelope(message)));
  }

  async listMessages(declarationId: string): Promise<readonly ExchangeMessage[]> {
    return Promise.all((await this.#inner.listMessages(declarationId)).map((message) => this.#withEnvelope(message)));
  }

  async getCertificate(id: string): Promise<Certificate | undefined> {
    const certificate = await this.#inner.getCertificate(id);
    return certificate && this.#withDocument(certificate);
  }

  async findCertificates(filter: Parameters<ExchangeStore['findCertificates']>[0]): Promise<readonly Certificate[]> {
    return Promise.all((await this.#inner.findCertificates(filter)).map((certificate) => this.#withDocument(certificate)));
  }

  async listCertificates(filter: Parameters<ExchangeStore['listCertificates']>[0]): Promise<readonly Certificate[]> {
    return Promise.all((await this.#inner.listCertificates(filter)).map((certificate) => this.#withDocument(certificate)));
  }

  nextDeclarationSequence(year: number): Promise<number> {
    return this.#inner.nextDeclarationSequence(year);
  }

  findIdempotency(partyId: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.#inner.findIdempotency(partyId, key);
  }

  getDeclaration(id: string): Promise<Declaration | undefined> {
    return this.#inner.getDeclaration(id);
  }

  getTimeline(declarationId: string): Promise<readonly TimelineStep[]> {
    return this.#inner.getTimeline(declarationId);
  }

  listDeclarationsRelyingOn(certificateId: string): Promise<readonly Declaration[]> {
    return this.#inner.listDeclarationsRelyingOn(certificateId);
  }

  getAssessment(declarationId: string): Promise<ImportAssessment | undefined> {
    return this.#inner.getAssessment(declarationId);
  }

  listAwaitingDeclarations(documentType: CertificateDocumentType): Promise<readonly Declaration[]> {
    return this.#inner.listAwaitingDeclarations(documentType);
  }

  guardVersions(keys: readonly string[]): Promise<ReadonlyMap<string, number>> {
    return this.#inner.guardVersions(keys);
  }

  dueOutbox(partnerId: string, now: number, limit: number): Promise<readonly OutboxItem[]> {
    return this.#inner.dueOutbox(partnerId, now, limit);
  }

  overdueOutbox(partnerId: string, budgetStartedBy: number, limit: number): Promise<readonly OutboxItem[]> {
    return this.#inner.overdueOutbox(partnerId, budgetStartedBy, limit);
  }

  getOutbox(messageId: string): Promise<OutboxItem | undefined> {
    return this.#inner.getOutbox(messageId);
  }

  listOutbox(filter: Parameters<ExchangeStore['listOutbox']>[0]): Promise<readonly OutboxItem[]> {
    return this.#inner.listOutbox(filter);
  }

  outboxSummary(): Promise<readonly OutboxCount[]> {
    return this.#inner.outboxSummary();
  }

  async #offloadEnvelope(bound: BoundEvent): Promise<BoundEvent> {
    const message = bound.records;
    if (message === undefined) return bound;
    const digest = await this.#offload(message.envelope);
    return digest === undefined ? bound : { ...bound, records: { ...message, envelope: `swx-body:sha256:${digest}` } };
  }

  async #offloadDocument(certificate: Certificate): Promise<Certificate> {
    const digest = await this.#offload(JSON.stringify(certificate.document));
    return digest === undefined ? certificate : { ...certificate, document: { [DOCUMENT_REFERENCE_KEY]: digest } };
  }

  /** Stores `text` when it is large, and answers its digest; answers undefined when it stays in the row. */
  async #offload(text: string): Promise<string | undefined> {
    if (text.length * MAX_UTF8_BYTES_PER_CODE_UNIT <= this.#largeBodyBytes) return undefined;
    const bytes = new TextEncoder().encode(text);
    if (bytes.length <= this.#largeBodyBytes) return undefined;
    const digest = toHex(this.#sha256(bytes));
    await this.#bodies.put(digest, bytes);
    return digest;
  }

  async #withEnvelope(message: ExchangeMessage): Promise<ExchangeMessage> {
    const digest = ENVELOPE_REFERENCE.exec(message.envelope)?.[1];
    return digest === undefined ? message : { ...message, envelope: await this.#body(digest, `message ${message.messageId}`) };
  }

  async #withDocument(certificate: Certificate): Promise<Certificate> {
    const document = certificate.document;
    if (typeof document !== 'object' || document === null || Object.keys(document).length !== 1) return certificate;
    const digest = (document as Record<string, unknown>)[DOCUMENT_REFERENCE_KEY];
    if (typeof digest !== 'string') return certificate;
    return { ...certificate, document: JSON.parse(await this.#body(digest, `certificate ${certificate.id}`)) as unknown };
  }

  /** The body stored under `digest`, refused unless its bytes still have that digest. */
  async #body(digest: string, of: string): Promise<string> {
    const bytes = await this.#bodies.get(digest);
    if (bytes === undefined) throw new Error(`the body of ${of} (SHA-256 ${digest}) is missing from the body store`);
    if (toHex(this.#sha256(bytes)) !== digest) throw new Error(`the body of ${of} no longer has its SHA-256 ${digest}`);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  }
}
