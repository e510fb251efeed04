/**
 * What a declaration declared, as filed: its parties (an import's importer is the Vietnamese trader, its exporter the
 * consignor abroad), every line of goods, the invoice, the transport and the certificates it cites.
 */
import type { ExportDeclaration } from '../../../../../message-schemas/export-declaration/1/schema.js';
import type { ImportDeclaration } from '../../../../../message-schemas/import-declaration/1/schema.js';
import type { ClearanceView } from '../api-types.js';
import { type Content, dl, h, table } from '../dom.js';
import { term } from '../terms.js';
import { stackOnPhones } from './stack-on-phones.js';

/** The declaration as its trader filed it: export or import, told apart by the view's kind. */
export type Filed =
  | { readonly kind: 'EXPORT'; readonly document: ExportDeclaration }
  | { readonly kind: 'IMPORT'; readonly document: ImportDeclaration };

/** The filed declaration of a clearance, or null when the view carries none (it always should). */
export function filedOf(view: ClearanceView): Filed | null {
  if (typeof view.declaration !== 'object' || view.declaration === null) return null;
  return view.kind === 'IMPORT'
    ? { kind: 'IMPORT', document: view.declaration as ImportDeclaration }
    : { kind: 'EXPORT', document: view.declaration as ExportDeclaration };
}

/**
 * The Vietnamese trader the declaration is filed for: an export's exporter, an import's importer (never the consignor
 * abroad, whom an import also calls "exporter").
 */
export function traderOf(filed: Filed | null): string {
  if (filed === null) return '';
  return filed.kind === 'IMPORT' ? filed.document.importer.name : filed.document.exporter.name;
}

/**
 * The names the declaration gives its Vietnamese parties by tax id: the trader (an export's exporter, an import's
 * importer) and the customs broker declaring for it ("…, customs broker"); undefined for a tax id it does not name.
 * @example partyNamesOf(filedOf(view))('0301234567') // 'Saigon Pepper Trading'
 */
export function partyNamesOf(filed: Filed | null): (taxId: string) => string | undefined {
  if (filed === null) return () => undefined;
  const party = filed.kind === 'IMPORT' ? filed.document.importer : filed.document.exporter;
  const agent = filed.document.declaringAgent;
  const names = new Map<string, string>();
  if (agent !== undefined) names.set(agent.taxId, `${agent.name}, customs broker`);
  names.set(party.taxId, party.name);
  return (taxId) => names.get(taxId);
}

const MODES: Readonly<Record<string, string>> = {
  '1': 'sea',
  '2': 'rail',
  '3': 'road',
  '4': 'air',
  '5': 'mail',
  '6': 'multimodal',
  '7': 'fixed installation',
  '8': 'inland water',
};
const CERTIFICATE_TYPES: Readonly<Record<string, string>> = {
  '851': 'phytosanitary certificate',
  '852': 'sanitary certificate',
  '853': 'veterinary certificate',
  '861': 'certificate of origin',
  '811': 'export licence',
};

const number = (value: number, digits = 2): string => value.toLocaleString('en-US', { maximumFractionDigits: digits });
/** A column header with its unit after the term: "Value · Trị giá (USD)". */
function withUnit(label: DocumentFragment, unit: string): DocumentFragment {
  label.append(` (${unit})`);
  return label;
}

const cell = (value: Content, className = 'number'): HTMLTableCellElement => h('td', { class: className }, value);

function goods(filed: Filed): HTMLElement {
  const { items, invoice } = filed.document;
  const { box, body } = table('goods', [
    '#',
    term('hsCode'),
    term('description'),
    term('quantity'),
    term('origin'),
    withUnit(term('value'), invoice.currency),
    withUnit(term('grossWeight'), 'kg'),
  ]);
  body.append(
    ...items.map((item, index) =>
      h(
        'tr',
        {},
        cell(index + 1),
        h('td', {}, item.hsCode),
        h('td', {}, item.description),
        cell(`${number(item.quantity, 3)} ${item.unit}`),
        h('td', {}, item.countryOfOrigin),
        cell(number(item.customsValue)),
        cell(number(item.grossWeightKg, 3)),
      ),
    ),
  );
  stackOnPhones(box);
  const totalValue = cell(number(items.reduce((sum, item) => sum + item.customsValue, 0)));
  const totalWeight = cell(
    number(
      items.reduce((sum, item) => sum + item.grossWeightKg, 0),
      3,
    ),
  );
  // On a phone each cell is labelled: the value and weight columns with their units.
  for (const tr of body.rows) {
    tr.cells[5]?.setAttribute('data-label', `Value (${invoice.currency})`);
    tr.cells[6]?.setAttribute('data-label', 'Gross weight (kg)');
  }
  totalValue.dataset['label'] = `Value (${invoice.currency})`;
  totalWeight.dataset['label'] = 'Gross weight (kg)';
  body.append(h('tr', { class: 'total' }, h('th', { scope: 'row', colspan: 5 }, `Total of ${items.length} line(s)`), totalValue, totalWeight));
  return h('section', { id: 'goods-block', 'aria-labelledby': 'goods-heading' }, h('h3', { id: 'goods-heading' }, term('goods')), box);
}

