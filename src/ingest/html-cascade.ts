/**
 * A page's elements and the CSS declarations that win on each, as a browser's cascade decides
 * them (html-hidden.ts reads what hides text and how text is placed through this): the hidden
 * attribute and a tag's size, a CSS framework's hiding classes, the page's own rules matched
 * right to left against an element's ancestors, and the inline style. Matching is counted
 * against the page's allowance (InputLimits.maxHtmlHidingRules).
 */
import type { DefaultTreeAdapterTypes } from 'parse5';
import {
  type Compound,
  type Declarations,
  PROPERTIES,
  type Property,
  parseDeclarations,
  type Rule,
} from './html-css.ts';
import { tagFontSize } from './html-raised.ts';
import { InputLimitError, type InputLimits } from './limits.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

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
export class Matcher {
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

/** Whether every class and id a rule names is on some element of the page: a rule that cannot match is not tried. */
export const mayMatch = (rule: Rule, names: ReadonlySet<string>) =>
  rule.parts.every(
    (p) => p.classes.every((c) => names.has(`.${c}`)) && p.ids.every((id) => names.has(`#${id}`)),
  );

export type Winning = Partial<Record<Property, Candidate>>;

/**
 * The declarations that win on an element, as a browser's cascade decides: the hidden attribute
 * and the tag's size (a browser's own stylesheet), framework classes, the rules filed under the
 * element's keys (`byKey`) that match it below `ancestors` (nearest last, or a function giving them
 * where they are not at hand), its inline style.
 */
export function cascade(
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
export function file(byKey: Map<string, Rule[]>, rule: Rule) {
  const key = ruleKey(rule);
  byKey.set(key, [...(byKey.get(key) ?? []), rule]);
}

/** An element's ancestors, nearest last. */
export function ancestorsOf(element: Element): Element[] {
  const ancestors: Element[] = [];
  for (let p = element.parentNode; p && isElement(p); p = p.parentNode) ancestors.push(p);
  return ancestors.reverse();
}
