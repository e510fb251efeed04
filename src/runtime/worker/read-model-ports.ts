import { D1ApiKeyReads, type ReadModelAnswer } from '../../adapters/d1/d1-api-key-reads.js';
import { D1ClearanceQueries } from '../../adapters/d1/d1-clearance-queries.js';
import { D1ExchangeReportQueries } from '../../adapters/d1/d1-exchange-report-queries.js';
import { D1MessageQueries } from '../../adapters/d1/d1-message-queries.js';
import type { ApiKeyStore } from '../../core/auth/api-key.js';
import type { ClearanceQueries } from '../../core/clearance/clearance-search.js';
import type { MessageQueries } from '../../core/exchange/message-search.js';
import type { ExchangeReportQueries } from '../../core/report/exchange-report.js';
import { answerValue, type StorageAnswer, type StoragePorts } from './storage-rpc.js';
import type { WorkerPorts } from './worker-ports.js';

/** The read model's ports (the rest of StoragePorts stays with the EXCHANGE object). */
export type ReadModelPorts = Pick<StoragePorts, 'apiKeys' | 'clearances' | 'messages' | 'reports'>;

/** The ports whose reads D1 serves once it holds every commit. */
export type ReadModelPort = 'clearances' | 'messages' | 'reports';

/** Asks the EXCHANGE object for one read: null when D1 holds every commit (read it there), else the object's answer. */
export type ReadIfBehind = (port: ReadModelPort, method: string, args: unknown[]) => Promise<StorageAnswer | null>;

/**
 * The stateless Worker's reads of D1, the read model the EXCHANGE object projects (D1ReadModelProjection):
 * - searches and the MIS report ask the object first, in one small call, whether D1 holds every commit; if it does,
 *   D1 runs the query, otherwise the object answers it, so a GET right after a POST sees the POST (read-your-writes);
 * - API key lookups read D1 alone, unless a key change is under way that D1 does not show yet (D1ApiKeyReads); then,
 *   as for key creation and revocation, the object answers;
 * - when D1 fails, the object answers, and the failure is logged.
 * @example const reads = readModelPortsOver(env.DB, (port, method, args) => stub.readIfBehind(port, method, args), rpc, log)
 */
export function readModelPortsOver(db: D1Database, readIfBehind: ReadIfBehind, object: StoragePorts, log: WorkerPorts['log']): ReadModelPorts {
  const d1 = {
    clearances: new D1ClearanceQueries(db),
    messages: new D1MessageQueries(db),
    reports: new D1ExchangeReportQueries(db),
    apiKeys: new D1ApiKeyReads(db),
  };
  const fallBack =
    <T>(what: string, fromObject: () => Promise<T>) =>
    (error: unknown) => {
      log('warn', `the read model (D1) failed, the EXCHANGE object answers ${what}`, { error: (error as Error).message });
      return fromObject();
    };
  async function read<T>(port: ReadModelPort, method: string, args: unknown[], fromD1: () => Promise<T>, fromObject: () => Promise<T>): Promise<T> {
    const answer = await readIfBehind(port, method, args);
    if (answer !== null) return answerValue(answer) as T;
    return fromD1().catch(fallBack(`${port}.${method}`, fromObject));
  }
  async function readKeys<T>(method: string, fromD1: () => Promise<ReadModelAnswer<T>>, fromObject: () => Promise<T>): Promise<T> {
    const answer = await fromD1().catch(fallBack(`apiKeys.${method}`, async () => ({ current: false }) as const));
    return answer.current ? answer.value : fromObject();
  }
  const clearances: ClearanceQueries = {
    search: (filter) =>
      read(
        'clearances',
        'search',
        [filter],
        () => d1.clearances.search(filter),
        () => object.clearances.search(filter),
      ),
  };
  const messages: MessageQueries = {
    search: (filter) =>
      read(
        'messages',
        'search',
        [filter],
        () => d1.messages.search(filter),
        () => object.messages.search(filter),
      ),
  };
  const reports: ExchangeReportQueries = {
    messageCounts: (period) =>
      read(
        'reports',
        'messageCounts',
        [period],
        () => d1.reports.messageCounts(period),
        () => object.reports.messageCounts(period),
      ),
    releases: (period) =>
      read(
        'reports',
        'releases',
        [period],
        () => d1.reports.releases(period),
        () => object.reports.releases(period),
      ),
    declarationsPerDay: (period) =>
      read(
        'reports',
        'declarationsPerDay',
        [period],
        () => d1.reports.declarationsPerDay(period),
        () => object.reports.declarationsPerDay(period),
      ),
  };
  const apiKeys: ApiKeyStore = {
    save: (key) => object.apiKeys.save(key),
    create: (key) => object.apiKeys.create(key),
    revoke: (id, revokedAt, revokedBy) => object.apiKeys.revoke(id, revokedAt, revokedBy),
    findByTokenHash: (tokenHash) =>
      readKeys(
        'findByTokenHash',
        () => d1.apiKeys.findByTokenHash(tokenHash),
        () => object.apiKeys.findByTokenHash(tokenHash),
      ),
    list: () =>
      readKeys(
        'list',
        () => d1.apiKeys.list(),
        () => object.apiKeys.list(),
      ),
  };
  return { apiKeys, clearances, messages, reports };
}