function parties(filed: Filed): HTMLDListElement {
  const d = filed.document;
  const agent = d.declaringAgent ? [[`Declaring agent`, `${d.declaringAgent.name} (${d.declaringAgent.taxId})`, 'agent'] as const] : [];
  if (filed.kind === 'IMPORT') {
    const i = filed.document;
    return dl('parties', [
      [term('importer'), `${i.importer.name} (${i.importer.taxId}), ${i.importer.address}`, 'importer'],
      [term('consignor'), `${i.exporter.name}, ${i.exporter.address}, ${i.exporter.country}`, 'consignor'],
      ...agent,
    ]);
  }
  const e = filed.document;
  return dl('parties', [
    [term('exporter'), `${e.exporter.name} (${e.exporter.taxId}), ${e.exporter.address}`, 'exporter'],
    [term('consignee'), `${e.consignee.name}, ${e.consignee.address}, ${e.consignee.country}`, 'consignee'],
    ...agent,
  ]);
}

function transport(filed: Filed): HTMLDListElement {
  if (filed.kind === 'IMPORT') {
    const i = filed.document;
    return dl('transport', [
      ['Mode', `${MODES[i.inwardTransportMode] ?? i.inwardTransportMode} (${i.inwardTransportMode})`, 'mode'],
      ['Means of transport', i.meansOfTransportId, 'means'],
      ['From', `${i.exportCountry}, port of loading ${i.portOfLoading}`, 'from'],
      ['To', `port of discharge ${i.portOfDischarge}`, 'to'],
      ['Arrival', i.arrivalDate, 'arrival'],
    ]);
  }
  const e = filed.document;
  return dl('transport', [
    ['Mode', `${MODES[e.outwardTransportMode] ?? e.outwardTransportMode} (${e.outwardTransportMode})`, 'mode'],
    ['Means of transport', e.meansOfTransportId, 'means'],
    ['From', `port of loading ${e.portOfLoading}`, 'from'],
    ['To', `${e.destinationCountry}, port of discharge ${e.portOfDischarge}`, 'to'],
    ['Departure', e.departureDate, 'departure'],
  ]);
}

function certificates(filed: Filed): HTMLElement {
  const cited = (filed.document.certificates ?? []).map((c) =>
    h('li', {}, `${CERTIFICATE_TYPES[c.typeCode] ?? 'document'} (${c.typeCode}) ${c.referenceNumber}`),
  );
  const claim = filed.kind === 'IMPORT' ? filed.document.preference : undefined;
  if (claim) cited.unshift(h('li', {}, `ATIGA e-Form D ${claim.formDReference} issued by ${claim.issuingCountry} (preference claimed)`));
  return h('ul', { id: 'certificates-cited' }, ...(cited.length === 0 ? [h('li', {}, 'None cited.')] : cited));
}

/**
 * The filed declaration's sections: parties, goods, invoice, transport and certificates cited.
 * @example root.append(...declarationContent(filed))
 */
export function declarationContent(filed: Filed): HTMLElement[] {
  const { invoice, declarationType } = filed.document;
  return [
    h(
      'section',
      { class: 'columns' },
      h('div', {}, h('h3', {}, 'Parties'), parties(filed), h('p', {}, `Declaration type ${declarationType}`)),
      h('div', {}, h('h3', {}, term('transport')), transport(filed)),
      h(
        'div',
        {},
        h('h3', {}, term('invoice')),
        dl('invoice', [
          ['Number', invoice.number, 'number'],
          ['Date', invoice.date, 'date'],
          ['Total', `${number(invoice.totalValue)} ${invoice.currency}`, 'total'],
        ]),
      ),
      h('div', {}, h('h3', {}, 'Certificates cited'), certificates(filed)),
    ),
    goods(filed),
  ];
}
