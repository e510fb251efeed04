import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors.js';
import { D1ApiKeyReads } from '../../src/adapters/d1/d1-api-key-reads.js';
import { D1ReadModelProjection } from '../../src/adapters/d1/d1-read-model-projection.js';
import type { ApiKey } from '../../src/core/auth/api-key.js';
import type { Declaration } from '../../src/core/declaration/declaration.js';
import { ChangeBuilder } from '../../src/core/exchange/change-builder.js';
import type { ExchangeObject } from '../../src/runtime/worker/exchange-object.js';
import { readModelPortsOver } from '../../src/runtime/worker/read-model-ports.js';
import { answerValue, type StorageAnswer, storagePortsOver } from '../../src/runtime/worker/storage-rpc.js';
import { d1Rows, emptyReadModel, projected } from './read-model.js';

const at = '2026-11-20T08:00:00.000Z';

const aDeclaration = (id: string): Declaration => ({
  id,
  declarationNumber: `N-${id}`,
  kind: 'EXPORT',
  partyId: '0100000001',
  status: 'UNDER_REVIEW',
  channel: 'YELLOW',
  channelReasons: [],
  partnerId: 'TH',
  document: { exporter: { name: `Exporter ${id}` }, items: [{ hsCode: '09011100' }] },
  createdAt: at,
  updatedAt: at,
});

const aKey = (id: string, tokenHash: string): ApiKey => ({
  id,
  role: 'officer',
  name: `officer ${id}`,
  partyId: 'HQ-0042',
  tokenHash,
  createdAt: at,
  createdBy: 'admin key a-1 (ops)',
  revokedAt: undefined,
  revokedBy: undefined,
});

/** A new EXCHANGE object over an empty read model, its ports as the Worker sees them, and the Worker's reads of D1. */
async function anExchange() {
  await emptyReadModel();
  const stub = env.EXCHANGE.get(env.EXCHANGE.newUniqueId());
  const ports = storagePortsOver((port, method, args) => stub.call(port, method, args));
  const reads = readModelPortsOver(
    env.DB,
    (port, method, args) => stub.readIfBehind(port, method, args),
    ports,
    () => undefined,
  );
  const submit = (id: string) =>
    ports.store.commit(
      new ChangeBuilder()
        .insertDeclaration(aDeclaration(id))
        .event({ type: 'DECLARATION_ACCEPTED', subject: id, at, data: {} }, { declarationId: id })
        .build(),
    );
  return { stub, ports, reads, submit };
}

/** What the object queued for D1 and how far it projected its ledger, beside its ledger's size. */
function projectionState(stub: DurableObjectStub<ExchangeObject>) {
  return runInDurableObject(stub, (object) => ({
    queued: object.db.prepare('SELECT count(*) FROM read_model_changes').pluck().get(),
    mark: object.db.prepare("SELECT value FROM read_model_marks WHERE name = 'ledger_entries'").pluck().get(),
    ledgerSize: object.db.prepare('SELECT count(*) FROM ledger_entries').pluck().get(),
  }));
}

async function readModelRows() {
  return {
    declarations: await d1Rows('declarations', 'id'),
    timeline: await d1Rows('declaration_timeline', 'declaration_id, ledger_index'),
    messages: await d1Rows('messages', 'message_id'),
    outbox: await d1Rows('outbox', 'message_id'),
    entries: await d1Rows('ledger_entries', 'entry_index'),
    apiKeys: await d1Rows('api_keys', 'id'),
  };
}

