/**
 * A declaration's history steps in words: what happened and who did it, from the step's type and the details the
 * ledger recorded with it. A step this list does not know is shown by its type in words, with its details.
 */
import type { ClearanceView } from '../api-types.js';

type Step = ClearanceView['history'][number];
type Detail = Readonly<Record<string, unknown>>;

/** A step told in words: what, and who (a person, an agency, a partner gateway, or swx itself). */
export interface StepWords {
  readonly what: string;
  readonly who: string;
}

/** The name the declaration gives a Vietnamese party by its tax id (the trader, or the customs broker filing for it). */
export type PartyNames = (taxId: string) => string | undefined;

const text = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));
const SWX = 'swx';

/** "trader 0301234567 (Saigon Pepper Trading)": the tax id the ledger recorded, with the declaration's name for it. */
const trader = (taxId: unknown, names: PartyNames): string => {
  const id = text(taxId);
  const name = names(id);
  return name === undefined ? `trader ${id}` : `trader ${id} (${name})`;
};

const WORDS: Readonly<Record<string, (d: Detail, names: PartyNames) => StepWords>> = {
  DOCUMENT_RECEIVED: (d, names) => ({
    what: `${text(d['documentType']).replaceAll('_', ' ').toLowerCase()} filed (${text(d['mediaType'])})`,
    who: trader(d['partyId'], names),
  }),
  DECLARATION_ACCEPTED: (d) => {
    const awaiting = Array.isArray(d['awaiting']) && d['awaiting'].length > 0 ? `; awaiting ${d['awaiting'].map(text).join('; ')}` : '';
    return { what: `Accepted as declaration ${text(d['declarationNumber'])}${awaiting}`, who: SWX };
  },
  CHANNEL_ASSIGNED: (d) => {
    const reasons = Array.isArray(d['reasons']) ? d['reasons'].map((r) => text((r as Detail)['detail'])).join('; ') : '';
    return { what: `Channel ${text(d['channel'])}${reasons ? `: ${reasons}` : ''}`, who: SWX };
  },
  STATUS_CHANGED: (d) => ({ what: `Status ${d['from'] ? `${text(d['from'])} → ` : ''}${text(d['status'])}`, who: SWX }),
  DECISION_RECORDED: (d) => ({
    what: `Decision: ${text(d['action'])} (${text(d['from'])} → ${text(d['to'])}). Reason: ${text(d['reason'])}`,
    who: d['officerName'] ? `${text(d['officerName'])} (${text(d['officer'])})` : text(d['officer']),
  }),
  PREFERENCE_DECIDED: (d) => ({
    what: `ATIGA preference ${text(d['outcome']).toLowerCase()} under e-Form D ${text(d['formDReference'])} from ${text(d['issuingCountry'])}`,
    who: SWX,
  }),
  DOCUMENT_SIGNED: (d) => ({ what: `${text(d['documentType'])} signed for ${text(d['to'])}`, who: SWX }),
  MESSAGE_QUEUED: (d) => ({ what: `${text(d['documentType'])} queued for ${text(d['partner'])}`, who: SWX }),
  MESSAGE_DELIVERED: (d) => ({ what: `Delivered to ${text(d['partner'])} (attempt ${text(d['attempts'])})`, who: SWX }),
  DELIVERY_FAILED: (d) => ({
    what: `Delivery to ${text(d['partner'])} failed (attempt ${text(d['attempt'])}): ${text(d['error'])}; next try ${text(d['nextAttemptAt'])}`,
    who: SWX,
  }),
  MESSAGE_DEAD_LETTERED: (d) => ({
    what: `Delivery to ${text(d['partner'])} given up after ${text(d['attempts'])} attempts: ${text(d['error'])}`,
    who: SWX,
  }),
  RECEIPT_VERIFIED: (d) => ({ what: `${text(d['partner'])}’s signed receipt verified: ${text(d['status'])}`, who: `gateway ${text(d['partner'])}` }),
  RESPONSE_RECEIVED: (d) => {
    const summary = (d['summary'] ?? {}) as Detail;
    return {
      what: `${text(d['documentType'])} received from ${text(d['from'])}${summary['status'] ? `: ${text(summary['status'])}` : ''}`,
      who: `gateway ${text(d['from'])}`,
    };
  },
  RECEIPT_SENT: (d) => ({ what: `Signed receipt sent to ${text(d['to'])}: ${text(d['status'])}`, who: SWX }),
  DECLARATION_CANCELLED: (d, names) => ({ what: `Cancelled: ${text(d['reason'])}`, who: trader(d['by'], names) }),
  CERTIFICATE_ACKNOWLEDGED: (d) => ({
    what: `${text(d['documentType'])} ${text(d['referenceNumber'])} ${text(d['decision']).toLowerCase()}${d['reason'] ? `: ${text(d['reason'])}` : ''}`,
    who: text(d['agency'] ?? d['acknowledgedBy']),
  }),
};

/** Details shown as "key: value" when a step has no words of its own. */
const fallback = (step: Step): StepWords => ({
  what: `${step.type.replaceAll('_', ' ').toLowerCase()}: ${Object.entries(step.detail)
    .map(([key, value]) => `${key} ${text(value)}`)
    .join(', ')}`,
  who: SWX,
});

/**
 * What a history step says, in words; a trader is named by its tax id and, when the declaration names it, its name.
 * @example describeStep({ type: 'DECISION_RECORDED', detail: { action: 'hold', officerName: 'Nguyen Thi Lan', ... } }, () => undefined).who // 'Nguyen Thi Lan (VN-CUSTOMS)'
 */
export function describeStep(step: Step, names: PartyNames): StepWords {
  const words = WORDS[step.type]?.(step.detail, names) ?? fallback(step);
  return { what: words.what.charAt(0).toUpperCase() + words.what.slice(1), who: words.who };
}
