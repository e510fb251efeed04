import type { DeclarationStatus, TimelineStep } from '../declaration/declaration.js';
import { CoreError } from '../errors.js';

/** The steps that change what an officer decides from: the status, the channel, decisions, the preference, a cancellation. */
const CLEARANCE_STEPS: ReadonlySet<string> = new Set([
  'STATUS_CHANGED',
  'CHANNEL_ASSIGNED',
  'DECISION_RECORDED',
  'PREFERENCE_DECIDED',
  'DECLARATION_CANCELLED',
]);

const ETAG = /^"([A-Z_]+)@(-?\d+)"$/;

/**
 * The version of a declaration's clearance, as the strong ETag of `GET /v1/clearances/{id}`: its status and the ledger
 * index of the last step that changed what an officer decides from (`"UNDER_REVIEW@42"`). Each decision moves it; a
 * message merely delivered or receipted does not, so an officer is not sent back for news that changes nothing.
 * @example clearanceETag('HELD', timeline) // '"HELD@57"'
 */
export function clearanceETag(status: DeclarationStatus, timeline: readonly Pick<TimelineStep, 'type' | 'ledgerIndex'>[]): string {
  const last = timeline.reduce((index, step) => (CLEARANCE_STEPS.has(step.type) ? Math.max(index, step.ledgerIndex) : index), -1);
  return formatClearanceETag(status, last);
}

/**
 * The ETag of a clearance in `status` whose last clearance step is at `ledgerIndex`.
 * @example formatClearanceETag('HELD', 57) // '"HELD@57"'
 */
export function formatClearanceETag(status: DeclarationStatus, ledgerIndex: number): string {
  return `"${status}@${ledgerIndex}"`;
}

/** What an officer decided from: the ETag read (`If-Match`) and/or the status seen (`expectedStatus`). */
export interface DecisionPrecondition {
  readonly ifMatch?: string | undefined;
  readonly expectedStatus?: DeclarationStatus | undefined;
}

/**
 * Checks that the declaration is still as the officer read it (RFC 9110 13.1.1 If-Match, strong comparison; `*`
 * matches any). Without a precondition, the decision applies to the declaration as it is now (backwards compatible).
 * Throws CLEARANCE_CHANGED (409) saying what changed: the status now, and who decided it when.
 * @example checkDecisionPrecondition({ id, declarationNumber, status: 'HELD' }, timeline, { ifMatch: '"UNDER_REVIEW@12"' }) // throws
 */
export function checkDecisionPrecondition(
  declaration: { readonly id: string; readonly declarationNumber: string; readonly status: DeclarationStatus },
  timeline: readonly TimelineStep[],
  precondition: DecisionPrecondition,
): void {
  const current = clearanceETag(declaration.status, timeline);
  const { ifMatch, expectedStatus } = precondition;
  if (ifMatch !== undefined) {
    const tags = ifMatch.split(',').map((tag) => tag.trim());
    if (!tags.includes('*') && !tags.includes(current)) {
      const read = tags.map((tag) => ETAG.exec(tag)).find((match) => match !== null);
      const since = read ? Number(read[2]) : undefined;
      const was = read && read[1] !== declaration.status ? ` (was ${read[1]})` : '';
      throw changed(declaration, timeline, since, `If-Match ${ifMatch} is not its ETag ${current} any more: it is now ${declaration.status}${was}`);
    }
  }
  if (expectedStatus !== undefined && expectedStatus !== declaration.status) {
    throw changed(declaration, timeline, undefined, `it is now ${declaration.status}, not ${expectedStatus}`);
  }
}

function changed(
  declaration: { readonly id: string; readonly declarationNumber: string },
  timeline: readonly TimelineStep[],
  since: number | undefined,
  what: string,
): CoreError {
  const after = timeline.filter((step) => CLEARANCE_STEPS.has(step.type) && (since === undefined || step.ledgerIndex > since));
  const by = [...after].reverse().find((step) => step.type === 'DECISION_RECORDED' || step.type === 'DECLARATION_CANCELLED');
  const last = by ?? after.at(-1);
  return new CoreError(
    'CLEARANCE_CHANGED',
    `declaration ${declaration.declarationNumber} changed since it was read: ${what}${last ? `, ${describeStep(last)}` : ''}. ` +
      `Read it again (GET /v1/clearances/${declaration.id}) and decide from what it is now`,
  );
}

/** A step as an officer reads it: who did what, when, and its ledger index. */
function describeStep(step: TimelineStep): string {
  const { detail } = step;
  if (step.type === 'DECISION_RECORDED') {
    const name = typeof detail['officerName'] === 'string' ? ` (${detail['officerName']})` : '';
    return `after ${String(detail['action'])} by officer ${String(detail['officer'])}${name} at ${step.at} (ledger index ${step.ledgerIndex})`;
  }
  if (step.type === 'DECLARATION_CANCELLED') return `cancelled by its trader at ${step.at} (ledger index ${step.ledgerIndex})`;
  return `after ${step.type} at ${step.at} (ledger index ${step.ledgerIndex})`;
}
