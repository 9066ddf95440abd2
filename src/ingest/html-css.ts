/**
 * A page's own CSS as far as the parser needs it: the declarations that decide whether text is
 * shown, struck, raised off its line or shown right to left (html-hidden.ts), and the rules of its <style> elements
 * that make them. Selectors of tags, classes and ids joined by descendant or child combinators
 * only; a rule that depends on state, attributes, siblings or the viewport is not read.
 */
import { DEFAULT_INPUT_LIMITS, InputLimitError, type InputLimits } from './limits.ts';

/** Parts of one selector (`div.content table td`): more is a made-up selector. */
const MAX_SELECTOR_PARTS = 8;

/** The properties that decide whether text is shown, as declared (lower-case, no spaces). */
export interface Declarations {
  display?: string;
  visibility?: string;
  /** `yes` for opacity:0 (nothing inside painted, whatever it says), `no` for another opacity. */
  unpainted?: string;
  /**
   * font-size as declared (`9px`, `.8em`, `smaller`, `0`), from `font-size` or the `font`
   * shorthand: zero hides (html-raised.ts sizeKind), and a smaller piece beside a figure placed
   * at the line's top or moved off it is a footnote mark.
   */
  fontSize?: string;
  /**
   * `yes` for text-decoration line-through: the old figure of a correction, as <del> and <s>
   * (html.ts) and an inline style are; drawn through everything inside, as nothing undoes it.
   */
  struck?: string;
  /**
   * vertical-align: `yes` for super, sub or a length off the baseline (a footnote mark's); the
   * edge itself for top, text-top, bottom and text-bottom, which raise or lower only text smaller
   * than its line's (or its parent's); `no` otherwise.
   */
  raised?: string;
  /** `yes` for baseline-shift super, sub or a length: a mark, whether or not a browser applies it. */
  shift?: string;
  /**
   * Word's mso-text-raise (`3pt`, `-1.5pt`): how far Word shows a run raised. Word writes it with
   * the same relative offset for browsers; alone, Word shows the run raised and a browser does not.
   */
  textRaise?: string;
  /** position, and the offsets `top` and `bottom` that move a relatively positioned piece. */
  position?: string;
  top?: string;
  bottom?: string;
  /** The vertical move of `transform: translate…` or `translate`, which moves an inline block. */
  transform?: string;
  /** The same of the `translate` property, which a browser applies after `transform`. */
  translate?: string;
  /**
   * direction as declared (`rtl`, `ltr`): the order a block's lines, or an embedding's or
   * override's text, are shown in (html-hidden.ts reordering).
   */
  direction?: string;
  /** unicode-bidi as declared (`embed`, `isolate`, `bidi-override`, `isolate-override`, `normal`). */
  bidi?: string;
}
export type Property = keyof Declarations;
export const PROPERTIES: readonly Property[] = [
  'display',
  'visibility',
  'unpainted',
  'fontSize',
  'struck',
  'raised',
  'shift',
  'textRaise',
  'position',
  'top',
  'bottom',
  'transform',
  'translate',
  'direction',
  'bidi',
];

export interface Compound {
  tag: string | null;
  ids: string[];
  classes: string[];
}

export interface Rule {
  /** Left to right; `child[i]` says whether parts i and i+1 are joined by `>`. */
  parts: Compound[];
  child: boolean[];
  declarations: Declarations;
  important: Partial<Record<Property, boolean>>;
  /** [ids, classes, tags], compared in that order. */
  specificity: [number, number, number];
  order: number;
}

const SIZE_KEYWORD = /^(?:xx?x?-small|xx?x?-large|small|medium|large|smaller|larger)$/;
const LENGTH = /^(?:-?\d*\.?\d+(?:[a-z]+|%)?)$/;

/**
 * The size in a `font` shorthand (`bold 9px/1.2 Arial`, `0/0 a`): the first word that is a size,
 * before the family. Undefined where none is (`font: inherit`, a system font).
 */
