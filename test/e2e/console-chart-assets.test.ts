import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../src/http/console/console-page.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

/**
 * The dashboard's chart library comes from swx itself on both runtimes: uPlot inside /console/console.js and its
 * stylesheet inside /console/console.css, under the console's CSP (its own origin only), so no CDN is ever asked.
 */
describe.each(RUNTIMES)('the console’s chart assets on %s', (runtime) => {
  let swx: ServiceUnderTest;
  beforeAll(async () => {
    swx = await startServiceOn(runtime);
  }, 60_000);
  afterAll(async () => swx?.close());

  it('serves uPlot in the script and its stylesheet with the views’ styles, from swx’s own origin', async () => {
    const page = await fetch(`${swx.url}/console`);
    expect(page.headers.get('Content-Security-Policy')).toBe(CONSOLE_CSP);
    const style = await (await fetch(`${swx.url}/console/console.css`)).text();
    expect(style).toContain('.u-wrap {position: relative;');
    expect(style).toContain('.chart-figure');
    expect(style).toContain('table.stack');
    const script = await (await fetch(`${swx.url}/console/console.js`)).text();
    expect(script).toContain('u-over');
    expect(script).toContain('declarations-per-day');
    expect(script).not.toMatch(/https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\//i);
  });
});
