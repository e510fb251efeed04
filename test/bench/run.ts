/**
 * `npm run bench`: the real service (compiled, started as `npm start` does) on loopback under concurrent load
 * beside two ceilings measured in the same run: the raw RSA-2048 signing rate of the same key on both
 * cores (node:crypto, one worker thread per core) and an empty Hono route served the same way. Two configurations:
 * the TH simulator in swx's process (SWX_SIMULATORS=on, as `npm start` runs by default) and in a process of its own
 * (`swx simulate`, with swx pointed at it by a partner file in live mode), so that its signing (a receipt and a
 * Customs Response per ACDD) is not swx's CPU. CPU per declaration is the service process's CPU seconds (all threads)
 * over the declarations accepted; it holds better than rates when other processes share the cores. Prints figures;
 * asserts nothing.
 * BENCH_SECONDS (default 10) sets the length of each load; BENCH_SIMULATORS=in-process|separate runs one configuration
 * only; BENCH_CPU_PROF=<dir> runs the service under `node --cpu-prof` and leaves its profiles there;
 * BENCH_PACED_RATE (default 1000) sets the rate of the open-loop load (paced-load.ts).
 */
import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../helpers/child-service.js';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { devPkiPartiesFor, ensureDevPki } from '../../src/adapters/crypto/forge-dev-pki.js';
import { readPartnerFiles } from '../../src/adapters/partners/partner-directory.js';
import { partnersDirFrom } from '../../src/config.js';
import { pacedLoad } from './paced-load.js';
import { cpuSecondsOf, mainThreadCpuSeconds } from './process-cpu.js';
import { cpuProfileFlags, productionNodeFlags, residentMb, startServiceProcess } from './service-process.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const ONLY = process.env['BENCH_SIMULATORS'];
const PROFILE_DIR = process.env['BENCH_CPU_PROF'];
/** The rate of the paced load, declarations a second: the issue's 1,000 by default. */
const PACED_RATE = Number(process.env['BENCH_PACED_RATE'] ?? 1000);
const CORES = availableParallelism();
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef0123';
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

