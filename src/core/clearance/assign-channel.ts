import type { ExportDeclaration } from '../../../message-schemas/export-declaration/1/schema.js';
import type { ImportDeclaration } from '../../../message-schemas/import-declaration/1/schema.js';
import type { Channel, ChannelReason } from '../declaration/declaration.js';
import type { ChannelRules } from './channel-rules.js';

export type { ChannelRules } from './channel-rules.js';

/** What the runtime knows about a submission beyond the document. */
export interface ChannelContext {
  /** The submitting party (its API key's partyId). */
  readonly partyId: string;
  /** Whether customs has a record of the exporter; when absent, the unknown-exporter rule does not apply. */
  readonly exporterKnown?: boolean;
}

export interface ChannelAssignment {
  readonly channel: Channel;
  /** Every rule that matched, in the rules file's order; empty when the default channel applied. */
  readonly reasons: readonly ChannelReason[];
}

const STRICTNESS: Readonly<Record<Channel, number>> = { GREEN: 0, YELLOW: 1, RED: 2 };

/**
 * Assigns the clearance channel: the strictest of the default channel and every matching rule. For an import
 * declaration the importer stands where the exporter does; its required certificates are assessed by the
 * document requirements (src/core/import-assessment/document-requirements.ts), which hold the received certificates.
 * @example assignChannel(declaration, rules, { partyId: '0101234567' }) // { channel: 'RED', reasons: [{ rule: 'arms-ammunition', detail: '…' }] }
 */
export function assignChannel(declaration: ExportDeclaration | ImportDeclaration, rules: ChannelRules, context: ChannelContext): ChannelAssignment {
  const matches: { channel: Channel; reason: ChannelReason }[] = [];
  const match = (rule: { id: string; channel: Channel }, detail: string): void => {
    matches.push({ channel: rule.channel, reason: { rule: rule.id, detail } });
  };
  const items = declaration.items.map((item, index) => ({ line: index + 1, hsCode: item.hsCode }));
  const itemsUnder = (prefixes: readonly string[]) => items.filter((item) => prefixes.some((prefix) => item.hsCode.startsWith(prefix)));
  const describe = (lines: readonly { line: number; hsCode: string }[]) => lines.map((item) => `item ${item.line} (HS ${item.hsCode})`).join(', ');

  for (const rule of rules.sensitiveGoods) {
    const lines = itemsUnder(rule.hsPrefixes);
    if (lines.length > 0) match(rule, `${rule.description}: ${describe(lines)}`);
  }

  const trader =
    'importer' in declaration ? { role: 'importer', id: declaration.importer.taxId } : { role: 'exporter', id: declaration.exporter.taxId };
  const parties = [
    trader,
    ...(declaration.declaringAgent ? [{ role: 'declaring agent', id: declaration.declaringAgent.taxId }] : []),
    { role: 'submitting party', id: context.partyId },
  ];
  for (const rule of rules.flaggedTraders) {
    const flagged = parties.filter((party) =>
      rule.taxIds.some((taxId) => party.id === taxId || (taxId.length === 10 && party.id.length === 13 && party.id.startsWith(taxId))),
    );
    if (flagged.length > 0) match(rule, `${rule.description}: ${flagged.map((party) => `${party.role} ${party.id}`).join(', ')}`);
  }

  if (rules.unknownExporter && context.exporterKnown === false && trader.role === 'exporter') {
    match(rules.unknownExporter, `${rules.unknownExporter.description}: exporter ${trader.id}`);
  }

  const currency = declaration.invoice.currency;
  const customsValue = declaration.items.reduce((total, item) => total + item.customsValue, 0);
  for (const rule of rules.valueThresholds) {
    if (rule.currency === currency && customsValue > rule.above) {
      match(rule, `${rule.description}: customs value ${customsValue} ${currency} is above ${rule.above} ${currency}`);
    }
  }

  const certificateTypes = new Set((declaration.certificates ?? []).map((certificate) => certificate.typeCode));
  for (const rule of 'importer' in declaration ? [] : rules.requiredCertificates) {
    const lines = itemsUnder(rule.hsPrefixes);
    if (lines.length > 0 && !rule.certificateTypeCodes.some((code) => certificateTypes.has(code))) {
      match(rule, `${rule.description}: no certificate of type ${rule.certificateTypeCodes.join(' or ')} for ${describe(lines)}`);
    }
  }

  const channel = matches.reduce<Channel>(
    (strictest, { channel: candidate }) => (STRICTNESS[candidate] > STRICTNESS[strictest] ? candidate : strictest),
    rules.defaultChannel,
  );
  return { channel, reasons: matches.map(({ reason }) => reason) };
}
