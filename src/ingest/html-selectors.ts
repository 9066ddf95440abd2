/**
 * CSS selectors as a browser reads and matches them, for the page's own rules (html-css.ts,
 * html-cascade.ts): tags, classes, ids, attributes, the four combinators and the structural
 * pseudo-classes. A page at rest is matched: no element is hovered, focused or visited. What a
 * selector says that is not modelled here (:has(), :lang(), a form control's state) matches
 * `maybe`: a rule that would hide text so is not skipped, the text it may hide is refused.
 */

export type Combinator = ' ' | '>' | '+' | '~';
export interface AttributeTest {
  name: string;
  op: '' | '=' | '~=' | '|=' | '^=' | '$=' | '*=';
  value: string;
  insensitive: boolean;
}
export type Pseudo =
  | { kind: 'nth'; a: number; b: number; last: boolean; ofType: boolean }
  | { kind: 'only'; ofType: boolean }
  | { kind: 'not'; list: Complex[] }
  /**
   * `:is()`, `:where()` and `:-webkit-any()`. Their weight in the rule's specificity: the most
   * specific of the list (:is), nothing (:where), or one pseudo-class (Chromium's :-webkit-any).
   */
  | { kind: 'is'; list: Complex[]; weight: 'greatest' | 'none' | 'one' }
  | { kind: 'root' | 'empty' | 'link' | 'never' | 'unmodelled' };
export interface Compound {
  tag: string | null;
  ids: string[];
  classes: string[];
  attributes: AttributeTest[];
  pseudos: Pseudo[];
}
/** Compounds left to right; `joints[i]` joins parts i and i+1. */
export interface Complex {
  parts: Compound[];
  joints: Combinator[];
  /** A pseudo-element the selector ends with (before, after, first-letter …), lower-case. */
  pseudoElement: string | null;
}

/** [ids, classes, tags], compared in that order. */
export type Specificity = [number, number, number];

/** Pseudo-classes of an element's state that a page at rest never has. */
const NEVER = new Set([
  'hover',
  'active',
  'focus',
  'focus-visible',
  'focus-within',
  'visited',
  'target',
  'target-within',
  'current',
  'past',
  'future',
  'playing',
  'paused',
  'fullscreen',
  'modal',
  'picture-in-picture',
  'popover-open',
  'autofill',
  '-webkit-autofill',
  'user-invalid',
  'user-valid',
]);
/** Valid pseudo-classes not modelled (a form control's state, language, direction). */
const UNMODELLED = new Set([
  'lang',
  'dir',
  'has',
  'defined',
  'enabled',
  'disabled',
  'checked',
  'indeterminate',
  'default',
  'required',
  'optional',
  'valid',
  'invalid',
  'in-range',
  'out-of-range',
  'read-only',
  'read-write',
  'placeholder-shown',
  'blank',
  'scope',
  'host',
  'state',
  'open',
  'closed',
]);
/** Pseudo-elements; those that draw no text of the element's (selection, marker) never touch a figure. */
const PSEUDO_ELEMENTS = new Set([
  'before',
  'after',
  'first-letter',
  'first-line',
  'selection',
  'placeholder',
  'marker',
  'backdrop',
  'file-selector-button',
  'cue',
  'target-text',
  'spelling-error',
  'grammar-error',
  'highlight',
  'part',
  'slotted',
]);
/** Pseudo-elements CSS 2 wrote with one colon. */
const LEGACY_PSEUDO_ELEMENTS = new Set(['before', 'after', 'first-letter', 'first-line']);

class Invalid extends Error {}

/** Reads selectors from `text`, one character at a time. */
class Reader {
  i = 0;
  constructor(readonly text: string) {}
  peek(n = 0) {
    return this.text[this.i + n] ?? '';
  }
  spaces() {
    const from = this.i;
    while (/\s/.test(this.peek())) this.i++;
    return this.i > from;
  }
  /** An identifier, its escapes decoded. */
  ident(): string {
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === '\\') {
        const hex = /^\\([0-9a-fA-F]{1,6})\s?/.exec(this.text.slice(this.i));
        if (hex) {
          out += String.fromCodePoint(Math.min(Number.parseInt(hex[1] ?? '0', 16) || 0xfffd, 0x10ffff));
          this.i += hex[0].length;
        } else {
          out += this.peek(1);
          this.i += 2;
        }
      } else if (/[\w\-\u00a0-\uffff]/.test(c) && c !== '') {
        out += c;
        this.i++;
      } else break;
    }
    if (out === '' || /^(?:\d|-\d)/.test(out)) throw new Invalid();
    return out;
  }
  /** A string in quotes, or an identifier. */
  value(): string {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'") return this.ident();
    let out = '';
    this.i++;
    while (this.peek() !== quote) {
      if (this.peek() === '') throw new Invalid();
      if (this.peek() === '\\') {
        const hex = /^\\([0-9a-fA-F]{1,6})\s?/.exec(this.text.slice(this.i));
        if (hex) {
          out += String.fromCodePoint(Math.min(Number.parseInt(hex[1] ?? '0', 16) || 0xfffd, 0x10ffff));
          this.i += hex[0].length;
          continue;
        }
        this.i++;
      }
      out += this.peek();
      this.i++;
    }
    this.i++;
    return out;
  }
  /** The text up to the closing parenthesis of one just opened. */
  argument(): string {
    let depth = 1;
    const from = this.i;
    for (; this.i < this.text.length; this.i++) {
      const c = this.peek();
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) break;
    }
    if (depth !== 0) throw new Invalid();
    this.i++;
    return this.text.slice(from, this.i - 1).trim();
  }
}

