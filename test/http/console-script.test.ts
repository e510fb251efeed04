import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSOLE_SCRIPT_MODULE, consoleScriptModule } from '../../src/runtime/build/bundle-console-script.js';

describe('console-script.ts', () => {
  it('is the bundle of browser/console.ts as it is now (run `npm run build:console` after editing it)', async () => {
    expect(readFileSync(CONSOLE_SCRIPT_MODULE, 'utf8')).toBe(await consoleScriptModule());
  });
});
