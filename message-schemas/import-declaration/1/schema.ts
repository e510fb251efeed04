import { z } from 'zod';
import { defineDocumentSpec } from '../../../src/core/document/document-spec.js';
import { CountryCode, expected, Identifier, IsoDate, TransportModeCode, UnLocode, VietnamUnLocode } from '../../common/1/common-types.js';
import { CertificateReferences, DeclaringAgent, ForeignParty, GoodsItems, Invoice, VietnamParty } from '../../common/1/declaration-parts.js';

/**
 * Vietnamese customs import type codes (mã loại hình nhập khẩu): A11 import for domestic consumption,
 * A12 import for trade by a production enterprise, A21 re-import of goods exported for processing,
 * A31 re-import of goods returned, A41 import by a trader exercising trading rights, A42 domestic sale of
 * goods from a non-tariff zone, E11 materials of an export-processing enterprise, E21 materials for
 * processing for a foreign party, E31 materials for export production, E41 processed products imported
 * back, G11–G14 temporary import for re-export, G51 re-import of temporarily exported goods,
 * C11 into a bonded warehouse, C21 into a non-tariff zone, H11 other imports.
 */
export const ImportTypeCode = z.enum(
  ['A11', 'A12', 'A21', 'A31', 'A41', 'A42', 'E11', 'E21', 'E31', 'E41', 'G11', 'G12', 'G13', 'G14', 'G51', 'C11', 'C21', 'H11'],
  { error: expected('a Vietnamese import type code such as A11') },
);
export type ImportTypeCode = z.infer<typeof ImportTypeCode>;

/** The ATIGA e-Form D under which the importer claims the preferential tariff. */
export const PreferenceClaim = z.strictObject({
  formDReference: Identifier,
  issuingCountry: CountryCode,
});
export type PreferenceClaim = z.infer<typeof PreferenceClaim>;

/**
 * A Vietnamese import declaration as a trader submits it: the goods, the consignor abroad, and the
 * certificates the goods depend on (an e-Form D for the preferential tariff, SPS certificates).
 * @example const declaration: ImportDeclaration = ImportDeclaration.parse(json)
 */
export const ImportDeclaration = z.strictObject({
  declarationType: ImportTypeCode,
  importer: VietnamParty,
  /** The consignor abroad. */
  exporter: ForeignParty,
  /** The customs broker declaring on the importer's behalf, when there is one. */
  declaringAgent: DeclaringAgent.optional(),
  exportCountry: CountryCode,
  arrivalDate: IsoDate,
  inwardTransportMode: TransportModeCode,
  /** Vessel (IMO number), flight, vehicle registration or train. */
  meansOfTransportId: Identifier,
  portOfLoading: UnLocode,
  portOfDischarge: VietnamUnLocode,
  invoice: Invoice,
  items: GoodsItems,
  preference: PreferenceClaim.optional(),
  /** SPS certificates the goods travel with (851 phytosanitary, 853 veterinary) and other licences. */
  certificates: CertificateReferences.optional(),
});
export type ImportDeclaration = z.infer<typeof ImportDeclaration>;

/**
 * The import declaration's XML form: `<ImportDeclaration xmlns="urn:swx:xsd:import-declaration:1">`,
 * described by import-declaration.xsd beside this file.
 */
export const importDeclarationSpec = defineDocumentSpec({
  documentType: 'IMPORT_DECLARATION',
  rootElement: 'ImportDeclaration',
  namespace: 'urn:swx:xsd:import-declaration:1',
  schema: ImportDeclaration,
  itemElements: { items: 'Item', certificates: 'Certificate' },
});
