import type { z } from 'zod';
import { CoreError, type FieldIssue } from '../errors.js';

/**
 * Validates a document against its schema and returns the parsed value, or throws VALIDATION_FAILED
 * listing every failing field by RFC 6901 JSON pointer (an unknown property is one issue of its own).
 * @example const declaration = validateDocument(ExportDeclaration, await request.json())
 */
export function validateDocument<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { error: (issue) => (issue.input === undefined ? 'required' : undefined) });
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap(fieldIssues);
  throw new CoreError('VALIDATION_FAILED', `the document has ${issues.length} invalid field${issues.length === 1 ? '' : 's'}`, {
    issues,
  });
}

function fieldIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      pointer: toJsonPointer([...issue.path, key]),
      detail: key.startsWith('<') ? `unknown element ${key}` : `unknown property "${key}"`,
    }));
  }
  return [{ pointer: toJsonPointer(issue.path), detail: issue.message }];
}

/**
 * RFC 6901 JSON pointer of a path (`~` and `/` escaped as `~0` and `~1`).
 * @example toJsonPointer(['items', 0, 'hsCode']) // '/items/0/hsCode'
 */
export function toJsonPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
