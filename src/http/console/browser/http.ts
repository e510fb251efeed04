/**
 * The console's calls to the swx API: the officer's token from sessionStorage as a bearer token, JSON in and out,
 * problem+json answers turned into a Problem with a readable message. Nothing here touches the page, so every view
 * calls the API the same way.
 */
import type { ProblemBody } from './api-types.js';

const TOKEN = 'swx.console.token';

/** The API answered 401 (no, an unknown or a revoked token): the shell shows the sign-in form again. */
export class SignedOut extends Error {}

/** Any other problem answer (403 included: a key may use some views and not others); its message is readable. */
export class Problem extends Error {
  readonly status: number;
  readonly body: ProblemBody | null;
  constructor(status: number, body: unknown) {
    super(describe(status, body));
    this.status = status;
    this.body = body !== null && typeof body === 'object' ? (body as ProblemBody) : null;
  }
}

/** The token kept for this tab only (sessionStorage: never localStorage, a cookie or a URL). */
export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN),
  set: (value: string): void => sessionStorage.setItem(TOKEN, value),
  clear: (): void => sessionStorage.removeItem(TOKEN),
};

let signedOut: (problem: string) => void = () => undefined;

/** Registers what happens when the API no longer accepts the token (the shell shows the sign-in form with `problem`). */
export function whenSignedOut(handler: (problem: string) => void): void {
  signedOut = handler;
}

/** An Error's message, or the thrown value as text. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A problem+json body in one line: its detail (or title) and each invalid field's pointer and detail. */
export function describe(status: number, body: unknown): string {
  if (body === null || typeof body !== 'object') return `The service answered ${status}.`;
  const problem = body as ProblemBody;
  const detail = typeof problem.detail === 'string' ? problem.detail : problem.title || `The service answered ${status}`;
  const fields = Array.isArray(problem.errors) ? problem.errors.map((e) => `${e.pointer}: ${e.detail}`) : [];
  return [detail, ...fields].join('; ');
}

/**
 * Calls the API at `path` (relative to the console, so a reverse proxy's prefix is kept); answers the parsed body and
 * the ETag (a clearance's version, sent back as If-Match with a decision).
 * @example const { answer, etag } = await request<ClearanceView>('GET', `v1/clearances/${id}`)
 */
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders?: Record<string, string>,
): Promise<{ answer: T; etag: string | null }> {
  const bearer = token.get();
  if (!bearer) {
    signedOut('');
    throw new SignedOut();
  }
  const headers: Record<string, string> = { Authorization: `Bearer ${bearer}`, Accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    const init: RequestInit = { method, headers, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) init.body = JSON.stringify(body);
    response = await fetch(new URL(path, location.href).href, init);
  } catch (error) {
    throw new Problem(0, { detail: `The service could not be reached (${messageOf(error)}).` });
  }
  const answer: unknown = await response.json().catch(() => null);
  if (response.status === 401) {
    token.clear();
    signedOut(describe(response.status, answer));
    throw new SignedOut();
  }
  if (!response.ok) throw new Problem(response.status, answer);
  return { answer: answer as T, etag: response.headers.get('ETag') };
}

/**
 * Calls the API and answers the parsed body only.
 * @example const page = await call<ClearancePage>('GET', 'v1/clearances?channel=RED')
 */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await request<T>(method, path, body)).answer;
}
