/** Where a statement's bindings come from, placeholder by placeholder: a positional argument, or a name of the object. */
export type Slot = number | string;

/**
 * `sql` with each `@name` outside string literals, quoted identifiers and comments replaced by `?`, and the source of
 * each `?` in order: the index of a positional argument, or a name. `?NNN`, `:name` and `$name` are not supported.
 * @example translateNamedParameters("SELECT ? WHERE a = @a AND b = '@b'") // { sql: "SELECT ? WHERE a = ? AND b = '@b'", slots: [0, 'a'] }
 */
export function translateNamedParameters(sql: string): { sql: string; slots: Slot[] } {
  const slots: Slot[] = [];
  let out = '';
  let positional = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const skipTo = endOfQuotedOrComment(sql, i);
    if (skipTo > i) {
      out += sql.slice(i, skipTo);
      i = skipTo;
    } else if (c === '?') {
      if (/\d/.test(sql[i + 1] ?? '')) throw new SyntaxError(`numbered parameters (?NNN) are not supported: ${sql}`);
      slots.push(positional++);
      out += '?';
      i += 1;
    } else if (c === '@') {
      const name = /^[A-Za-z0-9_]+/.exec(sql.slice(i + 1))?.[0];
      if (name === undefined) throw new SyntaxError(`a parameter name must follow @: ${sql}`);
      slots.push(name);
      out += '?';
      i += 1 + name.length;
    } else {
      out += c;
      i += 1;
    }
  }
  return { sql: out, slots };
}

/** Where the string literal, quoted identifier or comment starting at `i` ends (just after it), or `i` when none starts. */
function endOfQuotedOrComment(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"' || c === '`') {
    // A quote inside is written twice, which this reads as the end of one quoted part and the start of the next.
    const close = sql.indexOf(c, i + 1);
    return close === -1 ? sql.length : close + 1;
  }
  if (c === '[') {
    const close = sql.indexOf(']', i + 1);
    return close === -1 ? sql.length : close + 1;
  }
  if (c === '-' && sql[i + 1] === '-') {
    const close = sql.indexOf('\n', i + 2);
    return close === -1 ? sql.length : close + 1;
  }
  if (c === '/' && sql[i + 1] === '*') {
    const close = sql.indexOf('*/', i + 2);
    return close === -1 ? sql.length : close + 2;
  }
  return i;
}
