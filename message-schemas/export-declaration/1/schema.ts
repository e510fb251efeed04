import { z } from 'zod';
import { defineDocumentSpec } from '../../../src/core/document/document-spec.js';
import { CountryCode, expected, Identifier, IsoDate, TransportModeCode, UnLocode, VietnamUnLocode } from '../../common/1/common-types.js';
import { CertificateReferences, DeclaringAgent, ForeignParty, GoodsItems, Invoice, VietnamParty } from '../../common/1/declaration-parts.js';

/**
 * Vietnamese customs export type codes (mã loại hình xuất khẩu): B11 export for trade, B12 export after
 * temporary export, B13 export of imported goods, E42 products of an export-processing enterprise,
 * E52 processed products for a foreign party, E54 processing materials to another contract,
 * E62 products of export production, E82 materials for processing abroad, G21–G24 re-export,
 * G61 temporary export, C12 from a bonded warehouse abroad, C22 out of a non-tariff zone, H21 other exports.
 */
export const ExportTypeCode = z.enum(
  ['B11', 'B12', 'B13', 'E42', 'E52', 'E54', 'E62', 'E82', 'G21', 'G22', 'G23', 'G24', 'G61', 'C12', 'C22', 'H21'],
  { error: expected('a Vietnamese export type code such as B11') },
);
export type ExportTypeCode = z.infer<typeof ExportTypeCode>;

/**
 * A Vietnamese export declaration as a trader submits it, holding everything the ACDD is derived from.
 * @example const declaration: ExportDeclaration = ExportDeclaration.parse(json)
 */
export const ExportDeclaration = z.strictObject({
  declarationType: ExportTypeCode,
  exporter: VietnamParty,
  consignee: ForeignParty,
  /** The customs broker declaring on the exporter's behalf, when there is one. */
  declaringAgent: DeclaringAgent.optional(),
  destinationCountry: CountryCode,
  departureDate: IsoDate,
  outwardTransportMode: TransportModeCode,
  /** Vessel (IMO number), flight, vehicle registration or train. */
  meansOfTransportId: Identifier,
  portOfLoading: VietnamUnLocode,
  portOfDischarge: UnLocode,
  invoice: Invoice,
  /** The trader consents to the ACDD being sent to the destination country's customs. */
  acddConsent: z.boolean(),
  items: GoodsItems,
  certificates: CertificateReferences.optional(),
});
export type ExportDeclaration = z.infer<typeof ExportDeclaration>;

/**
 * The export declaration's XML form: `<ExportDeclaration xmlns="urn:swx:xsd:export-declaration:1">`,
 * described by export-declaration.xsd beside this file.
 */
export const exportDeclarationSpec = defineDocumentSpec({
  documentType: 'EXPORT_DECLARATION',
  rootElement: 'ExportDeclaration',
  namespace: 'urn:swx:xsd:export-declaration:1',
  schema: ExportDeclaration,
  itemElements: { items: 'Item', certificates: 'Certificate' },
});
