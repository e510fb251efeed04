import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { authenticateToken, readPrincipal } from '../core/auth/api-key.js';
import type { AppDeps, AppEnv } from './deps.js';
import { limitBody } from './middleware/body-limit.js';
import { observeRequests } from './middleware/observe-requests.js';
import { DEFAULT_PROBLEM_TYPE_BASE, handleError, handleNotFound } from './problem.js';
import { adminRoutes } from './routes/admin.js';
import { agencyRoutes } from './routes/agencies.js';
import { consoleRoutes } from './routes/console.js';
import { ledgerRoutes } from './routes/ledger.js';
import { officerRoutes } from './routes/officers.js';
import { sessionRoutes } from './routes/session.js';
import { partnerRoutes } from './routes/partners.js';
import { traderRoutes } from './routes/traders.js';
import { opsRoutes } from './routes/ops.js';
import { validationHook } from './validation.js';

const openApiConfig = {
  openapi: '3.1.0',
  info: {
    title: 'swx: exchange gateway of Viet Nam’s National Single Window',
    version: '1',
    description:
      'Errors are RFC 9457 problem documents (`application/problem+json`) with a stable `type` per error code; each error response lists the codes it can carry. ' +
      'Business documents are sent as JSON or XML; the XML Schemas (XSD) are in the `message-schemas/` folder of the swx repository, and the request examples are its valid examples.',
  },
  // Relative, so the document serves whichever host and prefix it was fetched from.
  servers: [{ url: '/', description: 'This swx' }],
  security: [{ bearerAuth: [] }],
};

/**
 * The swx HTTP app. It imports no runtime code: storage, crypto, metrics and assets arrive in `deps`,
 * so the same app serves on Node and on Workers.
 * Each user group is a sub-app in src/http/routes/, mounted below with `app.route()`: traders, partners (gateways and
 * their operators), officers, agencies, admin, the ledger's readers, ops and the console. Each route declares who may
 * call it, `middleware: requireRole(…)` in its createRoute, or `security: []` when it needs no API key.
 * @example serve({ fetch: createApp(deps).fetch, port: 8080 })
 */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const problemTypeBase = deps.http.problemTypeBase ?? DEFAULT_PROBLEM_TYPE_BASE;
  const authenticate = async (token: string) => {
    const key = await authenticateToken(deps, token);
    return key === undefined ? undefined : readPrincipal(key);
  };

  app.use(requestId({ generator: () => deps.ids.uuid() }));
  app.use(async (c, next) => {
    c.set('problemTypeBase', problemTypeBase);
    c.set('authenticate', authenticate);
    c.set('parseXml', deps.parseXml);
    await next();
  });
  app.use(observeRequests(deps.metrics, deps.logger, deps.tracer));
  app.use(limitBody(deps.http.bodyLimitBytes));
  app.onError(handleError(deps.logger));
  app.notFound(handleNotFound);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key token (`POST /v1/admin/api-keys` or `swx keys create`)',
  });
  app.route('/v1/admin', adminRoutes(deps));
  app.route('/v1', traderRoutes(deps));
  app.route('/v1', partnerRoutes(deps));
  app.route('/v1', officerRoutes(deps));
  app.route('/v1', sessionRoutes());
  app.route('/', consoleRoutes());
  app.route('/v1', agencyRoutes(deps));
  app.route('/v1/ledger', ledgerRoutes(deps));

  // The document is complete once every group above is mounted; it never changes after that.
  let document: object | undefined;
  app.route(
    '/',
    opsRoutes(deps, () => (document ??= withProblemTypeBase(app.getOpenAPI31Document(openApiConfig), problemTypeBase))),
  );
  return app;
}

/** The document with the problem `type` URIs of its examples under the configured base, as the app writes them. */
function withProblemTypeBase(document: object, base: string): object {
  if (base === DEFAULT_PROBLEM_TYPE_BASE) return document;
  const inJson = (text: string) => JSON.stringify(text).slice(1, -1);
  return JSON.parse(JSON.stringify(document).replaceAll(inJson(DEFAULT_PROBLEM_TYPE_BASE), inJson(base))) as object;
}
