import type { ImportDeclaration } from '../../../message-schemas/import-declaration/1/schema.js';
import { assignChannel } from '../clearance/assign-channel.js';
import type { ChannelRules } from '../clearance/channel-rules.js';
import { initialStatus, type Channel, type ChannelReason, type DeclarationStatus } from '../declaration/declaration.js';
import type { RequirementResult } from './import-assessment.js';

export interface ImportClearance {
  readonly status: DeclarationStatus;
  readonly channel: Channel;
  readonly reasons: readonly ChannelReason[];
}

const STRICTNESS: Readonly<Record<Channel, number>> = { GREEN: 0, YELLOW: 1, RED: 2 };

/**
 * Where an import declaration stands from the rules and its requirements' results: AWAITING_DOCUMENTS while any
 * result is AWAITED; otherwise released when green, under review when yellow or red. The channel is the strictest
 * of the rules' and of every result's escalation.
 * @example clearImport(document, rules, '0201234567', [{ requirement: 'form-d-preference', state: 'MET', ... }]) // { status: 'RELEASED', channel: 'GREEN', reasons: [] }
 */
export function clearImport(
  document: ImportDeclaration,
  rules: ChannelRules,
  partyId: string,
  results: readonly RequirementResult[],
): ImportClearance {
  const base = assignChannel(document, rules, { partyId });
  let channel = base.channel;
  const reasons: ChannelReason[] = [...base.reasons];
  for (const result of results) {
    if (result.escalation === undefined) continue;
    reasons.push({ rule: result.escalation.rule, detail: result.detail });
    if (STRICTNESS[result.escalation.channel] > STRICTNESS[channel]) channel = result.escalation.channel;
  }
  const awaited = results.some((result) => result.state === 'AWAITED');
  return { status: awaited ? 'AWAITING_DOCUMENTS' : initialStatus(channel), channel, reasons };
}
