import type { SqlMigration } from '../storage/migrate.js';
import ledger from '../storage/migrations/0001_ledger.sql';
import apiKeys from '../storage/migrations/0002_api_keys.sql';
import exchange from '../storage/migrations/0003_exchange.sql';
import clearance from '../storage/migrations/0004_clearance.sql';
import certificates from '../storage/migrations/0005_certificates.sql';
import partnerCircuits from '../storage/migrations/0007_partner_circuits.sql';
import certificateStatusReason from '../storage/migrations/0008_certificate_status_reason.sql';
import mandates from '../storage/migrations/0009_mandates.sql';
import outboxFairness from '../storage/migrations/0010_outbox_fairness.sql';
import partnerRole from '../storage/migrations/0011_partner_role.sql';
import certificateIssuerSignature from '../storage/migrations/0012_certificate_issuer_signature.sql';
import readModel from '../storage/migrations/0013_read_model.sql';
import apiKeyActors from '../storage/migrations/0014_api_key_actors.sql';
import outboxRequestId from '../storage/migrations/0015_outbox_request_id.sql';

/**
 * The files of storage/migrations/, bundled as text into the Worker (wrangler.toml's `[[rules]] type = "Text"`): the
 * schema the Durable Objects migrate to, the same files Node reads from disk. A new migration file is added here too;
 * test/workers/bundled-migrations.test.ts fails until it is.
 * @example migrate(new DurableObjectSqlDatabase(ctx.storage), BUNDLED_MIGRATIONS)
 */
export const BUNDLED_MIGRATIONS: readonly SqlMigration[] = [
  { name: '0001_ledger.sql', sql: ledger },
  { name: '0002_api_keys.sql', sql: apiKeys },
  { name: '0003_exchange.sql', sql: exchange },
  { name: '0004_clearance.sql', sql: clearance },
  { name: '0005_certificates.sql', sql: certificates },
  { name: '0007_partner_circuits.sql', sql: partnerCircuits },
  { name: '0008_certificate_status_reason.sql', sql: certificateStatusReason },
  { name: '0009_mandates.sql', sql: mandates },
  { name: '0010_outbox_fairness.sql', sql: outboxFairness },
  { name: '0011_partner_role.sql', sql: partnerRole },
  { name: '0012_certificate_issuer_signature.sql', sql: certificateIssuerSignature },
  { name: '0013_read_model.sql', sql: readModel },
  { name: '0014_api_key_actors.sql', sql: apiKeyActors },
  { name: '0015_outbox_request_id.sql', sql: outboxRequestId },
];
