/**
 * A page's elements and the CSS declarations that win on each, as a browser's cascade decides
 * them (html-hidden.ts reads what hides text and how text is placed through this): the hidden
 * attribute and a tag's size, a CSS framework's hiding classes, the page's own rules matched
 * right to left against an element's ancestors, and the inline style. Matching is counted
 * against the page's allowance (InputLimits.maxHtmlHidingRules).
 */
import type { DefaultTreeAdapterTypes } from 'parse5';
import {
  type Declarations,
  PLACING,
  PROPERTIES,
  type Property,
  parseDeclarations,
  type Rule,
} from './html-css.ts';
import { MAYBE, type Matcher, NO, namesIn } from './html-match.ts';
import { tagFontSize } from './html-raised.ts';
import type { Compound } from './html-selectors.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/**
 * Class names that hide an element in the CSS frameworks government sites use (Bootstrap, Tailwind,
 * WordPress themes). They rank as the framework ranks them, as rules of one class with
 * !important (Bootstrap's utilities are), before the page's own rules.
 */
const FRAMEWORK_HIDING: ReadonlyMap<string, Declarations> = new Map<string, Declarations>([
  ['hide', { display: 'none' }],
  ['sr-only', { display: 'none' }],
  ['visually-hidden', { display: 'none' }],
  ['screen-reader-text', { display: 'none' }],
  ['invisible', { visibility: 'hidden' }],
]);

/**
 * The display framework classes give an element in a desktop browser window (1280 px wide):
 * Bootstrap's d-none and d-md-block, Tailwind's hidden and md:block. A breakpoint's class wins
 * over the unprefixed one and a wider one over a narrower, as their stylesheets order them; a
 * breakpoint wider than the window does not apply. So a desktop layout's table hidden on phones
 * (d-none d-md-table) is read, and its phone copy (d-md-none) is not. Undefined when no such
 * class is given.
 */
const DISPLAY_CLASS =
  /^(?:d-(?:(sm|md|lg|xl|xxl)-)?|(?:(sm|md|lg|xl|2xl):)?)(none|hidden|block|inline|inline-block|flex|inline-flex|grid|inline-grid|table|table-row|table-cell|contents)$/;
const WINDOW_BREAKPOINTS = ['sm', 'md', 'lg', 'xl'];
function frameworkDisplay(classes: readonly string[]): string | undefined {
  let best: { rank: number; display: string } | undefined;
  for (const c of classes) {
    const match = DISPLAY_CLASS.exec(c);
    if (!match) continue;
    const bootstrap = c.startsWith('d-');
    const [breakpoint, value] = [match[1] ?? match[2], match[3] as string];
    // Unprefixed Tailwind, only hidden: "table" or "block" alone is as often a page's own class
    // name (Bootstrap's .table styles a table).
    if (!bootstrap && breakpoint === undefined && value !== 'hidden') continue;
    if (bootstrap ? value === 'hidden' : value === 'none') continue;
    const rank = breakpoint === undefined ? 0 : WINDOW_BREAKPOINTS.indexOf(breakpoint) + 1;
    // A breakpoint wider than the window (xxl, 2xl) does not apply.
    if (rank === 0 && breakpoint !== undefined) continue;
    const display = value === 'hidden' ? 'none' : value;
    // At one rank a hiding class wins: which comes last in its stylesheet is not known here.
    if (!best || rank > best.rank || (rank === best.rank && display === 'none')) best = { rank, display };
  }
  return best?.display;
}

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

/**
 * The key an element is filed under for each rule: the last part's first id, class or tag, its
 * letters in lower case in quirks mode (quirksName).
 */
function ruleKey(rule: Rule, quirks: boolean): string {
  const { parts } = rule.selector;
  const last = parts[parts.length - 1] as Compound;
  const name = namesIn(quirks);
  if (last.ids[0]) return `#${name(last.ids[0])}`;
  if (last.classes[0]) return `.${name(last.classes[0])}`;
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
 * Whether every class and id a rule names is on some element of the page (`names`, folded by
 * quirksName in quirks mode): a rule that cannot match is not tried.
 */
export const mayMatch = (rule: Rule, names: ReadonlySet<string>, quirks: boolean) => {
  const name = namesIn(quirks);
  return rule.selector.parts.every(
    (p) => p.classes.every((c) => names.has(`.${name(c)}`)) && p.ids.every((id) => names.has(`#${name(id)}`)),
  );
};

export type Winning = Partial<Record<Property, Candidate>>;

/**
 * The declarations that win on an element, as a browser's cascade decides: the hidden attribute
 * and the tag's size (a browser's own stylesheet), framework classes, the rules filed under the
 * element's keys (`byKey`) that match it, its inline style. A rule that may match and would
 * hide (its selector says what is not modelled, its @media is not evaluated), or that adds text
 * before or after the element, is not applied: why is added to `doubts`, and the text it
 * concerns is refused (html-doubts.ts).
 */
export function cascade(
  node: Element,
  byKey: ReadonlyMap<string, Rule[]>,
  matcher: Matcher,
  doubts?: string[],
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
  const hints = presentation(node);
  if (hints) offer(hints, {}, [ORIGIN.attribute]);
  const classes = attr(node, 'class')?.split(/\s+/).filter(Boolean) ?? [];
  for (const c of classes) {
    const framework = FRAMEWORK_HIDING.get(c);
    if (framework) offer(framework, { display: true, visibility: true }, [ORIGIN.rule, 0, 1, 0, -1]);
  }
  const display = frameworkDisplay(classes);
  if (display) offer({ display }, { display: true }, [ORIGIN.rule, 0, 1, 0, -1]);
  if (byKey.size > 0) {
    const id = attr(node, 'id');
    const name = namesIn(matcher.quirks);
    const keys = [node.tagName, '*', ...classes.map((c) => `.${name(c)}`), ...(id ? [`#${name(id)}`] : [])];
    for (const key of new Set(keys)) {
      for (const rule of byKey.get(key) ?? []) {
        const match = matcher.complex(rule.selector, node);
        if (match === NO) continue;
        const pseudo = rule.selector.pseudoElement;
        if (pseudo !== null || match === MAYBE || rule.doubt) {
          const why = doubtOf(rule, match === MAYBE);
          if (why && doubts && !doubts.includes(why)) doubts.push(why);
          continue;
        }
        offer(rule.declarations, rule.important, [ORIGIN.rule, ...rule.specificity, rule.order]);
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

/**
 * What old HTML's attributes say of colour, as a browser's own stylesheet reads them: <font
 * color>, a cell's, row's, table's or body's bgcolor and background picture, the body's text
 * colour. Also what a browser's
 * own stylesheet hides: <rp>, the brackets around ruby text for browsers without ruby.
 */
function presentation(node: Element): Declarations | null {
  if (node.tagName === 'rp') return { display: 'none' };
  if (node.attrs.length === 0) return null;
  const color =
    node.tagName === 'font' ? attr(node, 'color') : node.tagName === 'body' ? attr(node, 'text') : undefined;
  const background = attr(node, 'bgcolor');
  // The background attribute of a body, table or cell paints a picture (background="bg.gif").
  const picture = /^(?:body|table|thead|tbody|tfoot|tr|td|th)$/.test(node.tagName)
    ? attr(node, 'background')?.trim()
    : undefined;
  if (color === undefined && background === undefined && !picture) return null;
  const legacy = (v: string) => {
    const t = v.trim().toLowerCase();
    return /^[0-9a-f]{6}$/.test(t) ? `#${t}` : t;
  };
  return {
    ...(color !== undefined ? { color: legacy(color) } : {}),
    ...(background !== undefined ? { background: legacy(background) } : {}),
    ...(picture ? { backgroundImage: '?' } : {}),
  };
}

/** Whether declarations may keep text from a reader's sight (or draw it struck through). */
export function mayHide(d: Declarations): boolean {
  return (
    d.display === 'none' ||
    d.visibility === 'hidden' ||
    d.visibility === 'collapse' ||
    d.unpainted === 'yes' ||
    (d.fontSize !== undefined && /^[0.]+[a-z%]*$/.test(d.fontSize)) ||
    d.struck === 'yes' ||
    (d.scaled !== undefined && d.scaled !== 'no') ||
    PLACING.some((property) => d[property] !== undefined)
  );
}

/** Generated content that puts text on the page: not none, normal or an empty string. */
const addsText = (content: string | undefined) =>
  content !== undefined && !/^(?:none|normal|""|''|initial|unset|inherit)$/i.test(content.trim());

/** Why a rule not applied may change what an element shows, for the message; null where it cannot. */
function doubtOf(rule: Rule, unmodelled: boolean): string | null {
  const pseudo = rule.selector.pseudoElement;
  if (pseudo === 'before' || pseudo === 'after') {
    return addsText(rule.declarations.content)
      ? `the page's style adds text to it (${rule.text}), content the parser does not read`
      : null;
  }
  if (pseudo !== null && pseudo !== 'first-letter' && pseudo !== 'first-line') return null;
  if (!mayHide(rule.declarations)) return null;
  if (pseudo !== null) return `the page's rule ${rule.text} may hide its first ${pseudo.slice(6)}`;
  return unmodelled
    ? `the page's rule ${rule.text} may hide it (its selector says what the parser does not model)`
    : `the page's rule ${rule.text} may hide it (${rule.doubt})`;
}

/** Files a rule under its key (ruleKey). */
export function file(byKey: Map<string, Rule[]>, rule: Rule, quirks: boolean) {
  const key = ruleKey(rule, quirks);
  byKey.set(key, [...(byKey.get(key) ?? []), rule]);
}
