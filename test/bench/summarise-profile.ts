/**
 * Summarises V8 CPU profiles (`node --cpu-prof` .cpuprofile files): self time by module (an npm package, a source
 * file of swx, a Node internal module, or V8's own entries such as the garbage collector) and by function, as shares
 * of the profile's busy time (idle left out). Used to find where a request's milliseconds go (README, Performance).
 * Usage: tsx test/bench/summarise-profile.ts [--top N] [--per N] file.cpuprofile...
 * --per N divides busy time by N requests and prints milliseconds per request as well. Self time is also summed by
 * category (HTTP, SQLite, XML, zod, signing pool messaging, ...): see CATEGORIES.
 * Caveat: V8's sampler books some native work done outside any JS frame to the last call JS made into a native addon.
 * Under bench:inbound, 23% of the request thread's busy time fell on the one-row SELECT of getMessage, which
 * process.hrtime measured at 9 µs a call (2% of it); `perf record -g` with node's --perf-basic-prof, which sees native
 * frames, is the check (README, Performance).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The module a frame belongs to: `pkg:<name>`, `swx:<path>`, `node:<module>`, or V8's name in parentheses. */
export function moduleOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `pkg:${pkg[1]}`;
  const own = /\/(?:dist\/)?((?:src|message-schemas)\/.+?)(?:\.[jt]s)?$/.exec(url);
  if (own) return `swx:${own[1]}`;
  if (url.startsWith('node:')) return url;
  return url;
}

/** Categories of self time, by module (first match wins); the rest is "other". */
const CATEGORIES: readonly (readonly [string, RegExp])[] = [
  ['SQLite (better-sqlite3 and the stores calling it; COMMIT and its fsync included)', /better-sqlite3|swx:src\/adapters\/storage\//],
  ['garbage collector', /^\(garbage collector\)$/],
  ['signing pool messaging (postMessage, transfer)', /^postMessage|js_transferable|messageport|node:internal\/worker/],
  [
    'HTTP in (node:http, streams, @hono/node-server, hono, web streams)',
    /_http|streams|stream_base|@hono\/node-server|pkg:hono$|webstreams|writev|writeString|writeBuffer|node:net/,
  ],
  ['HTTP out (undici: deliveries to the partner)', /undici/],
  ['zod validation', /pkg:zod|@hono\/zod/],
  ['XML (parse, canonicalise, codec, xmldsig profile)', /swx:src\/adapters\/xml|xmldsig|swx:src\/core\/xml|xml-mapping|message-schemas/],
  ['crypto in the request thread (hash, verify)', /node:internal\/crypto|node-sha256|verifyOneShot/],
  ['fsync binding', /^fdatasync$/],
  ['logging (pino)', /pino/],
  ['metrics (prom-client)', /prom-client|observe-requests|metrics/],
  ['JSON and ledger encoding', /canonical-json|^parse$|^stringify$|ambiguous-json|core\/ledger/],
  ['swx core and routes', /swx:src\/(core|http)/],
];

function categoryOf(module: string, functionName: string): string {
  const key = module.startsWith('(native)') ? functionName : module;
  return CATEGORIES.find(([, pattern]) => pattern.test(key) || pattern.test(module))?.[0] ?? 'other';
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

const { values, positionals } = parseArgs({ options: { top: { type: 'string' }, per: { type: 'string' } }, allowPositionals: true });
const top = Number(values.top ?? 30);
const per = values.per === undefined ? undefined : Number(values.per);
for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byCategory = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const micros = profile.timeDeltas[index] ?? 0;
    if (node === undefined || node.callFrame.functionName === '(idle)') return;
    busy += micros;
    const module = moduleOf(node.callFrame.url, node.callFrame.functionName);
    add(byModule, module, micros);
    add(byCategory, categoryOf(module, node.callFrame.functionName), micros);
    add(byFunction, `${node.callFrame.functionName || '(anonymous)'} ${module}:${node.callFrame.lineNumber + 1}`, micros);
  });
  const show = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      const share = `${((micros / busy) * 100).toFixed(1)}%`.padStart(6);
      const perRequest = per === undefined ? '' : `${(micros / 1000 / per).toFixed(3).padStart(7)} ms`;
      console.log(`${share} ${perRequest}  ${key}`);
    }
  };
  console.log(
    `${file}: busy ${(busy / 1e6).toFixed(2)} s${per === undefined ? '' : `, ${(busy / 1000 / per).toFixed(3)} ms per request over ${per}`}`,
  );
  show('self time by category', byCategory);
  show('self time by module', byModule);
  show('self time by function', byFunction);
}
