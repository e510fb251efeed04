import type { z } from 'zod';
import { CoreError, type FieldIssue } from '../../core/errors.js';
import { PartnerFile } from '../../core/documents/partner-file.js';
import type { Partner } from '../../core/partner.js';

/** One validated partner and where it came from (a file path on Node, a bundle entry on Workers), for messages. */
export interface PartnerSource {
  readonly source: string;
  readonly partner: Partner;
}

/**
 * Validates one partner file's JSON with PartnerFile. Throws CoreError CONFIG_INVALID with a one-line message
 * naming `source` and the first failing field as a JSON pointer; `issues` lists every failing field.
 * @example const partner = parsePartnerFile('partners/th.json', JSON.parse(text))
 */
export function parsePartnerFile(source: string, json: unknown): Partner {
  const result = PartnerFile.safeParse(json);
  if (!result.success) failConfigSource(source, result.error.issues.flatMap(toFieldIssues));
  return result.data;
}

/**
 * Sorts partners by id, failing CONFIG_INVALID when two sources give the same id.
 * @example const partners = sortDistinctPartners(files.map(readEntry))
 */
export function sortDistinctPartners<T extends PartnerSource>(entries: readonly T[]): T[] {
  const seen = new Map<string, string>();
  for (const { source, partner } of entries) {
    const other = seen.get(partner.id);
    if (other !== undefined) failConfigSource(source, [{ pointer: '/id', detail: `${partner.id} is also the id in ${other}` }]);
    seen.set(partner.id, source);
  }
  return [...entries].sort((a, b) => (a.partner.id < b.partner.id ? -1 : a.partner.id > b.partner.id ? 1 : 0));
}

/**
 * Throws the CONFIG_INVALID error of a bad configuration source (a partner file, a bundle): `<source>: <pointer>: <detail>`
 * for the first issue, every issue in `issues`.
 * @example failConfigSource(file, [{ pointer: '/trust', detail: 'file missing' }], error)
 */
export function failConfigSource(source: string, issues: readonly FieldIssue[], cause?: unknown): never {
  const first = issues[0];
  const where = first === undefined || first.pointer === '' ? '' : ` ${first.pointer}:`;
  const message = `${source}:${where} ${first?.detail ?? 'invalid'}`;
  throw new CoreError('CONFIG_INVALID', message, cause === undefined ? { issues } : { issues, cause });
}

/**
 * A zod issue as FieldIssues (JSON pointers): one per unknown key, else one.
 * @example result.error.issues.flatMap(toFieldIssues)
 */
export function toFieldIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ pointer: toJsonPointer([...issue.path, key]), detail: 'unknown field' }));
  }
  return [{ pointer: toJsonPointer(issue.path), detail: issue.message }];
}

// RFC 6901: "~" is written "~0" and "/" is written "~1".
function toJsonPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
