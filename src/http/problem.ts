import { z } from '@hono/zod-openapi';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { CoreError, type CoreErrorCode, type FieldIssue } from '../core/errors.js';
import type { AppEnv, Logger } from './deps.js';

/**
 * Every error code's HTTP status and problem title (design.md 3.3). A `Record` over the closed
 * union, so a new code does not compile until it is mapped here.
 * The exchange endpoint answers signature, certificate and envelope failures with a signed error
 * receipt; the statuses below are what that receipt travels with.
 */
export const problems: Record<CoreErrorCode, { status: ContentfulStatusCode; title: string }> = {
  MALFORMED_REQUEST: { status: 400, title: 'Malformed request' },
  XML_FORBIDDEN_CONSTRUCT: { status: 400, title: 'Forbidden XML construct' },
  VALIDATION_FAILED: { status: 422, title: 'Invalid document' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  IDEMPOTENCY_CONFLICT: { status: 409, title: 'Idempotency key reused with a different request' },
  MESSAGE_ID_CONFLICT: { status: 409, title: 'Message id reused with different content' },
  DOCUMENT_STATE_CONFLICT: { status: 409, title: 'Not allowed in the document’s current state' },
  CLEARANCE_CHANGED: { status: 409, title: 'Declaration changed since it was read' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  NOT_READY: { status: 503, title: 'Service not ready' },
  SIGNATURE_INVALID: { status: 400, title: 'Signature invalid' },
  SIGNATURE_PROFILE_VIOLATION: { status: 400, title: 'Signature does not follow the exchange profile' },
  CERTIFICATE_UNTRUSTED: { status: 403, title: 'Signer certificate not trusted' },
  CERTIFICATE_EXPIRED: { status: 403, title: 'Signer certificate expired' },
  CERTIFICATE_NOT_YET_VALID: { status: 403, title: 'Signer certificate not yet valid' },
  CERTIFICATE_REVOKED: { status: 403, title: 'Signer certificate revoked' },
  UNKNOWN_PARTNER: { status: 403, title: 'Unknown partner gateway' },
  SENDER_NOT_SIGNER: { status: 403, title: 'Envelope sender is not the signer' },
  REFERENCE_OTHER_PARTNER: { status: 403, title: 'Reference to a message exchanged with another partner' },
  PARTNER_NOT_LIVE: { status: 409, title: 'Partner gateway not live' },
  ENVELOPE_NOT_FOR_US: { status: 400, title: 'Envelope addressed to another gateway' },
  ENVELOPE_STALE: { status: 400, title: 'Envelope too old' },
  ENVELOPE_FROM_FUTURE: { status: 400, title: 'Envelope created in the future' },
  DOCUMENT_TYPE_NOT_SUPPORTED: { status: 422, title: 'Document type not supported' },
  RECEIPT_INVALID: { status: 502, title: 'Partner receipt invalid' },
  DELIVERY_FAILED: { status: 502, title: 'Delivery to partner failed' },
  LEDGER_INCONSISTENT: { status: 500, title: 'Ledger inconsistent' },
  LEDGER_RANGE_INVALID: { status: 400, title: 'Ledger range invalid' },
  CHECKPOINT_INVALID: { status: 400, title: 'Checkpoint malformed' },
  PERIOD_INVALID: { status: 400, title: 'Period invalid' },
  CURSOR_INVALID: { status: 400, title: 'Cursor invalid' },
  CONFIG_INVALID: { status: 500, title: 'Configuration invalid' },
  INTERNAL: { status: 500, title: 'Internal error' },
};

/** Where problem `type` URIs point unless HttpOptions.problemTypeBase says otherwise. */
export const DEFAULT_PROBLEM_TYPE_BASE = 'https://swx.customs.gov.vn/problems/';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const codes = Object.keys(problems) as [CoreErrorCode, ...CoreErrorCode[]];

/** An RFC 9457 problem document, as every error response carries it. */
export const Problem = z
  .object({
    type: z.string().openapi({ example: `${DEFAULT_PROBLEM_TYPE_BASE}validation-failed` }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().openapi({ description: 'The request path' }),
    code: z.enum(codes),
    errors: z
      .array(z.object({ pointer: z.string().openapi({ description: 'RFC 6901 JSON pointer into the request document' }), detail: z.string() }))
      .optional(),
  })
  .openapi('Problem');
export type Problem = z.infer<typeof Problem>;

/**
 * The problem `type` of a code: the code in kebab-case under the base.
 * @example problemType('VALIDATION_FAILED') // 'https://swx.customs.gov.vn/problems/validation-failed'
 */
export function problemType(code: CoreErrorCode, base: string = DEFAULT_PROBLEM_TYPE_BASE): string {
  return base + code.toLowerCase().replaceAll('_', '-');
}

/**
 * Writes a problem response for `code`, with X-Request-Id, for 401 the Bearer challenge and, when given, Retry-After.
 * Routes throw CoreError instead; this is for the app's error and not-found handlers.
 * @example return writeProblem(c, 'NOT_FOUND', 'no route for GET /x')
 */
export function writeProblem(
  c: Context<AppEnv>,
  code: CoreErrorCode,
  detail: string,
  options: { issues?: readonly FieldIssue[]; status?: ContentfulStatusCode; retryAfterSeconds?: number | undefined } = {},
): Response {
  const { title } = problems[code];
  const status = options.status ?? problems[code].status;
  const issues = options.issues ?? [];
  const problem: Problem = {
    type: problemType(code, c.get('problemTypeBase')),
    title,
    status,
    detail,
    instance: c.req.path,
    code,
    ...(issues.length > 0 ? { errors: [...issues] } : {}),
  };
  // A fresh Response, so headers of a half-built response from before the error do not leak into it.
  const headers = new Headers({ 'Content-Type': PROBLEM_MEDIA_TYPE });
  const requestId = c.get('requestId');
  if (requestId !== undefined) headers.set('X-Request-Id', requestId);
  if (status === 401) headers.set('WWW-Authenticate', 'Bearer realm="swx"');
  if (options.retryAfterSeconds !== undefined) headers.set('Retry-After', String(options.retryAfterSeconds));
  return new Response(JSON.stringify(problem), { status, headers });
}

/** The code an HTTPException (thrown by Hono or its middleware for transport failures) is reported under. */
const codeOfHttpStatus: Partial<Record<number, CoreErrorCode>> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  503: 'NOT_READY',
};

/** What a thrown value is reported as; a 500 says nothing but the request id. */
function reportOf(error: Error, requestId: string) {
  const hidden = `an internal error occurred; quote request id ${requestId} to the operator`;
  if (error instanceof CoreError) {
    const { status } = problems[error.code];
    return {
      code: error.code,
      status,
      detail: status === 500 ? hidden : error.message,
      issues: error.issues,
      retryAfterSeconds: error.retryAfterSeconds,
    };
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const code = codeOfHttpStatus[status] ?? (status >= 500 ? 'INTERNAL' : 'MALFORMED_REQUEST');
    return { code, status, detail: status >= 500 ? hidden : error.message || problems[code].title, issues: [] };
  }
  return { code: 'INTERNAL' as const, status: problems.INTERNAL.status, detail: hidden, issues: [] };
}

/**
 * app.onError: a CoreError becomes its problem, an HTTPException the problem of its status, anything
 * else a 500 whose detail reveals nothing; 500 and 502 are logged with their cause under the request id.
 * @example app.onError(handleError(deps.logger))
 */
export function handleError(logger: Logger): ErrorHandler<AppEnv> {
  return (error, c) => {
    const requestId = c.get('requestId');
    const { code, status, detail, issues, retryAfterSeconds } = reportOf(error, requestId);
    // 503 is left out: while starting, every readiness probe gets one.
    // c.var.log carries the request id; it is unset only when the error came before observeRequests ran.
    const log = c.get('log') ?? logger;
    if (status >= 500 && status !== 503) log.error({ err: error, requestId, method: c.req.method, path: c.req.path, code }, 'request failed');
    return writeProblem(c, code, detail, { issues, status, retryAfterSeconds });
  };
}

/**
 * app.notFound: a 404 problem naming the method and path.
 * @example app.notFound(handleNotFound)
 */
export const handleNotFound: NotFoundHandler<AppEnv> = (c) => writeProblem(c, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`);

type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503;
type ProblemExample = { summary: string; value: Problem };
type ProblemResponse = {
  description: string;
  headers?: Record<string, { description: string; schema: { type: 'string' | 'integer' } }>;
  content: { [PROBLEM_MEDIA_TYPE]: { schema: typeof Problem; examples: Record<string, ProblemExample> } };
};

const statusDescriptions: Record<ProblemStatus, string> = {
  400: 'Malformed request (bad JSON or XML, forbidden XML construct, a range, period or cursor that cannot be read)',
  401: 'Missing, unknown or revoked bearer token; the answer carries `WWW-Authenticate: Bearer realm="swx"`',
  403: 'The token’s role or party may not do this',
  404: 'Not found',
  409: 'Conflict with an earlier request or the document’s state',
  413: 'Body larger than the configured limit (SWX_BODY_LIMIT_BYTES)',
  415: 'Unsupported media type, or a charset other than UTF-8',
  422: 'Invalid document; `errors` lists every failing field by JSON pointer',
  429: 'Rate limited: too many refused requests from this address or sender; wait the seconds `Retry-After` says, then retry',
  500: 'Internal error: nothing internal is revealed; the detail quotes the request id (also in `X-Request-Id`) to give the operator, who finds the cause in the logs under it',
  502: 'A partner gateway failed',
  503: 'Not ready (starting, or the database or signing key unavailable); retry later',
};

const requestIdHeader = { description: 'The request’s id, as quoted in the logs', schema: { type: 'string' as const } };
const statusHeaders: Partial<Record<ProblemStatus, NonNullable<ProblemResponse['headers']>>> = {
  401: { 'WWW-Authenticate': { description: 'Bearer realm="swx"', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } },
};

/** The field issues shown with the example of an invalid document, as a 30 February is reported. */
const exampleIssues = [{ pointer: '/departureDate', detail: '2026-02-30 does not exist' }];

/** An example problem of `code`, as writeProblem writes it; the detail of a real one says what happened. */
function exampleOf(code: CoreErrorCode): ProblemExample {
  const { status, title } = problems[code];
  const value: Problem = { type: problemType(code), title, status, detail: title, instance: '/path/of/the/request', code };
  if (status === 500)
    return { summary: title, value: { ...value, detail: 'an internal error occurred; quote request id 3f0c2a9e-… to the operator' } };
  if (code === 'VALIDATION_FAILED') return { summary: title, value: { ...value, detail: 'the document has 1 invalid field', errors: exampleIssues } };
  return { summary: title, value };
}

/**
 * The problem response of one status: every code the problem table maps to it, listed with its `type` in the
 * description and shown as an example each, so a client sees which problems a status can carry.
 * @example describeProblemStatus(409).content['application/problem+json'].examples.IDEMPOTENCY_CONFLICT
 */
export function describeProblemStatus(status: ProblemStatus): ProblemResponse {
  const codesOfStatus = codes.filter((code) => problems[code].status === status);
  const list = codesOfStatus.map((code) => `\`${code}\` (${problemType(code)})`).join(', ');
  return {
    description: `${statusDescriptions[status]}. Problem codes: ${list}.`,
    headers: { 'X-Request-Id': requestIdHeader, ...statusHeaders[status] },
    content: {
      [PROBLEM_MEDIA_TYPE]: { schema: Problem, examples: Object.fromEntries(codesOfStatus.map((code) => [code, exampleOf(code)])) },
    },
  };
}

/**
 * The problem responses of a route, for createRoute's `responses`; 500 is always among them, as any route may fail.
 * @example responses: { 201: { … }, ...problemResponses(401, 403, 422) }
 */
export function problemResponses<const S extends readonly ProblemStatus[]>(...statuses: S): { [K in S[number] | 500]: ProblemResponse } {
  return Object.fromEntries([...statuses, 500 as const].map((status) => [status, describeProblemStatus(status)])) as {
    [K in S[number] | 500]: ProblemResponse;
  };
}
