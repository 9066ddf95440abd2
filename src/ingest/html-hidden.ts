/**
 * Text a browser does not show. A page can hide text with an inline style, with the `hidden`
 * attribute, or with a class that its own stylesheet (a <style> element) or a common CSS
 * framework hides. Hidden text inside a figure cell (12<span class="hidden">3</span>) would
 * otherwise be read as a further digit: the reader sees 12, the parser 123.
 *
 * Only what the page itself says is honoured: the rules of its <style> elements whose
 * selectors are tags, classes and ids joined by descendant or child combinators. A rule
 * that depends on state (:hover), on attributes, on siblings or on a media query is not
 * applied; neither is an external stylesheet, which the parser never fetches.
 */
import type { DefaultTreeAdapterTypes } from 'parse5';
import { DEFAULT_INPUT_LIMITS, InputLimitError, type InputLimits } from './limits.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/**
 * removed: not laid out at all (display:none, the hidden attribute); a table cell so hidden
 * takes no column, as in a browser. invisible: laid out but not painted (visibility:hidden);
 * a table cell so hidden keeps its column and shows nothing.
 */
export type Hiding = 'removed' | 'invisible';

/** Class names that hide an element in the CSS frameworks government sites use (Bootstrap, Tailwind, WordPress themes). */
const FRAMEWORK_HIDING: ReadonlyMap<string, Hiding> = new Map<string, Hiding>([
  ['hidden', 'removed'],
  ['hide', 'removed'],
  ['d-none', 'removed'],
  ['sr-only', 'removed'],
  ['visually-hidden', 'removed'],
  ['screen-reader-text', 'removed'],
  ['invisible', 'invisible'],
]);

/** Parts of one selector (`div.content table td`): more is a made-up selector. */
const MAX_SELECTOR_PARTS = 8;

interface Compound {
  tag: string | null;
  ids: string[];
  classes: string[];
}

interface Rule {
  /** Left to right; `child[i]` says whether parts i and i+1 are joined by `>`. */
  parts: Compound[];
  child: boolean[];
  hiding: Hiding;
}

const childrenOf = (node: Node): Node[] => ('childNodes' in node ? (node.childNodes as Node[]) : []);
const isElement = (node: Node): node is Element => 'tagName' in node;
const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;

/** How an element's own attributes hide it: the hidden attribute, or its inline style. */
export function inlineHiding(element: Element): Hiding | null {
  if (element.attrs.some((a) => a.name === 'hidden')) return 'removed';
  const style = attr(element, 'style');
  return style ? declarationsHiding(style) : null;
}

function declarationsHiding(declarations: string): Hiding | null {
  const text = declarations.replace(/\s+/g, '').toLowerCase();
  if (/(?:^|;)display:none(?:!important)?(?:;|$)/.test(text)) return 'removed';
  if (/(?:^|;)visibility:(?:hidden|collapse)(?:!important)?(?:;|$)/.test(text)) return 'invisible';
  return null;
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

function parseSelector(text: string, hiding: Hiding): Rule | null {
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
  return parts.length > 0 && parts.length <= MAX_SELECTOR_PARTS ? { parts, child, hiding } : null;
}

/** The hiding rules of a stylesheet; rules inside at-rules (@media print, @supports) are left out. */
export function hidingRules(css: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): Rule[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const rules: Rule[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0) break;
    const selector = text.slice(i, open).trim();
    // The block's end, counting nested braces (an at-rule holds rules).
    let depth = 1;
    let end = open + 1;
    for (; end < text.length && depth > 0; end++) {
      if (text[end] === '{') depth++;
      else if (text[end] === '}') depth--;
    }
    const body = text.slice(open + 1, end - 1);
    i = end;
    const hiding = selector.startsWith('@') || body.includes('{') ? null : declarationsHiding(body);
    if (!hiding) continue;
    for (const one of selector.split(',')) {
      const rule = parseSelector(one, hiding);
      if (!rule) continue;
      if (rules.length >= limits.maxHtmlHidingRules) {
        throw new InputLimitError(
          'maxHtmlHidingRules',
          `The HTML's stylesheets have more than ${limits.maxHtmlHidingRules.toLocaleString('en')} rules that hide elements`,
          limits.maxHtmlHidingRules,
        );
      }
      rules.push(rule);
    }
  }
  return rules;
}