/** an+b, odd, even. */
function parseNth(text: string): { a: number; b: number } {
  const t = text.replace(/\s+/g, '').toLowerCase();
  if (t === 'odd') return { a: 2, b: 1 };
  if (t === 'even') return { a: 2, b: 0 };
  const m = /^([+-]?\d*)n([+-]\d+)?$|^([+-]?\d+)$/.exec(t);
  if (!m) throw new Invalid();
  if (m[3] !== undefined) return { a: 0, b: Number(m[3]) };
  const a = m[1] === '' || m[1] === '+' ? 1 : m[1] === '-' ? -1 : Number(m[1]);
  return { a, b: Number(m[2] ?? 0) };
}

function pseudoClass(name: string, argument: string | null, compound: Compound): void {
  const nth = /^nth-(last-)?(child|of-type)$/.exec(name);
  if (nth && argument !== null) {
    // :nth-child(2 of .x) filters the siblings by a selector: not modelled.
    if (/\sof\s/i.test(` ${argument} `)) {
      parseList(argument.replace(/^.*?\sof\s/i, ''));
      compound.pseudos.push({ kind: 'unmodelled' });
      return;
    }
    compound.pseudos.push({
      kind: 'nth',
      ...parseNth(argument),
      last: !!nth[1],
      ofType: nth[2] === 'of-type',
    });
    return;
  }
  if (argument !== null) {
    // :is() and :where() forgive: an invalid selector in their list matches nothing, where
    // elsewhere it drops the whole rule. Chromium has no :matches(); its :-webkit-any() takes
    // compound selectors only.
    if (name === 'not') {
      compound.pseudos.push({ kind: 'not', list: parseList(argument) });
      return;
    }
    if (name === 'is' || name === 'where') {
      const weight = name === 'is' ? 'greatest' : 'none';
      compound.pseudos.push({ kind: 'is', list: forgivingList(argument), weight });
      return;
    }
    if (name === '-webkit-any') {
      const list = parseList(argument);
      if (list.some((c) => c.parts.length !== 1 || c.pseudoElement)) throw new Invalid();
      compound.pseudos.push({ kind: 'is', list, weight: 'one' });
      return;
    }
    if (UNMODELLED.has(name)) {
      compound.pseudos.push({ kind: 'unmodelled' });
      return;
    }
    throw new Invalid();
  }
  const structural = /^(first|last|only)-(child|of-type)$/.exec(name);
  if (structural) {
    const ofType = structural[2] === 'of-type';
    if (structural[1] === 'only') compound.pseudos.push({ kind: 'only', ofType });
    else compound.pseudos.push({ kind: 'nth', a: 0, b: 1, last: structural[1] === 'last', ofType });
  } else if (name === 'root' || name === 'empty') compound.pseudos.push({ kind: name });
  else if (name === 'link' || name === 'any-link') compound.pseudos.push({ kind: 'link' });
  else if (NEVER.has(name)) compound.pseudos.push({ kind: 'never' });
  else if (UNMODELLED.has(name)) compound.pseudos.push({ kind: 'unmodelled' });
  else throw new Invalid();
}

