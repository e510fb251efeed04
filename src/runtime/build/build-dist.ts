import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeConsoleScript } from './bundle-console-script.js';

/** The repository, whose src/ and message-schemas/ are compiled into dist/ at the same relative paths. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIST = join(ROOT, 'dist');

/** Files that never run on Node: the Workers' entries (swx, its simulators), the console's browser module, this build, tsconfigs and type declarations. */
const NOT_FOR_NODE = [
  /^src\/runtime\/(worker|simulator-worker)(\.ts$|\/)/,
  /\/tsconfig[^/]*\.json$/,
  /^src\/http\/console\/browser\//,
  /^src\/runtime\/build\//,
  /\.d\.ts$/,
];

/** The files under `dir` (relative to the repository, with `/`), ending with one of `extensions`. */
function filesUnder(dir: string, extensions: readonly string[]): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((name) => `${dir}/${name.split(sep).join('/')}`)
    .filter((file) => extensions.some((extension) => file.endsWith(extension)) && !NOT_FOR_NODE.some((pattern) => pattern.test(file)));
}

/** Writes `bytes` at `file` unless it already holds them; by rename, so a process loading dist/ meanwhile never reads half a file. */
function writeIfChanged(file: string, bytes: Uint8Array): void {
  if (existsSync(file) && Buffer.compare(readFileSync(file), bytes) === 0) return;
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, file);
}

/**
 * Builds what `npm start` runs: regenerates the console's script, then compiles each module of src/ and message-schemas/
 * to JavaScript in dist/ (one file per module, not bundled, so worker-thread entries, migrations and JSON resolve beside
 * their importers as they do in src/), copies the SQL migrations and JSON data, and removes files whose source is gone.
 * Types are checked by `npm run typecheck`, not here. Answers the files dist/ holds, relative to it.
 * @example await buildDist()
 */
export async function buildDist(): Promise<string[]> {
  await writeConsoleScript();
  const modules = [...filesUnder('src', ['.ts']), ...filesUnder('message-schemas', ['.ts'])];
  const result = await build({
    entryPoints: modules.map((file) => join(ROOT, file)),
    outdir: DIST,
    outbase: ROOT,
    bundle: false,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  const produced = new Set<string>();
  for (const output of result.outputFiles) {
    writeIfChanged(output.path, output.contents);
    produced.add(relative(DIST, output.path));
  }
  for (const file of filesUnder('src', ['.sql', '.json'])) {
    writeIfChanged(join(DIST, file), readFileSync(join(ROOT, file)));
    produced.add(file);
  }
  for (const name of existsSync(DIST) ? readdirSync(DIST, { recursive: true, encoding: 'utf8' }) : []) {
    const file = name.split(sep).join('/');
    if (!produced.has(file) && /\.(js|map|sql|json)$/.test(file)) rmSync(join(DIST, file), { force: true });
  }
  return [...produced].sort();
}

if (import.meta.url === `file://${process.argv[1]}`) await buildDist();
