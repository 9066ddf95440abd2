/**
 * A page's own CSS as far as the parser needs it: the declarations that decide whether text is
 * shown, struck, raised off its line or shown right to left (html-hidden.ts), and the rules of its <style> elements
 * that make them, their selectors read as a browser reads them (html-selectors.ts) and their
 * @media as a desktop screen applies them (html-media.ts).
 */
import { backgroundColour, colourfulCss, PICTURE, words } from './html-colour.ts';
import { mediaApplies } from './html-media.ts';
import { type Complex, parseSelectorList, type Specificity, specificity } from './html-selectors.ts';
import { DEFAULT_INPUT_LIMITS, InputLimitError, type InputLimits } from './limits.ts';

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
  /**
   * color, and background-color (or the colour of `background`), as declared: html-colour.ts
   * reads them. backgroundImage is '?' where a picture or gradient is painted over that colour.
   */
  color?: string;
  background?: string;
  backgroundImage?: string;
  /**
   * What may put text off screen or clip it to nothing (html-offscreen.ts): left, text-indent,
   * clip, clip-path, width, height, overflow, zoom, filter, margin-left and margin-top as
   * declared, and `scaled`: `zero` for a transform that scales to nothing, `?` for one that
   * rotates or skews, `no` otherwise.
   */
  left?: string;
  textIndent?: string;
  clip?: string;
  clipPath?: string;
  width?: string;
  height?: string;
  overflow?: string;
  zoom?: string;
  filter?: string;
  marginLeft?: string;
  marginTop?: string;
  scaled?: string;
  /** The content of a ::before or ::after rule: text the page's style adds, which the parser does not read. */
  content?: string;
  /**
   * A declaration that may hide or blot text in a way the parser does not model, as written:
   * -webkit-text-fill-color (which paints the text, whatever `color` says), a mask,
   * content-visibility, a negative letter-spacing (glyphs drawn over each other).
   */
  unmodelled?: string;
}
export type Property = keyof Declarations;
/** Properties that, set to anything, may move, clip, shrink or recolour text out of a reader's sight. */
export const PLACING: readonly Property[] = [
  'color',
  'background',
  'backgroundImage',
  'left',
  'textIndent',
  'clip',
  'clipPath',
  'width',
  'height',
  'zoom',
  'filter',
  'marginLeft',
  'marginTop',
  'unmodelled',
];
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
  ...PLACING,
  'overflow',
  'scaled',
  'content',
];

export interface Rule {
  selector: Complex;
  declarations: Declarations;
  important: Partial<Record<Property, boolean>>;
  specificity: Specificity;
  order: number;
  /** The rule as the page writes it (shortened), for a message refusing what it may hide. */
  text: string;
  /** Why the rule may or may not apply (an @media condition not evaluated): what it may hide is refused. */
  doubt?: string;
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

/** A value as written, lower-case, without !important, its spaces collapsed (rgb(0 0 0 / 0) keeps them). */
const spaced = (raw: string) =>
  raw
    .replace(/!\s*important\s*$/i, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\(\s+|\s+\)/g, (m) => m.trim());

/** One declaration, read: the properties it sets and the values as compared. */
function readDeclaration(name: string, raw: string, value: string): [Property, string][] {
  const one = readOne(name, raw, value);
  if (one) return [one];
  // The shorthand sets both: a later `background: #fff` paints no picture an earlier rule set.
  if (name === 'background') {
    return [
      ['background', backgroundColour(spaced(raw))],
      ['backgroundImage', PICTURE.test(raw) ? '?' : 'none'],
    ];
  }
  if (name === 'transform') {
    const fns = [...value.matchAll(/([a-z0-9]+)\(([^)]*)\)/g)];
    const zero = fns.some(
      ([, fn, args]) =>
        /^scale[xyz3d]*$/.test(fn ?? '') &&
        // Scaled below a tenth, text is a speck (scale(0.01)); scale(0) is nothing at all.
        (args ?? '')
          .split(',')
          .some((a) => Math.abs(Number.parseFloat(a) / (a.trim().endsWith('%') ? 100 : 1)) < 0.1),
    );
    const turned = fns.some(([, fn]) => /^(?:rotate|skew|matrix|perspective)/.test(fn ?? ''));
    return [
      ['transform', verticalMove(spaced(raw), false)],
      ['scaled', zero ? 'zero' : turned ? '?' : 'no'],
    ];
  }
  if (name === 'margin') {
    const sides = words(spaced(raw));
    return [
      ['marginTop', sides[0] ?? '0'],
      ['marginLeft', sides[3] ?? sides[1] ?? sides[0] ?? '0'],
    ];
  }
  if (name === 'max-width' || name === 'max-height') {
    return /^0+(?:\.0*)?[a-z%]*$/.test(value) ? [[name === 'max-width' ? 'width' : 'height', '0']] : [];
  }
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
    ['left', sides[3] ?? sides[1] ?? sides[0] ?? 'auto'],
  ];
}

