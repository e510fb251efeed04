import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateCheckpointKey } from '../../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { SqliteClearanceQueries } from '../../../src/adapters/storage/sqlite-clearance-queries.js';
import { SqliteExchangeReportQueries } from '../../../src/adapters/storage/sqlite-exchange-report-queries.js';
import { SqliteMessageQueries } from '../../../src/adapters/storage/sqlite-message-queries.js';
import { isCoreError } from '../../../src/core/errors.js';
import { ChangeBuilder } from '../../../src/core/exchange/change-builder.js';
import { CheckpointPublisher } from '../../../src/runtime/checkpoint-publisher.js';
import { nodePorts } from '../../../src/runtime/compose.js';
import { openStorage } from '../../../src/runtime/node-storage.js';
import { dispatchStorageCall, type StoragePorts, storagePortsOver } from '../../../src/runtime/worker/storage-rpc.js';
import { describeApiKeyStoreContract } from '../../adapters/storage/api-key-store.contract.js';
import { describeExchangeStoreContract } from '../../adapters/storage/exchange-store.contract.js';

const root = mkdtempSync(join(tmpdir(), 'swx-storage-rpc-'));
const opened: { close(): void }[] = [];
afterAll(() => {
  for (const storage of opened) storage.close();
  rmSync(root, { recursive: true, force: true });
});

/** The SQLite ports of a fresh data dir, as the EXCHANGE Durable Object holds them. */
function sqlitePorts(): StoragePorts {
  const dataDir = join(root, String(opened.length));
  const storage = openStorage(dataDir, nodePorts());
  opened.push(storage);
  const key = loadOrCreateCheckpointKey(dataDir, 'swx.test/ledger', nodeSha256);
  return {
    store: storage.store,
    ledger: storage.ledger,
    checkpoints: new CheckpointPublisher({ store: storage.ledger, sha256: nodeSha256, signer: key.signer, origin: 'swx.test/ledger' }),
    apiKeys: storage.apiKeys,
    mandates: storage.mandates,
    clearances: new SqliteClearanceQueries(storage.db),
    reports: new SqliteExchangeReportQueries(storage.db),
    messages: new SqliteMessageQueries(storage.db),
  };
}

/** The ports seen from the Worker: every argument and answer copied by the structured clone algorithm, as RPC does. */
function overRpc(ports: StoragePorts): StoragePorts {
  return storagePortsOver(async (port, method, args) => structuredClone(await dispatchStorageCall(ports, port, method, structuredClone(args))));
}

describeExchangeStoreContract('ExchangeStore over the Durable Object RPC', () => overRpc(sqlitePorts()).store);
describeApiKeyStoreContract('ApiKeyStore over the Durable Object RPC', () => overRpc(sqlitePorts()));

describe('storage calls over RPC', () => {
  it('throw the CoreError the ports threw, with its code (a guard conflict stays DOCUMENT_STATE_CONFLICT)', async () => {
    const { store } = overRpc(sqlitePorts());
    const change = new ChangeBuilder().guard([{ key: 'declaration:x', expectedVersion: 3 }]).build();
    const error = await store.commit(change).catch((caught: unknown) => caught);
    expect(isCoreError(error, 'DOCUMENT_STATE_CONFLICT')).toBe(true);
  });

  it('serve the ledger and its checkpoints across the boundary (hashes as bytes)', async () => {
    const { ledger, checkpoints } = overRpc(sqlitePorts());
    const [entry] = await ledger.append([
      { type: 'DELIVERY_FAILED', subject: 'message:1', at: '2026-12-04T00:00:00.000Z', data: { partnerId: 'SG' } },
    ]);
    expect(entry?.index).toBe(0);
    expect(await ledger.size()).toBe(1);
    const [hash] = await ledger.subtreeHashes([{ level: 0, index: 0 }]);
    expect(hash).toBeInstanceOf(Uint8Array);
    expect(hash).toHaveLength(32);
    expect(await checkpoints.covering(0)).toMatchObject({ origin: 'swx.test/ledger', treeSize: 1 });
  });

  it('refuse a method that is not part of a port', async () => {
    const ports = sqlitePorts();
    await expect(dispatchStorageCall(ports, 'store', 'constructor', [])).rejects.toThrow('no storage method store.constructor');
    await expect(dispatchStorageCall(ports, 'db', 'prepare', ['DROP TABLE ledger_entries'])).rejects.toThrow('no storage method db.prepare');
  });
});
