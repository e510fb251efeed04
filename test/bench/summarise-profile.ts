/**
 * Summarises V8 CPU profiles (`node --cpu-prof` .cpuprofile files): self time by module (an npm package, a source
 * file of swx, a Node internal module, or V8's own entries such as the garbage collector) and by function, as shares
 * of the profile's busy time (idle left out). Used to find where a request's milliseconds go (README, Performance).
 * Usage: tsx test/bench/summarise-profile.ts [--top N] [--per N] file.cpuprofile...
 * --per N divides busy time by N requests and prints milliseconds per request as well.
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
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const micros = profile.timeDeltas[index] ?? 0;
    if (node === undefined || node.callFrame.functionName === '(idle)') return;
    busy += micros;
    const module = moduleOf(node.callFrame.url, node.callFrame.functionName);
    add(byModule, module, micros);
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
  show('self time by module', byModule);
  show('self time by function', byFunction);
}
