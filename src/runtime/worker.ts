import { Hono } from 'hono';
import { problems, PROBLEM_MEDIA_TYPE, problemType } from '../http/problem.js';
import type { ExchangeObject } from './worker/exchange-object.js';

export { ExchangeObject } from './worker/exchange-object.js';

/** The bindings wrangler.toml declares. */
export interface Env {
  readonly DB: D1Database;
  readonly EXCHANGE: DurableObjectNamespace<ExchangeObject>;
}

const app = new Hono<{ Bindings: Env }>();

app.get('/healthz', (c) => c.json({ status: 'ok' }));

/** Ready when D1 answers and its schema is migrated (`wrangler d1 migrations apply DB`). */
app.get('/readyz', async (c) => {
  try {
    const row = await c.env.DB.prepare("SELECT COUNT(*) AS tables FROM sqlite_master WHERE type = 'table' AND name = 'ledger_entries'").first<{
      tables: number;
    }>();
    if (row?.tables === 1) return c.json({ status: 'ready', checks: [{ name: 'database', ok: true }] });
    return notReady('the D1 schema is not migrated: run wrangler d1 migrations apply DB');
  } catch (error) {
    return notReady(`D1 is not reachable: ${(error as Error).message}`);
  }
});

function notReady(detail: string): Response {
  const { status, title } = problems.NOT_READY;
  return new Response(JSON.stringify({ type: problemType('NOT_READY'), title, status, detail, code: 'NOT_READY' }), {
    status,
    headers: { 'Content-Type': PROBLEM_MEDIA_TYPE },
  });
}

/**
 * The Workers entry. Today it serves liveness and readiness over D1; the trader, partner and ledger groups
 * move here with their D1, Durable Object and Queue adapters.
 */
export default { fetch: app.fetch } satisfies ExportedHandler<Env>;
