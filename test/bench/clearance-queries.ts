/**
 * `npx tsx test/bench/clearance-queries.ts [--entries N] [--declarations D]` — the officers' read paths, printed,
 * never asserted: the MIS report over a ledger of N entries (1% of them refused envelopes, which the report finds
 * by scanning the ledger) and D declarations released over a month, and clearance searches over those declarations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteClearanceQueries } from '../../src/adapters/storage/sqlite-clearance-queries.js';
import { openDatabase } from '../../src/adapters/storage/sqlite-database.js';
import { SqliteExchangeReportQueries } from '../../src/adapters/storage/sqlite-exchange-report-queries.js';
import { SqliteExchangeStore } from '../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../src/adapters/storage/sqlite-ledger-store.js';
import { searchClearances } from '../../src/core/clearance/clearance-search.js';
import type { Channel } from '../../src/core/declaration/declaration.js';
import type { LedgerEvent } from '../../src/core/ledger/entry.js';
import { buildExchangeReport } from '../../src/core/report/exchange-report.js';
import { ChangeBuilder } from '../../src/core/exchange/change-builder.js';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '200000' }, declarations: { type: 'string', default: '20000' } } });
const entries = Number(values.entries);
const declarations = Number(values.declarations);
const MONTH_START = Date.parse('2026-11-01T00:00:00.000Z');
const MONTH_MS = 30 * 86_400_000;
const CHANNELS: readonly Channel[] = ['GREEN', 'GREEN', 'YELLOW', 'RED'];

const dir = mkdtempSync(join(tmpdir(), 'swx-bench-clearance-'));
const db = openDatabase(join(dir, 'swx.db'));
// Only the setup's speed: the figures below are reads.
db.pragma('synchronous = OFF');
const ledger = new SqliteLedgerStore(db);
const store = new SqliteExchangeStore(db, ledger);

const at = (i: number, of: number) => new Date(MONTH_START + Math.floor((i / of) * MONTH_MS)).toISOString();
const filler = (i: number): LedgerEvent =>
  i % 100 === 0
    ? {
        type: 'DOCUMENT_REJECTED',
        subject: `m-${i}`,
        at: at(i, entries),
        data: { code: 'SIGNATURE_INVALID', reason: 'bench', from: 'TH', documentType: 'CUSTOMS_RESPONSE', envelopeDigest: 'x' },
      }
    : { type: 'MESSAGE_DELIVERED', subject: `m-${i}`, at: at(i, entries), data: { partner: 'TH' } };
let started = performance.now();
for (let i = 0; i < entries; i += 1000) {
  db.transaction(() => ledger.appendSync(Array.from({ length: Math.min(1000, entries - i) }, (_, k) => filler(i + k))))();
}
for (let i = 0; i < declarations; i += 1) {
  const id = `d-${String(i).padStart(8, '0')}`;
  const submitted = at(i, declarations);
  const channel = CHANNELS[i % CHANNELS.length] ?? 'GREEN';
  const released = new Date(Date.parse(submitted) + (channel === 'GREEN' ? 0 : 60_000 * (1 + (i % 240)))).toISOString();
  const change = new ChangeBuilder().insertDeclaration({
    id,
    declarationNumber: `3260${String(i).padStart(8, '0')}`,
    kind: 'EXPORT',
    partyId: `03${String(i % 500).padStart(8, '0')}`,
    status: 'RELEASED',
    channel,
    channelReasons: [],
    partnerId: 'TH',
    createdAt: submitted,
    updatedAt: released,
    document: { exporter: { name: `Exporter ${i % 500}` }, items: [{ hsCode: `0901${String(i % 100).padStart(4, '0')}` }] },
  });
  if (channel !== 'GREEN') change.event({ type: 'DECISION_RECORDED', subject: id, at: released, data: { action: 'release' } }, { declarationId: id });
  await store.commit(
    change.event({ type: 'STATUS_CHANGED', subject: id, at: released, data: { status: 'RELEASED' } }, { declarationId: id }).build(),
  );
}
const total = db.prepare('SELECT count(*) FROM ledger_entries').pluck().get() as number;
console.log(`setup: ${total} ledger entries, ${declarations} declarations in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const median = async (label: string, run: () => Promise<unknown>, times = 7) => {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  console.log(`${label.padEnd(58)} median ${samples[Math.floor(times / 2)]?.toFixed(1)} ms`);
};

const reports = new SqliteExchangeReportQueries(db);
const clearances = new SqliteClearanceQueries(db);
await median('MIS report, one day', () => buildExchangeReport(reports, { from: '2026-11-10T00:00:00.000Z', until: '2026-11-11T00:00:00.000Z' }));
await median('MIS report, the whole month', () =>
  buildExchangeReport(reports, { from: '2026-11-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' }),
);
await median('clearances: first page of 50, no filter', () => searchClearances(clearances, { limit: 50 }));
await median('clearances: channel=RED, first page', () => searchClearances(clearances, { channel: 'RED', limit: 50 }));
await median('clearances: q=trader name part, first page', () => searchClearances(clearances, { q: 'Exporter 42', limit: 50 }));
await median('clearances: q=HS prefix, first page', () => searchClearances(clearances, { q: '09010042', limit: 50 }));
const last = await clearances.search({ limit: 2, period: { until: '2026-11-01T00:10:00.000Z' } });
await median('clearances: a page deep in the walk (cursor)', () =>
  searchClearances(clearances, { limit: 50, after: { createdAt: last[0]?.submittedAt ?? '', id: last[0]?.id ?? '' } }),
);
console.log(`resident memory ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
db.close();
rmSync(dir, { recursive: true, force: true });
