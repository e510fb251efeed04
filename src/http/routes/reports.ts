import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { buildExchangeReport } from '../../core/report/exchange-report.js';
import { parsePeriod } from '../../core/report/period.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const Counts = z.record(z.string(), z.int());
const Seconds = z.number().nullable();

const ClearanceTimes = z.object({ released: z.int(), p50: Seconds, p90: Seconds, p99: Seconds });

const ExchangeReport = z
  .object({
    period: z.object({
      from: z.string().openapi({ description: 'Included (UTC)' }),
      until: z.string().openapi({ description: 'Excluded (UTC): the instant after `to`' }),
    }),
    messages: z.object({
      total: z.int(),
      byPartner: Counts,
      byDocumentType: Counts,
      byDirection: Counts,
      byOutcome: z.object({ IN: Counts, OUT: Counts }).openapi({
        description: 'OUT by outbox state (DELIVERED, REJECTED, DEAD_LETTER, PENDING); IN ACCEPTED or REJECTED (refused with a signed error receipt)',
      }),
      counts: z.array(
        z.object({
          partner: z.string().nullable(),
          documentType: z.string().nullable(),
          direction: z.enum(['IN', 'OUT']),
          outcome: z.enum(['DELIVERED', 'REJECTED', 'DEAD_LETTER', 'PENDING', 'ACCEPTED']),
          count: z.int(),
        }),
      ),
    }),
    clearance: z.object({
      released: z.int(),
      releasedWithoutManualStep: z.int().openapi({ description: 'Released with no officer decision' }),
      shareWithoutManualStep: z.number().nullable(),
      byChannel: z
        .object({ GREEN: ClearanceTimes, YELLOW: ClearanceTimes, RED: ClearanceTimes })
        .openapi({ description: 'Seconds from submission to release, nearest-rank percentiles' }),
    }),
  })
  .openapi('ExchangeReport');

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
    return c.json(
      {
        ...answer,
        messages: { ...answer.messages, counts: [...answer.messages.counts] },
      },
      200,
    );
  });
  return reports;
}
