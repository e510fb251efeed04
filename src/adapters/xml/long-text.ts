import { randomUUID } from 'node:crypto';
import type { RawElement } from './resolve-namespaces.js';

/** Text between two tags at least this long is set aside while fast-xml-parser runs. */
const LONG_TEXT = 1024;
const OPEN = '\uE000';
const CLOSE = '\uE001';

/** A document with its long texts replaced by short placeholders, and what `restoreLongText` needs to put them back. */
export interface SetAside {
  readonly text: string;
  readonly token: string;
  readonly runs: readonly string[];
}

/**
 * Replaces each long run of plain character data between two tags (no markup characters, so not inside a tag,
 * comment, CDATA section or processing instruction: `>`, `&`, quotes and `]` are excluded) by a placeholder, which
 * is plain character data too: the document stays well-formed or malformed exactly as it was. fast-xml-parser copies
 * text one character at a time, so a 200 KB base64 attachment costs it ten milliseconds; set aside, a few
 * microseconds. The placeholders carry a random token, so a document cannot forge one.
 * Undefined when there is nothing long to set aside.
 * @example const aside = setLongTextAside(text); const tree = parse(aside?.text ?? text); if (aside) restoreLongText(tree, aside)
 */
export function setLongTextAside(text: string): SetAside | undefined {
  let token: string | undefined;
  const runs: string[] = [];
  let out = '';
  let copied = 0;
  for (let open = text.indexOf('>'); open !== -1; ) {
    const close = text.indexOf('<', open + 1);
    if (close === -1) break;
    if (close - open - 1 >= LONG_TEXT) {
      const run = text.slice(open + 1, close);
      if (!/[>&"'\]]/.test(run) && run.trim() !== '') {
        token ??= randomUUID().replaceAll('-', '');
        out += `${text.slice(copied, open + 1)}${OPEN}${token}.${runs.length}${CLOSE}`;
        runs.push(run);
        copied = close;
      }
    }
    open = text.indexOf('>', close);
  }
  return token === undefined ? undefined : { text: out + text.slice(copied), token, runs };
}

/**
 * Puts the texts set aside back into the parser's output, as the parser would have given them: line ends
 * normalised (XML 1.0 §2.11) and trimmed (the codec trims each piece of text; these hold no references).
 * @example restoreLongText(parser.parse(aside.text), aside)
 */
export function restoreLongText(tree: RawElement, aside: SetAside): RawElement {
  const placeholder = new RegExp(`${OPEN}${aside.token}\\.(\\d+)${CLOSE}`, 'g');
  const restore = (value: string): string =>
    value.includes(OPEN) ? value.replace(placeholder, (_, index: string) => (aside.runs[Number(index)] ?? '').replace(/\r\n?/g, '\n').trim()) : value;
  const walk = (node: Record<string, unknown> | unknown[]): void => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string') (node as Record<string, unknown>)[key] = restore(value);
      else if (typeof value === 'object' && value !== null) walk(value as Record<string, unknown>);
    }
  };
  walk(tree as Record<string, unknown>);
  return tree;
}
