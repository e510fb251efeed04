import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Node modules that workerd does not provide (or provides only as stubs), and the packages built on them. */
const FORBIDDEN_BUILTINS = ['fs', 'fs/promises', 'worker_threads', 'child_process', 'cluster', 'net', 'tls', 'http', 'https', 'http2'];
const FORBIDDEN_PACKAGES = ['better-sqlite3', 'undici', '@hono/node-server', 'pino', 'thread-stream', 'sonic-boom', 'prom-client'];

/**
 * Bundles the Worker as wrangler does (ESM, the workerd/worker/browser conditions, Node built-ins and cloudflare:
 * modules left to the runtime, .sql files as text) and returns what every bundled file imports from outside and
 * which files of node_modules went in. The generated partner bundle (JSON, built by npm run build:worker) is left
 * out: it is data, and need not exist for this test.
 */
async function bundleOf(entryPoints: readonly string[]): Promise<{ external: Map<string, string>; packages: Set<string> }> {
  const result = await build({
    entryPoints: entryPoints.map((entry) => `${ROOT}${entry}`),
    bundle: true,
    write: false,
    format: 'esm',
    outdir: '/nowhere',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['cloudflare:*', 'node:*', ...builtinModules],
    loader: { '.sql': 'text' },
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'generated-worker-bundle',
        setup(plugin) {
          plugin.onResolve({ filter: /\/generated\/worker-bundle\.json$/ }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
  });
  return importsOf(result.metafile);
}

function importsOf(metafile: Metafile): { external: Map<string, string>; packages: Set<string> } {
  const external = new Map<string, string>();
  const packages = new Set<string>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    const packageName = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
    if (packageName !== undefined) packages.add(packageName);
    for (const imported of input.imports) if (imported.external) external.set(imported.path.replace(/^node:/, ''), file);
  }
  return { external, packages };
}

describe('the Worker bundles (swx and its partner simulators)', () => {
  let bundle: { external: Map<string, string>; packages: Set<string> };
  beforeAll(async () => {
    bundle = await bundleOf([
      'src/runtime/worker.ts',
      'src/runtime/worker/worker-ports.ts',
      'src/runtime/worker/generated-worker-bundle.ts',
      'src/runtime/simulator-worker.ts',
    ]);
  });

  it('imports no Node module that workerd lacks (node:fs, worker_threads, …)', () => {
    const found = FORBIDDEN_BUILTINS.filter((name) => bundle.external.has(name)).map((name) => `${name} (from ${bundle.external.get(name)})`);
    expect(found).toEqual([]);
  });

  it('contains none of the Node-only packages (better-sqlite3, undici, @hono/node-server, pino, prom-client)', () => {
    expect(FORBIDDEN_PACKAGES.filter((name) => bundle.packages.has(name))).toEqual([]);
  });

  it('does contain the crypto and XML adapters the ports use, so the check above saw them', () => {
    expect(bundle.packages.has('node-forge')).toBe(true);
    expect(bundle.external.has('crypto')).toBe(true);
  });
});

describe('the bundle check itself', () => {
  it('finds node:fs and better-sqlite3 when the Node composition is bundled', async () => {
    const node = await bundleOf(['src/runtime/compose.ts']);
    expect(node.external.has('fs')).toBe(true);
    expect(node.packages.has('better-sqlite3')).toBe(true);
  });
});
