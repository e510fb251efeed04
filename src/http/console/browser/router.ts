/**
 * Hash routing: `#<view id>?<parameters>` (the hash never reaches the server, so a declaration's id in it stays in
 * the browser). Pure functions over the hash; the shell (shell.ts) mounts the view they name.
 */

/** A view's id and its parameters, from a hash such as `#clearance?id=D-1`. */
export interface Route {
  readonly id: string;
  readonly params: URLSearchParams;
}

/**
 * The route a hash names (an empty id when it names none).
 * @example parseHash('#clearance?id=D-1') // { id: 'clearance', params: id=D-1 }
 */
export function parseHash(hash: string): Route {
  const [id = '', query = ''] = hash.replace(/^#\/?/, '').split(/\?(.*)/s, 2);
  return { id: decodeURIComponent(id), params: new URLSearchParams(query) };
}

/**
 * The hash of a view with parameters (empty ones left out), for links: `<a href="#clearance?id=D-1">`.
 * @example href('clearance', { id: 'D-1' }) // '#clearance?id=D-1'
 */
export function href(id: string, params: Readonly<Record<string, string | undefined>> | URLSearchParams = {}): string {
  const entries = params instanceof URLSearchParams ? [...params] : Object.entries(params);
  const query = new URLSearchParams(entries.filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
  const text = query.toString();
  return `#${encodeURIComponent(id)}${text === '' ? '' : `?${text}`}`;
}

/** Shows a view (the hashchange event makes the shell mount it; the same hash again mounts it afresh). */
export function go(id: string, params: Readonly<Record<string, string | undefined>> | URLSearchParams = {}): void {
  const next = href(id, params);
  if (location.hash === next) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = next;
}
