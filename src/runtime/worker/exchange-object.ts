import { DurableObject } from 'cloudflare:workers';
import { D1ReadModelProjection } from '../../adapters/d1/d1-read-model-projection.js';
import { ProjectedApiKeyStore } from '../../adapters/d1/projected-api-key-store.js';
import { ProjectedSqliteExchangeStore } from '../../adapters/d1/projected-sqlite-exchange-store.js';
import { BUNDLED_MIGRATIONS } from '../../adapters/durable-objects/bundled-migrations.js';
import { DurableObjectSqlDatabase } from '../../adapters/durable-objects/durable-object-sql-database.js';
import { migrate } from '../../adapters/storage/migrate.js';
import type { SqlDatabase } from '../../adapters/storage/sql-database.js';
import { SqliteApiKeyStore } from '../../adapters/storage/sqlite-api-key-store.js';
import { SqliteClearanceQueries } from '../../adapters/storage/sqlite-clearance-queries.js';
import { SqliteExchangeReportQueries } from '../../adapters/storage/sqlite-exchange-report-queries.js';
import { SqliteLedgerStore } from '../../adapters/storage/sqlite-ledger-store.js';
import { SqliteMandateStore } from '../../adapters/storage/sqlite-mandate-store.js';
import { SqliteMessageQueries } from '../../adapters/storage/sqlite-message-queries.js';
import { SqlitePartnerCircuitLog } from '../../adapters/storage/sqlite-partner-circuit-log.js';
import { BOOTSTRAP_ADMIN_KEY_ID, installAdminToken } from '../../core/auth/api-key.js';
import type { DeliveryOutcome } from '../../core/delivery/deliver-message.js';
import { DeliveryDispatcher } from '../../core/delivery/delivery-dispatcher.js';
import type { DeliveryHealth } from '../../core/delivery/delivery-health.js';
import { DEFAULT_LEDGER_ORIGIN } from '../../core/ledger/checkpoint.js';
import { CheckpointPublisher } from '../checkpoint-publisher.js';
import { enqueueDue } from './delivery-queue.js';
import { GENERATED_WORKER_BUNDLE, generatedWorkerBundle } from './generated-worker-bundle.js';
import type { ReadModelPort } from './read-model-ports.js';
import { dispatchStorageCall, type StorageAnswer, type StoragePorts } from './storage-rpc.js';
import { createWorkerPorts, type WorkerPorts } from './worker-ports.js';

/** The most messages in flight to one partner gateway at a time, as on Node. */
const PARTNER_WINDOW = 64;
/** A dispatched job not settled after this long counts as lost with its consumer, and its message is due again. */
const DELIVERY_LEASE_MS = 10 * 60_000;
/** While unsigned entries or pending messages remain, the alarm comes back at least this often. */
const MAX_ALARM_INTERVAL_MS = 5_000;

/**
 * The EXCHANGE Durable Object: the exchange's system of record on Workers (design.md 3.1). Its SQLite storage holds the
 * schema of storage/migrations/, migrated before the object serves anything, and the SQLite adapters run over it as on
 * Node; the stateless Worker reaches them through `call` (storage-rpc.ts), one RPC per port method. Its alarm signs
 * ledger checkpoints and hands due outbox messages to the DELIVERIES queue, whose consumer reports back through
 * `settleDelivery` / `releaseDelivery`; each partner's circuit and window live here (DeliveryDispatcher).
 * @example const exchange = env.EXCHANGE.get(env.EXCHANGE.idFromName('swx')); await exchange.call('store', 'getDeclaration', [id])
 */
