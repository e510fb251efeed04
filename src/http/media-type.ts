import type { Context } from 'hono';
import { CoreError } from '../core/errors.js';

/**
 * The request's media type (Content-Type without parameters, lower case) if it is one of `accepted`;
 * otherwise a 415 problem naming what is accepted.
 * @example const type = requireMediaType(c, ['application/json', 'application/xml', 'text/xml'])
 */
export function requireMediaType<const M extends string>(c: Context, accepted: readonly M[]): M {
  const header = c.req.header('Content-Type');
  const mediaType = header?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  const match = accepted.find((type) => type === mediaType);
  if (match === undefined) {
    const got = mediaType === '' ? 'no Content-Type' : mediaType;
    throw new CoreError('UNSUPPORTED_MEDIA_TYPE', `expected ${accepted.join(' or ')}, got ${got}`);
  }
  return match;
}
