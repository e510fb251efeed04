import { readFileSync } from 'node:fs';
import { Eah, eahCodec } from '../../message-schemas/eah/1/schema.js';
import { Ephyto, ephytoCodec } from '../../message-schemas/ephyto/1/schema.js';
import type { ImportDeclaration } from '../../message-schemas/import-declaration/1/schema.js';
import { canonicalizeDocument } from '../../src/adapters/xml/exclusive-c14n.js';
import { parseXmlTree } from '../../src/adapters/xml/parse-xml-tree.js';

const EXAMPLES = new URL('../../message-schemas/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, EXAMPLES), 'utf8');

/** The README's worked example: the ePhyto Indonesia issues for the mangosteens and ginger. */
export const WORKED_EPHYTO = Ephyto.parse(JSON.parse(read('ephyto/1/examples/valid-id-worked-example.json')));
/** The README's worked example: the import declaration that needs it (citing ID-EPHYTO-2026-000458). */
export const WORKED_SPS_IMPORT = JSON.parse(read('import-declaration/1/examples/valid-with-ephyto.json')) as ImportDeclaration;
/** An e-AH from Thailand for frozen chicken, to Hai Phong Cold Storage Food JSC (0201234567). */
export const CHICKEN_EAH = Eah.parse(JSON.parse(read('eah/1/examples/valid-th-frozen-chicken.json')));

/**
 * The worked ePhyto under its own number, as canonical XML ready for an envelope, with changes.
 * @example await id.send('EPHYTO', anEphyto('ID-T-1'))
 */
export function anEphyto(certificateNumber: string, changes: Partial<Ephyto> = {}): string {
  return ephytoCodec.write({ ...WORKED_EPHYTO, certificateNumber, ...changes });
}

/** The e-AH example under its own number, as canonical XML. */
export function anEah(certificateNumber: string): string {
  return eahCodec.write({ ...CHICKEN_EAH, certificateNumber });
}

/**
 * An example file of message-schemas/ as a partner's system wrote it (its prefixes, its white space), with the
 * worked certificate number replaced, in canonical form so that it can be signed as it is.
 * @example anEphytoFile('ephyto/1/examples/valid-odd-prefixes.xml', 'ID-T-9')
 */
export function anEphytoFile(path: string, certificateNumber: string, replacing = WORKED_EPHYTO.certificateNumber): string {
  return canonicalizeDocument(parseXmlTree(read(path).replaceAll(replacing, certificateNumber)));
}

/**
 * The worked import declaration citing ePhyto `certificateNumber`, with changes.
 * @example anImportNeeding('ID-T-1', { certificates: undefined })
 */
export function anImportNeeding(certificateNumber: string, changes: Partial<ImportDeclaration> = {}): ImportDeclaration {
  const declaration: ImportDeclaration = {
    ...WORKED_SPS_IMPORT,
    certificates: [{ typeCode: '851', referenceNumber: certificateNumber }],
    ...changes,
  };
  if (declaration.certificates === undefined) delete (declaration as { certificates?: unknown }).certificates;
  return declaration;
}

/** The worked import with customs values above the 40,000 USD threshold: yellow, so it waits for an officer once documented. */
export function aYellowImportNeeding(certificateNumber: string): ImportDeclaration {
  return anImportNeeding(certificateNumber, {
    items: WORKED_SPS_IMPORT.items.map((item) => ({ ...item, customsValue: item.customsValue * 2 })),
    invoice: { ...WORKED_SPS_IMPORT.invoice, totalValue: WORKED_SPS_IMPORT.invoice.totalValue * 2 },
  });
}
