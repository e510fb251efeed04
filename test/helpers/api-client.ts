import { expect } from 'vitest';

/** An answer of the service: its status, media type and parsed JSON body. */
export interface ApiAnswer<T = unknown> {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: T;
}

/** A problem+json body (RFC 9457) as swx writes it. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly { pointer: string; detail: string }[];
}

/**
 * Calls the service over HTTP with a bearer token (none when undefined) and a JSON body (when given).
 * @example const { status, body } = await call(swx, officer, 'POST', `/v1/clearances/${id}/decision`, { action: 'release', reason: 'ok' })
 */
export async function call<T = unknown>(
  swx: { readonly url: string },
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${swx.url}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('Content-Type'), body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/**
 * Asserts a problem+json answer with this status and code, and returns the problem.
 * @example expectProblem(await call(swx, officer, 'GET', '/v1/clearances?cursor=x'), 400, 'CURSOR_INVALID')
 */
export function expectProblem(answer: ApiAnswer, status: number, code: string): Problem {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.contentType).toBe('application/problem+json');
  const problem = answer.body as Problem;
  expect(problem.code).toBe(code);
  return problem;
}

/** Submits an export declaration as JSON and returns swx's 202 answer. */
export async function submitExport(
  swx: { readonly url: string },
  trader: string,
  declaration: unknown,
): Promise<{ id: string; declarationNumber: string; status: string; channel: string }> {
  const answer = await call<{ id: string; declarationNumber: string; status: string; channel: string }>(
    swx,
    trader,
    'POST',
    '/v1/declarations',
    declaration,
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return answer.body;
}