function shorthandSize(value: string): string | undefined {
  for (const word of value.trim().toLowerCase().split(/\s+/)) {
    const size = word.split('/')[0] ?? '';
    if (SIZE_KEYWORD.test(size) || (LENGTH.test(size) && !/^\d+$/.test(size)) || /^0+$/.test(size))
      return size;
  }
  return undefined;
}

/**
 * The vertical move of a transform (`translateY(-4px)`, `translate(0, -40%)`, `translate3d(…)`),
 * or of the `translate` property (`0 -4px`); `0` for none, `?` for a transform whose move cannot
 * be told (a matrix, a rotation: the piece may be anywhere).
 */
function verticalMove(value: string, property: boolean): string {
  if (value === 'none' || value === '') return '0';
  if (property) return value.split(/\s+/)[1] ?? '0';
  let move = '0';
  for (const [, fn, args] of value.matchAll(/([a-z0-9]+)\(([^)]*)\)/g)) {
    const parts = (args ?? '').split(',').map((a) => a.trim());
    if (fn === 'translatey') move = parts[0] ?? '0';
    else if (fn === 'translate' || fn === 'translate3d') move = parts[1] ?? '0';
    else if (fn !== 'translatex' && fn !== 'translatez' && fn !== 'scale') return '?';
  }
  return move;
}

/** One declaration, read: the properties it sets and the values as compared. */
function readDeclaration(name: string, raw: string, value: string): [Property, string][] {
  const one = readOne(name, raw, value);
  if (one) return [one];
  if (name !== 'inset') return [];
  // inset: top right bottom left, as margin is written.
  const sides = raw
    .replace(/!\s*important\s*$/i, '')
    .trim()
    .toLowerCase()
    .split(/\s+/);
  return [
    ['top', sides[0] ?? 'auto'],
    ['bottom', sides[2] ?? sides[0] ?? 'auto'],
  ];
}

function readOne(name: string, raw: string, value: string): [Property, string] | null {
  switch (name) {
    case 'transform':
      return [
        'transform',
        verticalMove(
          raw
            .trim()
            .toLowerCase()
            .replace(/!\s*important\s*$/, ''),
          false,
        ),
      ];
    case 'translate':
      return [
        'translate',
        verticalMove(
          raw
            .trim()
            .toLowerCase()
            .replace(/!\s*important\s*$/, ''),
          true,
        ),
      ];
    case 'unicode-bidi':
      return ['bidi', value];
    case 'direction':
    case 'display':
    case 'visibility':
    case 'position':
    case 'top':
    case 'bottom':
      return [name, value];
    case 'opacity':
      if (value === '') return null;
      return ['unpainted', /^(?:0+(?:\.0*)?|\.0+)%?$/.test(value) ? 'yes' : 'no'];
    case 'text-decoration':
    case 'text-decoration-line':
      return ['struck', value.includes('line-through') ? 'yes' : 'no'];
    case 'vertical-align':
      return [
        'raised',
        /^(?:super|sub|-?\d*\.?\d*[1-9]\d*[a-z%]*)$/.test(value)
          ? 'yes'
          : /^(?:text-)?(?:top|bottom)$/.test(value)
            ? value
            : 'no',
      ];
    case 'baseline-shift':
      return ['shift', /^(?:super|sub|-?\d*\.?\d*[1-9]\d*[a-z%]*)$/.test(value) ? 'yes' : 'no'];
    case 'mso-text-raise':
      return ['textRaise', value];
    case 'font-size':
      return ['fontSize', value];
    case 'font': {
      const size = shorthandSize(raw.replace(/!\s*important\s*$/i, ''));
      return size === undefined ? null : ['fontSize', size];
    }
    default:
      return null;
  }
}

/** The declarations of a style attribute or rule body that decide visibility; the last of each wins. */
export function parseDeclarations(body: string): {
  declarations: Declarations;
  important: Partial<Record<Property, boolean>>;
} {
  const declarations: Declarations = {};
  const important: Partial<Record<Property, boolean>> = {};
  for (const piece of body.split(';')) {
    const colon = piece.indexOf(':');
    if (colon < 0) continue;
    const name = piece.slice(0, colon).trim().toLowerCase();
    const raw = piece.slice(colon + 1);
    let value = raw.replace(/\s+/g, '').toLowerCase();
    const isImportant = value.endsWith('!important');
    if (isImportant) value = value.slice(0, -'!important'.length);
    for (const [property, declared] of readDeclaration(name, raw, value)) {
      // A later declaration of the same property wins, unless an earlier one is !important.
      if (important[property] && !isImportant) continue;
      declarations[property] = declared;
      important[property] = isImportant;
    }
  }
  return { declarations, important };
}

