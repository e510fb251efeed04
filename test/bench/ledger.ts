/**
 * `npm run bench:ledger` — the ledger figures of design.md section 4, printed, never asserted:
 * appending 1,000,000 entries (batches of 1,000 per transaction, a checkpoint signed every 100,000),
 * median inclusion and consistency proof times over 1,000 random queries at that size, the rate of
 * `swx ledger verify` over the whole file in several rounds (min, median and max: the rate varies between runs on a
 * shared machine), and resident memory. `--entries N` runs a smaller ledger, `--rounds N` (default 5) sets the
 * verify rounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadOrCreateCheckpointKey } from '../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { openDatabase } from '../../src/adapters/storage/sqlite-database.js';
import { SqliteLedgerStore } from '../../src/adapters/storage/sqlite-ledger-store.js';
import { ledgerVerify } from '../../src/cli/commands/ledger-verify.js';
import { DEFAULT_LEDGER_ORIGIN } from '../../src/core/ledger/checkpoint.js';
import type { LedgerEvent } from '../../src/core/ledger/entry.js';
import { proveConsistency, proveInclusion, publishCheckpoint, rootAt } from '../../src/core/ledger/ledger.js';
import { verifyConsistency, verifyInclusion } from '../../src/core/ledger/merkle.js';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '5' } } });
const total = Number(values.entries);
const rounds = Math.max(1, Number(values.rounds));
const BATCH = 1000;
const QUERIES = 1000;

const dir = mkdtempSync(join(tmpdir(), 'swx-bench-ledger-'));
let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)] ?? 0;
const random = (below: number) => Math.floor(Math.random() * below);

// A realistic event: what a declaration's acceptance records.
const event = (i: number): LedgerEvent => ({
  type: 'DECLARATION_ACCEPTED',
  subject: `7f3c2a10-${String(i).padStart(12, '0')}`,
  at: new Date(1_750_000_000_000 + i * 10).toISOString(),
  data: { declarationNumber: `EX-2025-${String(i).padStart(8, '0')}`, acdd: 'QUEUED', partyId: '0101234567', channel: 'GREEN' },
});

try {
  const db = openDatabase(join(dir, 'swx.db'));
  const store = new SqliteLedgerStore(db);
  const key = loadOrCreateCheckpointKey(dir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
  const publish = { store, sha256: nodeSha256, signer: key.signer, origin: DEFAULT_LEDGER_ORIGIN };

  const started = performance.now();
  for (let from = 0; from < total; from += BATCH) {
    store.appendSync(Array.from({ length: Math.min(BATCH, total - from) }, (_, i) => event(from + i)));
    if ((from + BATCH) % 100_000 === 0) await publishCheckpoint(publish);
    if (from % 50_000 === 0) sampleRss();
  }
  await publishCheckpoint(publish);
  const appendSeconds = (performance.now() - started) / 1000;
  console.log(
    `append     ${total.toLocaleString('en')} entries in ${appendSeconds.toFixed(1)} s (${Math.round(total / appendSeconds).toLocaleString('en')}/s, batches of ${BATCH}); resident ${mb(peakRss)}`,
  );

  const root = await rootAt(store, nodeSha256, total);
  const leafOf = async (index: number) => (await store.subtreeHashes([{ level: 0, index }]))[0] as Uint8Array;
  const inclusion: number[] = [];
  for (let q = 0; q < QUERIES; q += 1) {
    const index = random(total);
    const t = performance.now();
    const proof = await proveInclusion(store, nodeSha256, index, total);
    inclusion.push(performance.now() - t);
    if (!verifyInclusion(nodeSha256, index, total, await leafOf(index), proof, root)) throw new Error(`inclusion proof of ${index} does not verify`);
  }
  console.log(
    `inclusion  median ${median(inclusion).toFixed(3)} ms, p99 ${p99(inclusion).toFixed(3)} ms over ${QUERIES} random entries at ${total.toLocaleString('en')}`,
  );

  const consistency: number[] = [];
  for (let q = 0; q < QUERIES; q += 1) {
    const first = 1 + random(total - 1);
    const firstRoot = await rootAt(store, nodeSha256, first);
    const t = performance.now();
    const proof = await proveConsistency(store, nodeSha256, first, total);
    consistency.push(performance.now() - t);
    if (!verifyConsistency(nodeSha256, first, total, firstRoot, root, proof)) throw new Error(`consistency proof from ${first} does not verify`);
  }
  console.log(
    `consistency median ${median(consistency).toFixed(3)} ms, p99 ${p99(consistency).toFixed(3)} ms over ${QUERIES} random sizes to ${total.toLocaleString('en')}`,
  );
  sampleRss();
  db.close();

  const rssTimer = setInterval(sampleRss, 100);
  const rates: number[] = [];
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  for (let round = 0; round < rounds; round += 1) {
    const verifyStarted = performance.now();
    const code = await ledgerVerify.run(['--data-dir', dir], { stdout: quiet, stderr: process.stderr, env: {} });
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    if (code !== 0) throw new Error(`swx ledger verify exited ${code}`);
    rates.push(total / verifySeconds);
  }
  clearInterval(rssTimer);
  sampleRss();
  const sorted = [...rates].sort((a, b) => a - b);
  const rate = (value: number) => `${Math.round(value).toLocaleString('en')}/s`;
  console.log(
    `verify     ${total.toLocaleString('en')} entries, ${rounds} rounds: min ${rate(sorted[0] ?? 0)}, median ${rate(median(rates))}, max ${rate(sorted.at(-1) ?? 0)} (target 400,000/s)`,
  );
  console.log(`memory     peak resident ${mb(peakRss)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
