import { acddSpec } from '../../../message-schemas/acdd/1/schema.js';
import { customsResponseSpec, type CustomsResponse } from '../../../message-schemas/customs-response/1/schema.js';
import type { Acdd } from '../../../message-schemas/acdd/1/schema.js';
import type { DocumentSpec } from '../document/document-spec.js';
import type { DocumentType } from '../document/document-type.js';
import { validateDocument } from '../document/validate-document.js';
import { decodeDocumentXml } from '../document/xml-mapping.js';
import type { JsonObject } from '../ledger/entry.js';
import type { ParsedXml } from '../xml/parsed-xml.js';
import type { EnvelopeHeader } from '../../../message-schemas/envelope/1/schema.js';
import type { ReceiptWarning } from '../../../message-schemas/receipt/1/schema.js';
import type { Partner } from '../partner.js';
import type { PayloadSignature } from '../verify/signature-profiles.js';
import type { ExchangeChange } from '../ports.js';
import type { ReceiveDeps } from './receive-envelope.js';
import { routeToAgency } from './route-to-agency.js';
import { spsInboundDocuments } from '../certificate/sps-inbound-documents.js';
import { formDSpec, type FormD } from '../../../message-schemas/form-d/1/schema.js';
import { formDStatusSpec, type FormDStatus } from '../../../message-schemas/form-d-status/1/schema.js';
import { routeFormD } from '../preference/route-form-d.js';
import { routeFormDStatus } from '../preference/route-form-d-status.js';

/** A validated inbound document's surroundings, for routing it. */
export interface InboundContext {
  readonly deps: ReceiveDeps;
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

/** How swx reads one kind of business document a partner gateway sends, what of it the ledger records, and where it goes. */
export interface InboundDocument<T = unknown> {
  /** Decodes and validates the envelope's Body document; throws VALIDATION_FAILED listing every issue. */
  validate(body: ParsedXml): T;
  summarise(document: T): JsonObject;
  /**
   * Defects the document is accepted with (they do not touch its meaning): listed in the receipt and recorded in the
   * reception's ledger entry. None when absent.
   */
  warnings?(document: T): readonly ReceiptWarning[];
  /** Routes the document to the agency or declaration it concerns; a CoreError refuses the envelope. */
  route?(document: T, context: InboundContext): Promise<InboundRouting>;
}

function inbound<T>(
  spec: DocumentSpec,
  summarise: (document: T) => JsonObject,
  route?: (document: T, context: InboundContext) => Promise<InboundRouting>,
): InboundDocument {
  return {
    validate: (body) => validateDocument(spec.schema, decodeDocumentXml(spec, body)) as T,
    summarise: (document) => summarise(document as T),
    ...(route ? { route: (document: unknown, context: InboundContext) => route(document as T, context) } : {}),
  };
}

/** The business documents swx accepts from partner gateways, by document type. */
export const inboundDocuments: Partial<Record<DocumentType, InboundDocument>> = {
  ...spsInboundDocuments,
  CUSTOMS_RESPONSE: inbound<CustomsResponse>(customsResponseSpec, (response) => ({
    status: response.status,
    respondingCountry: response.respondingCountry,
    exportDeclarationNumber: response.exportDeclarationNumber,
    importDeclarationNumber: response.importDeclarationNumber ?? null,
    reason: response.reason ?? null,
    decidedAt: response.decidedAt,
  })),
  ACDD: inbound<Acdd>(
    acddSpec,
    (acdd) => ({
      exportDeclarationNumber: acdd.exportDeclarationNumber,
      exporter: acdd.exporter.name,
      consignee: acdd.consignee.name,
      departureDate: acdd.departureDate,
      portOfDischarge: acdd.portOfDischarge,
      items: acdd.items.length,
    }),
    (_acdd, context) => routeToAgency('ACDD', context),
  ),
  FORM_D: inbound<FormD>(
    formDSpec,
    (formD) => ({
      referenceNumber: formD.referenceNumber,
      issuingCountry: formD.issuingCountry,
      exporter: formD.exporter.name,
      consignee: formD.consignee.name,
      issueDate: formD.issueDate,
      items: formD.items.length,
    }),
    routeFormD,
  ),
  FORM_D_STATUS: inbound<FormDStatus>(
    formDStatusSpec,
    (status) => ({
      formDReference: status.formDReference,
      status: status.status,
      importDeclarationNumber: status.importDeclarationNumber,
      reason: status.reason ?? null,
    }),
    routeFormDStatus,
  ),
};
