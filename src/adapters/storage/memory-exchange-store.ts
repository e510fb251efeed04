import type { Certificate, CertificateDocumentType } from '../../core/certificate/certificate.js';
import type { ImportAssessment } from '../../core/import-assessment/import-assessment.js';
import type { Declaration, TimelineStep } from '../../core/declaration/declaration.js';
import { CoreError } from '../../core/errors.js';
import { buildIdempotencyAnswer } from '../../core/exchange/change-builder.js';
import { encodeEntry, type LedgerEntry } from '../../core/ledger/entry.js';
import { hashLeaf } from '../../core/ledger/merkle.js';
import type {
  ExchangeChange,
  ExchangeMessage,
  ExchangeStore,
  IdempotencyRecord,
  OutboxCount,
  OutboxItem,
  OutboxState,
} from '../../core/exchange/exchange-store.js';
import type { Sha256 } from '../../core/primitives.js';

interface OutboxRow {
  readonly item: OutboxItem;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Everything the store holds; a commit works on a copy and keeps it only when every part applied. */
interface State {
  readonly declarations: Map<string, Declaration>;
  readonly timelines: Map<string, readonly TimelineStep[]>;
  readonly messages: Map<string, ExchangeMessage>;
  readonly outbox: Map<string, OutboxRow>;
  readonly idempotency: Map<string, IdempotencyRecord>;
  readonly certificates: Map<string, Certificate>;
  readonly assessments: Map<string, ImportAssessment>;
  readonly guards: Map<string, number>;
  readonly entries: LedgerEntry[];
}

const byCreation =
  <T extends { readonly createdAt: string }>(key: (value: T) => string) =>
  (a: T, b: T) =>
    a.createdAt === b.createdAt ? key(a).localeCompare(key(b)) : a.createdAt.localeCompare(b.createdAt);
const oldestMessage = byCreation<ExchangeMessage>((message) => message.messageId);
const oldestDeclaration = byCreation<Declaration>((declaration) => declaration.id);

/**
 * The ExchangeStore in memory: the same contract as SqliteExchangeStore (test/adapters/storage/exchange-store.contract.ts),
 * for unit tests of the use cases. A commit is all or nothing: it applies to a copy
 * of the state, checked as SQLite's constraints and guards check it, and replaces the state only when all of it applied.
 * @example const store: ExchangeStore = new MemoryExchangeStore(nodeSha256)
 */
export class MemoryExchangeStore implements ExchangeStore {
  readonly #sha256: Sha256;
  readonly #clock: () => Date;
  #state: State = {
    declarations: new Map(),
    timelines: new Map(),
    messages: new Map(),
    outbox: new Map(),
    idempotency: new Map(),
    certificates: new Map(),
    assessments: new Map(),
    guards: new Map(),
    entries: [],
  };
  readonly #sequences = new Map<number, number>();

  /** `now` stamps outbox rows' changes, as SQLite's clock does. */
  constructor(sha256: Sha256, now: () => Date = () => new Date()) {
    this.#sha256 = sha256;
    this.#clock = now;
  }

