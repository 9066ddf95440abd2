/**
 * What of an HTML page's elements shows as text, and a table cell's text. Page chrome
 * (navigation, breadcrumbs, footers), what its stylesheets hide and struck-through text are
 * never read; footnote marks and digits printed smaller than the figure before them are kept
 * apart from the figure (html.ts reads the page's lines and tables with these).
 */
import type { DefaultTreeAdapterTypes } from 'parse5';
import { APPLICANT_COLUMNS } from '../catalogue/template.ts';
import { allText, attr, childrenOf, isElement } from './html-cascade.ts';
import { doubtMatters, hasDoubts, markDoubted, withoutDoubts } from './html-doubts.ts';
import type { Hiding } from './html-hidden.ts';
import { markedSmallerText, markSmallerBefore, markSmallerPiece } from './html-smaller.ts';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './limits.ts';
import { isFigureCell } from './lines.ts';
import { ANY_DIGIT, SIGN } from './text.ts';
import { markedUnseen } from './unseen-text.ts';

export type Node = DefaultTreeAdapterTypes.Node;
export type Element = DefaultTreeAdapterTypes.Element;

/** Never content: scripts, styles, form controls, embedded media. */
const SKIPPED_TAGS = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'aside',
  'iframe',
  'object',
  'embed',
  'svg',
  // A browser's own stylesheet hides <rp>, the brackets around ruby text for browsers without ruby.
  'rp',
  'math',
  'canvas',
  'button',
  'select',
  'textarea',
  'input',
  'dialog',
]);
/**
 * Elements that show a reader something that is no text of the page: a picture, a drawing, a
 * formula, a form control's value, another document. In a figure cell the figure shown cannot
 * be told (<td><img alt="41"></td> was read blank); a spacer image (1 or 2 pixels) shows nothing.
 */
const SHOWN_UNREAD = new Set([
  'img',
  'input',
  'textarea',
  'select',
  'button',
  'svg',
  'math',
  'canvas',
  'object',
  'embed',
  'iframe',
  'video',
  'dialog',
]);
/** A script's type that a browser runs (none, or a JavaScript one), not data (application/json). */
const RUNS = /^(?:|module|(?:text|application)\/(?:x-)?(?:java|ecma|j)script)$/;
/** What a script writes into the page with (a counter's `var n = 1;` writes nothing). */
const WRITES =
  /\b(?:write(?:ln)?|innerHTML|outerHTML|innerText|outerText|textContent|insertAdjacent\w*|append\w*|prepend|createTextNode|replaceWith|before|after|nodeValue|data)\b/;

function unreadShown(element: Element, page: Page): string | null {
  const tag = element.tagName;
  // A script in a cell may write what the cell shows (821<script>document.write("9")</script>
  // is 8219 in a browser), and the parser runs none.
  if (tag === 'script') {
    const runs = RUNS.test((attr(element, 'type') ?? '').trim().toLowerCase().split(';')[0] ?? '');
    return runs && WRITES.test(allText(element))
      ? 'the cell holds a <script>, which can write into it what a browser shows (document.write) and which the parser does not read (it runs no script)'
      : null;
  }
  // The tag first: this is asked of every element of every cell.
  if (!SHOWN_UNREAD.has(tag)) return null;
  if (attr(element, 'aria-hidden') === 'true' || showsNothing(element, page)) return null;
  if (tag === 'input' && attr(element, 'type')?.trim().toLowerCase() === 'hidden') return null;
  if (tag === 'dialog' && attr(element, 'open') === undefined) return null;
  const size = [attr(element, 'width'), attr(element, 'height')].map((v) => Number.parseFloat(v ?? ''));
  if (tag === 'img' && size.some((v) => v <= 2)) return null;
  return `the cell shows <${tag}>, whose content the parser does not read`;
}

const CHROME_ROLES = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'search',
  'menu',
  'menubar',
  'complementary',
]);
/** Class or id words that name page chrome on government sites (当前位置 breadcrumbs among them). */
const CHROME_NAME =
  /^(?:.*[-_])?(?:nav|navbar|navigation|menu|breadcrumbs?|crumbs?|bread|footer|sidebar|share|toolbar|copyright|position|dqwz|skip)(?:[-_].*)?$/i;
