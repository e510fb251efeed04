/**
 * `npm run bench:hostile`: hostile XML (design.md §4: every parser linear in input size; one hostile request never
 * stops /healthz from answering).
 * 1. Parsing, in this process: each shape at three sizes with the structural limits lifted (so the whole document is
 *    parsed), µs per KB for the codec (parseXml), the signature tree (parseXmlTree) and tree + exc-C14N. Linear
 *    parsing shows as a flat column. Then each shape at the largest size under the default limits: what it costs to
 *    be refused (or parsed, when it fits).
 * 2. The real service on loopback (`node --import tsx src/runtime/node.ts`, simulators off): each shape posted to
 *    POST /v1/exchange (unauthenticated) and POST /v1/declarations (a trader key), the round trip and the status, the
 *    slowest /healthz answer meanwhile; the service's resident memory idle and at its peak (VmHWM), against the bound
 *    2 × idle + 10 × the body limit.
 * Prints figures; asserts nothing. BENCH_HOSTILE_SIZES_KB (default 512,1024,3900) sets the three sizes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalizeDocument } from '../../src/adapters/xml/exclusive-c14n.js';
import { parseXmlTree } from '../../src/adapters/xml/parse-xml-tree.js';
import { XML_LIMITS, xmlLimitsWith } from '../../src/adapters/xml/refuse-unsafe-xml.js';
import { createXmlParser, parseXml } from '../../src/adapters/xml/xml-codec.js';
import { NO_SHAPE, xmlOfShape } from '../helpers/hostile-xml.js';
import { residentMb, startServiceProcess } from './service-process.js';

const SIZES_KB = (process.env['BENCH_HOSTILE_SIZES_KB'] ?? '512,1024,3900').split(',').map(Number);
const BODY_LIMIT = 5 * 1024 * 1024;
const LIFTED = xmlLimitsWith({
  maxDepth: 1000,
  maxElements: Number.MAX_SAFE_INTEGER,
  maxAttributes: Number.MAX_SAFE_INTEGER,
  maxTextChars: Number.MAX_SAFE_INTEGER,
});
const parseLifted = createXmlParser(LIFTED);

/** Each shape as a function of a count; the bench picks the count that gives the size wanted. */
const SHAPES: Record<string, (n: number) => string> = {
  siblings: (n) => xmlOfShape({ ...NO_SHAPE, siblings: n }),
  attributes: (n) => xmlOfShape({ ...NO_SHAPE, attributes: n }),
  'attributes, 250 per element': (n) =>
    `<r>${`<e ${Array.from({ length: 250 }, (_, i) => `a${i}="${i}"`).join(' ')}/>`.repeat(Math.ceil(n / 250))}</r>`,
  'depth (999-deep subtrees)': (n) => `<r>${`${'<n>'.repeat(999)}${'</n>'.repeat(999)}`.repeat(Math.ceil(n / 999))}</r>`,
  'long text': (n) => xmlOfShape({ ...NO_SHAPE, textChars: n }),
  'text with references': (n) => `<r>${'&amp;&#x41;'.repeat(n)}</r>`,
  'namespaces redeclared per child': (n) =>
    `<r ${Array.from({ length: n }, (_, i) => `xmlns:p${i}="urn:p${i}"`).join(' ')}>${'<a xmlns="urn:v">1</a>'.repeat(n)}</r>`,
  'prefixed attributes, own namespaces': (n) => `<r ${Array.from({ length: n }, (_, i) => `xmlns:p${i}="urn:p${i}" p${i}:a${i}="1"`).join(' ')}/>`,
  'entities (refused)': (n) => `<!DOCTYPE r [${Array.from({ length: n }, (_, i) => `<!ENTITY e${i} "${i}">`).join('')}]><r>&e0;</r>`,
};

/** The document of `shape` closest to `kb` kilobytes, not above (the count is corrected twice: items may grow with it). */
function sized(make: (n: number) => string, kb: number): string {
  const target = kb * 1024;
  let n = 1000;
  let xml = make(n);
  for (let step = 0; step < 3; step += 1) {
    n = Math.max(1, Math.floor((n * target) / xml.length));
    xml = make(n);
  }
  while (xml.length > target && n > 1) {
    n = Math.floor(n * 0.99);
    xml = make(n);
  }
  return xml;
}

function timed(run: () => unknown, repeat = 3): { ms: number; outcome: string } {
  let best = Infinity;
  let outcome = 'parsed';
  for (let i = 0; i < repeat; i += 1) {
    const started = performance.now();
    try {
      run();
    } catch (error) {
      outcome = (error as { code?: string }).code ?? (error as Error).message;
    }
    best = Math.min(best, performance.now() - started);
  }
  return { ms: best, outcome };
}

