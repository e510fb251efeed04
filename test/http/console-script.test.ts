import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHART_STYLE_MODULE, CONSOLE_SCRIPT_MODULE, chartStyleModule, consoleScriptModule } from '../../src/runtime/build/bundle-console-script.js';

describe('console-script.ts', () => {
  it('is the bundle of browser/console.ts as it is now (run `npm run build:console` after editing it)', async () => {
    expect(readFileSync(CONSOLE_SCRIPT_MODULE, 'utf8')).toBe(await consoleScriptModule());
  });

  it('has chart-style.ts holding uPlot’s stylesheet as installed (run `npm run build:console` after updating uplot)', () => {
    expect(readFileSync(CHART_STYLE_MODULE, 'utf8')).toBe(chartStyleModule());
    expect(chartStyleModule()).toContain('.u-wrap {position: relative;');
  });
});
