import { request } from 'undici';
import type { CliIo } from './command.js';

/** Where a CLI command finds the running service and the API key it acts with. */
export interface ServiceTarget {
  readonly url: string;
  readonly token: string | undefined;
}

/**
 * `--url`, else SWX_URL, else the local service on PORT (default 8080); `--token`, else SWX_TOKEN.
 * @example const target = serviceTarget(io.env, values)
 */
export function serviceTarget(env: CliIo['env'], options: { url?: string | undefined; token?: string | undefined }): ServiceTarget {
  const url = options.url ?? env['SWX_URL'] ?? `http://127.0.0.1:${env['PORT'] ?? '8080'}`;
  return { url: url.replace(/\/+$/, ''), token: options.token ?? env['SWX_TOKEN'] };
}

/** The answer to an API call: status and body (JSON parsed when it is JSON). */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Calls the swx API; a refused connection becomes a one-line error naming the URL.
 * @example const { status, body } = await callApi(target, 'GET', `/v1/declarations/${id}`)
 */
export async function callApi(
  target: ServiceTarget,
  method: 'GET' | 'POST',
  path: string,
  body?: { readonly contentType: string; readonly data: string | Uint8Array; readonly headers?: Record<string, string> },
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...(body?.headers ?? {}) };
  if (target.token !== undefined) headers['authorization'] = `Bearer ${target.token}`;
  if (body) headers['content-type'] = body.contentType;
  let answer;
  try {
    answer = await request(`${target.url}${path}`, { method, headers, ...(body ? { body: body.data } : {}) });
  } catch (error) {
    throw new Error(`cannot reach swx at ${target.url}: ${(error as { code?: string }).code ?? (error as Error).message}`);
  }
  const text = await answer.body.text();
  const type = String(answer.headers['content-type'] ?? '');
  return { status: answer.statusCode, body: type.includes('json') && text !== '' ? (JSON.parse(text) as unknown) : text };
}

/** One line for a problem+json answer: its title, detail and each failing field. */
export function describeProblem(answer: ApiAnswer): string {
  const problem = answer.body as { title?: string; detail?: string; errors?: { pointer: string; detail: string }[] };
  if (typeof problem !== 'object' || problem === null) return `HTTP ${answer.status}`;
  const fields = (problem.errors ?? []).map((error) => `${error.pointer || '/'}: ${error.detail}`).join('; ');
  return [`HTTP ${answer.status} ${problem.title ?? ''}`.trim(), problem.detail, fields].filter(Boolean).join(': ');
}
