import type { LedgerEvent } from '../../core/ledger/entry.js';
import type { Mandate, MandateDocumentType, MandateStore } from '../../core/mandate/mandate.js';
import type { SqlDatabase } from './sql-database.js';
import type { SqliteExchangeStore } from './sqlite-exchange-store.js';
import { ChangeBuilder } from '../../core/exchange/change-builder.js';

interface MandateRow {
  id: string;
  agent_party_id: string;
  principal_party_id: string;
  valid_from: string;
  valid_to: string | null;
  document_types: string | null;
  granted_at: string;
  granted_by: string;
  ledger_index: number;
  revoked_at: string | null;
  revoked_by: string | null;
  revoked_ledger_index: number | null;
}

const COLUMNS =
  'id, agent_party_id, principal_party_id, valid_from, valid_to, document_types, granted_at, granted_by, ledger_index, revoked_at, revoked_by, revoked_ledger_index';

/**
 * Mandates in the swx SQLite database (migration 0009_mandates.sql). A grant or revocation and its ledger entry are
 * one transaction: the entry is appended through the exchange store's synchronous commit, inside it.
 * @example const mandates: MandateStore = new SqliteMandateStore(db, exchangeStore)
 */
export class SqliteMandateStore implements MandateStore {
  readonly #grant: (mandate: Omit<Mandate, 'ledgerIndex'>, event: LedgerEvent) => number;
  readonly #revoke: (id: string, revokedAt: string, revokedBy: string, event: LedgerEvent) => boolean;
  readonly #get;
  readonly #all;
  readonly #between;

  constructor(db: SqlDatabase, exchange: SqliteExchangeStore) {
    const insert = db.prepare(
      `INSERT INTO mandates (${COLUMNS}) VALUES (@id, @agentPartyId, @principalPartyId, @validFrom, @validTo, @documentTypes, @grantedAt, @grantedBy, @ledgerIndex, NULL, NULL, NULL)`,
    );
    const markRevoked = db.prepare('UPDATE mandates SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL');
    const setRevokedIndex = db.prepare('UPDATE mandates SET revoked_ledger_index = ? WHERE id = ?');
    this.#grant = db.transaction((mandate: Omit<Mandate, 'ledgerIndex'>, event: LedgerEvent) => {
      const [entry] = exchange.commitSync(new ChangeBuilder().event(event).build());
      const ledgerIndex = entry?.index ?? -1;
      insert.run({
        id: mandate.id,
        agentPartyId: mandate.agentPartyId,
        principalPartyId: mandate.principalPartyId,
        validFrom: mandate.validFrom,
        grantedAt: mandate.grantedAt,
        grantedBy: mandate.grantedBy,
        validTo: mandate.validTo ?? null,
        documentTypes: mandate.documentTypes === undefined ? null : JSON.stringify(mandate.documentTypes),
        ledgerIndex,
      });
      return ledgerIndex;
    });
    this.#revoke = db.transaction((id: string, revokedAt: string, revokedBy: string, event: LedgerEvent) => {
      if (markRevoked.run(revokedAt, revokedBy, id).changes === 0) return false;
      const [entry] = exchange.commitSync(new ChangeBuilder().event(event).build());
      setRevokedIndex.run(entry?.index ?? null, id);
      return true;
    });
    this.#get = db.prepare<[string], MandateRow>(`SELECT ${COLUMNS} FROM mandates WHERE id = ?`);
    this.#all = db.prepare<[], MandateRow>(`SELECT ${COLUMNS} FROM mandates ORDER BY granted_at, id`);
    this.#between = db.prepare<[string, string], MandateRow>(
      `SELECT ${COLUMNS} FROM mandates WHERE agent_party_id = ? AND principal_party_id = ? ORDER BY granted_at, id`,
    );
  }

  grant(mandate: Omit<Mandate, 'ledgerIndex'>, event: LedgerEvent): Promise<Mandate> {
    return Promise.resolve({ ...mandate, ledgerIndex: this.#grant(mandate, event) });
  }

  revoke(id: string, revokedAt: string, revokedBy: string, event: LedgerEvent): Promise<boolean> {
    return Promise.resolve(this.#revoke(id, revokedAt, revokedBy, event));
  }

  get(id: string): Promise<Mandate | undefined> {
    const row = this.#get.get(id);
    return Promise.resolve(row && toMandate(row));
  }

  list(): Promise<readonly Mandate[]> {
    return Promise.resolve(this.#all.all().map(toMandate));
  }

  listBetween(agentPartyId: string, principalPartyId: string): Promise<readonly Mandate[]> {
    return Promise.resolve(this.#between.all(agentPartyId, principalPartyId).map(toMandate));
  }
}

function toMandate(row: MandateRow): Mandate {
  return {
    id: row.id,
    agentPartyId: row.agent_party_id,
    principalPartyId: row.principal_party_id,
    validFrom: row.valid_from,
    validTo: row.valid_to ?? undefined,
    documentTypes: row.document_types === null ? undefined : (JSON.parse(row.document_types) as MandateDocumentType[]),
    grantedAt: row.granted_at,
    grantedBy: row.granted_by,
    ledgerIndex: row.ledger_index,
    revokedAt: row.revoked_at ?? undefined,
    revokedBy: row.revoked_by ?? undefined,
    revokedLedgerIndex: row.revoked_ledger_index ?? undefined,
  };
}
