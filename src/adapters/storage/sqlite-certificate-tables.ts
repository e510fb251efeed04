import type { Certificate, CertificateDocumentType } from '../../core/certificate/certificate.js';
import type { ImportAssessment } from '../../core/import-assessment/import-assessment.js';
import { CoreError } from '../../core/errors.js';
import type { ExchangeChange } from '../../core/exchange/exchange-store.js';
import type { SqlDatabase } from './sql-database.js';

interface CertificateRow {
  id: string;
  document_type: Certificate['documentType'];
  direction: Certificate['direction'];
  reference_number: string;
  issuing_country: string;
  importing_country: string;
  partner_id: string;
  agency_id: string;
  status: Certificate['status'];
  status_reason: string | null;
  issuer_signature: string | null;
  document: string;
  message_id: string | null;
  replaces: string | null;
  issue_date: string;
  valid_until: string | null;
  utilisation: string;
  created_at: string;
  updated_at: string;
}

/**
 * The certificate tables of migration 0005 (certificates, import_assessments, declaration_awaits, document_guards):
 * the part of SqliteExchangeStore's commit that writes them, and its reads.
 * @example const tables = new SqliteCertificateTables(db); db.transaction(() => tables.apply(change))()
 */
export class SqliteCertificateTables {
  readonly #statements;

