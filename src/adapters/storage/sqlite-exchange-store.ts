import type { Certificate, CertificateDocumentType } from '../../core/certificate/certificate.js';
import type { ImportAssessment } from '../../core/import-assessment/import-assessment.js';
import type { Declaration, TimelineStep } from '../../core/declaration/declaration.js';
import { CoreError } from '../../core/errors.js';
import { buildIdempotencyAnswer } from '../../core/exchange/change-builder.js';
import type { LedgerEntry } from '../../core/ledger/entry.js';
import type {
  ExchangeChange,
  ExchangeMessage,
  ExchangeStore,
  IdempotencyRecord,
  OutboxCount,
  OutboxItem,
} from '../../core/exchange/exchange-store.js';
import type { SqlDatabase } from './sql-database.js';
import { SqliteCertificateTables } from './sqlite-certificate-tables.js';
import { SqliteDeclarationSequence } from './sqlite-declaration-sequence.js';
import { SqliteGroupCommit, type WriteDurability } from './sqlite-group-commit.js';
import type { SqliteLedgerStore } from './sqlite-ledger-store.js';

interface DeclarationRow {
  id: string;
  declaration_number: string;
  kind: Declaration['kind'];
  party_id: string;
  status: Declaration['status'];
  channel: Declaration['channel'];
  channel_reasons: string;
  partner_id: string | null;
  document: string;
  created_at: string;
  updated_at: string;
}

interface MessageRow {
  message_id: string;
  direction: 'OUT' | 'IN';
  partner_id: string;
  document_type: string;
  conversation_id: string;
  ref_to: string | null;
  declaration_id: string | null;
  envelope: string;
  digest: string;
  receipt: string | null;
  ledger_index: number | null;
  created_at: string;
}

interface OutboxRow {
  message_id: string;
  partner_id: string;
  state: OutboxItem['state'];
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  budget_started_at: number;
  request_id: string | null;
}

const OUTBOX_COLUMNS = 'message_id, partner_id, state, attempts, next_attempt_at, last_error, budget_started_at, request_id';

/**
 * The exchange's tables in SQLite (through the SQL port, sql-database.ts). A commit is one SQLite transaction that also appends the
 * ledger entries, so a declaration, its outbox message and their ledger entries exist together or not at all.
 * @example const store: ExchangeStore = new SqliteExchangeStore(db, new SqliteLedgerStore(db))
 */
export class SqliteExchangeStore implements ExchangeStore {
  readonly #db: SqlDatabase;
  readonly #ledger: SqliteLedgerStore;
  readonly #statements;

  readonly #onCommit: () => void;
  readonly #durability: WriteDurability | undefined;
  readonly #group: SqliteGroupCommit<ExchangeChange, readonly LedgerEntry[]>;
  readonly #sequence: SqliteDeclarationSequence;
  readonly #certificates: SqliteCertificateTables;

