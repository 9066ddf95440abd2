/**
 * A PDF dictionary read as pdf.js's lexer reads it: comments are whitespace, names decode their
 * #xx escapes, strings are skipped whole. Only what stream filters need is kept: the dictionary's
 * own keys and their values as names, integers, references and arrays.
 */

export type Value =
  | { kind: 'name'; name: string }
  | { kind: 'ref'; num: number; gen: number }
  | { kind: 'array'; items: Value[] }
  | { kind: 'int'; value: number }
  | { kind: 'other' };

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITER = new Set([0x25, 0x28, 0x29, 0x2f, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d]);
const isRegular = (c: number) => c >= 0 && !WHITE.has(c) && !DELIMITER.has(c);
const hex = (c: number) =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;

type Token = string | { name: string } | { bad: true };

/**
 * The tokens of `text`, or null where a reading that started in the wrong place shows: a `)` with
 * no `(`, a backslash outside a string, a comment holding a `)` (a string's end swallowed). A
 * reading that starts inside a string or a comment cannot then pass as a whole dictionary.
 */
export function tokens(text: string): Token[] | null {
  const out: Token[] = [];
  const at = (i: number) => (i < text.length ? text.charCodeAt(i) : -1);
  let i = 0;
  while (i < text.length) {
    const c = at(i);
    if (WHITE.has(c)) i++;
    else if (c === 0x25) {
      const end = text.slice(i).search(/[\r\n]/);
      const comment = end < 0 ? text.slice(i) : text.slice(i, i + end);
      if (comment.includes(')')) return null;
      i += comment.length;
    } else if (c === 0x2f) {
      let name = '';
      for (i++; isRegular(at(i)); i++) {
        if (at(i) === 0x23 && hex(at(i + 1)) >= 0 && hex(at(i + 2)) >= 0) {
          name += String.fromCharCode(hex(at(i + 1)) * 16 + hex(at(i + 2)));
          i += 2;
        } else name += text[i];
      }
      out.push({ name });
    } else if (c === 0x28) {
      let depth = 0;
      for (; i < text.length; i++) {
        const s = at(i);
        if (s === 0x5c) i++;
        else if (s === 0x28) depth++;
        else if (s === 0x29 && --depth === 0) break;
      }
      if (i >= text.length) return null;
      i++;
      out.push('(string)');
    } else if (c === 0x3c && at(i + 1) === 0x3c) {
      out.push('<<');
      i += 2;
    } else if (c === 0x3e && at(i + 1) === 0x3e) {
      out.push('>>');
      i += 2;
    } else if (c === 0x3c) {
      const end = text.indexOf('>', i);
      if (end < 0) return null;
      i = end + 1;
      out.push('(string)');
    } else if (c === 0x5b || c === 0x5d) {
      out.push(text[i++] as string);
    } else if (c === 0x29 || c === 0x3e || c === 0x7b || c === 0x7d) return null;
    else {
      const start = i;
      while (isRegular(at(i))) i++;
      const word = text.slice(start, i);
      if (word.includes('\\')) return null;
      out.push(word);
    }
  }
  return out;
}

/**
 * The keys of the dictionary that `text` is, whole (`<<` … `>>`, nothing after), with their
 * values; null when it is not one. A key given twice keeps its last value, as pdf.js keeps it.
 */
export function dictionaryOf(text: string): Map<string, Value> | null {
  const list = tokens(text);
  if (list?.[0] !== '<<' || list.at(-1) !== '>>') return null;
  const entries = new Map<string, Value>();
  let i = 1;
  const value = (depth: number): Value => {
    const token = list[i++];
    if (token === '>>' || token === ']' || token === undefined || depth > 32)
      throw new Error('not a dictionary');
    if (typeof token === 'object' && 'name' in token) return { kind: 'name', name: token.name };
    if (token === '[') {
      const items: Value[] = [];
      while (i < list.length && list[i] !== ']') items.push(value(depth + 1));
      i++;
      return { kind: 'array', items };
    }
    if (token === '<<') {
      while (i < list.length && list[i] !== '>>') value(depth + 1);
      i++;
      return { kind: 'other' };
    }
    if (typeof token === 'string' && /^\d+$/.test(token)) {
      const gen = list[i];
      if (typeof gen === 'string' && /^\d+$/.test(gen) && list[i + 1] === 'R') {
        i += 2;
        return { kind: 'ref', num: Number(token), gen: Number(gen) };
      }
      return { kind: 'int', value: Number(token) };
    }
    return { kind: 'other' };
  };
  try {
    while (i < list.length - 1) {
      const key = list[i++];
      if (!(typeof key === 'object' && 'name' in key)) {
        // pdf.js skips a key that is not a name; a `>>` here closed the dictionary early.
        if (key === '>>' || key === ']') return null;
        continue;
      }
      entries.set(key.name, value(1));
    }
  } catch {
    return null;
  }
  return i === list.length - 1 ? entries : null;
}
