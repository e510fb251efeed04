/**
 * `npm run bench:inbound`: partner envelopes verified, recorded and receipted by the real service on loopback
 * (design.md §4: 1,500/s or more). Envelopes (Customs Responses from five partner gateways, each signed with that
 * partner's development key) are signed before the service starts, then posted by concurrent keep-alive clients;
 * every answer must be a 200 receipt. Printed beside the raw RSA-2048 verify and sign ceilings of both cores
 * measured in the same run: each envelope costs one verification (the partner's signature) and one signature
 * (our receipt). Prints figures; asserts nothing.
 * BENCH_INBOUND_COUNT (default 15000) envelopes, BENCH_INBOUND_CONNECTIONS (default 64) clients.
 * BENCH_INBOUND_CPU_PROF=<dir> runs the service under `node --cpu-prof` and leaves the profile there.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CustomsResponse, customsResponseSpec } from '../../message-schemas/customs-response/1/schema.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { devPkiPartiesFor, ensureDevPki } from '../../src/adapters/crypto/forge-dev-pki.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { readPartnerFiles } from '../../src/adapters/partners/partner-directory.js';
import { partnersDirFrom } from '../../src/config.js';
import { percentile, postEnvelopes } from './post-envelopes.js';
import { cpuProfileFlags, residentMb, startServiceProcess } from './service-process.js';
import { encodeDocumentXml } from '../../src/core/document/xml-mapping.js';
import { anEnvelope } from '../helpers/envelope-builder.js';

const COUNT = Number(process.env['BENCH_INBOUND_COUNT'] ?? 15_000);
const CONNECTIONS = Number(process.env['BENCH_INBOUND_CONNECTIONS'] ?? 64);
const PROFILE_DIR = process.env['BENCH_INBOUND_CPU_PROF'];
const CORES = availableParallelism();
const PARTNERS = ['TH', 'SG', 'MY', 'ID', 'PH'] as const;
const body = encodeDocumentXml(
  customsResponseSpec,
  CustomsResponse.parse(JSON.parse(readFileSync('message-schemas/customs-response/1/examples/valid-cleared.json', 'utf8'))),
);

/** Raw RSA-2048 PKCS#1 v1.5 SHA-256 operations per second, one worker thread per core. */
async function rawRsaRate(operation: 'sign' | 'verify', keyPem: string): Promise<number> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { createPrivateKey, createPublicKey, sign, verify } = require('node:crypto');
    const key = createPrivateKey(workerData.keyPem);
    const data = Buffer.alloc(400, 7);
    const signature = sign('sha256', data, key);
    const publicKey = createPublicKey(key);
    const end = Date.now() + workerData.ms;
    let count = 0;
    if (workerData.operation === 'sign') while (Date.now() < end) { sign('sha256', data, key); count += 1; }
    else while (Date.now() < end) { verify('sha256', data, publicKey, signature); count += 1; }
    parentPort.postMessage(count);`;
  const ms = 3_000;
  const counts = await Promise.all(
    Array.from(
      { length: CORES },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(code, { eval: true, workerData: { keyPem, ms, operation } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  return counts.reduce((sum, count) => sum + count, 0) / (ms / 1000);
}

/** CPU seconds (user + system) used so far by the process, or by its main thread alone. */
function cpuSeconds(pid: number, mainThreadOnly: boolean): number {
  const stat = readFileSync(mainThreadOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function line(name: string, value: string, note = ''): void {
  console.log(`${name.padEnd(52)} ${value.padStart(14)}  ${note}`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'swx-bench-inbound-'));
try {
  const pkiDir = join(dataDir, 'pki');
  await ensureDevPki(pkiDir, devPkiPartiesFor(readPartnerFiles(partnersDirFrom({})), 'VN'));
  const layout = devPkiLayout(pkiDir);
  console.log(`swx inbound benchmark: ${CORES} cores, ${COUNT} envelopes, ${CONNECTIONS} connections, Node ${process.version}\n`);

  const verifyCeiling = await rawRsaRate('verify', readFileSync(layout.gatewayKey('TH'), 'utf8'));
  const signCeiling = await rawRsaRate('sign', readFileSync(layout.gatewayKey('VN'), 'utf8'));
  const both = 1 / (1 / verifyCeiling + 1 / signCeiling);
  line('ceiling: raw RSA-2048 verifications, all cores', `${verifyCeiling.toFixed(0)} /s`);
  line('ceiling: raw RSA-2048 signatures, all cores', `${signCeiling.toFixed(0)} /s`);
  line('ceiling: one verification + one signature each', `${both.toFixed(0)} /s`, 'what an inbound envelope costs in RSA alone');

  const signers = PARTNERS.map((id) => ({
    id,
    signer: new XmlDsigSigner(readFileSync(layout.gatewayKey(id), 'utf8'), readFileSync(layout.gatewayCertificate(id), 'utf8')),
  }));
  const signing = performance.now();
  const createdAt = new Date().toISOString();
  const envelopes = Array.from({ length: COUNT }, (_, index) => {
    const { id, signer } = signers[index % signers.length] ?? signers[0]!;
    return anEnvelope().from(id).referringTo(randomUUID()).createdAt(createdAt).signedBy(signer, body);
  });
  const signedIn = (performance.now() - signing) / 1000;
  line(
    'envelopes signed by the partners beforehand',
    `${COUNT}`,
    `${(envelopes[0]?.length ?? 0).toLocaleString('en')} bytes each, ${(COUNT / signedIn).toFixed(0)}/s on one core`,
  );

  const service = await startServiceProcess(
    { PORT: '0', SWX_DATA_DIR: dataDir, SWX_LOG_LEVEL: 'warn', SWX_SIMULATORS: 'off' },
    PROFILE_DIR === undefined ? [] : cpuProfileFlags(PROFILE_DIR),
  );
  const warm = await postEnvelopes(service.url, envelopes.slice(0, 500), CONNECTIONS);
  const pid = service.child.pid ?? 0;
  const cpuBefore = { main: cpuSeconds(pid, true), all: cpuSeconds(pid, false) };
  const run = await postEnvelopes(service.url, envelopes.slice(500), CONNECTIONS);
  const cpu = {
    main: ((cpuSeconds(pid, true) - cpuBefore.main) * 1000) / (COUNT - 500),
    all: ((cpuSeconds(pid, false) - cpuBefore.all) * 1000) / (COUNT - 500),
  };
  const rate = (COUNT - 500) / run.seconds;
  const received = run.statuses.get(200) ?? 0;
  line(
    'inbound envelopes verified, recorded, receipted',
    `${rate.toFixed(0)} /s`,
    `${((rate / verifyCeiling) * 100).toFixed(0)}% of the verify ceiling, ${((rate / both) * 100).toFixed(0)}% of verify+sign; target 1,500/s`,
  );
  line(
    '  service CPU per envelope (request thread)',
    `${cpu.main.toFixed(2)} ms`,
    `all threads ${cpu.all.toFixed(2)} ms; the request thread alone allows ${(1000 / cpu.main).toFixed(0)}/s on an idle core`,
  );
  line(
    '  latency',
    `p50 ${percentile(run.latencies, 50).toFixed(1)} ms`,
    `p99 ${percentile(run.latencies, 99).toFixed(1)} ms; max ${(run.latencies.at(-1) ?? 0).toFixed(1)} ms`,
  );
  const others = [...run.statuses, ...warm.statuses].filter(([status]) => status !== 200);
  line(
    '  answered 200 with a receipt',
    `${received + (warm.statuses.get(200) ?? 0)}/${COUNT}`,
    others.length > 0 ? `others: ${others.map(([s, n]) => `${n}× ${s}`).join(', ')}` : '',
  );
  line('service resident memory after the load', `${residentMb(service.child.pid ?? 0).toFixed(0)} MB`, 'target under 300 MB');
  service.child.kill('SIGTERM');
  await new Promise((resolve) => service.child.once('exit', resolve));
  if (PROFILE_DIR !== undefined) console.log(`\nCPU profile of the service written to ${PROFILE_DIR}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