export class ExchangeObject extends DurableObject<Env> {
  /** The object's SQLite storage through the SQL port. */
  readonly db: SqlDatabase;
  readonly #worker: WorkerPorts;
  readonly #ports: StoragePorts;
  readonly #checkpoints: CheckpointPublisher;
  readonly #dispatcher: DeliveryDispatcher;
  readonly #projection: D1ReadModelProjection;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const db = new DurableObjectSqlDatabase(ctx.storage);
    this.db = db;
    const worker = createWorkerPorts(env, generatedWorkerBundle, GENERATED_WORKER_BUNDLE);
    this.#worker = worker;
    const ledger = new SqliteLedgerStore(db, worker);
    const projection = new D1ReadModelProjection(db, env.DB, {
      onError: (error) => worker.log('warn', 'read model projection to D1 failed', { error: (error as Error).message }),
    });
    this.#projection = projection;
    const store = new ProjectedSqliteExchangeStore(db, ledger, projection, () => void this.#wake());
    this.#checkpoints = new CheckpointPublisher({
      store: ledger,
      sha256: worker.sha256,
      signer: worker.checkpoint.signer,
      origin: worker.config.SWX_LEDGER_ORIGIN ?? DEFAULT_LEDGER_ORIGIN,
      onError: (error) => worker.log('error', 'checkpoint publication failed', { error: (error as Error).message }),
    });
    const keyTable = new SqliteApiKeyStore(db, store);
    const apiKeys = new ProjectedApiKeyStore(keyTable, projection, () => void this.#wake());
    this.#ports = {
      store,
      ledger,
      checkpoints: this.#checkpoints,
      apiKeys,
      mandates: new SqliteMandateStore(db, store),
      clearances: new SqliteClearanceQueries(db),
      reports: new SqliteExchangeReportQueries(db),
      messages: new SqliteMessageQueries(db),
    };
    this.#dispatcher = new DeliveryDispatcher(
      { store, partners: worker.partners, clock: worker.clock },
      { window: PARTNER_WINDOW, log: worker.log, leaseMs: DELIVERY_LEASE_MS, circuits: new SqlitePartnerCircuitLog(db) },
    );
    // No event reaches the object until its schema is current and the bootstrap admin key is in place.
    void ctx.blockConcurrencyWhile(async () => {
      migrate(db, BUNDLED_MIGRATIONS);
      projection.initialize();
      // Made even when D1 does not answer (the object must start); the alarm projects it.
      await projection.changeApiKey(
        BOOTSTRAP_ADMIN_KEY_ID,
        () => installAdminToken({ apiKeys: keyTable, ...worker }, worker.config.SWX_ADMIN_TOKEN),
        'proceed',
      );
      this.#dispatcher.start();
      await this.#wake();
    });
  }

  /** One storage port method, called by the stateless Worker (storagePortsOver). */
  call(port: string, method: string, args: unknown[]): Promise<StorageAnswer> {
    return dispatchStorageCall(this.#ports, port, method, args);
  }

  /**
   * A read of the officers' read model (read-model-ports.ts): null when D1 holds every commit settled so far, so the
   * Worker reads D1; otherwise the object answers it itself, so that a read right after a write sees it.
   */
  async readIfBehind(port: ReadModelPort, method: string, args: unknown[]): Promise<StorageAnswer | null> {
    return this.#projection.isCurrent() ? null : dispatchStorageCall(this.#ports, port, method, args);
  }

  /** The queue consumer attempted the message; its outcome moves the partner's circuit, and frees a place in its window. */
  async settleDelivery(messageId: string, outcome: DeliveryOutcome): Promise<boolean> {
    const refill = await this.#dispatcher.settle(messageId, outcome);
    if (refill) await this.#wake();
    return refill;
  }

  /** The queue consumer did not attempt the message (a duplicate job, or not due): its place is given back. */
  releaseDelivery(messageId: string): Promise<boolean> {
    return this.#dispatcher.release(messageId);
  }

  /** Each partner's circuit and last outcomes (GET /v1/partners). */
  deliveryHealth(partnerIds: readonly string[]): Map<string, DeliveryHealth> {
    return new Map(partnerIds.map((partnerId) => [partnerId, this.#dispatcher.health(partnerId)]));
  }

  /**
   * Signs a checkpoint of the entries committed since the last one, hands due messages to the DELIVERIES queue,
   * projects what was committed into D1's read model, and comes back while work remains (at once while a projection
   * has more to copy). A failure is logged and the alarm retried by the runtime.
   */
  override async alarm(): Promise<void> {
    await this.#checkpoints.publishNow();
    const sent = await enqueueDue(this.#dispatcher, this.env.DELIVERIES);
    const projected = await this.#projection.run();
    if (projected === 'more') {
      await this.ctx.storage.setAlarm(Date.now());
    } else if (sent > 0 || projected === 'failed' || this.#dispatcher.inFlight > 0 || (await this.#pendingDeliveries())) {
      await this.ctx.storage.setAlarm(Date.now() + Math.min(this.#worker.config.SWX_OUTBOX_POLL_MS * 10, MAX_ALARM_INTERVAL_MS));
    }
  }

  /** After a commit: the alarm runs now, unless one is already due sooner. */
  async #wake(): Promise<void> {
    const scheduled = await this.ctx.storage.getAlarm();
    if (scheduled === null || scheduled > Date.now()) await this.ctx.storage.setAlarm(Date.now());
  }

  async #pendingDeliveries(): Promise<boolean> {
    const pending = await this.#ports.store.listOutbox({ state: 'PENDING', limit: 1 });
    return pending.length > 0;
  }
}
