import { existsSync } from 'node:fs';
import { CHROMIUM, launchChromium, openLoopbackPage } from '../helpers/chromium.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, listen, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let server: { url: string; close(): Promise<void> };

beforeEach(async () => {
  t = await createTestApp();
  server = await listen(t.app.fetch);
});
afterEach(async () => {
  await server.close();
  await t.close();
});

describe.skipIf(!existsSync(CHROMIUM))('GET /docs in a browser with no internet', () => {
  it('renders every operation from assets and the document swx serves itself', async () => {
    const browser = await launchChromium();
    try {
      const { page, outside } = await openLoopbackPage(browser, server.url, '/docs');
      await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
      const paths = await page.locator('.opblock-summary-path').allInnerTexts();
      expect(paths.map((path) => path.replace(/\u200b/g, ''))).toEqual(
        expect.arrayContaining(['/v1/admin/api-keys', '/v1/admin/api-keys/{id}', '/healthz', '/readyz']),
      );
      expect(outside).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
