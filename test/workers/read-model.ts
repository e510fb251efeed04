import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect, vi } from 'vitest';
import type { ExchangeObject } from '../../src/runtime/worker/exchange-object.js';

/** D1's read model tables, children before parents (D1 enforces the schema's foreign keys). */
const READ_MODEL_TABLES = ['outbox', 'messages', 'declaration_timeline', 'declarations', 'ledger_entries', 'api_keys', 'read_model_marks'];

/** Empties D1's read model, so that a test sees only what its own EXCHANGE object projects. */
export async function emptyReadModel(): Promise<void> {
  await env.DB.batch(READ_MODEL_TABLES.map((table) => env.DB.prepare(`DELETE FROM ${table}`)));
}

/** Resolves once the object says D1 holds every commit it settled (it runs its alarm, which projects, until then). */
export async function projected(stub: DurableObjectStub<ExchangeObject>): Promise<void> {
  await vi.waitFor(
    async () => {
      await runDurableObjectAlarm(stub);
      expect(await stub.readIfBehind('clearances', 'search', [{ limit: 1 }])).toBeNull();
    },
    { timeout: 10_000, interval: 20 },
  );
}

/** Every row of a D1 table, in a stable order: what a projection left there. */
export async function d1Rows(table: string, orderBy: string): Promise<unknown[]> {
  return (await env.DB.prepare(`SELECT * FROM ${table} ORDER BY ${orderBy}`).all()).results;
}
