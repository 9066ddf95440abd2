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
import { DEFAULT_INPUT_LIMITS, InputLimitError, type InputLimits } from './limits.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/**
 * removed: not laid out at all (display:none, the hidden attribute), nor anything inside; a
 * table cell so hidden takes no column, as in a browser. unpainted: laid out, nothing inside
 * painted (opacity:0, font-size:0); a table cell keeps its column and shows nothing. invisible:
 * laid out, its own text not painted (visibility:hidden), though a child may show itself again.
 * struck: shown struck through, all of it (text-decoration: line-through), a correction's old
 * text. raised: shown above or below the line (vertical-align: super, sub, 3pt), as a footnote
 * mark is.
 */
export type Hiding = 'removed' | 'unpainted' | 'invisible' | 'struck' | 'raised';

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

/** Parts of one selector (`div.content table td`): more is a made-up selector. */
const MAX_SELECTOR_PARTS = 8;
/**
 * Checks of a rule's part against an element allowed per rule the limit allows, and per element
 * of the page. A real page needs a few hundred thousand at most (a long Word page: 80,000
 * elements under a few descendant rules); a stylesheet of deep descendant selectors over a deep
 * page (1,999 rules of 8 parts over 50,000 elements 200 deep) would need billions, a minute's work.
 */
const CHECKS_PER_RULE = 5_000;
const CHECKS_PER_ELEMENT = 64;

/** The properties that decide whether text is shown, as declared (lower-case, no spaces). */
interface Declarations {
  display?: string;
  visibility?: string;
  /** `yes` for opacity:0 (nothing inside painted, whatever it says), `no` for another opacity. */
  unpainted?: string;
  /**
   * font-size: `zero`, `absolute` (px, pt, rem, a keyword: shown again inside a zero-size
   * parent, the usual way to close gaps between inline blocks) or `relative` (em, %: a share of
   * the parent's size, so zero inside zero).
   */
  fontSize?: string;
  /**
   * `yes` for text-decoration line-through: the old figure of a correction, as <del> and <s>
   * (html.ts) and an inline style are; drawn through everything inside, as nothing undoes it.
   */
  struck?: string;
  /** `yes` for vertical-align super, sub or a length off the baseline: a footnote mark's. */
  raised?: string;
}
type Property = keyof Declarations;
const PROPERTIES: readonly Property[] = [
  'display',
  'visibility',
  'unpainted',
  'fontSize',
  'struck',
  'raised',
];

interface Compound {
  tag: string | null;
  ids: string[];
  classes: string[];
}

