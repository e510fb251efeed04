import type { ApiKeyStore } from '../../core/auth/api-key.js';
import type { ClearanceQueries } from '../../core/clearance/clearance-search.js';
import { CoreError, type CoreErrorCode, type FieldIssue, isCoreError } from '../../core/errors.js';
import type { ExchangeStore } from '../../core/exchange/exchange-store.js';
import type { MessageQueries } from '../../core/exchange/message-search.js';
import type { CheckpointIssuer, LedgerStore } from '../../core/ledger/ledger-store.js';
import type { MandateStore } from '../../core/mandate/mandate.js';
import type { ExchangeReportQueries } from '../../core/report/exchange-report.js';

/**
 * The storage ports of swx on Workers: every one lives in the EXCHANGE Durable Object (the system of record), and
 * the stateless Worker reaches each method through one RPC call (`ExchangeObject.call`).
 */
export interface StoragePorts {
  readonly store: ExchangeStore;
  readonly ledger: LedgerStore;
  readonly checkpoints: CheckpointIssuer;
  readonly apiKeys: ApiKeyStore;
  readonly mandates: MandateStore;
  readonly clearances: ClearanceQueries;
  readonly reports: ExchangeReportQueries;
  readonly messages: MessageQueries;
}

export type StoragePortName = keyof StoragePorts;

type AsyncMethodsOf<T> = { [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof T] & string;

/** The methods callable over RPC, per port: the whole port (the compiler checks none is missing), and nothing else of the objects behind it. */
export const STORAGE_METHODS = {
  store: [
    'commit',
    'nextDeclarationSequence',
    'findIdempotency',
    'getDeclaration',
    'getTimeline',
    'getMessage',
    'getCertificate',
    'findCertificates',
    'listCertificates',
    'listDeclarationsRelyingOn',
    'getAssessment',
    'listAwaitingDeclarations',
    'guardVersions',
    'listReplies',
    'listMessages',
    'dueOutbox',
    'overdueOutbox',
    'getOutbox',
    'listOutbox',
    'outboxSummary',
  ],
  ledger: ['append', 'size', 'entries', 'subtreeHashes', 'saveCheckpoint', 'latestCheckpoint', 'checkpointCovering'],
  checkpoints: ['covering', 'latest'],
  apiKeys: ['save', 'create', 'findByTokenHash', 'list', 'revoke'],
  mandates: ['grant', 'revoke', 'get', 'list', 'listBetween'],
  clearances: ['search'],
  reports: ['messageCounts', 'releases', 'declarationsPerDay'],
  messages: ['search'],
} as const satisfies { readonly [P in StoragePortName]: readonly AsyncMethodsOf<StoragePorts[P]>[] };

type Unlisted<P extends StoragePortName> = Exclude<AsyncMethodsOf<StoragePorts[P]>, (typeof STORAGE_METHODS)[P][number]>;
/** Fails to compile, naming the method, when a port gains a method STORAGE_METHODS does not list. */
const EVERY_METHOD_LISTED: { readonly [P in StoragePortName]: [Unlisted<P>] extends [never] ? true : Unlisted<P> } = {
  store: true,
  ledger: true,
  checkpoints: true,
  apiKeys: true,
  mandates: true,
  clearances: true,
  reports: true,
  messages: true,
};
void EVERY_METHOD_LISTED;

/**
 * What one call answers across the RPC boundary. A CoreError travels as data: RPC keeps only an error's name and
 * message, and the HTTP layer needs its code, field issues and Retry-After.
 */
export type StorageAnswer =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly error: {
        readonly code: CoreErrorCode;
        readonly message: string;
        readonly issues: readonly FieldIssue[];
        readonly retryAfterSeconds?: number;
      };
    };

/**
 * Runs one storage call on the ports (inside the Durable Object). Refuses a port or method not in STORAGE_METHODS.
 * @example await dispatchStorageCall(ports, 'store', 'getDeclaration', ['0b9c…'])
 */
export async function dispatchStorageCall(ports: StoragePorts, port: string, method: string, args: readonly unknown[]): Promise<StorageAnswer> {
  if (!Object.hasOwn(STORAGE_METHODS, port) || !(STORAGE_METHODS[port as StoragePortName] as readonly string[]).includes(method)) {
    throw new TypeError(`no storage method ${port}.${method}`);
  }
  const target = ports[port as StoragePortName] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  try {
    return { ok: true, value: await target[method]?.apply(target, [...args]) };
  } catch (error) {
    if (!isCoreError(error)) throw error;
    return {
      ok: false,
      error: {
        code: error.code,
        message: error.message,
        issues: error.issues,
        ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
      },
    };
  }
}

/**
 * The value of an answer, or its CoreError thrown again.
 * @example answerValue(await stub.call('store', 'getDeclaration', [id]))
 */
export function answerValue(answer: StorageAnswer): unknown {
  if (answer.ok) return answer.value;
  const { code, message, issues, retryAfterSeconds } = answer.error;
  throw new CoreError(code, message, { issues, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
}

/** Sends one storage call to where the ports live (the Durable Object stub's `call`). */
export type StorageCaller = (port: StoragePortName, method: string, args: unknown[]) => Promise<StorageAnswer>;

/**
 * The storage ports as the stateless Worker sees them: each method one call through `caller`, a CoreError thrown
 * there thrown here again.
 * @example const ports = storagePortsOver((port, method, args) => env.EXCHANGE.getByName('exchange').call(port, method, args))
 */
export function storagePortsOver(caller: StorageCaller): StoragePorts {
  const portOver = <P extends StoragePortName>(port: P): StoragePorts[P] =>
    Object.fromEntries(
      (STORAGE_METHODS[port] as readonly string[]).map((method) => [
        method,
        async (...args: unknown[]) => answerValue(await caller(port, method, args)),
      ]),
    ) as unknown as StoragePorts[P];
  return {
    store: portOver('store'),
    ledger: portOver('ledger'),
    checkpoints: portOver('checkpoints'),
    apiKeys: portOver('apiKeys'),
    mandates: portOver('mandates'),
    clearances: portOver('clearances'),
    reports: portOver('reports'),
    messages: portOver('messages'),
  };
}
