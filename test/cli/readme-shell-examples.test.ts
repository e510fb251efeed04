import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/main.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** README's ```sh blocks in order, each with the line it starts on, comments stripped. */
const blocks = [...README.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => ({
  line: README.slice(0, match.index).split('\n').length,
  code: (match[1] ?? '')
    .split('\n')
    .map((text) => text.replace(/(^|\s)#.*$/, ''))
    .join('\n'),
}));

const ASSIGNED = /(?:^|[\s;&(|])(?:export\s+|local\s+)?([A-Za-z_]\w*)=|\bfor\s+([A-Za-z_]\w*)\s+in\b|\bread\s+(?:-r\s+)?([A-Za-z_]\w*)/g;
const USED = /\$\{?([A-Za-z_]\w*)/g;

describe("README's shell examples", () => {
  it('are there to check', () => {
    expect(blocks.length).toBeGreaterThan(10);
  });

  it('set every shell variable they use, in that example or an earlier one', () => {
    const set = new Set<string>();
    const unset: string[] = [];
    for (const block of blocks) {
      for (const [index, text] of block.code.split('\n').entries()) {
        for (const match of text.matchAll(ASSIGNED)) set.add(match[1] ?? match[2] ?? match[3] ?? '');
        for (const [, name] of text.matchAll(USED)) if (!set.has(name ?? '')) unset.push(`README.md:${block.line + 1 + index}: $${name}`);
      }
    }
    expect(unset).toEqual([]);
  });

  it('run only swx commands that exist', () => {
    const names = new Set(commands.map((command) => command.name));
    const unknown = blocks
      .flatMap((block) => [...block.code.matchAll(/\bnpx swx ([a-z]+)(?: ([a-z]+))?/g)])
      .map(([, first, second]) => (names.has(`${first} ${second}`) ? `${first} ${second}` : (first ?? '')))
      .filter((name) => !names.has(name));
    expect(unknown).toEqual([]);
  });
});
