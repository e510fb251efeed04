import { request } from 'undici';
import type { CliIo } from './command.js';

/** Where a CLI command finds the running service and the API key it acts with. */
export interface ServiceTarget {
  readonly url: string;
  readonly token: string | undefined;
  /** Where `url` came from, for messages: `--url`, `SWX_URL`, or the default on PORT. */
  readonly urlFrom: '--url' | 'SWX_URL' | 'PORT';
}

/**
 * `--url`, else SWX_URL, else the local service on PORT (default 8080); `--token`, else SWX_TOKEN.
 * @example const target = serviceTarget(io.env, values)
 */
export function serviceTarget(env: CliIo['env'], options: { url?: string | undefined; token?: string | undefined }): ServiceTarget {
  const url = options.url ?? env['SWX_URL'] ?? `http://127.0.0.1:${env['PORT'] ?? '8080'}`;
  const urlFrom = options.url !== undefined ? '--url' : env['SWX_URL'] !== undefined ? 'SWX_URL' : 'PORT';
  return { url: url.replace(/\/+$/, ''), token: options.token ?? env['SWX_TOKEN'], urlFrom };
}

/** The answer to an API call: status and body (JSON parsed when it is JSON). */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Calls the swx API; a refused connection becomes a one-line error naming the URL and the option that sets it.
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
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    const hint =
      target.urlFrom === 'PORT'
        ? 'is it running? start it with swx serve, or give its address with --url or SWX_URL'
        : `is it running, and is ${target.urlFrom} right? give its address with --url or SWX_URL`;
    throw new Error(`cannot reach swx at ${target.url}: ${reason} (${hint})`);
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

/**
 * One line for a refused API call, in the CLI's words: a missing, unknown or under-privileged API key names
 * `--token`/`SWX_TOKEN` (not the HTTP header the service speaks of); anything else is `describeProblem`.
 * @example if (answer.status !== 200) io.stderr.write(`swx status: ${describeRefusal(answer, target)}\n`)
 */
export function describeRefusal(answer: ApiAnswer, target: ServiceTarget): string {
  if (answer.status === 401 && target.token === undefined) {
    return 'no API key given: pass --token <token> or set SWX_TOKEN (an admin makes one with swx keys create)';
  }
  if (answer.status === 401) {
    return `swx at ${target.url} does not accept the API key given with --token or SWX_TOKEN: it is unknown or revoked`;
  }
  if (answer.status === 403) {
    const detail = (answer.body as { detail?: unknown } | null)?.detail;
    return `the API key given with --token or SWX_TOKEN is refused here${typeof detail === 'string' ? `: ${detail}` : ''}`;
  }
  return describeProblem(answer);
}
