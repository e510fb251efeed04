import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Config, parseConfig } from '../../../src/config.js';
import { CONFIG_TABLE_END, CONFIG_TABLE_START, configTable, withConfigTable } from '../../../src/runtime/build/config-table.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** README's configuration table, as name → default cell (backticks dropped). */
function readmeTable(): Map<string, string> {
  const section = README.slice(README.indexOf(CONFIG_TABLE_START), README.indexOf(CONFIG_TABLE_END));
  const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)];
  return new Map(rows.map(([, name, fallback]) => [name ?? '', (fallback ?? '').trim().replace(/^`(.*)`$/, '$1')]));
}

describe("README's configuration table", () => {
  it('is the one npm run docs:config writes from src/config.ts', () => {
    expect(withConfigTable(README)).toBe(README);
  });

  it('lists every variable of the Config schema, and no other', () => {
    expect([...readmeTable().keys()].sort()).toEqual(Object.keys(Config.shape).sort());
  });

  it('gives each variable the default swx applies when it is unset', () => {
    const defaults = parseConfig({});
    for (const [name, fallback] of readmeTable()) {
      const value = defaults[name as keyof Config];
      if (value !== undefined) expect([name, fallback]).toEqual([name, String(value)]);
    }
  });

  it('gives every variable a meaning', () => {
    for (const line of configTable().split('\n').slice(2)) expect(line).toMatch(/^\| `[A-Z_]+` \| [^|]+ \| [^|\s][^|]+ \|$/);
  });
});
