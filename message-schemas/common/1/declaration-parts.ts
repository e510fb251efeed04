import { z } from 'zod';
import {
  Address,
  CountryCode,
  CurrencyCode,
  Description,
  HsCode,
  Identifier,
  IsoDate,
  PartyName,
  PositiveDecimal,
  UnitCode,
  VietnamTaxId,
} from './common-types.js';

/**
 * A certificate or licence the goods travel with, by its UN/EDIFACT 1001 document type code
 * (851 phytosanitary certificate, 853 veterinary certificate, 861 certificate of origin, 811 export licence).
 */
export const CertificateReference = z.strictObject({
  typeCode: z.string().regex(/^[0-9A-Z]{1,3}$/, { error: 'expected a UN/EDIFACT 1001 document type code such as 851' }),
  referenceNumber: Identifier,
});
export type CertificateReference = z.infer<typeof CertificateReference>;

/** The certificates and licences of a declaration: absent rather than empty. */
export const CertificateReferences = z
  .array(CertificateReference)
  .min(1, { error: 'leave certificates out rather than empty' })
  .max(99, { error: 'must have at most 99 certificates' });

/** One line of goods of an export or import declaration. Values are in the invoice's currency. */
export const GoodsItem = z.strictObject({
  hsCode: HsCode,
  description: Description,
  quantity: PositiveDecimal,
  unit: UnitCode,
  countryOfOrigin: CountryCode,
  customsValue: PositiveDecimal,
  grossWeightKg: PositiveDecimal,
});
export type GoodsItem = z.infer<typeof GoodsItem>;

/** The lines of goods of a declaration, 1 to 999. */
export const GoodsItems = z.array(GoodsItem).min(1, { error: 'must have at least 1 item' }).max(999, { error: 'must have at most 999 items' });

/** The customs broker declaring on the trader's behalf. */
export const DeclaringAgent = z.strictObject({ taxId: VietnamTaxId, name: PartyName });

/** The commercial invoice the declaration's values come from. */
export const Invoice = z.strictObject({ number: Identifier, date: IsoDate, currency: CurrencyCode, totalValue: PositiveDecimal });

/** A Vietnamese trader: its tax id, name and address. */
export const VietnamParty = z.strictObject({ taxId: VietnamTaxId, name: PartyName, address: Address });

/** A party abroad: its name, address and country. */
export const ForeignParty = z.strictObject({ name: PartyName, address: Address, country: CountryCode });
