import { build } from 'esbuild';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The console's browser module (typed against the DOM by its own tsconfig.json). */
const SOURCE = fileURLToPath(new URL('../../http/console/browser/console.ts', import.meta.url));
/** The generated module the console route serves from, on Node and on Workers alike (no filesystem at run time). */
export const CONSOLE_SCRIPT_MODULE = fileURLToPath(new URL('../../http/console/console-script.ts', import.meta.url));

/**
 * The text of console-script.ts: browser/console.ts bundled by esbuild into one script (an IIFE for the browsers
 * the console supports), held in a template literal.
 * @example expect(readFileSync(CONSOLE_SCRIPT_MODULE, 'utf8')).toBe(await consoleScriptModule())
 */
export async function consoleScriptModule(): Promise<string> {
  const result = await build({
    entryPoints: [SOURCE],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'warning',
  });
  const script = result.outputFiles[0]?.text;
  if (script === undefined) throw new Error('esbuild produced no console script');
  const literal = script.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('${', '\\${');
  return [
    '// Generated from browser/console.ts by `npm run build:console` (src/runtime/build/bundle-console-script.ts): do not edit.',
    '/**',
    ' * The officer console’s script, served as /console/console.js: browser/console.ts bundled into one script.',
    ' * It keeps the officer’s token in sessionStorage and renders every value from the API with text nodes (never innerHTML).',
    ' */',
    `export const CONSOLE_SCRIPT = \`${literal}\`;`,
    '',
  ].join('\n');
}

/** The generated module holding uPlot's stylesheet (the dashboard's charts), which console.css includes. */
export const CHART_STYLE_MODULE = fileURLToPath(new URL('../../http/console/chart-style.ts', import.meta.url));

/**
 * The text of chart-style.ts: uPlot's stylesheet as the package ships it, held in a template literal, so swx serves it
 * with its own (the console's CSP allows no other origin and no inline style).
 * @example expect(readFileSync(CHART_STYLE_MODULE, 'utf8')).toBe(chartStyleModule())
 */
export function chartStyleModule(): string {
  const css = readFileSync(createRequire(import.meta.url).resolve('uplot/dist/uPlot.min.css'), 'utf8').trim();
  const literal = css.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('${', '\\${');
  return [
    '// Generated from uplot/dist/uPlot.min.css by `npm run build:console` (src/runtime/build/bundle-console-script.ts): do not edit.',
    '/** uPlot’s stylesheet (MIT), part of /console/console.css for the dashboard’s charts. */',
    `export const CHART_STYLE = \`${literal}\`;`,
    '',
  ].join('\n');
}

/** Writes `text` to `path` atomically when it differs (a process reading it meanwhile sees the old or the new module). */
function writeIfChanged(path: string, text: string): boolean {
  if (readFileSync(path, { encoding: 'utf8', flag: 'a+' }) === text) return false;
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
  return true;
}

/**
 * Writes console-script.ts and chart-style.ts where they differ from the bundle and uPlot's stylesheet (atomically,
 * so a process reading them meanwhile sees the old or the new module); answers whether either changed.
 * @example await writeConsoleScript()
 */
export async function writeConsoleScript(): Promise<boolean> {
  const style = writeIfChanged(CHART_STYLE_MODULE, chartStyleModule());
  return writeIfChanged(CONSOLE_SCRIPT_MODULE, await consoleScriptModule()) || style;
}

if (import.meta.url === `file://${process.argv[1]}`) await writeConsoleScript();
