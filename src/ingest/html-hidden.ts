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
  type Compound,
  type Declarations,
  forScreen,
  PROPERTIES,
  type Property,
  parseDeclarations,
  type Rule,
  visibilityRules,
} from './html-css.ts';
import {
  DEFAULT_FONT_PX,
  fontSizePx,
  type Placement,
  placePiece,
  sizeKind,
  tagFontSize,
} from './html-raised.ts';
import { clearlySmaller, endsWithDigit, startsWithDigit } from './html-smaller.ts';
import { DEFAULT_INPUT_LIMITS, InputLimitError, type InputLimits } from './limits.ts';

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
 * which ends with one: a mark or more digits of the figure, which cannot be told (html-smaller.ts).
 */
export type Hiding = 'removed' | 'unpainted' | 'invisible' | 'struck' | 'raised' | 'smaller';

/**
 * Where vertical-align raises or lowers text (cells and blocks use it to place their content):
 * a raised inline piece is a footnote mark (4481<span class="fn">1</span>), html.ts.
 */
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
 * Class names that hide an element in the CSS frameworks government sites use (Bootstrap, Tailwind,
 * WordPress themes). They rank as the framework ranks them, as rules of one class with
 * !important (Bootstrap's utilities are), before the page's own rules.
 */
const FRAMEWORK_HIDING: ReadonlyMap<string, Declarations> = new Map<string, Declarations>([
  ['hidden', { display: 'none' }],
  ['hide', { display: 'none' }],
  ['d-none', { display: 'none' }],
  ['sr-only', { display: 'none' }],
  ['visually-hidden', { display: 'none' }],
  ['screen-reader-text', { display: 'none' }],
  ['invisible', { visibility: 'hidden' }],
]);

/**
 * Checks of a rule's part against an element allowed per rule the limit allows, and per element
 * of the page. A real page needs a few hundred thousand at most (a long Word page: 80,000
 * elements under a few descendant rules); a stylesheet of deep descendant selectors over a deep
 * page (1,999 rules of 8 parts over 50,000 elements 200 deep) would need billions, a minute's work.
 */
const CHECKS_PER_RULE = 5_000;
const CHECKS_PER_ELEMENT = 64;

/** A declaration that won or may win: where it comes from ranks it (higher wins). */
interface Candidate {
  value: string;
  rank: number[];
}

/** A node's children; none inside a <template>, whose content is not part of the page. */
export const childrenOf = (node: Node): Node[] =>
  'content' in node && node.nodeName === 'template'
    ? []
    : 'childNodes' in node
      ? (node.childNodes as Node[])
      : [];
export const isElement = (node: Node): node is Element => 'tagName' in node;

/** All the text under a node, shown or not: a struck piece's, for the message that refuses it. */
export const allText = (node: Node): string =>
  node.nodeName === '#text'
    ? (node as DefaultTreeAdapterTypes.TextNode).value
    : childrenOf(node).map(allText).join('');
export const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;

function compoundMatches(part: Compound, element: Element): boolean {
  if (part.tag && part.tag !== element.tagName) return false;
  if (part.ids.length > 0 && !part.ids.every((id) => id === attr(element, 'id'))) return false;
  if (part.classes.length === 0) return true;
  const classes = attr(element, 'class')?.split(/\s+/) ?? [];
  return part.classes.every((c) => classes.includes(c));
}

/** Matches rules against elements, counting the checks against the page's allowance. */
class Matcher {
  private checks = 0;
  private readonly allowed: number;
  constructor(
    private readonly limits: InputLimits,
    elements: number,
  ) {
    this.allowed = limits.maxHtmlHidingRules * CHECKS_PER_RULE + elements * CHECKS_PER_ELEMENT;
  }

  matches(part: Compound, element: Element): boolean {
    if (++this.checks > this.allowed) {
      throw new InputLimitError(
        'maxHtmlHidingRules',
        `Matching the HTML's stylesheet rules that may hide elements against its elements takes more than ${this.allowed.toLocaleString('en')} checks (${CHECKS_PER_RULE.toLocaleString('en')} for each rule the limit allows, ${CHECKS_PER_ELEMENT} for each element)`,
        this.limits.maxHtmlHidingRules,
      );
    }
    return compoundMatches(part, element);
  }

  /** Whether the rule matches `element`, whose ancestors are `ancestors` (nearest last), right to left. */
  ruleMatches(rule: Rule, element: Element, ancestors: Element[]): boolean {
    if (!this.matches(rule.parts[rule.parts.length - 1] as Compound, element)) return false;
    const failed = new Set<number>();
    const from = (i: number, j: number): boolean => {
      if (i < 0) return true;
      const key = i * (ancestors.length + 1) + j;
      if (failed.has(key)) return false;
      const part = rule.parts[i] as Compound;
      const lowest = rule.child[i] ? j : 0;
      for (let k = j; k >= lowest; k--) {
        const ancestor = ancestors[k];
        if (ancestor && this.matches(part, ancestor) && from(i - 1, k - 1)) return true;
      }
      failed.add(key);
      return false;
    };
    return from(rule.parts.length - 2, ancestors.length - 1);
  }
}

/** The key an element is filed under for each rule: the last part's first id, class or tag. */
function ruleKey(rule: Rule): string {
  const last = rule.parts[rule.parts.length - 1] as Compound;
  if (last.ids[0]) return `#${last.ids[0]}`;
  if (last.classes[0]) return `.${last.classes[0]}`;
  return last.tag ?? '*';
}

const outranks = (a: readonly number[], b: readonly number[]) => {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
};

/**
 * Ranks of a declaration's origin, compared in order: important, then inline over rules (a
 * framework's classes among them) over the hidden attribute (a browser's own stylesheet), then
 * specificity and order.
 */
const ORIGIN = { attribute: 0, rule: 1, inline: 2 } as const;

/**
 * An inline style that may move its piece off the line only with the help of the stylesheet's
 * font sizes (a span at the line's top is a mark where a class makes it smaller).
 */
const MAY_MOVE =
  /vertical-align\s*:\s*(?:text-)?(?:top|bottom)|position\s*:|baseline-shift|translate|mso-text-raise/i;

/**
 * The stylesheets of the page for the screen, the classes, ids and count of its elements, and
 * whether an inline piece's style may move it off its line.
 */
function pageStylesheets(document: Node) {
  const css: string[] = [];
  const names = new Set<string>();
  let elements = 0;
  let moves = false;
  const collect = (node: Node) => {
    if (isElement(node)) {
      elements++;
      if (!moves && INLINE_TAGS.has(node.tagName)) moves = MAY_MOVE.test(attr(node, 'style') ?? '');
      for (const c of attr(node, 'class')?.split(/\s+/) ?? []) if (c) names.add(`.${c}`);
      const id = attr(node, 'id');
      if (id) names.add(`#${id}`);
      if (node.tagName === 'style') {
        const media = attr(node, 'media');
        if (media && !forScreen(media)) return;
        for (const child of childrenOf(node))
          if (child.nodeName === '#text') css.push((child as DefaultTreeAdapterTypes.TextNode).value);
        return;
      }
    }
    for (const child of childrenOf(node)) collect(child);
  };
  collect(document);
  return { css: css.join('\n'), names, elements, moves };
}

/** Whether every class and id a rule names is on some element of the page: a rule that cannot match is not tried. */
const mayMatch = (rule: Rule, names: ReadonlySet<string>) =>
  rule.parts.every(
    (p) => p.classes.every((c) => names.has(`.${c}`)) && p.ids.every((id) => names.has(`#${id}`)),
  );

type Winning = Partial<Record<Property, Candidate>>;

/**
 * The declarations that win on an element, as a browser's cascade decides: the hidden attribute
 * and the tag's size (a browser's own stylesheet), framework classes, the rules filed under the
 * element's keys (`byKey`) that match it below `ancestors` (nearest last, or a function giving them
 * where they are not at hand), its inline style.
 */
function cascade(
  node: Element,
  byKey: ReadonlyMap<string, Rule[]>,
  ancestors: Element[] | (() => Element[]),
  matcher: Matcher,
): Winning {
  const winning: Winning = {};
  const offer = (
    declarations: Declarations,
    important: Partial<Record<Property, boolean>>,
    rank: number[],
  ) => {
    for (const property of PROPERTIES) {
      const value = declarations[property];
      if (value === undefined) continue;
      const candidate = { value, rank: [important[property] ? 1 : 0, ...rank] };
      const current = winning[property];
      if (!current || !outranks(current.rank, candidate.rank)) winning[property] = candidate;
    }
  };
  if (node.attrs.some((a) => a.name === 'hidden')) offer({ display: 'none' }, {}, [ORIGIN.attribute]);
  const tagSize = tagFontSize(node.tagName, attr(node, 'size'));
  if (tagSize) offer({ fontSize: tagSize }, {}, [ORIGIN.attribute]);
  const classes = attr(node, 'class')?.split(/\s+/).filter(Boolean) ?? [];
  for (const c of classes) {
    const framework = FRAMEWORK_HIDING.get(c);
    if (framework) offer(framework, { display: true, visibility: true }, [ORIGIN.rule, 0, 1, 0, -1]);
  }
  if (byKey.size > 0) {
    let chain: Element[] | null = null;
    const id = attr(node, 'id');
    const keys = [node.tagName, '*', ...classes.map((c) => `.${c}`), ...(id ? [`#${id}`] : [])];
    for (const key of new Set(keys)) {
      for (const rule of byKey.get(key) ?? []) {
        chain ??= typeof ancestors === 'function' ? ancestors() : ancestors;
        if (matcher.ruleMatches(rule, node, chain)) {
          offer(rule.declarations, rule.important, [ORIGIN.rule, ...rule.specificity, rule.order]);
        }
      }
    }
  }
  const style = attr(node, 'style');
  if (style) {
    const declared = parseDeclarations(style);
    offer(declared.declarations, declared.important, [ORIGIN.inline]);
  }
  return winning;
}

/** Files a rule under its key (ruleKey). */
function file(byKey: Map<string, Rule[]>, rule: Rule) {
  const key = ruleKey(rule);
  byKey.set(key, [...(byKey.get(key) ?? []), rule]);
}

/** An element's ancestors, nearest last. */
function ancestorsOf(element: Element): Element[] {
  const ancestors: Element[] = [];
  for (let p = element.parentNode; p && isElement(p); p = p.parentNode) ancestors.push(p);
  return ancestors.reverse();
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
 * stylesheets, framework classes, inline styles and the hidden attribute. An element absent
 * from the map shows its text.
 */
export function pageHiding(document: Node, limits: InputLimits = DEFAULT_INPUT_LIMITS): Map<Element, Hiding> {
  const page = pageStylesheets(document);
  const byKey = new Map<string, Rule[]>();
  const rules = visibilityRules(page.css, limits);
  // A stylesheet that hides nothing only says how shown text is shown (Word's pages set a font
  // size on every style): nothing of it is needed (short of a rule showing an element its hidden
  // attribute hides, which pages do not write), and matching it cost a Word page half its time.
  // One that may move a piece off its line, or whose font sizes tell whether an inline style
  // does, is needed.
  const needed =
    page.moves ||
    rules.some(
      (r) =>
        r.declarations.display === 'none' ||
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
        (r.declarations.translate ?? '0') !== '0',
    );
  for (const rule of needed ? rules : []) if (mayMatch(rule, page.names)) file(byKey, rule);
  const hidden = new Map<Element, Hiding>();
  const matcher = new Matcher(limits, page.elements);
  // Where the stylesheet is not matched, its font sizes are still needed to tell whether a piece
  // after a figure is smaller (html-smaller.ts): its font-size rules are matched against those
  // pieces, the text before them and their ancestors only, a few dozen elements of a Word page.
  const sizeRules = new Map<string, Rule[]>();
  if (!needed) {
    for (const rule of rules)
      if (rule.declarations.fontSize !== undefined && mayMatch(rule, page.names)) file(sizeRules, rule);
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
    const winning = cascade(element, sizeRules, () => ancestorsOf(element), matcher);
    const size = fontSizePx(winning.fontSize?.value, parentSize, rootSize);
    sizes.set(element, size);
    return size;
  };
  const ancestors: Element[] = [];
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
  }
  /**
   * Whether an inline piece opening with a digit is printed clearly smaller than the text before
   * it on its line, which ends with one. The sizes are the walk's where it matched the stylesheet.
   */
  const isSmallerPiece = (node: Element, size: number | null, line: Around['line']) =>
    line.digit &&
    line.last !== null &&
    startsWithDigit(firstText(node)) &&
    (needed || sizeRules.size === 0
      ? clearlySmaller(size, line.before?.size ?? null)
      : clearlySmaller(sizeOf(node), sizeOf(line.last)));
  const visit = (node: Node, around: Around) => {
    if (node.nodeName === '#text') {
      const text = (node as DefaultTreeAdapterTypes.TextNode).value;
      if (around.visible && !around.zeroSize && /[^\s\u200b-\u200d\ufeff]/.test(text)) {
        around.line.before = { size: around.size, rise: around.rise };
        around.line.last = node.parentNode && isElement(node.parentNode) ? node.parentNode : null;
        around.line.digit = endsWithDigit(text);
      }
      return;
    }
    if (!isElement(node)) {
      for (const child of childrenOf(node)) visit(child, around);
      return;
    }
    const winning = cascade(node, byKey, ancestors, matcher);
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
    const zeroSize = kind === 'zero' ? true : kind === 'absolute' ? false : around.zeroSize;
    const size = fontSizePx(declaredSize, around.size, root);
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
    // A line break starts a line: a piece after it follows no text.
    if (node.tagName === 'br') Object.assign(around.line, { before: null, last: null, digit: false });
    const inline = INLINE_TAGS.has(node.tagName);
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
    if (!visible || zeroSize) hidden.set(node, 'invisible');
    else if (placed.raised) hidden.set(node, 'raised');
    else if (inline && isSmallerPiece(node, size, around.line)) hidden.set(node, 'smaller');
    ancestors.push(node);
    // A block (and a tag read apart, as <sup> is) holds lines of its own.
    const inside: Around = {
      visible,
      zeroSize,
      size,
      block: inline ? around.block : size,
      rise: placed.rise,
      line: inline ? around.line : { before: null, last: null, digit: false },
    };
    for (const child of childrenOf(node)) visit(child, inside);
    ancestors.pop();
  };
  visit(document, {
    visible: true,
    zeroSize: false,
    size: DEFAULT_FONT_PX,
    block: DEFAULT_FONT_PX,
    rise: 0,
    line: { before: null, last: null, digit: false },
  });
  return hidden;
}
