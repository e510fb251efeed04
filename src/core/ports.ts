/**
 * The ports: what the core needs from the outside world, named by role, each declared beside its model (the
 * primitives, which carry no domain type, in primitives.ts). This module gathers them for adapters, http, runtime
 * and tests; modules inside core import a port from where it is declared, so no import circle runs through here.
 * Adapters satisfy them by type (`const store: LedgerStore = new SqliteLedgerStore(db)`).
 */

export type { ApiKeyStore } from './auth/api-key.js';
export type { ClearanceQueries } from './clearance/clearance-search.js';
export type { PartnerCircuitLog, PartnerCircuitRecord } from './delivery/partner-circuit-log.js';
export type { PartnerTransport, TransportAnswer } from './delivery/partner-transport.js';
export type {
  BoundEvent,
  DeclarationUpdate,
  DocumentGuard,
  ExchangeChange,
  ExchangeMessage,
  ExchangeStore,
  IdempotencyRecord,
  IdempotencyWrite,
  OutboxCount,
  OutboxEntry,
  OutboxItem,
  OutboxState,
  OutboxUpdate,
} from './exchange/exchange-store.js';
export type { MessageQueries } from './exchange/message-search.js';
export type { CheckpointIssuer, LedgerStore } from './ledger/ledger-store.js';
export type { PartnerDirectory, PartnerTrust } from './partner.js';
export type { Clock, IdGenerator, Metrics, NoteSigner, NoteVerifier, RandomBytes, Sha256, XmlParser, XmlSigner } from './primitives.js';
export type { ExchangeReportQueries } from './report/exchange-report.js';
export type { CertificateVerifier } from './verify/certificate-verifier.js';
export type { SignatureVerifier } from './verify/signature-verifier.js';
