/**
 * Small DOM helpers every view uses. Values from the API only ever become text nodes or attribute values (never
 * markup), so a trader's name containing <script> is shown as typed and never run.
 */
import { messageOf, Problem, SignedOut } from './http.js';

/** What an element may contain: nodes, or any value shown as text (null and undefined show nothing). */
export type Content = Node | string | number | boolean | null | undefined;

const nodeOf = (content: Content): Node | null =>
  content instanceof Node ? content : content === null || content === undefined ? null : document.createTextNode(String(content));

/**
 * A new element holding `children` (text or nodes), with `attributes` set as attributes (`class`, `id`, `for`, `data-*`,
 * `aria-*`, …; `false` and undefined leave one out, `true` sets it empty).
 * @example h('p', { class: 'problem', role: 'alert' }, 'The service could not be reached.')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string | number | boolean | undefined>> = {},
  ...children: readonly Content[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.map(nodeOf).filter((child): child is Node => child !== null));
  return node;
}

/** An element with `text` as its only content and an optional class. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: unknown, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

/** A table row of `cells` (nodes, or values shown as text). */
export function row(cells: readonly Content[]): HTMLTableRowElement {
  return h('tr', {}, ...cells.map((cell) => h('td', {}, cell)));
}

/**
 * A table with a header row and a body (filled now or later through its tBodies[0]); wrapped in a scrolling box so a
 * wide table scrolls on a phone instead of widening the page.
 * @example const t = table('clearances', ['Declaration', 'Status']); t.body.replaceChildren(row(['X', 'Y']))
 */
export function table(
  id: string,
  headers: readonly Content[],
  rows: readonly HTMLTableRowElement[] = [],
): { box: HTMLDivElement; body: HTMLTableSectionElement } {
  const body = h('tbody', {}, ...rows);
  const box = h(
    'div',
    { class: 'table-box' },
    h('table', { id }, h('thead', {}, h('tr', {}, ...headers.map((header) => h('th', { scope: 'col' }, header)))), body),
  );
  return { box, body };
}

/** A description list of [term, value] pairs; each dd carries `data-term` (the term lower-cased, or the key given). */
export function dl(id: string, pairs: readonly (readonly [term: Content, value: Content, key?: string])[]): HTMLDListElement {
  return h(
    'dl',
    { id },
    ...pairs.flatMap(([term, value, key]) => [h('dt', {}, term), h('dd', { 'data-term': key ?? String(term).toLowerCase() }, value)]),
  );
}

/** A button (type=button) that runs `onClick`. */
export function button(label: Content, onClick: () => void, className?: string): HTMLButtonElement {
  const node = h('button', { type: 'button', class: className }, label);
  node.addEventListener('click', onClick);
  return node;
}

/** A paragraph announcing problems (role=alert), empty until one happens. */
export const problemLine = (id: string): HTMLParagraphElement => h('p', { id, class: 'problem', role: 'alert' });

/** Runs an API step; its problem goes to `problemElement` as text, a sign-out is already handled by the shell. */
export async function attempt(problemElement: HTMLElement, step: () => Promise<void>): Promise<void> {
  problemElement.textContent = '';
  try {
    await step();
  } catch (error) {
    if (error instanceof SignedOut) return;
    problemElement.textContent = error instanceof Problem ? error.message : `Unexpected error: ${messageOf(error)}`;
  }
}

/** A coloured badge for a channel (GREEN, YELLOW, RED), its name as text. */
export function channelBadge(channel: string): HTMLSpanElement {
  return el('span', channel, /^[A-Z]+$/.test(channel) ? `badge channel-${channel}` : 'badge');
}
