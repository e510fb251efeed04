/**
 * `npm run bench:worker`: swx on Workers in local workerd (startDevWorkers, as `npm run dev:worker`; 127.0.0.1, fresh state)
 * beside the Node service on the same machine, under the same loads (test/bench/run.ts and inbound.ts):
 * 1. trader declarations (POST /v1/declarations) from concurrent clients for BENCH_SECONDS (default 10);
 * 2. inbound partner envelopes (POST /v1/exchange, Customs Responses signed by five partner gateways beforehand),
 *    BENCH_INBOUND_COUNT (default 5000) of them;
 * 3. the sequencer alone: BENCH_COMMITS (default 20000) small changes committed by 64 concurrent callers, on Node into
 *    SqliteExchangeStore in process, on Workers into the one EXCHANGE object from a Worker over RPC (one call per
 *    commit, as the API does) and inside the object (test/workers/commit-bench-worker.ts).
 * Partner simulators are off on both (deliveries of the ACDDs fail and are retried in the background on both).
 * Prints figures; asserts nothing.
 */
import autocannon from 'autocannon';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unstable_startWorker } from 'wrangler';
import { CustomsResponse, customsResponseSpec } from '../../message-schemas/customs-response/1/schema.js';
import { devPkiDir, devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { openDatabase } from '../../src/adapters/storage/sqlite-database.js';
import { SqliteExchangeStore } from '../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../src/adapters/storage/sqlite-ledger-store.js';
import { generateToken } from '../../src/core/auth/api-key.js';
import { encodeDocumentXml } from '../../src/core/document/xml-mapping.js';
import { parseConfig } from '../../src/config.js';
import { applyLocalD1Migrations } from '../../src/runtime/build/apply-local-d1-migrations.js';
import { buildWorker } from '../../src/runtime/build/build-worker.js';
import { startDevWorkers } from '../../src/runtime/build/dev-workers.js';
import { anEnvelope } from '../helpers/envelope-builder.js';
import { createKeyOver } from '../helpers/service-under-test.js';
import { type CommitShape, commitConcurrently } from './commit-shapes.js';
import { percentile, postEnvelopes } from './post-envelopes.js';
import { cpuSecondsOf, descendantsNamed } from './process-cpu.js';
import { startServiceProcess } from './service-process.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const INBOUND_COUNT = Number(process.env['BENCH_INBOUND_COUNT'] ?? 5_000);
const COMMITS = Number(process.env['BENCH_COMMITS'] ?? 20_000);
const CONNECTIONS = 64;
const PARTNERS = ['TH', 'SG', 'MY', 'ID', 'PH'] as const;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const declaration = readFileSync(join(ROOT, 'message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json'), 'utf8');

interface Figures {
  readonly declarations: { readonly rate: number; readonly cpuMs: number; readonly p99: number; readonly others: string };
  readonly inbound: { readonly rate: number; readonly cpuMs: number; readonly p99: number; readonly others: string };
}

function line(name: string, node: string, worker: string, note = ''): void {
  console.log(`${name.padEnd(50)} ${node.padStart(14)} ${worker.padStart(16)}  ${note}`);
}

/** The answers other than `expected`, as `3× 503`, and the requests that got none; `none` when there are none. */
function othersThan(expected: number, statuses: readonly (readonly [number, number])[], errors: number): string {
  const others = statuses.filter(([status]) => status !== expected).map(([status, count]) => `${count}× ${status}`);
  if (errors > 0) others.push(`${errors} without answer`);
  return others.length === 0 ? 'none' : others.join(', ');
}

/**
 * Declarations from CONNECTIONS clients for SECONDS, then the signed envelopes once each; `cpuSeconds` reads the CPU the
 * service's processes used so far (other processes share these cores: CPU per request holds where rates waver).
 */
async function loadService(
  url: string,
  createKey: (role: 'trader', partyId: string) => Promise<string>,
  envelopes: readonly string[],
  cpuSeconds: () => number,
): Promise<Figures> {
  const token = await createKey('trader', '0301234567');
  const submit = {
    url: `${url}/v1/declarations`,
    method: 'POST' as const,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: declaration,
  };
  // The first requests make the EXCHANGE object (its migrations) and warm the isolate or the JIT.
  await autocannon({ ...submit, amount: 200, connections: 8 });
  await postEnvelopes(url, envelopes.slice(0, 200), 8);
  const beforeDeclarations = cpuSeconds();
  const declared = await autocannon({ ...submit, duration: SECONDS, connections: CONNECTIONS, pipelining: 1 });
  const beforeEnvelopes = cpuSeconds();
  const received = await postEnvelopes(url, envelopes.slice(200), CONNECTIONS);
  const after = cpuSeconds();
  return {
    declarations: {
      rate: declared['2xx'] / SECONDS,
      cpuMs: ((beforeEnvelopes - beforeDeclarations) * 1000) / declared['2xx'],
      p99: declared.latency.p99,
      others: othersThan(
        202,
        Object.entries(declared.statusCodeStats ?? {}).map(([status, stats]) => [Number(status), stats?.count ?? 0] as const),
        declared.errors,
      ),
    },
    inbound: {
      rate: (envelopes.length - 200) / received.seconds,
      cpuMs: ((after - beforeEnvelopes) * 1000) / (envelopes.length - 200),
      p99: percentile(received.latencies, 99),
      others: othersThan(200, [...received.statuses], 0),
    },
  };
}

/** Commits per second of wall time, and per second of the committing processes' CPU. */
interface CommitRate {
  readonly wall: number;
  readonly cpu: number;
}

/** Commits into SqliteExchangeStore over better-sqlite3 on disk, in this process (group commit, synchronous=FULL). */
async function nodeCommitRate(dir: string, shape: CommitShape): Promise<CommitRate> {
  const db = openDatabase(join(dir, `commits-${shape}.db`));
  const store = new SqliteExchangeStore(db, new SqliteLedgerStore(db));
  const cpu = process.cpuUsage();
  const start = performance.now();
  await commitConcurrently((change) => store.commit(change), shape, COMMITS, CONNECTIONS, nodeSha256);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  db.close();
  return { wall: COMMITS / seconds, cpu: COMMITS / ((used.user + used.system) / 1e6) };
}

/** Commits into the EXCHANGE object of the commit bench Worker, from the Worker over RPC or inside the object. */
async function objectCommitRate(url: URL, shape: CommitShape, from: 'rpc' | 'inside'): Promise<CommitRate> {
  const query = `shape=${shape}&concurrency=${CONNECTIONS}&from=${from}`;
  await fetch(new URL(`/commits?${query}&count=500`, url)).then((answer) => answer.text());
  const workerd = descendantsNamed('workerd');
  const cpu = cpuSecondsOf(workerd);
  const start = performance.now();
  const answer = await fetch(new URL(`/commits?${query}&count=${COMMITS}`, url));
  if (answer.status !== 200) throw new Error(`the commit bench Worker answered ${answer.status}: ${await answer.text()}`);
  await answer.text();
  const seconds = (performance.now() - start) / 1000;
  return { wall: COMMITS / seconds, cpu: COMMITS / (cpuSecondsOf(workerd) - cpu) };
}

const rate = (value: number) => `${value.toFixed(0)} /s`;
const ms = (value: number) => `${value.toFixed(2)} ms`;

// One line per request from wrangler's dev server would cost this process (the load generator) time.
process.env['WRANGLER_LOG'] ??= 'error';
await buildWorker(process.env);
const scratch = mkdtempSync(join(tmpdir(), 'swx-bench-worker-'));
try {
  console.log(
    `swx on Workers (local workerd) beside Node: ${availableParallelism()} cores, ${SECONDS} s of declarations, ` +
      `${INBOUND_COUNT} envelopes, ${COMMITS} commits per sequencer figure, ${CONNECTIONS} concurrent clients, Node ${process.version}\n`,
  );
  // As `npm run dev:worker` starts it (its D1 migrated first), in a fresh directory; the PKI is the one build:worker used.
  const workerState = join(scratch, 'worker');
  await applyLocalD1Migrations(workerState);
  const adminToken = generateToken((length) => randomBytes(length));
  const worker = await startDevWorkers({
    persist: workerState,
    vars: { SWX_LOG_LEVEL: 'warn', SWX_SIMULATORS: 'off' },
    secrets: { SWX_ADMIN_TOKEN: adminToken },
    simulators: false,
  });
  const pkiDir = devPkiDir(resolve(parseConfig(process.env).SWX_DATA_DIR));
  const layout = devPkiLayout(pkiDir);
  const body = encodeDocumentXml(
    customsResponseSpec,
    CustomsResponse.parse(JSON.parse(readFileSync(join(ROOT, 'message-schemas/customs-response/1/examples/valid-cleared.json'), 'utf8'))),
  );
  const signers = PARTNERS.map((id) => ({
    id,
    signer: new XmlDsigSigner(readFileSync(layout.gatewayKey(id), 'utf8'), readFileSync(layout.gatewayCertificate(id), 'utf8')),
  }));
  const createdAt = new Date().toISOString();
  // Each runtime gets envelopes of its own: a message id is received once.
  const envelopesFor = () =>
    Array.from({ length: INBOUND_COUNT }, (_, index) => {
      const { id, signer } = signers[index % signers.length] ?? signers[0]!;
      return anEnvelope().from(id).referringTo(randomUUID()).createdAt(createdAt).signedBy(signer, body);
    });

  let onWorkers: Figures;
  try {
    const url = worker.url.origin;
    onWorkers = await loadService(url, createKeyOver(url, adminToken), envelopesFor(), () => cpuSecondsOf(descendantsNamed('workerd')));
  } finally {
    await worker.dispose();
  }

  // The Node service trusts and signs with the same development PKI as the Worker.
  const dataDir = join(scratch, 'node');
  cpSync(pkiDir, join(dataDir, 'pki'), { recursive: true });
  const node = await startServiceProcess({
    PORT: '0',
    SWX_DATA_DIR: dataDir,
    SWX_LOG_LEVEL: 'warn',
    SWX_SIMULATORS: 'off',
    SWX_ADMIN_TOKEN: adminToken,
  });
  let onNode: Figures;
  try {
    onNode = await loadService(node.url, createKeyOver(node.url, adminToken), envelopesFor(), () => cpuSecondsOf([node.child.pid ?? 0]));
  } finally {
    node.child.kill('SIGTERM');
    await new Promise((resolve) => node.child.once('exit', resolve));
  }

  const commitState = join(scratch, 'commit-bench');
  await applyLocalD1Migrations(commitState);
  const commitWorker = await unstable_startWorker({
    config: join(ROOT, 'wrangler.toml'),
    entrypoint: join(ROOT, 'test/workers/commit-bench-worker.ts'),
    bindings: { SWX_LOG_LEVEL: { type: 'plain_text', value: 'warn' }, SWX_SIMULATORS: { type: 'plain_text', value: 'off' } },
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist: commitState, watch: false },
  });
  const none = { wall: 0, cpu: 0 };
  const sequencer: Record<CommitShape, { node: CommitRate; rpc: CommitRate; inside: CommitRate }> = {
    event: { node: none, rpc: none, inside: none },
    reception: { node: none, rpc: none, inside: none },
  };
  try {
    await commitWorker.ready;
    const url = await commitWorker.url;
    for (const shape of ['event', 'reception'] as const) {
      sequencer[shape] = {
        node: await nodeCommitRate(scratch, shape),
        rpc: await objectCommitRate(url, shape, 'rpc'),
        inside: await objectCommitRate(url, shape, 'inside'),
      };
    }
  } finally {
    await commitWorker.dispose();
  }

  line('', 'Node', 'Workers (local)');
  line(
    'declarations accepted (validate, sign, ledger, outbox)',
    rate(onNode.declarations.rate),
    rate(onWorkers.declarations.rate),
    `p99 ${onNode.declarations.p99} ms / ${onWorkers.declarations.p99} ms; others ${onNode.declarations.others} / ${onWorkers.declarations.others}`,
  );
  line('  service CPU per declaration', ms(onNode.declarations.cpuMs), ms(onWorkers.declarations.cpuMs), 'Node process / all workerd processes');
  line(
    'inbound envelopes verified, recorded, receipted',
    rate(onNode.inbound.rate),
    rate(onWorkers.inbound.rate),
    `p99 ${onNode.inbound.p99.toFixed(0)} ms / ${onWorkers.inbound.p99.toFixed(0)} ms; others ${onNode.inbound.others} / ${onWorkers.inbound.others}`,
  );
  line('  service CPU per envelope', ms(onNode.inbound.cpuMs), ms(onWorkers.inbound.cpuMs), 'Node process / all workerd processes');
  for (const [shape, label] of [
    ['event', 'sequencer: commits of one ledger entry'],
    ['reception', 'sequencer: commits of a reception (2 entries, 4 KB)'],
  ] as const) {
    const { node, rpc, inside } = sequencer[shape];
    line(label, rate(node.wall), rate(rpc.wall), `inside the object, without RPC: ${rate(inside.wall)}`);
    line('  per CPU second', rate(node.cpu), rate(rpc.cpu), `inside the object: ${rate(inside.cpu)}`);
  }
  console.log(
    '\nNode: the service process, better-sqlite3 on disk. Workers: local workerd (the Worker, the EXCHANGE object and the\n' +
      "queue consumer, and wrangler's proxy), its SQLite on disk; the sequencer's Workers figures are commits sent from a\n" +
      'Worker over RPC, one call each. The load generator shares the cores: compare CPU per request where rates waver.',
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