/** Posts `body` while probing /healthz; the round trip, the status and the slowest probe. */
async function postWhileProbing(url: string, path: string, body: string, headers: Record<string, string>) {
  let done = false;
  let slowest = 0;
  const probing = (async () => {
    while (!done) {
      const started = performance.now();
      await (await fetch(`${url}/healthz`)).arrayBuffer();
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const started = performance.now();
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/xml', ...headers }, body });
  await response.arrayBuffer();
  const ms = performance.now() - started;
  done = true;
  await probing;
  return { ms, status: response.status, slowest };
}

console.log(`1. Parsing (this process), limits lifted; µs per KB, best of 3`);
console.log(`${'shape'.padEnd(38)} ${'size'.padStart(8)} ${'codec'.padStart(8)} ${'tree'.padStart(8)} ${'tree+c14n'.padStart(10)}`);
for (const [name, make] of Object.entries(SHAPES)) {
  for (const kb of SIZES_KB) {
    const xml = sized(make, kb);
    const size = xml.length / 1024;
    const codec = timed(() => parseLifted(xml));
    const tree = timed(() => parseXmlTree(xml, { limits: LIFTED }));
    const c14n = timed(() => canonicalizeDocument(parseXmlTree(xml, { limits: LIFTED })));
    const perKb = (ms: number) => ((ms * 1000) / size).toFixed(1).padStart(8);
    const refused = codec.outcome === 'parsed' ? '' : `  (${codec.outcome})`;
    console.log(
      `${name.padEnd(38)} ${`${size.toFixed(0)} KB`.padStart(8)} ${perKb(codec.ms)} ${perKb(tree.ms)} ${perKb(c14n.ms).padStart(10)}${refused}`,
    );
  }
}

const largest = Math.max(...SIZES_KB);
console.log(`\nUnder the default limits (${JSON.stringify(XML_LIMITS)}), ${largest} KB: ms to the answer of parseXml`);
for (const [name, make] of Object.entries(SHAPES)) {
  const xml = sized(make, largest);
  const { ms, outcome } = timed(() => parseXml(xml));
  console.log(`${name.padEnd(38)} ${ms.toFixed(1).padStart(8)} ms  ${outcome}`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'swx-bench-hostile-'));
const service = await startServiceProcess({
  PORT: '0',
  SWX_DATA_DIR: dataDir,
  SWX_SIMULATORS: 'off',
  SWX_LOG_LEVEL: 'silent',
  SWX_REFUSED_BURST: '100000',
});
try {
  const pid = service.child.pid ?? 0;
  const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  const created = await fetch(`${service.url}/v1/admin/api-keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'trader', name: 'bench', partyId: '0301234567' }),
  });
  const trader = ((await created.json()) as { token: string }).token;
  await fetch(`${service.url}/healthz`);
  const idle = residentMb(pid, 'VmRSS');
  console.log(
    `\n2. The service on loopback (pid ${pid}), ${largest} KB bodies and ${BODY_LIMIT / 1024 / 1024} MB bodies (over the XML limit of ${XML_LIMITS.maxChars} characters)`,
  );
  console.log(
    `${'shape'.padEnd(38)} ${'size'.padStart(8)} ${'/v1/exchange'.padStart(20)} ${'/v1/declarations'.padStart(20)} ${'slowest /healthz'.padStart(17)} ${'peak RSS'.padStart(9)}`,
  );
  for (const [name, make] of Object.entries(SHAPES)) {
    for (const kb of [largest, BODY_LIMIT / 1024 - 1]) {
      const xml = sized(make, kb);
      const exchange = await postWhileProbing(service.url, '/v1/exchange', xml, {});
      const declaration = await postWhileProbing(service.url, '/v1/declarations', xml, {
        Authorization: `Bearer ${trader}`,
        'Idempotency-Key': crypto.randomUUID(),
      });
      const answer = (result: { ms: number; status: number }) => `${result.status} in ${result.ms.toFixed(0)} ms`.padStart(20);
      const slowest = `${Math.max(exchange.slowest, declaration.slowest).toFixed(0)} ms`.padStart(17);
      const peak = `${residentMb(pid, 'VmHWM').toFixed(0)} MB`.padStart(9);
      console.log(
        `${name.padEnd(38)} ${`${(Buffer.byteLength(xml) / 1024).toFixed(0)} KB`.padStart(8)} ${answer(exchange)} ${answer(declaration)} ${slowest} ${peak}`,
      );
    }
  }
  const peak = residentMb(pid, 'VmHWM');
  const bound = 2 * idle + (10 * BODY_LIMIT) / 1024 / 1024;
  console.log(
    `\nresident memory: idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, now ${residentMb(pid, 'VmRSS').toFixed(0)} MB; bound 2 × idle + 10 × body limit = ${bound.toFixed(0)} MB`,
  );
} finally {
  service.child.kill('SIGTERM');
  await new Promise((resolve) => service.child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
