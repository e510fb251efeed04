import type { EnvelopeAction, EnvelopeHeader, GatewayAddress } from '../../../message-schemas/envelope/1/schema.js';
import type { RequirementDeps } from '../import-assessment/document-requirement.js';
import type { DocumentCodec } from '../document/document-codec.js';
import type { DocumentType } from '../document/document-type.js';
import type { JsonObject, LedgerEventType } from '../ledger/entry.js';
import type { Partner } from '../partner.js';
import type { Clock } from '../primitives.js';
import type { ExchangeChange } from '../exchange/exchange-store.js';
import type { PayloadSignature } from '../verify/signature-profiles.js';
import type { ParsedXml } from '../xml/parsed-xml.js';

/**
 * The contract every document type's module (src/core/documents/<type>.ts) fulfils, and that the consumers of
 * the table (document-table.ts) read: reception, conformance, certificate issuance, `swx simulate send` and the
 * partner simulators. This file imports only types and nothing that imports it.
 *
 * Methods are declared as methods so that a module types them by its own document (`summarise(acdd: Acdd)`)
 * and the table holds it as a DocumentDescriptor of unknown: the document a method gets is the one its own
 * descriptor's `validate` or codec produced.
 */

/** The ports inbound routing reads: the requirement re-assessment (document-requirement.ts) a certificate triggers needs all of them. */
export type InboundDeps = RequirementDeps;

/** A validated inbound document's surroundings, for routing it. */
export interface InboundContext {
  readonly deps: InboundDeps;
  readonly header: EnvelopeHeader;
  readonly partner: Partner;
  /** The reception time, ISO 8601. */
  readonly at: string;
  /** The declaration the envelope's RefToMessageId leads to, if any. */
  readonly declarationId: string | undefined;
  /** The check of the business document's own signature (an NPPO-signed ePhyto), when it carries one. */
  readonly payloadSignature?: PayloadSignature | undefined;
}

/** Where an inbound document goes, decided before it is recorded and committed with it. */
export interface InboundRouting {
  /** The national agency (partners/ id) the document concerns, recorded in the ledger. */
  readonly routedTo?: string;
  /** The declaration the document concerns, when routing found one other than the RefTo link. */
  readonly declarationId?: string;
  /** What else reception changes (rows, declarations matched, follow-up messages), after the reception event. */
  readonly change?: ExchangeChange;
}

/** A defect a document is accepted with: it does not touch the document's meaning. */
export interface DocumentWarning {
  readonly code: string;
  /** The JSON pointer of the field in the document. */
  readonly pointer: string;
  readonly message: string;
}

/** How swx reads one kind of business document a partner gateway sends, what of it the ledger records, and where it goes. */
export interface InboundDocument<T = unknown> {
  /** The ledger event its reception is recorded as: RESPONSE_RECEIVED for a business response; DOCUMENT_RECEIVED when absent. */
  readonly receivedAs?: Extract<LedgerEventType, 'DOCUMENT_RECEIVED' | 'RESPONSE_RECEIVED'>;
  /** Decodes and validates the envelope's Body document; throws VALIDATION_FAILED listing every issue. */
  validate(body: ParsedXml): T;
  summarise(document: T): JsonObject;
  /**
   * Defects the document is accepted with: listed in the receipt, recorded in the reception's ledger entry and shown
   * with the certificate (GET /v1/certificates/{id}). None when absent.
   */
  warnings?(document: T): readonly DocumentWarning[];
  /** Routes the document to the agency or declaration it concerns; a CoreError refuses the envelope. */
  route?(document: T, context: InboundContext): Promise<InboundRouting>;
}

/** What swx reads of an issued certificate to record and route it. */
export interface IssuedCertificateFacts {
  readonly referenceNumber: string;
  readonly issuingCountry: string;
  readonly importingCountry: string;
  readonly issueDate: string;
  readonly validUntil: string | undefined;
  /** What the ledger's CERTIFICATE_ISSUED entry says of it beyond the reference and countries. */
  readonly summary: Readonly<Record<string, string | number>>;
}

/** How a national agency's certificate of one type is described for `POST /v1/certificates` (read with the descriptor's codec). */
export interface CertificateIssue<T = unknown> {
  /** The validated document's facts; throws VALIDATION_FAILED for a document swx does not issue as it stands. */
  facts(document: T): IssuedCertificateFacts;
}

/** A business response a simulated gateway sends back on its own initiative, in a new envelope. */
export interface BusinessResponse {
  readonly documentType: DocumentType;
  readonly action: EnvelopeAction;
  readonly bodyXml: string;
}

/** What a simulated partner gateway knows when it answers a document swx sent it. */
export interface SimulatorContext {
  /** The header of the envelope that carried the document. */
  readonly header: EnvelopeHeader;
  /** The simulated gateway itself. */
  readonly self: GatewayAddress;
  readonly clock: Clock;
  /** In [0, 1), for the numbers a real partner's systems would assign. */
  readonly random: () => number;
}

/**
 * Everything swx knows of one document type (design.md 3.4), in one module per type: T is the validated document,
 * K the type code.
 * @example export const acdd: DocumentDescriptor<Acdd, 'ACDD'> = { type: 'ACDD', codec, inbound: { validate, summarise, route } }
 */
export interface DocumentDescriptor<T = unknown, K extends DocumentType = DocumentType> {
  readonly type: K;
  /** How the document is validated, read from XML and written to XML; absent for a type with no envelope codec yet. */
  readonly codec?: DocumentCodec;
  /** Present when partner gateways send this type to swx (POST /v1/exchange). */
  readonly inbound?: InboundDocument<T>;
  /** Present when national agencies issue this type through swx (POST /v1/certificates). */
  readonly issue?: CertificateIssue<T>;
  /** The action an envelope carrying it asks for, unless told otherwise (`swx simulate send`); SUBMIT when absent. */
  readonly defaultAction?: EnvelopeAction;
  /**
   * What a real partner gateway answers on its own initiative to this document received from swx, as the partner
   * simulators play it; undefined for no answer. Throws VALIDATION_FAILED for an invalid document (the simulator
   * then refuses the envelope with an error receipt).
   */
  simulatorResponse?(body: ParsedXml, context: SimulatorContext): BusinessResponse | undefined;
}
