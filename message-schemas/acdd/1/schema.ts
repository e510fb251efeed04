import { z } from 'zod';
import { defineDocumentSpec } from '../../../src/core/document/document-spec.js';
import {
  Address,
  CountryCode,
  HsCode,
  Identifier,
  IsoDate,
  PartyName,
  PositiveDecimal,
  TransportModeCode,
  UnitCode,
  UnLocode,
} from '../../common/1/common-types.js';

/** One line of goods of an ACDD: five of the fifteen agreed data elements. */
export const AcddItem = z.strictObject({
  serialNumber: z.int().min(1, { error: 'must be at least 1' }).max(999, { error: 'must be at most 999' }),
  hsCode: HsCode,
  quantity: PositiveDecimal,
  unit: UnitCode,
  countryOfOrigin: CountryCode,
});
export type AcddItem = z.infer<typeof AcddItem>;

/**
 * The ASEAN Customs Declaration Document: the fifteen data elements ASEAN member states agreed to exchange
 * from an export declaration. Party identifiers are the exporting country's (a Vietnamese MST, a Thai
 * 13-digit tax id, ...), so they are only bounded in length here.
 * @example const acdd: Acdd = deriveAcdd(declaration, '326000000011')
 */
export const Acdd = z.strictObject({
  exportDeclarationNumber: Identifier,
  exporter: z.strictObject({ id: Identifier, name: PartyName }),
  consignee: z.strictObject({ name: PartyName, address: Address }),
  declaringAgent: z.strictObject({ id: Identifier, name: PartyName }).optional(),
  departureDate: IsoDate,
  outwardTransportMode: TransportModeCode,
  portOfDischarge: UnLocode,
  items: z.array(AcddItem).min(1, { error: 'must have at least 1 item' }).max(999, { error: 'must have at most 999 items' }),
});
export type Acdd = z.infer<typeof Acdd>;

/** The ACDD's XML form: `<ACDD xmlns="urn:swx:xsd:acdd:1">`, described by acdd.xsd beside this file. */
export const acddSpec = defineDocumentSpec({
  documentType: 'ACDD',
  rootElement: 'ACDD',
  namespace: 'urn:swx:xsd:acdd:1',
  schema: Acdd,
  itemElements: { items: 'Item' },
});
