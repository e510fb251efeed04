import { CoreError, isCoreError } from '../../core/errors.js';
import { forbiddenCharacterAt, positionAt, refuseUnsafeXml, XML_LIMIT_VARIABLES, XML_LIMITS, type XmlLimits } from './refuse-unsafe-xml.js';
import { decodeXmlReferences } from './decode-xml-references.js';
import type { TreeAttribute, TreeElement, TreeInstruction, TreeNamespace, TreeNode, XmlTree } from './xml-tree.js';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';
/** https://www.w3.org/TR/xml/#NT-Name */
const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME = new RegExp(`[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]*`, 'uy');
const DECLARATION =
  /^[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.0\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\4)?[ \t\n]*$/;
/** ASCII name characters, looked up by code: the common case, which need not go through the Unicode regex. */
const NAME_START_CHAR = 2;
const NAME_CLASS = new Uint8Array(128);
for (let code = 0; code < 128; code += 1) {
  const char = String.fromCharCode(code);
  if (/[:A-Z_a-z]/.test(char)) NAME_CLASS[code] = NAME_START_CHAR;
  else if (/[-.0-9]/.test(char)) NAME_CLASS[code] = 1;
}
interface Building {
  element: TreeElement & { children: TreeNode[] };
  /** The prefixes this element declares, unbound again at its end tag. */
  declared: readonly string[] | undefined;
}
const NO_NAMESPACES: readonly TreeNamespace[] = Object.freeze([]);

/** How a parse reads text: `exact` for canonicalization; `trimmed` for the codec (core/xml/parsed-xml.ts). */
export interface TreeOptions {
  readonly limits?: XmlLimits;
  /**
   * Trim each piece of text between markup before decoding it and drop it when only white space is left
   * (CDATA sections stay as they are), and trim attribute values the same way.
   */
  readonly trimText?: boolean;
}

/**
 * Parses XML strictly into the tree the signature verifier canonicalizes: every well-formedness and
 * namespace-well-formedness rule of XML 1.0 and Namespaces in XML 1.0 that swx's documents can meet is
 * checked, UTF-8 only, and the limits and refusals of `refuseUnsafeXml` apply (DOCTYPE and ENTITY refused
 * before parsing). Time and memory are linear in the input: namespace bindings are a stack per prefix, not a copied
 * scope per element, and repeated attributes are found with a set. Throws `CoreError` MALFORMED_REQUEST with the
 * line and column; XML_FORBIDDEN_CONSTRUCT (also nesting deeper than `limits.maxDepth`); PAYLOAD_TOO_LARGE over
 * any other of `limits`, naming it.
 * @example parseXmlTree('<a xmlns="urn:a"><b>1</b></a>').root.namespaceUri // 'urn:a'
 */
export function parseXmlTree(input: string, options: TreeOptions = {}): XmlTree {
  const limits = options.limits ?? XML_LIMITS;
  refuseUnsafeXml(input, limits);
  let text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  // XML 1.0 §2.11: a parser passes every line end on as a single line feed.
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  const forbidden = forbiddenCharacterAt(text);
  if (forbidden !== -1) throw malformed(text, forbidden, 'character not allowed in XML');
  return new TreeParser(text, limits, options.trimText ?? false).document();
}

class TreeParser {
  private at = 0;
  private elements = 0;
  /** The namespace URIs bound to each prefix, innermost last (Namespaces in XML 1.0 §6.1). */
  private readonly bindings = new Map<string, string[]>([['xml', [XML_NAMESPACE]]]);

  constructor(
    private readonly text: string,
    private readonly limits: XmlLimits,
    private readonly trimText: boolean,
  ) {}

  document(): XmlTree {
    this.declaration();
    const prolog = this.misc();
    if (this.text.charCodeAt(this.at) !== 0x3c) this.fail('expected the root element');
    const root = this.rootElement();
    const epilog = this.misc();
    if (this.at < this.text.length) this.fail('only comments and processing instructions may follow the root element');
    return { prolog, root, epilog };
  }

