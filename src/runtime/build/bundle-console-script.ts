import { build } from 'esbuild';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
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

/**
 * Writes console-script.ts when the bundle differs from it (atomically, so a process reading it meanwhile sees the old or
 * the new module); answers whether it changed.
 * @example await writeConsoleScript()
 */
export async function writeConsoleScript(): Promise<boolean> {
  const next = await consoleScriptModule();
  if (readFileSync(CONSOLE_SCRIPT_MODULE, 'utf8') === next) return false;
  const temporary = `${CONSOLE_SCRIPT_MODULE}.${process.pid}.tmp`;
  writeFileSync(temporary, next);
  renameSync(temporary, CONSOLE_SCRIPT_MODULE);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) await writeConsoleScript();