/** Starts `args` with node (and `flags` before them) and resolves once its output matches `ready`. */
function startProcess(flags: string[], args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      if (output.length < 100_000) output += chunk.toString();
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
    const answer = await fetch(`${url}/v1/partners`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const partners = (await answer.json()) as { items: { id: string; delivery: { queueDepth: number } | null }[] };
    if (partners.items.every((partner) => (partner.delivery?.queueDepth ?? 0) === 0)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return Date.now() - start;
}

async function load(options: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({ duration: SECONDS, connections: 64, pipelining: 1, ...options });
}

function line(name: string, value: string, note = ''): void {
  console.log(`${name.padEnd(52)} ${value.padStart(14)}  ${note}`);
}

/** A copy of the partner files in which TH is a live gateway at `endpoint` (how swx is pointed at `swx simulate`). */
function partnersWithLiveTh(dir: string, endpoint: string): string {
  cpSync(partnersDirFrom({}), dir, { recursive: true });
  const file = join(dir, 'th.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), mode: 'live', endpoint }, null, 2));
  return dir;
}

/** Loads one configuration of the service (the TH simulator in its process or in another) and prints its figures. */
async function measure(signing: number, separate: boolean, dataDir: string): Promise<void> {
  console.log(`\nTH simulator ${separate ? 'in a separate process (swx simulate)' : "in swx's process (SWX_SIMULATORS=on)"}`);
  mkdirSync(dataDir, { recursive: true });
  const simulatorPort = await freePort();
  const env: Record<string, string> = { PORT: '0', SWX_DATA_DIR: dataDir, SWX_LOG_LEVEL: 'warn', SWX_ADMIN_TOKEN: ADMIN_TOKEN };
  if (separate) {
    env['SWX_SIMULATORS'] = 'off';
    env['SWX_PARTNERS_DIR'] = partnersWithLiveTh(join(dataDir, 'partners'), `http://127.0.0.1:${simulatorPort}/v1/exchange`);
  }
  const profile = PROFILE_DIR === undefined ? [] : cpuProfileFlags(join(PROFILE_DIR, separate ? 'separate' : 'in-process'));
  const service = await startServiceProcess(env, profile);
  const simulator = separate
    ? await startProcess(
        productionNodeFlags(),
        [
          '--input-type=module',
          '-e',
          "const { main } = await import(process.cwd() + '/dist/src/cli/main.js'); process.exitCode = await main(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, env: process.env });",
          'simulate',
          '--partners',
          'TH',
          '--port-base',
          String(simulatorPort),
          '--swx-url',
          service.url,
          '--data-dir',
          dataDir,
          '--token',
          ADMIN_TOKEN,
        ],
        { SWX_PARTNERS_DIR: env['SWX_PARTNERS_DIR'] ?? '', SWX_LOG_LEVEL: 'warn' },
        /(http:\/\/127\.0\.0\.1:\d+)/,
      )
    : undefined;
  const servicePid = service.child.pid ?? 0;
  const simulatorPid = simulator?.child.pid ?? 0;
  try {
    const key = await fetch(`${service.url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'trader', name: 'bench', partyId: '0301234567' }),
    });
    const { token } = (await key.json()) as { token: string };
    const submit = {
      url: `${service.url}/v1/declarations`,
      method: 'POST' as const,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: declaration,
    };

    const cpuBefore = { service: cpuSecondsOf([servicePid]), simulator: cpuSecondsOf([simulatorPid]), main: mainThreadCpuSeconds(servicePid) };
    const saturated = await load(submit);
    const cpuLoaded = { service: cpuSecondsOf([servicePid]), simulator: cpuSecondsOf([simulatorPid]), main: mainThreadCpuSeconds(servicePid) };
    const accepted = saturated['2xx'] / SECONDS;
    line(
      'declarations accepted (validate, sign, ledger, outbox)',
      `${accepted.toFixed(0)} /s`,
      `${((accepted / signing) * 100).toFixed(0)}% of the signing ceiling; target 35% and 2,000/s`,
    );
    line(
      '  latency at saturation',
      `p50 ${saturated.latency.p50} ms`,
      `p99 ${saturated.latency.p99} ms; non-2xx ${saturated.non2xx}, errors ${saturated.errors}`,
    );
    const perDeclaration = (seconds: number) => `${((seconds * 1000) / Math.max(1, saturated['2xx'])).toFixed(2)} ms`;
    const mainSeconds = cpuLoaded.main - cpuBefore.main;
    line(
      '  swx CPU per declaration during the load',
      perDeclaration(cpuLoaded.service - cpuBefore.service),
      `all threads; the request thread ${perDeclaration(mainSeconds)}, busy ${((mainSeconds / saturated.duration) * 100).toFixed(0)}% of the load's time`,
    );

    const drained = await drainOutbox(service.url);
    const cpuDrained = { service: cpuSecondsOf([servicePid]), simulator: cpuSecondsOf([simulatorPid]) };
    line('  outbox drained after the saturating load', `${(drained / 1000).toFixed(1)} s`, 'ACDDs delivered to the simulated TH gateway');
    line(
      '  swx CPU per declaration, delivered and answered',
      perDeclaration(cpuDrained.service - cpuBefore.service),
      `load and drain: accept, deliver, verify the receipt, receive the Customs Response${
        separate ? `; the simulator's process ${perDeclaration(cpuDrained.simulator - cpuBefore.simulator)}` : ''
      }`,
    );

    if (separate) {
      const wholeMs = ((cpuDrained.service - cpuBefore.service + cpuDrained.simulator - cpuBefore.simulator) * 1000) / Math.max(1, saturated['2xx']);
      line(
        '  whole exchanges this machine sustains',
        `${((CORES * 1000) / wholeMs).toFixed(0)} /s`,
        `${CORES} cores / ${wholeMs.toFixed(2)} ms of CPU each (swx and the partner); RSA alone, 4 signatures each, allows ${(signing / 4).toFixed(0)}/s`,
      );
    }

    const paced = await pacedLoad({ url: submit.url, headers: submit.headers, body: submit.body, rate: PACED_RATE, seconds: SECONDS });
    line(
      `declarations at ${PACED_RATE.toLocaleString('en')}/s offered, open loop`,
      `${paced.achieved.toFixed(0)} /s`,
      `p50 ${paced.latency.p50}, p90 ${paced.latency.p90}, p99 ${paced.latency.p99}, max ${paced.latency.max} ms (target p99 under 50 ms); non-2xx ${paced.non2xx}, errors ${paced.errors}`,
    );
    await drainOutbox(service.url);
    line(
      'service resident memory after the loads',
      `${residentMb(servicePid).toFixed(0)} MB`,
      `peak ${residentMb(servicePid, 'VmHWM').toFixed(0)} MB; target under 300 MB`,
    );
  } finally {
    for (const child of [service.child, simulator?.child]) {
      // A process that died of a signal (an out-of-memory abort) has a signalCode and no exitCode: its 'exit' has passed.
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'swx-bench-'));
try {
  const pkiDir = join(scratch, 'pki');
  await ensureDevPki(pkiDir, devPkiPartiesFor(readPartnerFiles(partnersDirFrom({})), 'VN'));
  console.log(`swx benchmark: ${CORES} cores, ${SECONDS} s per load, Node ${process.version}\n`);

  const signing = await rawSigningRate(readFileSync(devPkiLayout(pkiDir).gatewayKey('VN'), 'utf8'));
  line('ceiling: raw RSA-2048 signatures, all cores', `${signing.toFixed(0)} /s`);

  const empty = await startProcess(['--import', 'tsx'], ['test/bench/empty-hono.ts'], {}, /listening on (http:\/\/\S+)/);
  const emptyResult = await load({ url: `${empty.url}/` });
  empty.child.kill();
  line('ceiling: empty Hono route', `${emptyResult.requests.average.toFixed(0)} /s`, `p99 ${emptyResult.latency.p99} ms`);

  for (const separate of [false, true]) {
    if (ONLY !== undefined && ONLY !== (separate ? 'separate' : 'in-process')) continue;
    const dataDir = join(scratch, separate ? 'separate' : 'in-process');
    cpSync(pkiDir, join(dataDir, 'pki'), { recursive: true });
    await measure(signing, separate, dataDir);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
