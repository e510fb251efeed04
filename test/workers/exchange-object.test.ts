import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { ChangeBuilder } from '../../src/core/exchange/change-builder.js';
import { storagePortsOver } from '../../src/runtime/worker/storage-rpc.js';
import { queueForTh } from './queued-message.js';

/** The one EXCHANGE object the Worker's requests and queue consumer reach (worker.ts), and its ports as the Worker sees them. */
function theExchange() {
  const stub = env.EXCHANGE.get(env.EXCHANGE.idFromName('swx'));
  return { stub, ports: storagePortsOver((port, method, args) => stub.call(port, method, args)) };
}

describe('the EXCHANGE Durable Object', () => {
  it('answers storage calls over RPC, and a CoreError as data (a guard conflict stays DOCUMENT_STATE_CONFLICT)', async () => {
    const { stub } = theExchange();
    expect(await stub.call('store', 'getDeclaration', ['none'])).toEqual({ ok: true, value: undefined });
    const conflict = new ChangeBuilder().guard([{ key: 'declaration:x', expectedVersion: 7 }]).build();
    expect(await stub.call('store', 'commit', [conflict])).toMatchObject({ ok: false, error: { code: 'DOCUMENT_STATE_CONFLICT' } });
  });

  it('installs the bootstrap admin key from the SWX_ADMIN_TOKEN secret', async () => {
    const { ports } = theExchange();
    expect((await ports.apiKeys.list()).map((key) => key.role)).toContain('admin');
  });

  it('from its alarm, signs a checkpoint of what was committed and hands the queued message to the DELIVERIES queue, whose consumer records the attempt', async () => {
    const { stub, ports } = theExchange();
    const messageId = await queueForTh(ports.store);
    await runDurableObjectAlarm(stub);
    const size = await ports.ledger.size();
    expect(await ports.ledger.latestCheckpoint()).toMatchObject({ treeSize: size });
    // TH is simulated and the simulators are not bound here: the consumer's attempt fails and is recorded as a retry.
    await vi.waitFor(async () => expect((await ports.store.getOutbox(messageId))?.attempts).toBe(1), { timeout: 10_000, interval: 100 });
    expect(await ports.store.getOutbox(messageId)).toMatchObject({ state: 'PENDING', lastError: expect.stringContaining('TH') });
    expect((await stub.deliveryHealth(['TH'])).get('TH')).toMatchObject({ consecutiveFailures: 1 });
  });
});
