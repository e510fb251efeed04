import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** Probe modules laid out as in the repository, each importing what one rule of .dependency-cruiser.cjs allows or refuses. */
const PROBES: Readonly<Record<string, string>> = {
  'src/core/uses-zod.ts': "import { z } from 'zod';\nexport const name = z.string();\n",
  'src/core/uses-core.ts': "import { name } from './uses-zod.js';\nexport const again = name;\n",
  'src/core/uses-hono.ts': "import { Hono } from 'hono';\nexport const app = new Hono();\n",
  'src/core/uses-node.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
  'src/core/primitives.ts': 'export interface Clock {\n  now(): Date;\n}\n',
  'src/core/circle-a.ts': "import type { B } from './circle-b.js';\nexport interface A {\n  b?: B;\n}\n",
  'src/core/circle-b.ts': "import type { A } from './circle-a.js';\nexport interface B {\n  a?: A;\n}\n",
  'src/core/errors.ts': 'export class CoreError extends Error {}\n',
  'src/adapters/clock.ts': "import type { Clock } from '../core/primitives.js';\nexport const clock: Clock = { now: () => new Date() };\n",
  'src/http/uses-core.ts': "import type { Clock } from '../core/primitives.js';\nexport type Deps = { clock: Clock };\n",
  'src/http/uses-adapter.ts': "import { clock } from '../adapters/clock.js';\nexport const now = clock.now;\n",
  'message-schemas/probe/1/uses-kit.ts': "import { CoreError } from '../../../src/core/errors.js';\nexport const error = CoreError;\n",
  'message-schemas/probe/1/uses-ports.ts': "import type { Clock } from '../../../src/core/primitives.js';\nexport type Stamp = Clock;\n",
};

interface Violation {
  readonly from: string;
  readonly rule: { readonly name: string };
}

let dir: string;
let run: { status: number | null; violations: string[] };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'swx-boundaries-'));
  for (const [file, text] of Object.entries(PROBES)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const depcruise = (output: string) =>
    spawnSync(process.execPath, [DEPCRUISE, '--config', join(REPO, '.dependency-cruiser.cjs'), '--output-type', output, 'src', 'message-schemas'], {
      cwd: dir,
      encoding: 'utf8',
    });
  const violations = (JSON.parse(depcruise('json').stdout) as { summary: { violations: Violation[] } }).summary.violations;
  run = { status: depcruise('err').status, violations: violations.map((v) => `${v.rule.name} ${v.from}`).sort() };
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run check:boundaries (.dependency-cruiser.cjs)', () => {
  it('exits non-zero on probe modules that cross a boundary', () => {
    expect(run.status).not.toBe(0);
  });

  it('refuses hono and node: in core, an adapter in http, core ports in message-schemas, and a type-only circle', () => {
    expect(run.violations).toEqual([
      'core-imports-only-zod-and-core src/core/uses-hono.ts',
      'core-imports-only-zod-and-core src/core/uses-node.ts',
      'http-imports-no-adapter-or-runtime src/http/uses-adapter.ts',
      'message-schemas-import-only-the-document-kit message-schemas/probe/1/uses-ports.ts',
      'no-circular src/core/circle-a.ts',
    ]);
  });
});
