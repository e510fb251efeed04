/**
 * Labels in English with Vietnamese alongside (terms-en.ts, terms-vi.ts): `term('goods')` is "Goods" followed by
 * "Hàng hóa" in a span marked lang="vi", so screen readers pronounce each in its language.
 */
import { EN, type TermKey } from './terms-en.js';
import { VI } from './terms-vi.js';

export type { TermKey } from './terms-en.js';

/** A term's English words, for text-only places (a button's recorded message, an aria-label, a title). */
export const english = (key: TermKey): string => EN[key];

/**
 * A term as nodes: its English, and its Vietnamese (when the dictionary has it) in a `span.vi[lang=vi]`.
 * @example h('h3', {}, term('history'))
 */
export function term(key: TermKey): DocumentFragment {
  const fragment = document.createDocumentFragment();
  fragment.append(EN[key]);
  const vietnamese = VI[key];
  if (vietnamese !== undefined) {
    const span = document.createElement('span');
    span.lang = 'vi';
    span.className = 'vi';
    span.textContent = vietnamese;
    fragment.append(' ', span);
  }
  return fragment;
}