function compoundMatches(part: Compound, element: Element): boolean {
  if (part.tag && part.tag !== element.tagName) return false;
  if (part.ids.length > 0 && !part.ids.every((id) => id === attr(element, 'id'))) return false;
  if (part.classes.length === 0) return true;
  const classes = attr(element, 'class')?.split(/\s+/) ?? [];
  return part.classes.every((c) => classes.includes(c));
}

/**
 * Checks of a rule's part against an element allowed per hiding rule the limit allows. A real
 * page needs a few hundred in all; a stylesheet of deep descendant selectors over a deep page
 * (1,999 rules of 8 parts over 50,000 elements 200 deep) would need billions, a minute's work.
 */
const CHECKS_PER_RULE = 5_000;

/** Matches rules against elements, counting the checks against the page's allowance. */
class Matcher {
  private checks = 0;
  private readonly allowed: number;
  constructor(private readonly limits: InputLimits) {
    this.allowed = limits.maxHtmlHidingRules * CHECKS_PER_RULE;
  }

  matches(part: Compound, element: Element): boolean {
    if (++this.checks > this.allowed) {
      throw new InputLimitError(
        'maxHtmlHidingRules',
        `Matching the HTML's stylesheet rules that hide elements against its elements takes more than ${this.allowed.toLocaleString('en')} checks (${CHECKS_PER_RULE.toLocaleString('en')} for each rule the limit allows)`,
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

/**
 * The elements the page's own stylesheets and the framework classes hide, with how. An element
 * hidden by its inline style or attribute is left to `inlineHiding`.
 */
export function stylesheetHiding(
  document: Node,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Map<Element, Hiding> {
  const css: string[] = [];
  const collect = (node: Node) => {
    if (isElement(node) && node.tagName === 'style') {
      for (const child of childrenOf(node))
        if (child.nodeName === '#text') css.push((child as DefaultTreeAdapterTypes.TextNode).value);
      return;
    }
    for (const child of childrenOf(node)) collect(child);
  };
  collect(document);
  const byKey = new Map<string, Rule[]>();
  for (const rule of hidingRules(css.join('\n'), limits)) {
    const key = ruleKey(rule);
    byKey.set(key, [...(byKey.get(key) ?? []), rule]);
  }
  const hidden = new Map<Element, Hiding>();
  const matcher = new Matcher(limits);
  const ancestors: Element[] = [];
  const visit = (node: Node) => {
    if (!isElement(node)) {
      for (const child of childrenOf(node)) visit(child);
      return;
    }
    const classes = attr(node, 'class')?.split(/\s+/).filter(Boolean) ?? [];
    let hiding: Hiding | null = null;
    for (const c of classes) hiding = strongest(hiding, FRAMEWORK_HIDING.get(c) ?? null);
    if (byKey.size > 0) {
      const id = attr(node, 'id');
      const keys = [node.tagName, '*', ...classes.map((c) => `.${c}`), ...(id ? [`#${id}`] : [])];
      for (const key of keys) {
        for (const rule of byKey.get(key) ?? []) {
          if (matcher.ruleMatches(rule, node, ancestors)) hiding = strongest(hiding, rule.hiding);
        }
      }
    }
    if (hiding) hidden.set(node, hiding);
    ancestors.push(node);
    for (const child of childrenOf(node)) visit(child);
    ancestors.pop();
  };
  visit(document);
  return hidden;
}

const strongest = (a: Hiding | null, b: Hiding | null): Hiding | null =>
  a === 'removed' || b === 'removed' ? 'removed' : (a ?? b);
