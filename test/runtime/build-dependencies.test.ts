import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The sources `npm run build` reads: the image's build stage runs it after `npm ci --omit=dev`. */
const BUILD_SOURCES = [
  'src/runtime/build/build-dist.ts',
  'src/runtime/build/bundle-console-script.ts',
  ...readdirSync('src/http/console/browser', { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join('src/http/console/browser', file)),
];

/** The packages a source names: `from 'pkg…'` and `resolve('pkg/…')`, not `node:` modules nor relative paths. */
function packagesOf(source: string): string[] {
  const specifiers = [...source.matchAll(/from '([^'.][^']*)'|resolve\('([^'.][^']*)'\)/g)].map((match) => match[1] ?? match[2] ?? '');
  return specifiers
    .filter((specifier) => !specifier.startsWith('node:'))
    .map((specifier) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

describe('npm run build with production dependencies only', () => {
  it('needs no package that is only a devDependency (the container image builds after npm ci --omit=dev)', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    const needed = new Set(BUILD_SOURCES.flatMap((file) => packagesOf(readFileSync(file, 'utf8'))));
    expect([...needed]).toContain('uplot');
    expect([...needed].filter((name) => !(name in manifest.dependencies))).toEqual([]);
  });
});
