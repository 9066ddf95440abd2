/**
 * Text a browser does not show. A page can hide text with an inline style, with the `hidden`
 * attribute, or with a class that its own stylesheet (a <style> element) or a common CSS
 * framework hides. Hidden text inside a figure cell (12<span class="hidden">3</span>) would
 * otherwise be read as a further digit: the reader sees 12, the parser 123. Text the browser
 * shows must not be hidden either (524 read as 54), so the properties that hide are decided as
 * a browser decides them: the cascade (inline style over rules, !important, specificity, the
 * later rule), `visibility` inherited and overridable by a child, `display: none` for the whole
 * subtree.
 *
 * Only what the page itself says is honoured: the rules of its <style> elements (for the screen:
 * not `media="print"`, and inside `@media screen` or `@media all` only) whose selectors are tags,
 * classes and ids joined by descendant or child combinators. A rule that depends on state
 * (:hover), attributes, siblings or the viewport (@media (max-width…)) is not applied; neither is
 * an external stylesheet, which the parser never fetches.
 */
import type { DefaultTreeAdapterTypes } from 'parse5';
import {
  attr,
  cascade,
  childrenOf,
  file,
  isElement,
  mayHide,
  mayMatch,
  type Winning,
} from './html-cascade.ts';
import { BLACK, type Colour, colourfulCss, colours, unseen, WHITE } from './html-colour.ts';
import { type Rule, visibilityRules } from './html-css.ts';
import { Matcher, namesIn } from './html-match.ts';
import { mediaApplies } from './html-media.ts';
import { offscreen } from './html-offscreen.ts';
import { DEFAULT_FONT_PX, fontSizePx, type Placement, placePiece, sizeKind } from './html-raised.ts';
import { clearlySmaller, endsWithDigit, startsWithDigit } from './html-smaller.ts';
import { BLOCK_TAGS, type Page, REVERSED_OPEN, type Reordering, RIGHT_TO_LEFT_OPEN } from './html-text.ts';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './limits.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/**
 * removed: not laid out at all (display:none, the hidden attribute), nor anything inside; a
 * table cell so hidden takes no column, as in a browser. unpainted: laid out, nothing inside
 * painted (opacity:0, font-size:0); a table cell keeps its column and shows nothing. invisible:
 * laid out, its own text not painted (visibility:hidden), though a child may show itself again.
 * struck: shown struck through, all of it (text-decoration: line-through), a correction's old
 * text. raised: shown above or below the line (vertical-align: super, sub, 3pt; a smaller
 * piece at the line's top; an offset: html-raised.ts, beside the text before it), as a footnote
 * mark is. smaller: on its line, opening with a digit, clearly smaller than the text before it,
 * which ends with one: a mark or more digits of the figure, which cannot be told (html-smaller.ts);
 * an element so printed, or text directly in an element after a larger figure (text nodes).
 * larger: text opening with a digit, clearly larger than the text before it on its line, which
 * ends with one: those digits are the smaller piece, before the figure (<small>1</small>524).
 */
export type Hiding = 'removed' | 'unpainted' | 'invisible' | 'struck' | 'raised' | 'smaller' | 'larger';

/**
 * Where vertical-align raises or lowers text (cells and blocks use it to place their content):
 * a raised inline piece is a footnote mark (4481<span class="fn">1</span>), html.ts.
 */
/** display values that put an element on lines of its own. */
const LINE_BREAKING = /^(?:block|flex|grid|list-item|table|flow-root|table-row|table-caption)$/i;

const INLINE_TAGS: ReadonlySet<string> = new Set([
  'span',
  'font',
  'a',
  'b',
  'i',
  'em',
  'strong',
  'small',
  'u',
  'big',
  'ins',
  'mark',
  'label',
  'abbr',
  'cite',
  'q',
  'tt',
  'code',
]);

/**
 * An inline style that may move its piece off the line only with the help of the stylesheet's
 * font sizes (a span at the line's top is a mark where a class makes it smaller).
 */
const MAY_MOVE =
  /vertical-align\s*:\s*(?:text-)?(?:top|bottom)|position\s*:|baseline-shift|translate|mso-text-raise/i;

/**
 * The stylesheets of the page for the screen, the classes, ids and count of its elements,
 * whether an inline piece's style may move it off its line, and whether an element itself shows
 * right to left or overrides (a <bdo>, dir="rtl", an inline style), and whether it is in quirks
 * mode (no doctype, or an old one), where class and id names match in any case.
 */
function pageStylesheets(document: Node) {
  const css: string[] = [];
  const quirks = 'mode' in document && document.mode === 'quirks';
  const name = namesIn(quirks);
  const names = new Set<string>();
  let elements = 0;
  let moves = false;
  let rightToLeft = false;
  let backgrounds = false;
  const collect = (node: Node) => {
    if (isElement(node)) {
      elements++;
      // A background or a colour not surely dark on white makes the page's colours matter.
      if (!backgrounds) {
        const font = node.tagName === 'font' ? attr(node, 'color') : undefined;
        backgrounds =
          attr(node, 'bgcolor') !== undefined ||
          attr(node, 'background') !== undefined ||
          (font !== undefined && colourfulCss(`color:${font}`)) ||
          colourfulCss(attr(node, 'style') ?? '');
      }
      if (!moves && INLINE_TAGS.has(node.tagName)) moves = MAY_MOVE.test(attr(node, 'style') ?? '');
      if (!rightToLeft)
        rightToLeft =
          node.tagName === 'bdo' ||
          attr(node, 'dir')?.trim().toLowerCase() === 'rtl' ||
          /direction\s*:\s*rtl|override/i.test(attr(node, 'style') ?? '');
      for (const c of attr(node, 'class')?.split(/\s+/) ?? []) if (c) names.add(`.${name(c)}`);
      const id = attr(node, 'id');
      if (id) names.add(`#${name(id)}`);
      if (node.tagName === 'style') {
        // A browser applies a <style> of CSS only (no type, or text/css), for the media it names.
        const type = attr(node, 'type')?.trim().toLowerCase();
        if (type && type !== 'text/css') return;
        const media = attr(node, 'media')?.trim();
        if (media && mediaApplies(media) === false) return;
        let text = '';
        for (const child of childrenOf(node))
          if (child.nodeName === '#text') text += (child as DefaultTreeAdapterTypes.TextNode).value;
        css.push(media ? `@media ${media}{${text}}` : text);
        return;
      }
    }
    for (const child of childrenOf(node)) collect(child);
  };
  collect(document);
  return { css: css.join('\n'), names, elements, moves, rightToLeft, backgrounds, quirks };
}

/** The first text inside a node (a piece's), shown or not; '' where it has none. */
function firstText(node: Node): string {
  for (const child of childrenOf(node)) {
    const text =
      child.nodeName === '#text' ? (child as DefaultTreeAdapterTypes.TextNode).value : firstText(child);
    if (text !== '') return text;
  }
  return '';
}

/**
 * How each element that hides anything hides it, decided as a browser would from the page's
 * stylesheets, framework classes, inline styles and the hidden attribute; an element absent from
 * `hidden` shows its text. And the elements whose text shows right to left (`directions`), decided
 * by the same cascade with what a browser's own stylesheet says of `dir` and <bdo>: direction is
 * inherited, unicode-bidi is not; an override reverses the characters of the text inside, right
 * to left; a block (a cell, a paragraph) right to left, or an inline embedding or isolate, the
 * runs of its lines, and a sign comes after its figure.
 */
export function pageStyles(
  document: Node,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Pick<Page, 'hidden' | 'directions' | 'doubts' | 'blocks'> {
  const page = pageStylesheets(document);
  const byKey = new Map<string, Rule[]>();
  const rules = visibilityRules(page.css, limits, page.backgrounds);
  // A stylesheet that hides nothing only says how shown text is shown (Word's pages set a font
  // size on every style): nothing of it is needed (short of a rule showing an element its hidden
  // attribute hides, which pages do not write), and matching it cost a Word page half its time.
  // One that may move a piece off its line, or whose font sizes tell whether an inline style
  // does, is needed.
  const anyRightToLeft = page.rightToLeft || rules.some(showsRightToLeft);
  const needed =
    page.moves ||
    rules.some(
      (r) =>
        mayHide(r.declarations) ||
        r.declarations.content !== undefined ||
        r.declarations.display === 'none' ||
        LINE_BREAKING.test(r.declarations.display ?? '') ||
        r.declarations.visibility === 'hidden' ||
        r.declarations.visibility === 'collapse' ||
        r.declarations.unpainted === 'yes' ||
        (r.declarations.fontSize !== undefined && sizeKind(r.declarations.fontSize) === 'zero') ||
        r.declarations.struck === 'yes' ||
        (r.declarations.raised ?? 'no') !== 'no' ||
        r.declarations.shift === 'yes' ||
        r.declarations.textRaise !== undefined ||
        (r.declarations.position !== undefined && r.declarations.position !== 'static') ||
        (r.declarations.transform ?? '0') !== '0' ||
        (r.declarations.translate ?? '0') !== '0' ||
        // Where anything shows right to left, every rule setting a direction (a cell back to
        // left to right, a <bdo> made normal).
        (anyRightToLeft && (r.declarations.direction !== undefined || r.declarations.bidi !== undefined)),
    );
  for (const rule of needed ? rules : [])
    if (mayMatch(rule, page.names, page.quirks)) file(byKey, rule, page.quirks);
  const hidden = new Map<Node, Hiding>();
  const blocks = new Set<Element>();
  const doubts = new Map<Node, string>();
  const directions = new Map<Element, Reordering>();
  const matcher = new Matcher(limits, page.elements, page.quirks);
  // Where the stylesheet is not matched, its font sizes are still needed to tell whether a piece
  // after a figure is smaller (html-smaller.ts): its font-size rules are matched against those
  // pieces, the text before them and their ancestors only, a few dozen elements of a Word page.
  const sizeRules = new Map<string, Rule[]>();
  if (!needed) {
    for (const rule of rules)
      if (rule.declarations.fontSize !== undefined && mayMatch(rule, page.names, page.quirks))
        file(sizeRules, rule, page.quirks);
  }
  const sizes = new Map<Element, number | null>();
  let html: Element | null = null;
  /** An element's font size in px as the stylesheet's rules make it; null where unknown. */
  const sizeOf = (element: Element): number | null => {
    const known = sizes.get(element);
    if (known !== undefined) return known;
    const parent = element.parentNode;
    const parentSize = parent && isElement(parent) ? sizeOf(parent) : DEFAULT_FONT_PX;
    const rootSize = html === null || element === html ? DEFAULT_FONT_PX : (sizeOf(html) ?? DEFAULT_FONT_PX);
    const winning = cascade(element, sizeRules, matcher);
    const size = fontSizePx(winning.fontSize?.value, parentSize, rootSize);
    sizes.set(element, size);
    return size;
  };
  let root = DEFAULT_FONT_PX;
  /**
   * What an element inherits: visibility, a zero size, its parent's and block's font sizes in px
   * (null where unknown), its parent's rise above the line, and its line: the shown text last on
   * it, the element holding that text, and whether the text ends with a digit.
   */
  interface Around {
    visible: boolean;
    zeroSize: boolean;
    size: number | null;
    block: number | null;
    rise: number | null;
    line: { before: Placement | null; last: Element | null; digit: boolean };
    /** Whether the direction inherited is right to left. */
    rtl: boolean;
    /** The colour text is drawn in, and the colour behind it; null where not known. */
    colour: Colour | null;
    backdrop: Colour | null;
    /** Why the colours inherited are not known: the declaration of an element above. */
    colourDoubt: string | null;
    /** Whether text in the colours inherited is seen (they are compared once, where declared). */
    seen: boolean;
  }
  /**
   * Whether a piece opening with a digit (`text`) is printed clearly smaller than the text before
   * it on its line, which ends with one. The piece is an inline element (`sizedBy`) or text
   * directly inside one, at its size, after a larger figure (<span style="font-size:20px">41</span>1).
   * The sizes are the walk's (`size`) where it matched the stylesheet.
   */
  const isSmallerPiece = (text: string, sizedBy: Element | null, size: number | null, line: Around['line']) =>
    line.digit &&
    line.last !== null &&
    line.last !== sizedBy &&
    startsWithDigit(text) &&
    (needed || sizeRules.size === 0
      ? clearlySmaller(size, line.before?.size ?? null)
      : sizedBy !== null && clearlySmaller(sizeOf(sizedBy), sizeOf(line.last)));
  /**
   * Whether text opening with a digit is printed clearly larger than the text before it on its
   * line, which ends with one (<small>1</small>524): those digits are a smaller piece before it.
   */
  const followsSmallerPiece = (
    text: string,
    sizedBy: Element | null,
    size: number | null,
    line: Around['line'],
  ) =>
    line.digit &&
    line.last !== null &&
    line.last !== sizedBy &&
    startsWithDigit(text) &&
    (needed || sizeRules.size === 0
      ? clearlySmaller(line.before?.size ?? null, size)
      : sizedBy !== null && clearlySmaller(sizeOf(line.last), sizeOf(sizedBy)));
  const visit = (node: Node, around: Around) => {
    if (node.nodeName === '#text') {
      const text = (node as DefaultTreeAdapterTypes.TextNode).value;
      if (around.visible && !around.zeroSize && /[^\s\u200b-\u200d\ufeff]/.test(text)) {
        const parent = node.parentNode && isElement(node.parentNode) ? node.parentNode : null;
        if (isSmallerPiece(text, parent, around.size, around.line)) hidden.set(node, 'smaller');
        else if (followsSmallerPiece(text, parent, around.size, around.line)) hidden.set(node, 'larger');
        around.line.before = { size: around.size, rise: around.rise };
        around.line.last = parent;
        around.line.digit = endsWithDigit(text);
      }
      return;
    }
    if (!isElement(node)) {
      for (const child of childrenOf(node)) visit(child, around);
      return;
    }
    const doubted: string[] = [];
    const winning = cascade(node, byKey, matcher, doubted);
    const visibility = winning.visibility?.value;
    // visibility is inherited: a child of a hidden element is hidden unless it says visible.
    const visible =
      visibility === 'hidden' || visibility === 'collapse'
        ? false
        : visibility === 'visible'
          ? true
          : around.visible;
    const declaredSize = winning.fontSize?.value;
    const kind = declaredSize === undefined ? undefined : sizeKind(declaredSize);
    const size = fontSizePx(declaredSize, around.size, root);
    // Text below 3px is a speck no reader reads as a digit (font-size:1px before a figure).
    const zeroSize =
      kind === 'zero' || (kind !== undefined && size !== null && size < 3)
        ? true
        : kind === 'absolute'
          ? false
          : around.zeroSize;
    // A closed <details> shows its first <summary> alone.
    const closed = node.tagName === 'details' && !node.attrs.some((a) => a.name === 'open');
    if (node.tagName === 'html') {
      html = node;
      if (size !== null) root = size;
    }
    if (winning.display?.value === 'none') {
      hidden.set(node, 'removed');
      return;
    }
    if (winning.unpainted?.value === 'yes') {
      hidden.set(node, 'unpainted');
      return;
    }
    // Struck through by a class (<style>.del{text-decoration:line-through}</style>): read as
    // <del> is (html.ts).
    if (winning.struck?.value === 'yes') {
      hidden.set(node, 'struck');
      return;
    }
    const inline = INLINE_TAGS.has(node.tagName);
    const display = winning.display?.value;
    // A <span style="display:block"> starts a line of its own, as a <div> does: two of them in a
    // cell are two figures (1 and 2 on their lines), never one (12).
    if (inline && LINE_BREAKING.test(display ?? '')) blocks.add(node);
    const away = offscreen((p) => winning[p]?.value, display === undefined ? !inline : display !== 'inline');
    if (away === 'yes') {
      hidden.set(node, 'unpainted');
      return;
    }
    if (away === 'maybe') doubted.push(`its style may put it where no reader sees it (${declared(winning)})`);
    // A picture is painted over the background colour, whichever rule set which.
    const backdrop = winning.backgroundImage?.value === '?' ? '?' : winning.background?.value;
    const painted = colours(winning.color?.value, backdrop, around);
    const colourless = painted.colour === null || painted.backdrop === null;
    const paints = winning.color || winning.background || winning.backgroundImage;
    const colourDoubt = !colourless
      ? null
      : paints
        ? `its colour against what is behind it cannot be told (${declared(winning)})`
        : around.colourDoubt;
    // Said where it is declared, and on each table cell under it, whose text is read as a figure.
    if (colourDoubt && (paints || node.tagName === 'td' || node.tagName === 'th')) doubted.push(colourDoubt);
    if (doubted.length > 0) doubts.set(node, doubted.join('; '));
    const rtl = rightToLeft(node, winning, around.rtl);
    const reordering = reorderingBy(node, winning, rtl);
    if (reordering) directions.set(node, reordering);
    // A line break starts a line: a piece after it follows no text.
    if (node.tagName === 'br') Object.assign(around.line, { before: null, last: null, digit: false });
    const placed = inline
      ? placePiece((property) => winning[property]?.value, {
          own: size,
          parent: around.size,
          block: around.block,
          root,
          parentRise: around.rise,
          before: around.line.before,
        })
      : { rise: 0, raised: false };
    // Text drawn in the colour behind it is not seen (white on a white page, color:transparent).
    const seen =
      colourless ||
      (winning.color || winning.background
        ? !unseen(painted.colour as Colour, painted.backdrop as Colour)
        : around.seen);
    if (!visible || zeroSize || !seen || closed) hidden.set(node, 'invisible');
    else if (placed.raised) hidden.set(node, 'raised');
    // Only after a digit is the piece's first text looked for: most inline elements follow none.
    else if (inline && around.line.digit && isSmallerPiece(firstText(node), node, size, around.line)) {
      hidden.set(node, 'smaller');
    }
    // A block (and a tag read apart, as <sup> is) holds lines of its own.
    const inside: Around = {
      visible,
      zeroSize,
      size,
      block: inline ? around.block : size,
      rise: placed.rise,
      line: inline ? around.line : { before: null, last: null, digit: false },
      rtl,
      ...painted,
      colourDoubt,
      seen,
    };
    const summary = closed
      ? childrenOf(node).find((c) => isElement(c) && c.tagName === 'summary')
      : undefined;
    for (const child of childrenOf(node)) {
      visit(child, closed && child !== summary ? { ...inside, visible: false } : inside);
    }
  };
  visit(document, {
    visible: true,
    zeroSize: false,
    size: DEFAULT_FONT_PX,
    block: DEFAULT_FONT_PX,
    rise: 0,
    line: { before: null, last: null, digit: false },
    rtl: false,
    colourDoubt: null,
    seen: true,
    colour: BLACK,
    backdrop: WHITE,
  });
  return { hidden, directions, doubts, blocks };
}

/** The declarations of an element that place or colour it, for a message. */
const declared = (winning: Winning) =>
  (
    [
      'position',
      'left',
      'top',
      'textIndent',
      'marginLeft',
      'marginTop',
      'clip',
      'clipPath',
      'width',
      'height',
      'overflow',
      'transform',
      'zoom',
      'filter',
      'unmodelled',
      'color',
      'background',
      'backgroundImage',
    ] as const
  )
    .filter((p) => winning[p] !== undefined && !(p === 'transform' && winning[p]?.value === '0'))
    .map((p) =>
      p === 'unmodelled'
        ? winning[p]?.value
        : `${p.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${winning[p]?.value}`,
    )
    .join('; ');

/** Whether a rule shows text right to left or overrides its order. */
const showsRightToLeft = (rule: Rule) =>
  rule.declarations.direction === 'rtl' || (rule.declarations.bidi ?? '').endsWith('override');

/** An element's direction: declared (a rule, its style), else its dir attribute's, else its parent's. */
function rightToLeft(element: Element, winning: Winning, inherited: boolean): boolean {
  const declared = winning.direction?.value ?? attr(element, 'dir')?.trim().toLowerCase();
  return declared === 'rtl' ? true : declared === 'ltr' ? false : inherited;
}

/**
 * How an element right to left reorders its text: an override (unicode-bidi: bidi-override or
 * isolate-override; a browser's own for <bdo>) character by character; a block, or an inline
 * embedding or isolate (a browser's own for an element with dir and for <bdi>), its runs. Inline
 * text without either keeps the order of the line it is on.
 */
function reorderingBy(element: Element, winning: Winning, rtl: boolean): Reordering | null {
  if (!rtl) return null;
  const tag = element.tagName;
  const bidi =
    winning.bidi?.value ??
    (tag === 'bdo'
      ? 'isolate-override'
      : tag === 'bdi' || element.attrs.some((a) => a.name === 'dir')
        ? 'isolate'
        : 'normal');
  if (bidi.endsWith('override')) return REVERSED_OPEN;
  return BLOCK_TAGS.has(tag) || bidi === 'embed' || bidi === 'isolate' ? RIGHT_TO_LEFT_OPEN : null;
}