  /**
   * `onCommit` runs after each successful commit (the runtime signs a checkpoint soon after). With a `durability`
   * (sqlite-wal-sync.ts), commits are synced off the calling thread, and the outbox's due messages are answered only
   * once they are on disk, so no message leaves before its commit is durable.
   */
  constructor(db: SqlDatabase, ledger: SqliteLedgerStore, onCommit: () => void = () => undefined, durability?: WriteDurability) {
    this.#db = db;
    this.#ledger = ledger;
    this.#onCommit = onCommit;
    this.#durability = durability;
    this.#group = new SqliteGroupCommit(db, (change: ExchangeChange) => this.#apply(change), {
      onCommit,
      ...(durability === undefined ? {} : { durability }),
    });
    this.#sequence = new SqliteDeclarationSequence(db);
    this.#certificates = new SqliteCertificateTables(db);
    this.#statements = {
      insertDeclaration: db.prepare(
        `INSERT INTO declarations (id, declaration_number, kind, party_id, status, channel, channel_reasons, partner_id, document, created_at, updated_at)
         VALUES (@id, @declarationNumber, @kind, @partyId, @status, @channel, @channelReasons, @partnerId, @document, @createdAt, @updatedAt)`,
      ),
      updateDeclaration: db.prepare(
        `UPDATE declarations SET status = ?, channel = COALESCE(?, channel), channel_reasons = COALESCE(?, channel_reasons), updated_at = ?
         WHERE id = ? AND (? IS NULL OR status = ?)`,
      ),
      insertTimeline: db.prepare(
        'INSERT INTO declaration_timeline (declaration_id, ledger_index, type, at, message_id, detail) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      hasMessage: db.prepare('SELECT 1 FROM messages WHERE message_id = ?'),
      insertMessage: db.prepare(
        `INSERT INTO messages (message_id, direction, partner_id, document_type, conversation_id, ref_to, declaration_id, envelope, digest, receipt, ledger_index, created_at)
         VALUES (@messageId, @direction, @partnerId, @documentType, @conversationId, @refTo, @declarationId, @envelope, @digest, @receipt, @ledgerIndex, @createdAt)`,
      ),
      setReceipt: db.prepare('UPDATE messages SET receipt = ? WHERE message_id = ?'),
      enqueue: db.prepare(
        `INSERT INTO outbox (message_id, partner_id, state, attempts, next_attempt_at, budget_started_at, created_at, updated_at, request_id)
         VALUES (?, ?, 'PENDING', 0, ?, ?, ?, ?, ?)`,
      ),
      updateOutbox: db.prepare(
        `UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ?,
           delivered_at = CASE WHEN ? = 'DELIVERED' THEN ? ELSE delivered_at END,
           budget_started_at = COALESCE(?, budget_started_at)
         WHERE message_id = ?`,
      ),
      insertIdempotency: db.prepare(
        'INSERT INTO idempotency_keys (party_id, key, request_hash, status, response, created_at) VALUES (?, ?, ?, 202, ?, ?)',
      ),
      findIdempotency: db.prepare('SELECT request_hash, response FROM idempotency_keys WHERE party_id = ? AND key = ?'),
      getDeclaration: db.prepare('SELECT * FROM declarations WHERE id = ?'),
      getTimeline: db.prepare('SELECT * FROM declaration_timeline WHERE declaration_id = ? ORDER BY ledger_index'),
      getMessage: db.prepare('SELECT * FROM messages WHERE message_id = ?'),
      listMessages: db.prepare('SELECT * FROM messages WHERE declaration_id = ? ORDER BY created_at, message_id'),
      // Both read the partial indexes of migration 0010 (outbox_pending_due, outbox_pending_budget).
      dueOutbox: db.prepare(
        `SELECT ${OUTBOX_COLUMNS} FROM outbox
         WHERE state = 'PENDING' AND partner_id = ? AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
      ),
      overdueOutbox: db.prepare(
        `SELECT ${OUTBOX_COLUMNS} FROM outbox
         WHERE state = 'PENDING' AND partner_id = ? AND budget_started_at <= ? ORDER BY budget_started_at LIMIT ?`,
      ),
      listOutbox: db.prepare(
        `SELECT ${OUTBOX_COLUMNS} FROM outbox
         WHERE state = ? AND (? IS NULL OR partner_id = ?) ORDER BY created_at, message_id LIMIT ?`,
      ),
      outboxSummary: db.prepare(
        `SELECT partner_id, state, COUNT(*) AS count, MAX(updated_at) AS last_change_at
         FROM outbox GROUP BY partner_id, state ORDER BY partner_id, state`,
      ),
      getOutbox: db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE message_id = ?`),
    };
  }

  /** Joins the next group commit (sqlite-group-commit.ts): resolves once the transaction holding the change is durable. */
  commit(change: ExchangeChange): Promise<readonly LedgerEntry[]> {
    return this.#group.submit(change);
  }

  /** The synchronous commit, for callers already inside a transaction of the same database. */
  commitSync(change: ExchangeChange): readonly LedgerEntry[] {
    const entries = this.#db.transaction(() => this.#apply(change))();
    this.#onCommit();
    return entries;
  }

  #apply(change: ExchangeChange): readonly LedgerEntry[] {
    const s = this.#statements;
    const declaration = change.insertDeclaration;
    if (declaration) {
      s.insertDeclaration.run({
        ...declaration,
        partnerId: declaration.partnerId ?? null,
        channelReasons: JSON.stringify(declaration.channelReasons),
        document: JSON.stringify(declaration.document),
      });
    }
    for (const { id, status, updatedAt, expectedStatus, channel, channelReasons } of change.updateDeclarations) {
      const reasons = channelReasons === undefined ? null : JSON.stringify(channelReasons);
      const updated = s.updateDeclaration.run(status, channel ?? null, reasons, updatedAt, id, expectedStatus ?? null, expectedStatus ?? null);
      if (updated.changes === 0) {
        throw new CoreError('DOCUMENT_STATE_CONFLICT', `declaration ${id} is no longer ${expectedStatus ?? 'there'}`);
      }
    }
    this.#certificates.apply(change);
    const entries = this.#ledger.appendSync(change.events.map((bound) => bound.event));
    change.events.forEach((bound, position) => {
      const entry = entries[position];
      if (entry === undefined) return;
      if (bound.declarationId !== undefined) {
        s.insertTimeline.run(bound.declarationId, entry.index, entry.type, entry.at, bound.messageId ?? null, JSON.stringify(entry.data));
      }
      const message = bound.records;
      if (message === undefined) return;
      if (s.hasMessage.get(message.messageId) !== undefined) {
        throw new CoreError('MESSAGE_ID_CONFLICT', `message ${message.messageId} is already recorded`);
      }
      s.insertMessage.run({
        ...message,
        refTo: message.refTo ?? null,
        declarationId: message.declarationId ?? null,
        receipt: message.receipt ?? null,
        ledgerIndex: entry.index,
      });
    });
    for (const { messageId, receipt } of change.setReceipts) s.setReceipt.run(receipt, messageId);
    const now = new Date().toISOString();
    for (const item of change.enqueue) {
      s.enqueue.run(item.messageId, item.partnerId, item.notBefore, item.notBefore, now, now, item.requestId ?? null);
    }
    for (const item of change.updateOutbox) {
      const { state, attempts, nextAttemptAt, lastError, budgetStartedAt, messageId } = item;
      s.updateOutbox.run(state, attempts, nextAttemptAt, lastError ?? null, now, state, now, budgetStartedAt ?? null, messageId);
    }
    const idempotency = change.idempotency;
    if (idempotency) {
      s.insertIdempotency.run(
        idempotency.partyId,
        idempotency.key,
        idempotency.requestHash,
        JSON.stringify(buildIdempotencyAnswer(idempotency, change, entries)),
        now,
      );
    }
    return entries;
  }

  /** Answers what was read once every commit it may hold is on disk (at once without a `durability`). */
  #durable<T>(read: T): Promise<T> {
    return this.#durability === undefined ? Promise.resolve(read) : this.#durability.whenDurable().then(() => read);
  }

  nextDeclarationSequence(year: number): Promise<number> {
    return Promise.resolve(this.#sequence.next(year));
  }

  findIdempotency(partyId: string, key: string): Promise<IdempotencyRecord | undefined> {
    const row = this.#statements.findIdempotency.get(partyId, key) as { request_hash: string; response: string } | undefined;
    return Promise.resolve(row && { requestHash: row.request_hash, answer: JSON.parse(row.response) as unknown });
  }

  getDeclaration(id: string): Promise<Declaration | undefined> {
    const row = this.#statements.getDeclaration.get(id) as DeclarationRow | undefined;
    return Promise.resolve(row && toDeclaration(row));
  }

  getTimeline(declarationId: string): Promise<readonly TimelineStep[]> {
    const rows = this.#statements.getTimeline.all(declarationId) as {
      ledger_index: number;
      type: string;
      at: string;
      message_id: string | null;
      detail: string;
    }[];
    return Promise.resolve(
      rows.map((row) => ({
        ledgerIndex: row.ledger_index,
        type: row.type,
        at: row.at,
        messageId: row.message_id ?? undefined,
        detail: JSON.parse(row.detail) as Record<string, unknown>,
      })),
    );
  }

  getCertificate(id: string): Promise<Certificate | undefined> {
    return Promise.resolve(this.#certificates.getCertificate(id));
  }

  findCertificates(filter: Parameters<ExchangeStore['findCertificates']>[0]): Promise<readonly Certificate[]> {
    return Promise.resolve(this.#certificates.findCertificates(filter));
  }

  listCertificates(filter: Parameters<ExchangeStore['listCertificates']>[0]): Promise<readonly Certificate[]> {
    return Promise.resolve(this.#certificates.listCertificates(filter));
  }

  listDeclarationsRelyingOn(certificateId: string): Promise<readonly Declaration[]> {
    return Promise.resolve((this.#certificates.listRelyingRows(certificateId) as DeclarationRow[]).map(toDeclaration));
  }

  getAssessment(declarationId: string): Promise<ImportAssessment | undefined> {
    return Promise.resolve(this.#certificates.getAssessment(declarationId));
  }

  listAwaitingDeclarations(documentType: CertificateDocumentType): Promise<readonly Declaration[]> {
    return Promise.resolve((this.#certificates.listAwaitingRows(documentType) as DeclarationRow[]).map(toDeclaration));
  }

  guardVersions(keys: readonly string[]): Promise<ReadonlyMap<string, number>> {
    return Promise.resolve(this.#certificates.guardVersions(keys));
  }

  listReplies(messageId: string): Promise<readonly ExchangeMessage[]> {
    return Promise.resolve((this.#certificates.listReplyRows(messageId) as MessageRow[]).map(toMessage));
  }

  getMessage(messageId: string): Promise<ExchangeMessage | undefined> {
    const row = this.#statements.getMessage.get(messageId) as MessageRow | undefined;
    return Promise.resolve(row && toMessage(row));
  }

  listMessages(declarationId: string): Promise<readonly ExchangeMessage[]> {
    return Promise.resolve((this.#statements.listMessages.all(declarationId) as MessageRow[]).map(toMessage));
  }

  dueOutbox(partnerId: string, now: number, limit: number): Promise<readonly OutboxItem[]> {
    return this.#durable((this.#statements.dueOutbox.all(partnerId, now, limit) as OutboxRow[]).map(toOutboxItem));
  }

  overdueOutbox(partnerId: string, budgetStartedBy: number, limit: number): Promise<readonly OutboxItem[]> {
    return this.#durable((this.#statements.overdueOutbox.all(partnerId, budgetStartedBy, limit) as OutboxRow[]).map(toOutboxItem));
  }

  getOutbox(messageId: string): Promise<OutboxItem | undefined> {
    const row = this.#statements.getOutbox.get(messageId) as OutboxRow | undefined;
    return Promise.resolve(row && toOutboxItem(row));
  }

  listOutbox(filter: { readonly state: OutboxItem['state']; readonly partnerId?: string; readonly limit: number }): Promise<readonly OutboxItem[]> {
    const partner = filter.partnerId ?? null;
    return Promise.resolve((this.#statements.listOutbox.all(filter.state, partner, partner, filter.limit) as OutboxRow[]).map(toOutboxItem));
  }

  outboxSummary(): Promise<readonly OutboxCount[]> {
    const rows = this.#statements.outboxSummary.all() as {
      partner_id: string;
      state: OutboxItem['state'];
      count: number;
      last_change_at: string | null;
    }[];
    return Promise.resolve(
      rows.map((row) => ({ partnerId: row.partner_id, state: row.state, count: row.count, lastChangeAt: row.last_change_at ?? undefined })),
    );
  }
}

function toDeclaration(row: DeclarationRow): Declaration {
  return {
    id: row.id,
    declarationNumber: row.declaration_number,
    kind: row.kind,
    partyId: row.party_id,
    status: row.status,
    channel: row.channel,
    channelReasons: JSON.parse(row.channel_reasons) as Declaration['channelReasons'],
    partnerId: row.partner_id ?? undefined,
    document: JSON.parse(row.document) as unknown,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toMessage(row: MessageRow): ExchangeMessage {
  return {
    messageId: row.message_id,
    direction: row.direction,
    partnerId: row.partner_id,
    documentType: row.document_type,
    conversationId: row.conversation_id,
    refTo: row.ref_to ?? undefined,
    declarationId: row.declaration_id ?? undefined,
    envelope: row.envelope,
    digest: row.digest,
    receipt: row.receipt ?? undefined,
    ledgerIndex: row.ledger_index ?? undefined,
    createdAt: row.created_at,
  };
}

function toOutboxItem(row: OutboxRow): OutboxItem {
  return {
    messageId: row.message_id,
    partnerId: row.partner_id,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error ?? undefined,
    budgetStartedAt: row.budget_started_at,
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
  };
}