  private declaration(): void {
    if (!/^<\?xml[ \t\n?]/.test(this.text)) return;
    const end = this.text.indexOf('?>');
    const match = end === -1 ? null : DECLARATION.exec(this.text.slice(5, end));
    if (!match) this.fail('malformed XML declaration (version 1.0 expected)');
    if (match[3] !== undefined && match[3].toUpperCase() !== 'UTF-8') this.fail(`encoding ${match[3]} is not accepted, only UTF-8`);
    this.at = end + 2;
  }

  /** White space, comments and processing instructions around the root element. */
  private misc(): TreeInstruction[] {
    const instructions: TreeInstruction[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith('<!--', this.at)) this.comment();
      else if (this.text.startsWith('<?', this.at)) instructions.push(this.instruction());
      else return instructions;
    }
  }

  private rootElement(): TreeElement {
    const open: Building[] = [];
    let root: TreeElement | undefined;
    for (;;) {
      const parent = open[open.length - 1];
      const { building, empty } = this.startTag(parent);
      if (parent) parent.element.children.push(building.element);
      else root = building.element;
      if (!empty) {
        if (open.length >= this.limits.maxDepth) {
          throw new CoreError('XML_FORBIDDEN_CONSTRUCT', `XML nests deeper than ${this.limits.maxDepth} elements (${XML_LIMIT_VARIABLES.maxDepth})`);
        }
        open.push(building);
      } else {
        this.unbind(building);
      }
      if (!this.content(open) && root) return root;
    }
  }

  /** Reads content up to the next start tag (true) or until every open element is closed (false). */
  private content(open: Building[]): boolean {
    const text = this.text;
    while (open.length > 0) {
      const top = open[open.length - 1] as Building;
      const lt = text.indexOf('<', this.at);
      if (lt === -1) this.fail(`element ${top.element.qname} is not closed`);
      if (lt > this.at) this.characters(top, text.slice(this.at, lt));
      this.at = lt;
      const next = text.charCodeAt(lt + 1);
      if (next === 0x2f) {
        this.endTag(top);
        open.pop();
      } else if (next === 0x3f) {
        top.element.children.push(this.instruction());
      } else if (text.startsWith('<!--', lt)) {
        this.comment();
      } else if (text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9);
        if (end === -1) this.fail('CDATA section is not closed');
        this.checkText(end - lt - 9);
        this.appendText(top, text.slice(lt + 9, end));
        this.at = end + 3;
      } else if (next === 0x21) {
        this.fail('declarations are not accepted inside the document');
      } else {
        return true;
      }
    }
    return false;
  }

  private characters(top: Building, raw: string): void {
    this.checkText(raw.length);
    if (raw.includes(']]>')) this.fail("']]>' is not allowed in text");
    const piece = this.trimText ? raw.trim() : raw;
    if (piece !== '') this.appendText(top, this.decode(piece));
  }

  private appendText(top: Building, value: string): void {
    if (value === '') return;
    const children = top.element.children;
    const last = children[children.length - 1];
    if (last?.kind !== 'text') {
      children.push({ kind: 'text', value });
      return;
    }
    this.checkText(last.value.length + value.length);
    children[children.length - 1] = { kind: 'text', value: last.value + value };
  }

  private checkText(length: number): void {
    if (length > this.limits.maxTextChars) {
      this.tooLarge(`a text or attribute value of more than ${this.limits.maxTextChars} characters (${XML_LIMIT_VARIABLES.maxTextChars})`);
    }
  }

  private startTag(parent: Building | undefined): { building: Building; empty: boolean } {
    const text = this.text;
    this.elements += 1;
    if (this.elements > this.limits.maxElements) this.tooLarge(`more than ${this.limits.maxElements} elements (${XML_LIMIT_VARIABLES.maxElements})`);
    this.at += 1;
    const qname = this.name();
    const raw: { qname: string; value: string }[] = [];
    let names: Set<string> | undefined;
    let empty = false;
    for (;;) {
      const spaced = this.skipSpace();
      const c = text.charCodeAt(this.at);
      if (c === 0x3e) {
        this.at += 1;
        break;
      }
      if (c === 0x2f && text.charCodeAt(this.at + 1) === 0x3e) {
        this.at += 2;
        empty = true;
        break;
      }
      if (!spaced) this.fail(`expected white space, '>' or '/>' in the start tag of ${qname}`);
      const name = this.name();
      this.skipSpace();
      if (text.charCodeAt(this.at) !== 0x3d) this.fail(`expected '=' after attribute ${name}`);
      this.at += 1;
      this.skipSpace();
      const quote = text.charAt(this.at);
      const end = quote === '"' || quote === "'" ? text.indexOf(quote, this.at + 1) : -1;
      if (end === -1) this.fail(`attribute ${name} has no quoted value`);
      this.checkText(end - this.at - 1);
      const value = text.slice(this.at + 1, end);
      if (value.includes('<')) this.fail(`'<' in the value of attribute ${name}`);
      if (raw.length >= this.limits.maxAttributes) {
        this.tooLarge(`more than ${this.limits.maxAttributes} attributes on ${qname} (${XML_LIMIT_VARIABLES.maxAttributes})`);
      }
      // A scan for the few attributes of most elements; a set beyond, so that many attributes cost linear time.
      if (raw.length >= 8) names ??= new Set(raw.map((attribute) => attribute.qname));
      if (names ? names.has(name) : raw.some((attribute) => attribute.qname === name)) this.fail(`attribute ${name} is repeated`);
      names?.add(name);
      // XML 1.0 §3.3.3: literal white space becomes a space; white space from character references stays.
      const literal = value.replace(/[\t\n]/g, ' ');
      raw.push({ qname: name, value: this.decode(this.trimText ? literal.trim() : literal) });
      this.at = end + 1;
    }
    const declared = this.declare(raw);
    const attributes: TreeAttribute[] = [];
    let namespaces: TreeNamespace[] | undefined;
    let expanded: Set<string> | undefined;
    for (const { qname: name, value } of raw) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        (namespaces ??= []).push({ prefix: name === 'xmlns' ? '' : name.slice(6), uri: value });
        continue;
      }
      const [prefix, localName] = this.split(name);
      const namespaceUri = prefix === '' ? '' : this.resolve(prefix, name);
      if (prefix !== '') {
        // Namespaces in XML 1.0 §6.3: no two attributes with one expanded name.
        const key = `${namespaceUri} ${localName}`;
        expanded ??= new Set();
        if (expanded.has(key)) this.fail(`attribute {${namespaceUri}}${localName} is repeated`);
        expanded.add(key);
      }
      attributes.push({ qname: name, prefix, localName, namespaceUri, value });
    }
    const [prefix, localName] = this.split(qname);
    const element = {
      kind: 'element' as const,
      qname,
      prefix,
      localName,
      namespaceUri: this.resolve(prefix, qname),
      attributes,
      namespaces: namespaces ?? NO_NAMESPACES,
      children: [] as TreeNode[],
      parent: parent?.element,
    };
    return { building: { element, declared }, empty };
  }

  /** Namespaces in XML 1.0 §3: the reserved prefixes and names, and no undeclaring of a prefix. Binds them; the prefixes bound. */
  private declare(raw: readonly { qname: string; value: string }[]): string[] | undefined {
    let declared: string[] | undefined;
    for (const { qname, value } of raw) {
      if (qname !== 'xmlns' && !qname.startsWith('xmlns:')) continue;
      const prefix = qname === 'xmlns' ? '' : this.split(qname)[1];
      if (prefix === 'xmlns' || value === XMLNS_NAMESPACE) this.fail('the xmlns prefix and namespace cannot be declared');
      if ((prefix === 'xml') !== (value === XML_NAMESPACE)) this.fail('the xml prefix is bound to its own namespace only');
      if (prefix !== '' && value === '') this.fail(`prefix ${prefix} cannot be undeclared in XML 1.0`);
      const uris = this.bindings.get(prefix);
      if (uris) uris.push(value);
      else this.bindings.set(prefix, [value]);
      (declared ??= []).push(prefix);
    }
    return declared;
  }

  private unbind(building: Building): void {
    for (const prefix of building.declared ?? []) this.bindings.get(prefix)?.pop();
  }

  private resolve(prefix: string, qname: string): string {
    const uris = this.bindings.get(prefix);
    const uri = uris?.[uris.length - 1];
    if (uri === undefined && prefix !== '') this.fail(`namespace prefix ${prefix} of ${qname} is not declared`);
    return uri ?? '';
  }

  private split(qname: string): [prefix: string, localName: string] {
    const colon = qname.indexOf(':');
    if (colon === -1) return ['', qname];
    if (colon === 0 || colon === qname.length - 1 || qname.indexOf(':', colon + 1) !== -1) this.fail(`${qname} is not a qualified name`);
    return [qname.slice(0, colon), qname.slice(colon + 1)];
  }

  private endTag(top: Building): void {
    const start = this.at;
    this.at += 2;
    const name = this.name();
    this.skipSpace();
    if (this.text.charCodeAt(this.at) !== 0x3e) this.fail(`expected '>' to end </${name}`);
    if (name !== top.element.qname) this.fail(`end tag </${name}> does not match <${top.element.qname}>`, start);
    this.at += 1;
    this.unbind(top);
  }

  private comment(): void {
    const end = this.text.indexOf('-->', this.at + 4);
    if (end === -1) this.fail('comment is not closed');
    const body = this.text.slice(this.at + 4, end);
    if (body.includes('--') || body.endsWith('-')) this.fail("'--' is not allowed in a comment");
    this.at = end + 3;
  }

  private instruction(): TreeInstruction {
    this.at += 2;
    const target = this.name();
    if (target.toLowerCase() === 'xml') this.fail('the XML declaration is allowed only at the very start');
    if (target.includes(':')) this.fail(`processing instruction target ${target} contains a colon`);
    let data = '';
    if (!this.text.startsWith('?>', this.at)) {
      if (!this.skipSpace()) this.fail(`expected white space after <?${target}`);
      const end = this.text.indexOf('?>', this.at);
      if (end === -1) this.fail(`processing instruction ${target} is not closed`);
      data = this.text.slice(this.at, end);
      this.at = end;
    }
    this.at += 2;
    return { kind: 'instruction', target, data };
  }

  private name(): string {
    const text = this.text;
    const start = this.at;
    if (NAME_CLASS[text.charCodeAt(start)] === NAME_START_CHAR) {
      let end = start + 1;
      while (NAME_CLASS[text.charCodeAt(end)]) end += 1;
      if (text.charCodeAt(end) < 0x80 || end === text.length) {
        this.at = end;
        return text.slice(start, end);
      }
    }
    NAME.lastIndex = this.at;
    const match = NAME.exec(this.text);
    if (!match) this.fail('expected a name');
    this.at += match[0].length;
    return match[0];
  }

  private skipSpace(): boolean {
    const start = this.at;
    for (let c = this.text.charCodeAt(this.at); c === 0x20 || c === 0x0a || c === 0x09; c = this.text.charCodeAt(this.at)) this.at += 1;
    return this.at > start;
  }

  private decode(raw: string): string {
    try {
      return decodeXmlReferences(raw);
    } catch (error) {
      if (isCoreError(error)) this.fail(error.message.replace(/^malformed XML: /, ''));
      throw error;
    }
  }

  private fail(message: string, at = this.at): never {
    throw malformed(this.text, at, message);
  }

  private tooLarge(what: string): never {
    const { line, column } = positionAt(this.text, this.at);
    throw new CoreError('PAYLOAD_TOO_LARGE', `XML has ${what}, at line ${line}, column ${column}`);
  }
}

function malformed(text: string, offset: number, message: string): CoreError {
  const { line, column } = positionAt(text, offset);
  return new CoreError('MALFORMED_REQUEST', `malformed XML at line ${line}, column ${column}: ${message}`);
}
