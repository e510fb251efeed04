import { CoreError } from '../errors.js';
import { canonicalizeJson, type JsonObject } from './canonical-json.js';

export type { JsonObject, JsonValue } from './canonical-json.js';

/** Every kind of step the exchange records (design.md 3.5): a closed list, so the ledger reads the same forever. */
export const LEDGER_EVENT_TYPES = [
  'DOCUMENT_RECEIVED',
  'DOCUMENT_VALIDATED',
  'DOCUMENT_REJECTED',
  'DOCUMENT_SIGNED',
  'MESSAGE_QUEUED',
  'MESSAGE_DELIVERED',
  'DELIVERY_FAILED',
  'MESSAGE_DEAD_LETTERED',
  'RECEIPT_SENT',
  'RECEIPT_VERIFIED',
  'RESPONSE_RECEIVED',
  'DECLARATION_ACCEPTED',
  'CHANNEL_ASSIGNED',
  'STATUS_CHANGED',
  'DECISION_RECORDED',
  'DECLARATION_CANCELLED',
  'CERTIFICATE_ISSUED',
  'CERTIFICATE_ACKNOWLEDGED',
  'PREFERENCE_DECIDED',
  'KEY_ROTATED',
  'ACKNOWLEDGEMENT_RECEIVED',
  'CERTIFICATE_WITHDRAWN',
  'CERTIFICATE_REPLACED',
  'MANDATE_GRANTED',
  'MANDATE_REVOKED',
  'API_KEY_CREATED',
  'API_KEY_REVOKED',
] as const;
export type LedgerEventType = (typeof LEDGER_EVENT_TYPES)[number];

/** What happened, to what (a declaration, message or certificate id), when (ISO 8601), and its details. */
export interface LedgerEvent {
  readonly type: LedgerEventType;
  readonly subject: string;
  readonly at: string;
  readonly data: JsonObject;
}

/**
 * An event as the ledger holds it: its position, its canonical bytes and its RFC 9162 leaf hash
 * (SHA-256 of 0x00 || bytes).
 */
export interface LedgerEntry extends LedgerEvent {
  readonly index: number;
  readonly leafHash: Uint8Array;
  readonly bytes: Uint8Array;
}

const EVENT_TYPES: ReadonlySet<string> = new Set(LEDGER_EVENT_TYPES);
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The entry's bytes: the RFC 8785 canonical JSON of `{ index, type, subject, at, data }`. The index is inside
 * the bytes, so rows swapped or renumbered in storage no longer hash to the tree and are caught at their index.
 * Throws VALIDATION_FAILED, naming the field, for an event the ledger cannot hold.
 * @example encodeEntry(0, { type: 'STATUS_CHANGED', subject: 'd-1', at: '2025-01-02T03:04:05Z', data: { status: 'CLEARED' } })
 */
export function encodeEntry(index: number, event: LedgerEvent): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0) throw invalidEvent('/index', `${index} is not a ledger index`);
  checkEvent(event);
  const { type, subject, at, data } = event;
  return encoder.encode(canonicalizeJson({ index, type, subject, at, data }));
}

/**
 * Reads stored entry bytes back into the event and the index written inside them.
 * Throws LEDGER_INCONSISTENT when the bytes are not an entry, which only tampering or corruption can cause.
 * @example const { index, type } = decodeEntry(entry.bytes)
 */
export function decodeEntry(bytes: Uint8Array): LedgerEvent & { readonly index: number } {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new CoreError('LEDGER_INCONSISTENT', 'stored ledger entry bytes are not UTF-8 JSON', { cause });
  }
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { index, type, subject, at, data } = fields;
  if (
    typeof index !== 'number' ||
    !Number.isSafeInteger(index) ||
    index < 0 ||
    typeof type !== 'string' ||
    !EVENT_TYPES.has(type) ||
    typeof subject !== 'string' ||
    typeof at !== 'string' ||
    typeof data !== 'object' ||
    data === null ||
    Array.isArray(data) ||
    Object.keys(fields).length !== 5
  ) {
    throw new CoreError('LEDGER_INCONSISTENT', 'stored ledger entry bytes do not hold { index, type, subject, at, data }');
  }
  return { index, type: type as LedgerEventType, subject, at, data: data as JsonObject };
}

const SUBJECT_MEMBER = encoder.encode(',"subject":"');
const INDEX_MEMBER = encoder.encode('"index":');

/**
 * The index written inside canonical entry bytes, read without parsing them: RFC 8785 orders the members
 * at, data, index, subject, type, so the top-level index is the last `"index":` before the last `,"subject":"`
 * (bare quotes, which cannot occur inside a JSON string). For the audit, where the leaf hash already vouches
 * for the rest of the bytes. Undefined when the bytes do not have that shape.
 * @example readEntryIndex(encodeEntry(42, event)) // 42
 */
export function readEntryIndex(bytes: Uint8Array): number | undefined {
  const subject = lastIndexOf(bytes, SUBJECT_MEMBER, bytes.length);
  const member = subject < 0 ? -1 : lastIndexOf(bytes, INDEX_MEMBER, subject);
  if (member < 0) return undefined;
  let index = 0;
  let digits = 0;
  for (let at = member + INDEX_MEMBER.length; at < subject; at += 1) {
    const digit = (bytes[at] as number) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    index = index * 10 + digit;
    digits += 1;
  }
  return digits > 0 && digits <= 15 ? index : undefined;
}

function lastIndexOf(bytes: Uint8Array, pattern: Uint8Array, before: number): number {
  outer: for (let start = before - pattern.length; start >= 0; start -= 1) {
    for (let i = 0; i < pattern.length; i += 1) if (bytes[start + i] !== pattern[i]) continue outer;
    return start;
  }
  return -1;
}

function checkEvent(event: LedgerEvent): void {
  if (!EVENT_TYPES.has(event.type)) throw invalidEvent('/type', `${String(event.type)} is not a ledger event type`);
  if (typeof event.subject !== 'string' || event.subject === '') throw invalidEvent('/subject', 'must be a non-empty string');
  if (typeof event.at !== 'string' || !ISO_8601.test(event.at)) throw invalidEvent('/at', 'must be an ISO 8601 date-time');
  if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
    throw invalidEvent('/data', 'must be a JSON object');
  }
}

function invalidEvent(pointer: string, detail: string): CoreError {
  return new CoreError('VALIDATION_FAILED', `ledger event ${pointer.slice(1)} ${detail}`, { issues: [{ pointer, detail }] });
}
