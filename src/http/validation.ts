import type { Hook } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { toJsonPointer } from '../core/document/validate-document.js';
import { CoreError, type FieldIssue } from '../core/errors.js';
import { refuseAmbiguousJson } from './ambiguous-json.js';
import type { AppEnv } from './deps.js';

/**
 * Every failing field of a zod error, each located by its JSON pointer. An unexpected key gets a
 * pointer of its own so the client sees exactly which field to remove.
 * @example fieldIssuesOf(error) // [{ pointer: '/items/0/hsCode', detail: 'Invalid input: expected string, received undefined' }]
 */
export function fieldIssuesOf(error: ZodError, location?: string): FieldIssue[] {
  const where = location === undefined ? '' : `${location}: `;
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ pointer: toJsonPointer([...issue.path, key]), detail: `${where}unexpected field` }))
      : [{ pointer: toJsonPointer(issue.path), detail: where + issue.message }],
  );
}

const locationOf: Record<string, string> = {
  query: 'query string',
  param: 'path parameters',
  header: 'headers',
  cookie: 'cookies',
  form: 'form',
};

/**
 * The shared hook of every route's request validation: a zod failure becomes a 422 problem whose
 * `errors` list every failing field (zod-validator's default is a bare 400). createApp installs it as
 * the root app's defaultHook, which sub-apps inherit once mounted. A JSON body that validates is still refused
 * when it names a property twice (refuseAmbiguousJson), as readDocumentBody refuses it for documents.
 */
export const validationHook: Hook<unknown, AppEnv, string, Promise<undefined>> = async (result, c) => {
  if (result.success) {
    if (result.target === 'json') refuseAmbiguousJson(await c.req.text());
    return undefined;
  }
  const location = result.target === 'json' ? undefined : locationOf[result.target];
  const issues = fieldIssuesOf(result.error, location);
  throw new CoreError('VALIDATION_FAILED', `${issues.length} field(s) of the ${location ?? 'document'} failed validation`, { issues });
};
