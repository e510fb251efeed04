import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CONSOLE_CSP, CONSOLE_PAGE } from '../console/console-page.js';
import { CONSOLE_SCRIPT } from '../console/console-script.js';
import { CONSOLE_STYLE } from '../console/console-style.js';
import type { AppEnv } from '../deps.js';

const page = createRoute({
  method: 'get',
  path: '/console',
  hide: true,
  tags: ['console'],
  summary: 'The officer console (HTML): sign in with an officer’s API token, search, read histories, decide',
  security: [],
  responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
});

const part = (file: string, mediaType: string, summary: string) =>
  createRoute({
    method: 'get',
    path: `/console/${file}`,
    hide: true,
    tags: ['console'],
    summary,
    security: [],
    responses: { 200: { description: summary, content: { [mediaType]: { schema: z.string() } } } },
  });
const script = part('console.js', 'text/javascript', 'The officer console’s script');
const style = part('console.css', 'text/css', 'The officer console’s stylesheet');

const noSniff = { 'X-Content-Type-Options': 'nosniff' };

/**
 * The officer console, mounted at `/`: one page and its script and stylesheet, with no data and no auth of their
 * own; the script calls the officer API with the token the officer signs in with.
 * @example app.route('/', consoleRoutes())
 */
export function consoleRoutes(): OpenAPIHono<AppEnv> {
  const consoleApp = new OpenAPIHono<AppEnv>();

  consoleApp.openapi(page, (c) =>
    c.html(CONSOLE_PAGE, 200, {
      ...noSniff,
      'Content-Security-Policy': CONSOLE_CSP,
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
    }),
  );
  consoleApp.openapi(script, (c) =>
    c.body(CONSOLE_SCRIPT, 200, { ...noSniff, 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }),
  );
  consoleApp.openapi(style, (c) =>
    c.body(CONSOLE_STYLE, 200, { ...noSniff, 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }),
  );
  return consoleApp;
}
