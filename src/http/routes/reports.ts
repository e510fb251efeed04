import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { buildExchangeReport, ExchangeReport } from '../../core/report/exchange-report.js';
import { parsePeriod } from '../../core/report/period.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const day = (name: string, description: string) =>
  z.string().optional().openapi({ param: { name, in: 'query' }, description, example: '2026-11-21' });

const report = createRoute({
  method: 'get',
  path: '/reports/exchange',
  tags: ['officers'],
  summary: 'MIS report: messages by partner, document type, direction and outcome; clearance times; share cleared with no manual step',
  middleware: requireRole('officer', 'admin'),
  request: {
    query: z.object({
      from: day('from', 'First day (ISO 8601 date, a whole UTC day) or instant (date-time with offset), included'),
      to: day('to', 'Last day or instant, included; not before from'),
    }),
  },
  responses: {
    200: { description: 'The report', content: { 'application/json': { schema: ExchangeReport } } },
    ...problemResponses(400, 401, 403),
  },
});

/**
 * The MIS report for officers and operators, mounted at `/v1`.
 * @example app.route('/v1', reportRoutes(deps))
 */
export function reportRoutes(deps: AppDeps): OpenAPIHono<AuthedEnv> {
  const reports = new OpenAPIHono<AuthedEnv>();
  reports.openapi(report, async (c) => {
    const period = parsePeriod(c.req.valid('query'), true);
    const answer = await buildExchangeReport(deps.reports, period);
    return c.json(answer, 200);
  });
  return reports;
}