function readOne(name: string, raw: string, value: string): [Property, string] | null {
  switch (name) {
    case 'color':
      return ['color', spaced(raw)];
    case 'background-color':
      return ['background', spaced(raw)];
    case 'background-image':
      return ['backgroundImage', PICTURE.test(raw) ? '?' : 'none'];
    case 'left':
    case 'width':
    case 'height':
    case 'zoom':
      return [name, value];
    case 'text-indent':
      return ['textIndent', value];
    case 'overflow':
    case 'overflow-x':
    case 'overflow-y':
      return ['overflow', value];
    case 'clip':
      return ['clip', spaced(raw)];
    case 'clip-path':
      return ['clipPath', spaced(raw)];
    case 'filter':
      return ['filter', spaced(raw)];
    case 'margin-left':
      return ['marginLeft', value];
    case 'margin-top':
      return ['marginTop', value];
    case 'content':
      return ['content', raw.replace(/!\s*important\s*$/i, '').trim()];
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
    case 'opacity': {
      if (value === '') return null;
      // Below a tenth, text is a ghost no reader takes for a figure (opacity:0.01 hides a digit).
      const opacity = Number.parseFloat(value) / (value.endsWith('%') ? 100 : 1);
      return ['unpainted', opacity < 0.1 ? 'yes' : 'no'];
    }
    case '-webkit-text-fill-color':
      return /^(?:currentcolor|inherit|initial|unset|revert)$/.test(value)
        ? null
        : ['unmodelled', `${name}: ${value}`];
    case 'content-visibility':
      return value === 'visible' ? null : ['unmodelled', `${name}: ${value}`];
    case 'letter-spacing':
      return value.startsWith('-') ? ['unmodelled', `${name}: ${value}`] : null;
    case 'mask':
    case 'mask-image':
    case '-webkit-mask':
    case '-webkit-mask-image':
      return value === 'none' ? null : ['unmodelled', `${name}: ${spaced(raw)}`];
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

/** CSS escapes decoded: `\\6c` and `\\l` are l. */
const decodeEscapes = (text: string) =>
  text.includes('\\')
    ? text.replace(
        /\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|([^\n0-9a-fA-F]))/g,
        (_, hex: string | undefined, char: string | undefined) =>
          hex ? String.fromCodePoint(Math.min(Number.parseInt(hex, 16) || 0xfffd, 0x10ffff)) : (char ?? ''),
      )
    : text;

/** The declarations of a style attribute or rule body that decide visibility; the last of each wins. */
export function parseDeclarations(body: string): ParsedDeclarations {
  // A page repeats a few style attributes on every cell (style="width:38px"): each is read once.
  let parsed = declarationsRead.get(body);
  if (parsed === undefined) {
    parsed = readDeclarations(body);
    if (declarationsRead.size >= 4096) declarationsRead.clear();
    declarationsRead.set(body, parsed);
  }
  return parsed;
}
interface ParsedDeclarations {
  readonly declarations: Readonly<Declarations>;
  readonly important: Readonly<Partial<Record<Property, boolean>>>;
}
const declarationsRead = new Map<string, ParsedDeclarations>();

function readDeclarations(body: string): ParsedDeclarations {
  const declarations: Declarations = {};
  const important: Partial<Record<Property, boolean>> = {};
  // A browser reads a style attribute as a rule's body: comments are nothing (display:/**/none is
  // display:none) and escapes stand for their characters (disp\lay is display).
  const text = body.includes('/*') ? body.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, '') : body;
  for (const piece of text.split(';')) {
    const colon = piece.indexOf(':');
    if (colon < 0) continue;
    const name = decodeEscapes(piece.slice(0, colon)).trim().toLowerCase();
    const raw = decodeEscapes(piece.slice(colon + 1));
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

/** A length's number where it is one (`-9999px` is -9999), else NaN. */
const number = (value: string) => Number.parseFloat(value);

/**
 * The declarations of a rule that may matter: most of a site's stylesheet sets widths, margins
 * and colours that hide nothing, and matching them cost time and the page's allowance of rules.
 * Colours and backgrounds matter only on a page that is `colourful`: where every colour is dark
 * and every background white, all text is seen whichever rule wins; anywhere else any of them
 * may decide it (a white box inside a dark page, a dark colour over an inherited light one).
 */
function mattering(declarations: Declarations, colourful: boolean): Declarations {
  const kept: Declarations = { ...declarations };
  const drop = (property: Property, keep: boolean) => {
    if (kept[property] !== undefined && !keep) delete kept[property];
  };
  const tiny = (v: string | undefined) => v !== undefined && (number(v) <= 1 || /^0/.test(v));
  drop('width', tiny(kept.width));
  drop('height', tiny(kept.height));
  for (const p of ['left', 'marginLeft', 'marginTop', 'textIndent'] as const)
    drop(p, (kept[p] ?? '').startsWith('-'));
  drop('overflow', /hidden|clip/.test(kept.overflow ?? ''));
  drop('zoom', !(number(kept.zoom ?? '') < (kept.zoom?.endsWith('%') ? 50 : 0.5)));
  drop('filter', /opacity|blur|brightness|contrast/.test(kept.filter ?? ''));
  drop('clip', kept.clip !== 'auto');
  drop('clipPath', kept.clipPath !== 'none');
  drop('scaled', kept.scaled !== 'no');
  drop('color', colourful);
  drop('background', colourful);
  drop('backgroundImage', colourful);
  return kept;
}

/** A rule as written, shortened for a message. */
const ruleText = (selector: string, body: string) => {
  const text = `${selector.replace(/\s+/g, ' ')}{${body.trim().replace(/\s+/g, ' ')}}`;
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

/**
 * The rules of a stylesheet that set display, visibility, opacity, font size, decoration,
 * placement, colour, clipping, generated content or direction, in order. Those inside @media are
 * read where the query applies to a desktop screen (html-media.ts), marked doubtful where it
 * cannot be told; those of any other at-rule are left out. A rule whose selector list holds one
 * selector a browser does not know is dropped whole, as a browser drops it.
 */
export function visibilityRules(
  css: string,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
  pageColourful = false,
): Rule[] {
  const rules: Rule[] = [];
  const colourful = pageColourful || colourfulCss(css);
  const read = (text: string, doubt: string | undefined) => {
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
        const applies = media ? mediaApplies(media[1] ?? '') : false;
        if (applies !== false)
          read(body, applies ? doubt : `its @media ${media?.[1]?.trim()} is not evaluated`);
        continue;
      }
      const parsed = parseDeclarations(body);
      const declarations = mattering(parsed.declarations, colourful);
      if (Object.keys(declarations).length === 0) continue;
      const list = parseSelectorList(selector);
      for (const one of list ?? []) {
        if (rules.length >= limits.maxHtmlHidingRules) {
          throw new InputLimitError(
            'maxHtmlHidingRules',
            `The HTML's stylesheets have more than ${limits.maxHtmlHidingRules.toLocaleString('en')} rules that may hide elements`,
            limits.maxHtmlHidingRules,
          );
        }
        rules.push({
          selector: one,
          declarations,
          important: parsed.important,
          specificity: specificity(one),
          order: rules.length,
          text: ruleText(selector, body),
          ...(doubt ? { doubt } : {}),
        });
      }
    }
  };
  // Comments, and the <!-- --> that old pages wrap their styles in, are not rules.
  read(css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/<!--|-->/g, ''), undefined);
  return rules;
}