  constructor(db: SqlDatabase) {
    this.#statements = {
      insertCertificate: db.prepare(
        `INSERT INTO certificates (id, document_type, direction, reference_number, issuing_country, importing_country, partner_id, agency_id,
           status, status_reason, issuer_signature, document, message_id, replaces, issue_date, valid_until, utilisation, created_at, updated_at)
         VALUES (@id, @documentType, @direction, @referenceNumber, @issuingCountry, @importingCountry, @partnerId, @agencyId,
           @status, @statusReason, @issuerSignature, @document, @messageId, @replaces, @issueDate, @validUntil, @utilisation, @createdAt, @updatedAt)`,
      ),
      updateCertificate: db.prepare(
        `UPDATE certificates SET status = COALESCE(@status, status), status_reason = COALESCE(@statusReason, status_reason), utilisation = COALESCE(@utilisation, utilisation), updated_at = @updatedAt
         WHERE id = @id AND (@expectedStatus IS NULL OR status = @expectedStatus)`,
      ),
      putAssessment: db.prepare(
        `INSERT INTO import_assessments (declaration_id, requirements, preference, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (declaration_id) DO UPDATE SET requirements = excluded.requirements, preference = excluded.preference, updated_at = excluded.updated_at`,
      ),
      clearAwaits: db.prepare('DELETE FROM declaration_awaits WHERE declaration_id = ?'),
      insertAwait: db.prepare('INSERT OR IGNORE INTO declaration_awaits (declaration_id, document_type) VALUES (?, ?)'),
      moveGuard: db.prepare('UPDATE document_guards SET version = version + 1 WHERE key = ? AND version = ?'),
      createGuard: db.prepare('INSERT INTO document_guards (key, version) VALUES (?, 1) ON CONFLICT (key) DO NOTHING'),
      getGuard: db.prepare('SELECT version FROM document_guards WHERE key = ?').pluck(),
      getCertificate: db.prepare('SELECT * FROM certificates WHERE id = ?'),
      findCertificates: db.prepare(
        `SELECT * FROM certificates WHERE document_type = ? AND direction = ? AND reference_number = ? AND (? IS NULL OR issuing_country = ?)
         ORDER BY created_at, id`,
      ),
      listReplies: db.prepare('SELECT * FROM messages WHERE ref_to = ? ORDER BY created_at, message_id'),
      getAssessment: db.prepare('SELECT * FROM import_assessments WHERE declaration_id = ?'),
      listByStatus: db.prepare(
        `SELECT * FROM certificates WHERE document_type = ? AND direction = ? AND status IN (SELECT value FROM json_each(?))
         ORDER BY created_at, id`,
      ),
      // A scan of the assessments: only a certificate's withdrawal or replacement asks.
      listRelying: db.prepare(
        `SELECT d.* FROM import_assessments a JOIN declarations d ON d.id = a.declaration_id
         WHERE EXISTS (SELECT 1 FROM json_each(a.requirements) r WHERE json_extract(r.value, '$.certificateId') = ?)
         ORDER BY d.created_at, d.id`,
      ),
      listAwaiting: db.prepare(
        `SELECT d.* FROM declaration_awaits a JOIN declarations d ON d.id = a.declaration_id
         WHERE a.document_type = ? AND d.status = 'AWAITING_DOCUMENTS' ORDER BY d.created_at, d.id`,
      ),
    };
  }

  /** Writes the change's certificate parts; called inside the commit's transaction, after the declarations. */
  apply(change: ExchangeChange): void {
    const s = this.#statements;
    for (const guard of change.guards) {
      const moved = guard.expectedVersion === 0 ? s.createGuard.run(guard.key) : s.moveGuard.run(guard.key, guard.expectedVersion);
      if (moved.changes === 0) throw new CoreError('DOCUMENT_STATE_CONFLICT', `${guard.key} changed while this was being decided`);
    }
    for (const certificate of change.insertCertificates) {
      s.insertCertificate.run({
        ...certificate,
        statusReason: certificate.statusReason ?? null,
        issuerSignature: certificate.issuerSignature === undefined ? null : JSON.stringify(certificate.issuerSignature),
        document: JSON.stringify(certificate.document),
        messageId: certificate.messageId ?? null,
        replaces: certificate.replaces ?? null,
        validUntil: certificate.validUntil ?? null,
        utilisation: JSON.stringify(certificate.utilisation),
      });
    }
    for (const update of change.updateCertificates) {
      const updated = s.updateCertificate.run({
        id: update.id,
        status: update.status ?? null,
        statusReason: update.statusReason ?? null,
        utilisation: update.utilisation === undefined ? null : JSON.stringify(update.utilisation),
        updatedAt: update.updatedAt,
        expectedStatus: update.expectedStatus ?? null,
      });
      if (updated.changes === 0)
        throw new CoreError('DOCUMENT_STATE_CONFLICT', `certificate ${update.id} is no longer ${update.expectedStatus ?? 'there'}`);
    }
    for (const assessment of change.putAssessments) {
      s.putAssessment.run(
        assessment.declarationId,
        JSON.stringify(assessment.requirements),
        assessment.preference === undefined ? null : JSON.stringify(assessment.preference),
        assessment.updatedAt,
      );
      s.clearAwaits.run(assessment.declarationId);
      for (const result of assessment.requirements) {
        if (result.state === 'AWAITED') s.insertAwait.run(assessment.declarationId, result.documentType);
      }
    }
  }

  getCertificate(id: string): Certificate | undefined {
    const row = this.#statements.getCertificate.get(id) as CertificateRow | undefined;
    return row && toCertificate(row);
  }

  findCertificates(filter: {
    documentType: CertificateDocumentType;
    direction: 'IN' | 'OUT';
    referenceNumber: string;
    issuingCountry?: string;
  }): Certificate[] {
    const country = filter.issuingCountry ?? null;
    const rows = this.#statements.findCertificates.all(
      filter.documentType,
      filter.direction,
      filter.referenceNumber,
      country,
      country,
    ) as CertificateRow[];
    return rows.map(toCertificate);
  }

  listCertificates(filter: {
    documentType: CertificateDocumentType;
    direction: 'IN' | 'OUT';
    statuses: readonly Certificate['status'][];
  }): Certificate[] {
    const rows = this.#statements.listByStatus.all(filter.documentType, filter.direction, JSON.stringify(filter.statuses)) as CertificateRow[];
    return rows.map(toCertificate);
  }

  /** Raw rows of the declarations whose assessment names the certificate; the store turns them into Declarations. */
  listRelyingRows(certificateId: string): unknown[] {
    return this.#statements.listRelying.all(certificateId);
  }

  getAssessment(declarationId: string): ImportAssessment | undefined {
    const row = this.#statements.getAssessment.get(declarationId) as
      | { declaration_id: string; requirements: string; preference: string | null; updated_at: string }
      | undefined;
    return (
      row && {
        declarationId: row.declaration_id,
        requirements: JSON.parse(row.requirements) as ImportAssessment['requirements'],
        preference: row.preference === null ? undefined : (JSON.parse(row.preference) as ImportAssessment['preference']),
        updatedAt: row.updated_at,
      }
    );
  }

  /** Raw declaration rows; the store turns them into Declarations. */
  listAwaitingRows(documentType: CertificateDocumentType): unknown[] {
    return this.#statements.listAwaiting.all(documentType);
  }

  /** Raw message rows answering a message; the store turns them into ExchangeMessages. */
  listReplyRows(messageId: string): unknown[] {
    return this.#statements.listReplies.all(messageId);
  }

  guardVersions(keys: readonly string[]): Map<string, number> {
    return new Map(keys.map((key) => [key, (this.#statements.getGuard.get(key) as number | undefined) ?? 0]));
  }
}

function toCertificate(row: CertificateRow): Certificate {
  return {
    id: row.id,
    documentType: row.document_type,
    direction: row.direction,
    referenceNumber: row.reference_number,
    issuingCountry: row.issuing_country,
    importingCountry: row.importing_country,
    partnerId: row.partner_id,
    agencyId: row.agency_id,
    status: row.status,
    ...(row.status_reason === null ? {} : { statusReason: row.status_reason }),
    ...(row.issuer_signature === null ? {} : { issuerSignature: JSON.parse(row.issuer_signature) as Certificate['issuerSignature'] & object }),
    document: JSON.parse(row.document) as unknown,
    messageId: row.message_id ?? undefined,
    replaces: row.replaces ?? undefined,
    issueDate: row.issue_date,
    validUntil: row.valid_until ?? undefined,
    utilisation: JSON.parse(row.utilisation) as Certificate['utilisation'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
