import type { PostOptions } from '../../core/delivery/partner-transport.js';

/**
 * The `X-Request-Id` header of a post, when the post names one (PostOptions.requestId), for both transports.
 * @example headers: { 'content-type': 'application/xml; charset=utf-8', ...requestIdHeader(options) }
 */
export function requestIdHeader(options: PostOptions): Record<string, string> {
  return options.requestId === undefined ? {} : { 'x-request-id': options.requestId };
}