interface Rule {
  /** Left to right; `child[i]` says whether parts i and i+1 are joined by `>`. */
  parts: Compound[];
  child: boolean[];
  declarations: Declarations;
  important: Partial<Record<Property, boolean>>;
  /** [ids, classes, tags], compared in that order. */
  specificity: [number, number, number];
  order: number;
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

/** The declarations of a style attribute or rule body that decide visibility; the last of each wins. */
function parseDeclarations(body: string): {
  declarations: Declarations;
  important: Partial<Record<Property, boolean>>;
} {
  const declarations: Declarations = {};
  const important: Partial<Record<Property, boolean>> = {};
  for (const piece of body.split(';')) {
    const colon = piece.indexOf(':');
    if (colon < 0) continue;
    const name = piece.slice(0, colon).trim().toLowerCase();
    let value = piece
      .slice(colon + 1)
      .replace(/\s+/g, '')
      .toLowerCase();
    const isImportant = value.endsWith('!important');
    if (isImportant) value = value.slice(0, -'!important'.length);
    let property: Property | null = null;
    if (name === 'display') property = 'display';
    else if (name === 'visibility') property = 'visibility';
    else if (name === 'opacity') {
      property = 'unpainted';
      if (value === '') continue;
      value = /^(?:0+(?:\.0*)?|\.0+)%?$/.test(value) ? 'yes' : 'no';
    } else if (name === 'text-decoration' || name === 'text-decoration-line') {
      property = 'struck';
      value = value.includes('line-through') ? 'yes' : 'no';
    } else if (name === 'vertical-align') {
      property = 'raised';
      value = /^(?:super|sub|-?\d*\.?\d*[1-9]\d*[a-z%]*)$/.test(value) ? 'yes' : 'no';
    } else if (name === 'font-size') {
      property = 'fontSize';
      value = /^[0.]+[a-z%]*$/.test(value) ? 'zero' : /(?:em|%)$/.test(value) ? 'relative' : 'absolute';
    }
    if (!property) continue;
    // A later declaration of the same property wins, unless an earlier one is !important.
    if (important[property] && !isImportant) continue;
    declarations[property] = value;
    important[property] = isImportant;
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
const forScreen = (media: string) =>
  media
    .toLowerCase()
    .split(',')
    .some((m) => /^\s*(?:only\s+)?(?:screen|all)\s*$/.test(m));

/**
 * The rules of a stylesheet that set display, visibility, opacity or font-size, in order;
 * those inside @media for the screen are read, those of any other at-rule are left out.
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

/** The stylesheets of the page for the screen, and the classes, ids and count of its elements. */
function pageStylesheets(document: Node) {
  const css: string[] = [];
  const names = new Set<string>();
  let elements = 0;
  const collect = (node: Node) => {
    if (isElement(node)) {
      elements++;
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
  return { css: css.join('\n'), names, elements };
}

/** Whether every class and id a rule names is on some element of the page: a rule that cannot match is not tried. */
const mayMatch = (rule: Rule, names: ReadonlySet<string>) =>
  rule.parts.every(
    (p) => p.classes.every((c) => names.has(`.${c}`)) && p.ids.every((id) => names.has(`#${id}`)),
  );

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
  const hides = rules.some(
    (r) =>
      r.declarations.display === 'none' ||
      r.declarations.visibility === 'hidden' ||
      r.declarations.visibility === 'collapse' ||
      r.declarations.unpainted === 'yes' ||
      r.declarations.fontSize === 'zero' ||
      r.declarations.struck === 'yes' ||
      r.declarations.raised === 'yes',
  );
  for (const rule of hides ? rules : []) {
    if (!mayMatch(rule, page.names)) continue;
    const key = ruleKey(rule);
    byKey.set(key, [...(byKey.get(key) ?? []), rule]);
  }
  const hidden = new Map<Element, Hiding>();
  const matcher = new Matcher(limits, page.elements);
  const ancestors: Element[] = [];
  const visit = (node: Node, parentVisible: boolean, parentZeroSize: boolean) => {
    if (!isElement(node)) {
      for (const child of childrenOf(node)) visit(child, parentVisible, parentZeroSize);
      return;
    }
    const winning: Partial<Record<Property, Candidate>> = {};
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
    const classes = attr(node, 'class')?.split(/\s+/).filter(Boolean) ?? [];
    for (const c of classes) {
      const framework = FRAMEWORK_HIDING.get(c);
      if (framework) offer(framework, { display: true, visibility: true }, [ORIGIN.rule, 0, 1, 0, -1]);
    }
    if (byKey.size > 0) {
      const id = attr(node, 'id');
      const keys = [node.tagName, '*', ...classes.map((c) => `.${c}`), ...(id ? [`#${id}`] : [])];
      for (const key of new Set(keys)) {
        for (const rule of byKey.get(key) ?? []) {
          if (matcher.ruleMatches(rule, node, ancestors)) {
            offer(rule.declarations, rule.important, [ORIGIN.rule, ...rule.specificity, rule.order]);
          }
        }
      }
    }
    const style = attr(node, 'style');
    if (style) {
      const inline = parseDeclarations(style);
      offer(inline.declarations, inline.important, [ORIGIN.inline]);
    }
    const visibility = winning.visibility?.value;
    // visibility is inherited: a child of a hidden element is hidden unless it says visible.
    const visible =
      visibility === 'hidden' || visibility === 'collapse'
        ? false
        : visibility === 'visible'
          ? true
          : parentVisible;
    const size = winning.fontSize?.value;
    const zeroSize = size === 'zero' ? true : size === 'absolute' ? false : parentZeroSize;
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
    if (!visible || zeroSize) hidden.set(node, 'invisible');
    else if (winning.raised?.value === 'yes' && INLINE_TAGS.has(node.tagName)) hidden.set(node, 'raised');
    ancestors.push(node);
    for (const child of childrenOf(node)) visit(child, visible, zeroSize);
    ancestors.pop();
  };
  visit(document, true, false);
  return hidden;
}