/** One compound selector; null where none starts here. */
function compound(r: Reader, complex: Complex): Compound | null {
  const c: Compound = { tag: null, ids: [], classes: [], attributes: [], pseudos: [] };
  let any = false;
  if (r.peek() === '*') {
    r.i++;
    any = true;
  } else if (/[a-zA-Z_\\\u00a0-\uffff-]/.test(r.peek()) && r.peek() !== '') {
    c.tag = r.ident().toLowerCase();
    any = true;
  }
  for (;;) {
    const ch = r.peek();
    if (complex.pseudoElement !== null && ch !== '') {
      // Nothing but a state (::before:hover) follows a pseudo-element.
      if (ch !== ':') break;
    }
    if (ch === '.') {
      r.i++;
      c.classes.push(r.ident());
    } else if (ch === '#') {
      r.i++;
      c.ids.push(r.ident());
    } else if (ch === '[') {
      r.i++;
      r.spaces();
      const name = r.ident().toLowerCase();
      r.spaces();
      const op = /^(?:[~|^$*]?=)/.exec(r.text.slice(r.i))?.[0] ?? '';
      let value = '';
      let insensitive = false;
      if (op) {
        r.i += op.length;
        r.spaces();
        value = r.value();
        r.spaces();
        if (/[is]/i.test(r.peek()) && /[\s\]]/.test(r.peek(1))) {
          insensitive = r.peek().toLowerCase() === 'i';
          r.i++;
          r.spaces();
        }
      }
      if (r.peek() !== ']') throw new Invalid();
      r.i++;
      c.attributes.push({ name, op: op as AttributeTest['op'], value, insensitive });
    } else if (ch === ':') {
      r.i++;
      const element = r.peek() === ':';
      if (element) r.i++;
      const name = r.ident().toLowerCase();
      let argument: string | null = null;
      if (r.peek() === '(') {
        r.i++;
        argument = r.argument();
      }
      if (complex.pseudoElement !== null) {
        // ::before:hover: shown in a state the page at rest is not in.
        if (!NEVER.has(name) || element) throw new Invalid();
        c.pseudos.push({ kind: 'never' });
      } else if (element || LEGACY_PSEUDO_ELEMENTS.has(name)) {
        if (!PSEUDO_ELEMENTS.has(name) && !name.startsWith('-webkit-')) throw new Invalid();
        complex.pseudoElement = name;
      } else pseudoClass(name, argument, c);
    } else break;
    any = true;
  }
  return any ? c : null;
}

/** One complex selector (`div.x > p span`); throws Invalid where a browser would drop the rule. */
function complexSelector(text: string): Complex {
  const r = new Reader(text.trim());
  const complex: Complex = { parts: [], joints: [], pseudoElement: null };
  for (;;) {
    const part = compound(r, complex);
    if (!part) throw new Invalid();
    complex.parts.push(part);
    const spaced = r.spaces();
    if (r.peek() === '') return complex;
    if (complex.pseudoElement !== null) throw new Invalid();
    const joint = r.peek();
    if (joint === '>' || joint === '+' || joint === '~') {
      r.i++;
      r.spaces();
      complex.joints.push(joint);
    } else if (spaced) complex.joints.push(' ');
    else throw new Invalid();
  }
}

/** Splits a selector list at its top-level commas (not those inside :not(…) or a quoted value). */
function splitList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(from, i));
      from = i + 1;
    }
  }
  out.push(text.slice(from));
  return out;
}

function parseList(text: string): Complex[] {
  return splitList(text).map(complexSelector);
}

function forgivingList(text: string): Complex[] {
  return splitList(text).flatMap((item) => {
    try {
      return [complexSelector(item)];
    } catch (e) {
      if (e instanceof Invalid) return [];
      throw e;
    }
  });
}

/**
 * A rule's selector list, or null where a browser drops the whole rule: any selector of the list
 * invalid (`.q, :unknownpseudo` hides nothing).
 */
export function parseSelectorList(text: string): Complex[] | null {
  try {
    return parseList(text);
  } catch (e) {
    if (e instanceof Invalid) return null;
    throw e;
  }
}

const add = (a: Specificity, b: Specificity): Specificity => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const greatest = (list: Complex[]): Specificity =>
  list
    .map(specificity)
    .reduce(
      (m, s) =>
        s[0] !== m[0] ? (s[0] > m[0] ? s : m) : s[1] !== m[1] ? (s[1] > m[1] ? s : m) : s[2] > m[2] ? s : m,
      [0, 0, 0] as Specificity,
    );

export function specificity(selector: Complex): Specificity {
  let total: Specificity = [0, 0, selector.pseudoElement ? 1 : 0];
  for (const p of selector.parts) {
    total = add(total, [p.ids.length, p.classes.length + p.attributes.length, p.tag ? 1 : 0]);
    for (const pseudo of p.pseudos) {
      if (pseudo.kind === 'not' || (pseudo.kind === 'is' && pseudo.weight === 'greatest'))
        total = add(total, greatest(pseudo.list));
      else if (pseudo.kind !== 'is' || pseudo.weight === 'one') total = add(total, [0, 1, 0]);
    }
  }
  return total;
}
