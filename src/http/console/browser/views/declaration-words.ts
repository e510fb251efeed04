/**
 * The declaration's vocabulary the console offers in its filters and forms, checked against the core's types so a
 * new status or channel fails the console's typecheck until it is listed here.
 */
import type { Channel, DeclarationStatus } from '../../../../core/declaration/declaration.js';
import type { TermKey } from '../terms.js';

const statusWords: Readonly<Record<DeclarationStatus, true>> = {
  AWAITING_DOCUMENTS: true,
  UNDER_REVIEW: true,
  INSPECTION: true,
  HELD: true,
  RELEASED: true,
  REJECTED: true,
  CANCELLED: true,
};
const channelWords: Readonly<Record<Channel, true>> = { GREEN: true, YELLOW: true, RED: true };

/** Every declaration status, in the order a declaration goes through them. */
export const STATUSES = Object.keys(statusWords) as DeclarationStatus[];
/** Every channel. */
export const CHANNELS = Object.keys(channelWords) as Channel[];
/** The declarations' own types and those of the messages exchanged about them (GET /v1/clearances?documentType=). */
export const DOCUMENT_TYPES = [
  'EXPORT_DECLARATION',
  'IMPORT_DECLARATION',
  'ACDD',
  'ACDD_CANCELLATION',
  'CUSTOMS_RESPONSE',
  'FORM_D',
  'FORM_D_STATUS',
  'EPHYTO',
  'EAH',
  'SPS_ACK',
] as const;

/** An officer's decisions, with the term each is labelled with. */
export const ACTIONS: Readonly<Record<string, TermKey>> = { release: 'release', hold: 'hold', inspect: 'inspect', reject: 'reject' };