  /** The ledger's entries so far, in order. */
  ledgerEntries(): readonly LedgerEntry[] {
    return [...this.#state.entries];
  }

  commit(change: ExchangeChange): Promise<readonly LedgerEntry[]> {
    try {
      const next = copy(this.#state);
      const entries = this.#apply(next, change);
      this.#state = next;
      return Promise.resolve(entries);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  #apply(state: State, change: ExchangeChange): readonly LedgerEntry[] {
    const declaration = change.insertDeclaration;
    if (declaration) {
      const numbered = [...state.declarations.values()].some((other) => other.declarationNumber === declaration.declarationNumber);
      if (state.declarations.has(declaration.id) || numbered) throw new CoreError('INTERNAL', `declaration ${declaration.id} is already recorded`);
      state.declarations.set(declaration.id, declaration);
    }
    for (const update of change.updateDeclarations) {
      const current = state.declarations.get(update.id);
      if (current === undefined || (update.expectedStatus !== undefined && current.status !== update.expectedStatus)) {
        throw new CoreError('DOCUMENT_STATE_CONFLICT', `declaration ${update.id} is no longer ${update.expectedStatus ?? 'there'}`);
      }
      state.declarations.set(update.id, {
        ...current,
        status: update.status,
        channel: update.channel ?? current.channel,
        channelReasons: update.channelReasons ?? current.channelReasons,
        updatedAt: update.updatedAt,
      });
    }
    applyCertificates(state, change);
    const entries = change.events.map((bound, position) => {
      const index = state.entries.length + position;
      const bytes = encodeEntry(index, bound.event);
      return { ...bound.event, index, bytes, leafHash: hashLeaf(this.#sha256, bytes) };
    });
    state.entries.push(...entries);
    change.events.forEach((bound, position) => {
      const entry = entries[position] as LedgerEntry;
      if (bound.declarationId !== undefined) {
        if (!state.declarations.has(bound.declarationId)) throw new CoreError('INTERNAL', `no declaration ${bound.declarationId} for its timeline`);
        const step: TimelineStep = { ledgerIndex: entry.index, type: entry.type, at: entry.at, messageId: bound.messageId, detail: entry.data };
        state.timelines.set(bound.declarationId, [...(state.timelines.get(bound.declarationId) ?? []), step]);
      }
      const message = bound.records;
      if (message === undefined) return;
      if (state.messages.has(message.messageId)) throw new CoreError('MESSAGE_ID_CONFLICT', `message ${message.messageId} is already recorded`);
      state.messages.set(message.messageId, { ...message, ledgerIndex: entry.index });
    });
    for (const { messageId, receipt } of change.setReceipts) {
      const message = state.messages.get(messageId);
      if (message) state.messages.set(messageId, { ...message, receipt });
    }
    const now = this.#clock().toISOString();
    for (const { messageId, partnerId, notBefore, requestId } of change.enqueue) {
      if (!state.messages.has(messageId) || state.outbox.has(messageId)) throw new CoreError('INTERNAL', `message ${messageId} cannot be queued`);
      const item: OutboxItem = {
        messageId,
        partnerId,
        state: 'PENDING',
        attempts: 0,
        nextAttemptAt: notBefore,
        lastError: undefined,
        budgetStartedAt: notBefore,
        ...(requestId === undefined ? {} : { requestId }),
      };
      state.outbox.set(messageId, { item, createdAt: now, updatedAt: now });
    }
    for (const update of change.updateOutbox) {
      const row = state.outbox.get(update.messageId);
      if (row === undefined) continue;
      const item: OutboxItem = { ...row.item, ...update, budgetStartedAt: update.budgetStartedAt ?? row.item.budgetStartedAt };
      state.outbox.set(update.messageId, { ...row, item, updatedAt: now });
    }
    const idempotency = change.idempotency;
    if (idempotency) {
      const key = idempotencyKey(idempotency.partyId, idempotency.key);
      if (state.idempotency.has(key)) throw new CoreError('INTERNAL', `Idempotency-Key ${idempotency.key} is already recorded`);
      state.idempotency.set(key, { requestHash: idempotency.requestHash, answer: buildIdempotencyAnswer(idempotency, change, entries) });
    }
    return entries;
  }

  nextDeclarationSequence(year: number): Promise<number> {
    const next = (this.#sequences.get(year) ?? 0) + 1;
    this.#sequences.set(year, next);
    return Promise.resolve(next);
  }

  findIdempotency(partyId: string, key: string): Promise<IdempotencyRecord | undefined> {
    return Promise.resolve(this.#state.idempotency.get(idempotencyKey(partyId, key)));
  }

  getDeclaration(id: string): Promise<Declaration | undefined> {
    return Promise.resolve(this.#state.declarations.get(id));
  }

  getTimeline(declarationId: string): Promise<readonly TimelineStep[]> {
    return Promise.resolve(this.#state.timelines.get(declarationId) ?? []);
  }

  getMessage(messageId: string): Promise<ExchangeMessage | undefined> {
    return Promise.resolve(this.#state.messages.get(messageId));
  }

  getCertificate(id: string): Promise<Certificate | undefined> {
    return Promise.resolve(this.#state.certificates.get(id));
  }

  findCertificates(filter: Parameters<ExchangeStore['findCertificates']>[0]): Promise<readonly Certificate[]> {
    return Promise.resolve(
      this.#certificatesWhere(
        (certificate) =>
          certificate.documentType === filter.documentType &&
          certificate.direction === filter.direction &&
          certificate.referenceNumber === filter.referenceNumber &&
          (filter.issuingCountry === undefined || certificate.issuingCountry === filter.issuingCountry),
      ),
    );
  }

  listCertificates(filter: Parameters<ExchangeStore['listCertificates']>[0]): Promise<readonly Certificate[]> {
    return Promise.resolve(
      this.#certificatesWhere(
        (certificate) =>
          certificate.documentType === filter.documentType &&
          certificate.direction === filter.direction &&
          filter.statuses.includes(certificate.status),
      ),
    );
  }

  listDeclarationsRelyingOn(certificateId: string): Promise<readonly Declaration[]> {
    const relying = [...this.#state.assessments.values()].filter((assessment) =>
      assessment.requirements.some((result) => result.certificateId === certificateId),
    );
    return Promise.resolve(this.#declarations(relying.map((assessment) => assessment.declarationId)));
  }

  getAssessment(declarationId: string): Promise<ImportAssessment | undefined> {
    return Promise.resolve(this.#state.assessments.get(declarationId));
  }

  listAwaitingDeclarations(documentType: CertificateDocumentType): Promise<readonly Declaration[]> {
    const awaiting = [...this.#state.assessments.values()].filter((assessment) =>
      assessment.requirements.some((result) => result.state === 'AWAITED' && result.documentType === documentType),
    );
    return Promise.resolve(
      this.#declarations(awaiting.map((assessment) => assessment.declarationId)).filter((declaration) => declaration.status === 'AWAITING_DOCUMENTS'),
    );
  }

  guardVersions(keys: readonly string[]): Promise<ReadonlyMap<string, number>> {
    return Promise.resolve(new Map(keys.map((key) => [key, this.#state.guards.get(key) ?? 0])));
  }

  listReplies(messageId: string): Promise<readonly ExchangeMessage[]> {
    return Promise.resolve([...this.#state.messages.values()].filter((message) => message.refTo === messageId).sort(oldestMessage));
  }

  listMessages(declarationId: string): Promise<readonly ExchangeMessage[]> {
    return Promise.resolve([...this.#state.messages.values()].filter((message) => message.declarationId === declarationId).sort(oldestMessage));
  }

  dueOutbox(partnerId: string, now: number, limit: number): Promise<readonly OutboxItem[]> {
    const due = this.#pending(partnerId).filter((item) => item.nextAttemptAt <= now);
    return Promise.resolve(due.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt).slice(0, limit));
  }

  overdueOutbox(partnerId: string, budgetStartedBy: number, limit: number): Promise<readonly OutboxItem[]> {
    const overdue = this.#pending(partnerId).filter((item) => item.budgetStartedAt <= budgetStartedBy);
    return Promise.resolve(overdue.sort((a, b) => a.budgetStartedAt - b.budgetStartedAt).slice(0, limit));
  }

  getOutbox(messageId: string): Promise<OutboxItem | undefined> {
    return Promise.resolve(this.#state.outbox.get(messageId)?.item);
  }

  listOutbox(filter: { readonly state: OutboxState; readonly partnerId?: string; readonly limit: number }): Promise<readonly OutboxItem[]> {
    const rows = [...this.#state.outbox.values()].filter(
      ({ item }) => item.state === filter.state && (filter.partnerId === undefined || item.partnerId === filter.partnerId),
    );
    const oldest = rows.sort((a, b) =>
      a.createdAt === b.createdAt ? a.item.messageId.localeCompare(b.item.messageId) : a.createdAt.localeCompare(b.createdAt),
    );
    return Promise.resolve(oldest.slice(0, filter.limit).map((row) => row.item));
  }

  outboxSummary(): Promise<readonly OutboxCount[]> {
    const counts = new Map<string, { partnerId: string; state: OutboxState; count: number; lastChangeAt: string }>();
    for (const { item, updatedAt } of this.#state.outbox.values()) {
      const key = `${item.partnerId}\u0000${item.state}`;
      const count = counts.get(key);
      if (count === undefined) counts.set(key, { partnerId: item.partnerId, state: item.state, count: 1, lastChangeAt: updatedAt });
      else counts.set(key, { ...count, count: count.count + 1, lastChangeAt: updatedAt > count.lastChangeAt ? updatedAt : count.lastChangeAt });
    }
    return Promise.resolve([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, count]) => count));
  }

  #pending(partnerId: string): OutboxItem[] {
    return [...this.#state.outbox.values()].map((row) => row.item).filter((item) => item.state === 'PENDING' && item.partnerId === partnerId);
  }

  #certificatesWhere(test: (certificate: Certificate) => boolean): Certificate[] {
    return [...this.#state.certificates.values()].filter(test).sort(byCreation<Certificate>((certificate) => certificate.id));
  }

  #declarations(ids: readonly string[]): Declaration[] {
    return ids.flatMap((id) => this.#state.declarations.get(id) ?? []).sort(oldestDeclaration);
  }
}

/** The certificate parts of a commit, checked as SqliteCertificateTables checks them. */
function applyCertificates(state: State, change: ExchangeChange): void {
  for (const guard of change.guards) {
    if ((state.guards.get(guard.key) ?? 0) !== guard.expectedVersion)
      throw new CoreError('DOCUMENT_STATE_CONFLICT', `${guard.key} changed while this was being decided`);
    state.guards.set(guard.key, guard.expectedVersion + 1);
  }
  for (const certificate of change.insertCertificates) {
    const same = [...state.certificates.values()].some(
      (other) =>
        other.documentType === certificate.documentType &&
        other.direction === certificate.direction &&
        other.issuingCountry === certificate.issuingCountry &&
        other.referenceNumber === certificate.referenceNumber,
    );
    if (same || state.certificates.has(certificate.id))
      throw new CoreError('INTERNAL', `certificate ${certificate.referenceNumber} is already recorded`);
    state.certificates.set(certificate.id, certificate);
  }
  for (const update of change.updateCertificates) {
    const current = state.certificates.get(update.id);
    if (current === undefined || (update.expectedStatus !== undefined && current.status !== update.expectedStatus)) {
      throw new CoreError('DOCUMENT_STATE_CONFLICT', `certificate ${update.id} is no longer ${update.expectedStatus ?? 'there'}`);
    }
    state.certificates.set(update.id, {
      ...current,
      status: update.status ?? current.status,
      ...(update.statusReason === undefined ? {} : { statusReason: update.statusReason }),
      utilisation: update.utilisation ?? current.utilisation,
      updatedAt: update.updatedAt,
    });
  }
  for (const assessment of change.putAssessments) {
    if (!state.declarations.has(assessment.declarationId)) throw new CoreError('INTERNAL', `no declaration ${assessment.declarationId} to assess`);
    state.assessments.set(assessment.declarationId, assessment);
  }
}

function copy(state: State): State {
  return {
    declarations: new Map(state.declarations),
    timelines: new Map(state.timelines),
    messages: new Map(state.messages),
    outbox: new Map(state.outbox),
    idempotency: new Map(state.idempotency),
    certificates: new Map(state.certificates),
    assessments: new Map(state.assessments),
    guards: new Map(state.guards),
    entries: [...state.entries],
  };
}

function idempotencyKey(partyId: string, key: string): string {
  return `${partyId}\u0000${key}`;
}