export const BLOCK_TAGS = new Set([
  'address',
  'article',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);
/** header and footer are page chrome unless they belong to an article or section. */
export const SECTIONING = new Set(['article', 'section', 'main']);

/**
 * What is read of a page: its limits, the elements its stylesheets hide, and those it shows
 * right to left, each with the control that stands for it (html-hidden.ts pageStyles).
 */
export interface Page {
  limits: InputLimits;
  hidden: ReadonlyMap<Node, Hiding>;
  directions: ReadonlyMap<Element, Reordering>;
  /** Elements whose text a reader may or may not see, and why (html-doubts.ts). */
  doubts: ReadonlyMap<Node, string>;
  /** Inline elements styled to lines of their own (display:block): read as block elements are. */
  blocks: ReadonlySet<Element>;
}
export const NOTHING_HIDDEN: Page = {
  limits: DEFAULT_INPUT_LIMITS,
  hidden: new Map(),
  directions: new Map(),
  doubts: new Map(),
  blocks: new Set(),
};

/** Whether an element starts and ends a line: a block element, or one styled so. */
export const isBlock = (element: Element, page: Page) =>
  BLOCK_TAGS.has(element.tagName) || page.blocks.has(element);

export const hidingOf = (element: Element, page: Page) => page.hidden.get(element) ?? null;
/** Whether an element's own text shows (a child may show again inside one whose text does not: visibility). */
export const showsText = (element: Element, page: Page) => page.hidden.get(element) !== 'invisible';
/** Whether nothing inside an element shows: it is not laid out, or laid out and never painted. */
export const showsNothing = (element: Element, page: Page) => {
  const hiding = hidingOf(element, page);
  return hiding === 'removed' || hiding === 'unpainted';
};

/**
 * Struck-through text is the old figure of a correction (<del>521</del>524, Word's
 * strikethrough): never part of the figure shown beside it.
 */
const STRUCK_TAGS = new Set(['del', 's', 'strike']);
const isStruck = (element: Element, page: Page) =>
  STRUCK_TAGS.has(element.tagName) ||
  /text-decoration(?:-line)?\s*:[^;]*line-through/i.test(attr(element, 'style') ?? '') ||
  page.hidden.get(element) === 'struck';

/**
 * Whether an element is none of the report: not shown, struck, or the site's navigation around
 * it. `aria-hidden` is not: it hides from screen readers only, and a figure marked so
 * (<span aria-hidden="true">13</span><span class="sr-only">13件</span>) is what the page shows.
 */
export function isChrome(element: Element, insideSection: boolean, page: Page): boolean {
  const tag = element.tagName;
  if (SKIPPED_TAGS.has(tag) || isStruck(element, page)) return true;
  if ((tag === 'header' || tag === 'footer') && !insideSection) return true;
  if (showsNothing(element, page)) return true;
  const role = attr(element, 'role')?.toLowerCase();
  const names = [...(attr(element, 'class')?.split(/\s+/) ?? []), attr(element, 'id') ?? ''];
  const named =
    (role !== undefined && CHROME_ROLES.has(role)) || names.some((n) => n !== '' && isChromeName(n));
  // Names are a guess at what a block is: one holding the report's table 3 is no menu (a
  // wrapper named "content_nav", a WordPress <body class="no-sidebar">).
  return named && !holdsApplicantTable(element);
}

/** A class or id naming chrome, not a layout that has or lacks it (no-sidebar, has-nav, layout-with-nav, skip-target). */
const isChromeName = (name: string) => CHROME_NAME.test(name) && !CHROME_MODIFIER.test(name);
const CHROME_MODIFIER = /(?:^|[-_])(?:no|has|with|without|target)(?:[-_]|$)/i;

/** Table 3's applicant columns, as printed: a table naming two of them is the report's. */
const APPLICANT_WORDS = APPLICANT_COLUMNS.filter((c) => !c.isTotal).map((c) => c.zh);
function holdsApplicantTable(element: Element): boolean {
  const tables = element.tagName === 'table' ? [element, ...tablesIn(element)] : tablesIn(element);
  return tables.some((table) => {
    const text = allText(table);
    return APPLICANT_WORDS.filter((word) => text.includes(word)).length >= 2;
  });
}

/** The tables inside an element, at any depth. */
export function tablesIn(element: Element): Element[] {
  return childrenOf(element).flatMap((c) =>
    !isElement(c) ? [] : c.tagName === 'table' ? [c, ...tablesIn(c)] : tablesIn(c),
  );
}

/**
 * A superscript or subscript is a footnote mark (524<sup>1</sup>, 821<sup>①</sup>, 524<sub>1</sub>,
 * <span style="vertical-align:super">1</span>): kept apart in brackets, as a report printing
 * "524[1]" has it, so that it is never read as a further digit (5241).
 */
export const FOOTNOTE_OPEN = '[';
export const FOOTNOTE_CLOSE = ']';
export const isFootnoteMark = (element: Element, page: Page) =>
  element.tagName === 'sup' ||
  // Ruby text is shown small above its base, as a mark is: <ruby>821<rt>7</rt></ruby> is 821 and a 7 above.
  element.tagName === 'rt' ||
  element.tagName === 'sub' ||
  /vertical-align\s*:\s*(?:super|sub)\b/i.test(attr(element, 'style') ?? '') ||
  page.hidden.get(element) === 'raised';

/**
 * Whether a raised piece is a mark: after text, or before a digit on its line
 * (<span style="vertical-align:super">1</span>524, a mark or a raised first digit); alone in
 * its cell or line it is the figure itself, nudged a pixel (vertical-align:-1px).
 */
export function raisedIsMark(element: Element, textBefore: string, page: Page): boolean {
  if (textBefore.trim() !== '') return true;
  const siblings = element.parentNode ? childrenOf(element.parentNode) : [];
  for (const sibling of siblings.slice(siblings.indexOf(element) + 1)) {
    // Only text on the line itself tells: a figure printed in runs raised or nudged alike
    // (<span>12</span><span>68</span>) is one figure.
    if (sibling.nodeName !== '#text') return false;
    const text = (sibling as DefaultTreeAdapterTypes.TextNode).value;
    if (text.trim() !== '') return /^\s*\d/.test(text) && page.hidden.get(element) === 'raised';
  }
  return false;
}

/**
 * Text a page shows right to left: given between the control that stands for how, and U+202C
 * POP DIRECTIONAL FORMATTING, which the value readers refuse where it may reorder a figure (text.ts
 * rightToLeftRefusal, reorderingControlIn). An override shows it character by character
 * (<bdo dir="rtl">41</bdo>, unicode-bidi: bidi-override with direction: rtl, shows 14); a
 * right-to-left block or embedding (dir="rtl", direction: rtl) the runs of a line in reverse
 * and a sign after its figure (-5 shown as 5-). Decided by the cascade (html-hidden.ts).
 */
export const REVERSED_OPEN = '\u202E';
export const RIGHT_TO_LEFT_OPEN = '\u202B';
export type Reordering = typeof REVERSED_OPEN | typeof RIGHT_TO_LEFT_OPEN;
export const REORDERING_CLOSE = '\u202C';
export const reorderingOf = (element: Element, page: Page) => page.directions.get(element);
const REORDERINGS = /[\u202B\u202C\u202E]/g;
/** Text without the reordering controls the walk adds: a line of them alone is blank. */
export const withoutReorderings = (text: string) => text.replace(REORDERINGS, '');
/**
 * Closes a reordering opened at `parts[opened - 1]`, or takes its control back where it can
 * reorder no figure of the cell: an override around no digit (an empty <bdo> beside a figure), a
 * right-to-left embedding around no sign (Chromium shows 1,268, 12.35 and 41件 in a
 * right-to-left cell as printed). A label keeps its words, digits and all (3.其他), without it.
 */
function closeReordering(parts: string[], opened: number) {
  const inside = parts.slice(opened).join('');
  const reorders = parts[opened - 1] === REVERSED_OPEN ? ANY_DIGIT.test(inside) : SIGN.test(inside);
  if (reorders) parts.push(REORDERING_CLOSE);
  else parts.splice(opened - 1, 1);
}

export const collapse = (text: string) => text.replace(/[ \t\n\r\f]+/g, ' ');

/**
 * Text of a table cell: its blocks joined by spaces, whitespace collapsed. Struck text beside a
 * figure is left out (9 struck before 821 is 821); a cell holding struck text only is given as
 * ~~87~~, which no reader takes for a figure: read blank, it was an old figure stored as not
 * reported; digits clearly smaller than the figure before them as 41<small>1</small>.
 */
export function cellText(node: Node, insideSection: boolean, page: Page): string {
  const parts: string[] = [];
  const struck: string[] = [];
  const walk = (n: Node, section: boolean, shown: boolean) => {
    if (n.nodeName === '#text') {
      const text = (n as DefaultTreeAdapterTypes.TextNode).value;
      if (shown && page.hidden.get(n) === 'larger') markSmallerBefore(parts);
      if (shown)
        parts.push(page.hidden.get(n) === 'smaller' ? markedSmallerText(parts.join(''), text) : text);
      return;
    }
    if (!isElement(n)) return;
    if (isStruck(n, page)) {
      struck.push(allText(n));
      return;
    }
    const unread = shown ? unreadShown(n, page) : null;
    if (unread) {
      parts.push(markedUnseen('', unread));
      return;
    }
    if (isChrome(n, section, page)) return;
    if (n.tagName === 'br' || isBlock(n, page)) parts.push(' ');
    // A piece raised by the page's style rules or a length is a mark only after text: a cell's
    // whole figure nudged a pixel (vertical-align:-1px) is that figure.
    const mark =
      isFootnoteMark(n, page) &&
      (page.hidden.get(n) !== 'raised' || raisedIsMark(n, collapse(parts.join('')), page));
    const from = mark ? parts.push(FOOTNOTE_OPEN) : parts.length;
    const doubt = page.doubts.get(n);
    const doubtFrom = parts.length;
    const inner = section || SECTIONING.has(n.tagName);
    const reordering = reorderingOf(n, page);
    const opened = reordering ? parts.push(reordering) : 0;
    for (const child of childrenOf(n)) walk(child, inner, showsText(n, page));
    if (reordering) closeReordering(parts, opened);
    if (mark) parts.push(FOOTNOTE_CLOSE);
    if (page.hidden.get(n) === 'smaller') markSmallerPiece(parts, from);
    if (doubt && doubtMatters(doubt, allText(n))) markDoubted(parts, doubtFrom, doubt);
    if (isBlock(n, page)) parts.push(' ');
  };
  if (isElement(node) && isStruck(node, page)) struck.push(allText(node));
  else {
    const shown = !isElement(node) || showsText(node, page);
    // The cell's own direction (dir="rtl" on it or inherited from its table) reorders its text too.
    const reordering = isElement(node) ? reorderingOf(node, page) : undefined;
    const opened = reordering ? parts.push(reordering) : 0;
    for (const child of childrenOf(node)) walk(child, insideSection, shown);
    if (reordering) closeReordering(parts, opened);
    // A doubt about the cell itself (a colour declared on it or above it), where nothing inside
    // it is doubted already.
    const doubt = isElement(node) ? page.doubts.get(node) : undefined;
    if (doubt && !hasDoubts(parts.join('')) && doubtMatters(doubt, allText(node)))
      markDoubted(parts, 0, doubt);
  }
  let text = collapse(parts.join('')).trim();
  // A label's words are read whatever is doubted in them: only a figure is refused.
  if (hasDoubts(text)) {
    const plain = withoutDoubts(text);
    if (!isFigureCell(plain) && /[^\s\d.,+\-%]/.test(plain)) text = plain;
  }
  const old = collapse(struck.join(' ')).trim();
  return text === '' && old !== '' ? `~~${old}~~` : text;
}
