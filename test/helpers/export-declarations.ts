import { readFileSync } from 'node:fs';
import type { ExportDeclaration } from '../../message-schemas/export-declaration/1/schema.js';

const COFFEE = JSON.parse(
  readFileSync(new URL('../../message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', import.meta.url), 'utf8'),
) as ExportDeclaration;

/** Ports of discharge for the destinations tests use. */
const PORTS: Readonly<Record<string, string>> = { TH: 'THLCH', SG: 'SGSIN', MY: 'MYPKG', KR: 'KRPUS' };

export interface ExportDeclarationOptions {
  /** Under the default channel rules: GREEN (low value), YELLOW (over 40,000 USD), RED (gold, HS 7108). */
  readonly channel?: 'GREEN' | 'YELLOW' | 'RED';
  readonly destination?: ExportDeclaration['destinationCountry'];
  readonly acddConsent?: boolean;
  readonly exporterName?: string;
  readonly exporterTaxId?: string;
  readonly hsCode?: string;
}

/**
 * The README's coffee export to Thailand, changed to land in a channel of the default rules, go elsewhere,
 * or name another exporter.
 * @example const body = JSON.stringify(anExportDeclaration({ channel: 'RED', destination: 'SG' }))
 */
export function anExportDeclaration(options: ExportDeclarationOptions = {}): ExportDeclaration {
  const channel = options.channel ?? 'YELLOW';
  const destination = options.destination ?? 'TH';
  const value = channel === 'YELLOW' ? 43_200 : 6_000;
  const items = COFFEE.items.map((item, index) => ({
    ...item,
    customsValue: value,
    ...(index === 0 && channel === 'RED' ? { hsCode: '71081200', description: 'Gold, unwrought, non-monetary' } : {}),
    ...(index === 0 && options.hsCode !== undefined ? { hsCode: options.hsCode } : {}),
  }));
  return {
    ...COFFEE,
    exporter: { ...COFFEE.exporter, name: options.exporterName ?? COFFEE.exporter.name, taxId: options.exporterTaxId ?? COFFEE.exporter.taxId },
    consignee: { ...COFFEE.consignee, country: destination },
    destinationCountry: destination,
    portOfDischarge: PORTS[destination] ?? `${destination}XXX`,
    invoice: { ...COFFEE.invoice, totalValue: value * items.length },
    acddConsent: options.acddConsent ?? true,
    items,
  };
}