describe('the read model the EXCHANGE object projects into D1', () => {
  it('copies committed rows into D1 with its alarm, and copying them all again from the start leaves the same rows', async () => {
    const { stub, submit } = await anExchange();
    await submit('d-1');
    await submit('d-2');
    await projected(stub);
    const first = await readModelRows();
    expect(first.declarations).toHaveLength(2);
    expect(first.timeline).toHaveLength(2);
    expect(first.apiKeys).toEqual([expect.objectContaining({ id: 'bootstrap-admin' })]);
    expect(await projectionState(stub)).toEqual({ queued: 0, mark: first.entries.length, ledgerSize: first.entries.length });

    // A second projection over the same storage, rewound to before anything was projected: every row is queued again.
    const run = await runInDurableObject(stub, async (object) => {
      object.db.prepare("DELETE FROM read_model_marks WHERE name = 'ledger_entries'").run();
      const again = new D1ReadModelProjection(object.db, env.DB);
      again.initialize();
      return again.run();
    });
    expect(run).toBe('done');
    expect(await readModelRows()).toEqual(first);
  });

  it('keeps what D1 could not take queued, answers reads from the object meanwhile, and resumes from its mark', async () => {
    const { stub, reads, submit } = await anExchange();
    await submit('d-1');
    await projected(stub);
    await env.DB.exec('ALTER TABLE declaration_timeline RENAME TO declaration_timeline_away');
    await submit('d-2');
    await runDurableObjectAlarm(stub);

    expect(await projectionState(stub)).toMatchObject({ queued: 1 });
    // A GET right after the POST: the object answers, with the declaration D1 does not hold yet.
    const behind = await stub.readIfBehind('clearances', 'search', [{ limit: 10 }]);
    expect(behind).not.toBeNull();
    expect(answerValue(behind as StorageAnswer)).toHaveLength(2);
    expect((await reads.clearances.search({ limit: 10 })).map((row) => row.id)).toEqual(['d-2', 'd-1']);
    expect(await d1Rows('declarations', 'id')).toHaveLength(1);

    await env.DB.exec('ALTER TABLE declaration_timeline_away RENAME TO declaration_timeline');
    await projected(stub);
    expect((await d1Rows('declarations', 'id')).map((row) => (row as { id: string }).id)).toEqual(['d-1', 'd-2']);
    expect(await d1Rows('declaration_timeline', 'ledger_index')).toHaveLength(2);
    const state = await projectionState(stub);
    expect(state).toEqual({ queued: 0, mark: state.ledgerSize, ledgerSize: (await d1Rows('ledger_entries', 'entry_index')).length });
  });

  it('answers a key lookup from D1 at once after a key is created or revoked (with who did each), and from the object while D1 lacks a change', async () => {
    const { stub, ports, reads } = await anExchange();
    await projected(stub);
    const d1 = new D1ApiKeyReads(env.DB);
    const hash = 'a'.repeat(64);

    await ports.apiKeys.create(aKey('k-1', hash));
    expect(await d1.findByTokenHash(hash)).toEqual({ current: true, value: aKey('k-1', hash) });
    expect(await ports.apiKeys.revoke('k-1', '2026-11-20T09:00:00.000Z', 'cli:alice')).toBe(true);
    expect(await d1.findByTokenHash(hash)).toEqual({
      current: true,
      value: { ...aKey('k-1', hash), revokedAt: '2026-11-20T09:00:00.000Z', revokedBy: 'cli:alice' },
    });
    expect(await d1.findByTokenHash('b'.repeat(64))).toEqual({ current: true, value: undefined });

    // D1 is told the change begins, but cannot take the key itself: it stops answering for keys, and the object answers.
    await env.DB.exec('ALTER TABLE api_keys RENAME TO api_keys_away');
    await ports.apiKeys.save(aKey('k-2', 'c'.repeat(64)));
    await env.DB.exec('ALTER TABLE api_keys_away RENAME TO api_keys');
    expect(await d1.findByTokenHash('c'.repeat(64))).toEqual({ current: false });
    expect(await d1.list()).toEqual({ current: false });
    expect(await reads.apiKeys.findByTokenHash('c'.repeat(64))).toEqual(aKey('k-2', 'c'.repeat(64)));

    await projected(stub);
    expect(await d1.findByTokenHash('c'.repeat(64))).toEqual({ current: true, value: aKey('k-2', 'c'.repeat(64)) });
    expect(await d1.list()).toEqual({ current: true, value: await ports.apiKeys.list() });
    expect((await reads.apiKeys.list()).map((key) => key.id)).toEqual(['k-1', 'k-2', 'bootstrap-admin']);
  });

  it('refuses a key change D1 cannot be told of (NOT_READY), and changes nothing', async () => {
    const { stub, ports } = await anExchange();
    await projected(stub);
    await env.DB.exec('ALTER TABLE read_model_marks RENAME TO read_model_marks_away');
    const refused = await ports.apiKeys.save(aKey('k-1', 'a'.repeat(64))).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CoreError);
    expect(refused).toMatchObject({ code: 'NOT_READY' });
    await env.DB.exec('ALTER TABLE read_model_marks_away RENAME TO read_model_marks');
    expect((await ports.apiKeys.list()).map((key) => key.id)).toEqual(['bootstrap-admin']);
  });
});