function parseCompound(text: string): Compound | null {
  const m = /^(\*|[a-z][a-z0-9-]*)?((?:[.#][\w-]+)*)$/i.exec(text);
  if (!m || text === '') return null;
  const names = m[2]?.match(/[.#][\w-]+/g) ?? [];
  return {
    tag: m[1] && m[1] !== '*' ? m[1].toLowerCase() : null,
    ids: names.filter((n) => n.startsWith('#')).map((n) => n.slice(1)),
    classes: names.filter((n) => n.startsWith('.')).map((n) => n.slice(1)),
  };
}

function parseSelector(text: string): Pick<Rule, 'parts' | 'child' | 'specificity'> | null {
  const tokens = text
    .trim()
    .replace(/\s*>\s*/g, '>')
    .split(/(\s+|>)/);
  const parts: Compound[] = [];
  const child: boolean[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const compound = parseCompound(tokens[i] ?? '');
    if (!compound) return null;
    parts.push(compound);
    const joint = tokens[i + 1];
    if (joint !== undefined) child.push(joint === '>');
  }
  if (parts.length === 0 || parts.length > MAX_SELECTOR_PARTS) return null;
  const specificity: [number, number, number] = [
    parts.reduce((n, p) => n + p.ids.length, 0),
    parts.reduce((n, p) => n + p.classes.length, 0),
    parts.reduce((n, p) => n + (p.tag ? 1 : 0), 0),
  ];
  return { parts, child, specificity };
}

/** Whether an @media prelude applies to a screen whatever its size: screen, all, or a list holding one. */
export const forScreen = (media: string) =>
  media
    .toLowerCase()
    .split(',')
    .some((m) => /^\s*(?:only\s+)?(?:screen|all)\s*$/.test(m));

/**
 * The rules of a stylesheet that set display, visibility, opacity, font size, decoration,
 * placement or direction, in order; those inside @media for the screen are read, those of any other at-rule
 * are left out.
 */
export function visibilityRules(css: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): Rule[] {
  const rules: Rule[] = [];
  const read = (text: string) => {
    let i = 0;
    while (i < text.length) {
      const open = text.indexOf('{', i);
      if (open < 0) break;
      // Statements before a rule (@charset "utf-8"; @import …;) end at their semicolon.
      const before = text.slice(i, open);
      const selector = before.slice(before.lastIndexOf(';') + 1).trim();
      // The block's end, counting nested braces (an at-rule holds rules).
      let depth = 1;
      let end = open + 1;
      for (; end < text.length && depth > 0; end++) {
        if (text[end] === '{') depth++;
        else if (text[end] === '}') depth--;
      }
      const body = text.slice(open + 1, end - 1);
      i = end;
      if (selector.startsWith('@')) {
        const media = /^@media\s+([^{]*)$/i.exec(selector);
        if (media && forScreen(media[1] ?? '')) read(body);
        continue;
      }
      const { declarations, important } = parseDeclarations(body);
      if (Object.keys(declarations).length === 0) continue;
      for (const one of selector.split(',')) {
        const parsed = parseSelector(one);
        if (!parsed) continue;
        if (rules.length >= limits.maxHtmlHidingRules) {
          throw new InputLimitError(
            'maxHtmlHidingRules',
            `The HTML's stylesheets have more than ${limits.maxHtmlHidingRules.toLocaleString('en')} rules that may hide elements`,
            limits.maxHtmlHidingRules,
          );
        }
        rules.push({ ...parsed, declarations, important, order: rules.length });
      }
    }
  };
  // Comments, and the <!-- --> that old pages wrap their styles in, are not rules.
  read(css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/<!--|-->/g, ''));
  return rules;
}
