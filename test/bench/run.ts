/**
 * `npm run bench`: the real service on loopback under concurrent load (design.md §4), beside two ceilings
 * measured in the same run: the raw RSA-2048 signing rate of the same key on both cores (node:crypto, one
 * worker thread per core) and an empty Hono route served the same way. Prints figures; asserts nothing.
 * BENCH_SECONDS (default 10) sets the length of each load.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { devPkiPartiesFor, ensureDevPki } from '../../src/adapters/crypto/forge-dev-pki.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { readPartnerFiles } from '../../src/adapters/partners/partner-directory.js';
import { partnersDirFrom } from '../../src/config.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CORES = availableParallelism();
const declaration = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');

/** Raw RSA-2048 PKCS#1 v1.5 SHA-256 signatures per second, one worker thread per core, same key as the service. */
async function rawSigningRate(keyPem: string): Promise<number> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { createPrivateKey, sign } = require('node:crypto');
    const key = createPrivateKey(workerData.keyPem);
    const data = Buffer.alloc(400, 7);
    const end = Date.now() + workerData.ms;
    let count = 0;
    while (Date.now() < end) { sign('sha256', data, key); count += 1; }
    parentPort.postMessage(count);`;
  const ms = Math.min(SECONDS, 5) * 1000;
  const counts = await Promise.all(
    Array.from(
      { length: CORES },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(code, { eval: true, workerData: { keyPem, ms } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  return counts.reduce((sum, count) => sum + count, 0) / (ms / 1000);
}

function startProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match?.[1]) resolve({ child, url: match[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

/** Waits (at most 120 s) until no ACDD is waiting in the outbox; returns how long that took in ms. */
async function drainOutbox(url: string): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < 120_000) {
    const answer = await fetch(`${url}/v1/partners`, { headers: { Authorization: 'Bearer bench-admin-token-0123456789abcdef0123' } });
    const partners = (await answer.json()) as { items: { id: string; delivery: { queueDepth: number } | null }[] };
    if (partners.items.every((partner) => (partner.delivery?.queueDepth ?? 0) === 0)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return Date.now() - start;
}

function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function load(options: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({ duration: SECONDS, connections: 64, pipelining: 1, ...options });
}

function line(name: string, value: string, note = ''): void {
  console.log(`${name.padEnd(52)} ${value.padStart(14)}  ${note}`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'swx-bench-'));
try {
  const pkiDir = join(dataDir, 'pki');
  await ensureDevPki(pkiDir, devPkiPartiesFor(readPartnerFiles(partnersDirFrom({})), 'VN'));
  console.log(`swx benchmark: ${CORES} cores, ${SECONDS} s per load, Node ${process.version}\n`);

  const signing = await rawSigningRate(readFileSync(devPkiLayout(pkiDir).gatewayKey('VN'), 'utf8'));
  line('ceiling: raw RSA-2048 signatures, all cores', `${signing.toFixed(0)} /s`);

  const empty = await startProcess(['test/bench/empty-hono.ts'], {}, /listening on (http:\/\/\S+)/);
  const emptyResult = await load({ url: `${empty.url}/` });
  empty.child.kill();
  line('ceiling: empty Hono route', `${emptyResult.requests.average.toFixed(0)} /s`, `p99 ${emptyResult.latency.p99} ms`);

  const service = await startProcess(
    ['src/runtime/node.ts'],
    { PORT: '0', SWX_DATA_DIR: dataDir, SWX_LOG_LEVEL: 'warn', SWX_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef0123' },
    /swx is running at (http:\/\/\S+)/,
  );
  const key = await fetch(`${service.url}/v1/admin/api-keys`, {
    method: 'POST',
    headers: { Authorization: 'Bearer bench-admin-token-0123456789abcdef0123', 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'trader', name: 'bench', partyId: '0301234567' }),
  });
  const { token } = (await key.json()) as { token: string };
  const submit = {
    url: `${service.url}/v1/declarations`,
    method: 'POST' as const,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: declaration,
  };

  const saturated = await load(submit);
  const accepted = saturated['2xx'] / SECONDS;
  line(
    'declarations accepted (validate, sign, ledger, outbox)',
    `${accepted.toFixed(0)} /s`,
    `${((accepted / signing) * 100).toFixed(0)}% of the signing ceiling; target 2,000/s and 70%`,
  );
  line(
    '  latency at saturation',
    `p50 ${saturated.latency.p50} ms`,
    `p99 ${saturated.latency.p99} ms; non-2xx ${saturated.non2xx}, errors ${saturated.errors}`,
  );

  const drained = await drainOutbox(service.url);
  line('  outbox drained after the saturating load', `${(drained / 1000).toFixed(1)} s`, 'ACDDs delivered to the simulated TH gateway');

  const paced = await load({ ...submit, overallRate: 1000, connections: 100 });
  line(
    'declarations at 1,000/s offered',
    `${(paced['2xx'] / SECONDS).toFixed(0)} /s`,
    `p99 ${paced.latency.p99} ms (target under 50 ms); non-2xx ${paced.non2xx}, errors ${paced.errors}, timeouts ${paced.timeouts}`,
  );
  line('service resident memory after the loads', `${residentMb(service.child.pid ?? 0).toFixed(0)} MB`, 'target under 300 MB');
  service.child.kill('SIGTERM');
  await new Promise((resolve) => service.child.once('exit', resolve));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
