/**
 * Matching a page's selectors (html-selectors.ts) against its elements, right to left, as a
 * browser does, with one more answer than a browser's: `MAYBE` where the selector says what is
 * not modelled (:has(), :lang()). Checks are counted against the page's allowance.
 */
import type { DefaultTreeAdapterTypes } from 'parse5';
import type { AttributeTest, Complex, Compound, Pseudo } from './html-selectors.ts';
import { InputLimitError, type InputLimits } from './limits.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** Whether a selector matches: no, maybe (it says what is not modelled), yes. AND is min, OR max. */
export const NO = 0;
export const MAYBE = 1;
export const YES = 2;
export type Match = typeof NO | typeof MAYBE | typeof YES;

/**
 * Checks of a rule's part against an element allowed per rule the limit allows, and per element
 * of the page. A real page needs a few hundred thousand at most (a long Word page: 80,000
 * elements under a few descendant rules); a stylesheet of deep descendant selectors over a deep
 * page (1,999 rules of 8 parts over 50,000 elements 200 deep) would need billions, a minute's work.
 */
const CHECKS_PER_RULE = 5_000;
const CHECKS_PER_ELEMENT = 64;

const isElement = (node: Node | null | undefined): node is Element => !!node && 'tagName' in node;

/**
 * A class or id name as a page in quirks mode (no doctype, or an old one: most agencies' pages)
 * compares it: ASCII letters in any case, so `.Q` matches class="q" there.
 */
export const quirksName = (name: string) => name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
const asWritten = (name: string) => name;
/** How a page compares class and id names: quirksName in quirks mode, else as written. */
export const namesIn = (quirks: boolean) => (quirks ? quirksName : asWritten);
const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;

/** The element children of each parent, filled as siblings are first asked for. */
const siblingsOf = new WeakMap<Node, Element[]>();
function siblings(element: Element): Element[] {
  const parent = element.parentNode;
  if (!parent) return [element];
  let list = siblingsOf.get(parent);
  if (!list) {
    list = ('childNodes' in parent ? (parent.childNodes as Node[]) : []).filter(isElement);
    siblingsOf.set(parent, list);
  }
  return list;
}

function attributeMatches(test: AttributeTest, element: Element): boolean {
  const raw = attr(element, test.name);
  if (raw === undefined) return false;
  if (test.op === '') return true;
  const value = test.insensitive ? raw.toLowerCase() : raw;
  const wanted = test.insensitive ? test.value.toLowerCase() : test.value;
  switch (test.op) {
    case '=':
      return value === wanted;
    case '~=':
      return wanted !== '' && !/\s/.test(wanted) && value.split(/[ \t\n\r\f]+/).includes(wanted);
    case '|=':
      return value === wanted || value.startsWith(`${wanted}-`);
    case '^=':
      return wanted !== '' && value.startsWith(wanted);
    case '$=':
      return wanted !== '' && value.endsWith(wanted);
    default:
      return wanted !== '' && value.includes(wanted);
  }
}

/** Whether `n` (1-based) is a·k + b for some k ≥ 0. */
const nth = (n: number, a: number, b: number) => (a === 0 ? n === b : (n - b) / a >= 0 && (n - b) % a === 0);

/** Matches rules against elements, counting the checks against the page's allowance. */
export class Matcher {
  private checks = 0;
  private readonly allowed: number;
  constructor(
    private readonly limits: InputLimits,
    elements: number,
    /** Whether the page is in quirks mode, where class and id names match in any case. */
    readonly quirks = false,
  ) {
    this.allowed = limits.maxHtmlHidingRules * CHECKS_PER_RULE + elements * CHECKS_PER_ELEMENT;
  }

  private count() {
    if (++this.checks > this.allowed) {
      throw new InputLimitError(
        'maxHtmlHidingRules',
        `Matching the HTML's stylesheet rules that may hide elements against its elements takes more than ${this.allowed.toLocaleString('en')} checks (${CHECKS_PER_RULE.toLocaleString('en')} for each rule the limit allows, ${CHECKS_PER_ELEMENT} for each element)`,
        this.limits.maxHtmlHidingRules,
      );
    }
  }

  private pseudo(p: Pseudo, element: Element): Match {
    switch (p.kind) {
      case 'never':
        return NO;
      case 'unmodelled':
        return MAYBE;
      case 'root':
        return element.tagName === 'html' && element.parentNode?.nodeName === '#document' ? YES : NO;
      case 'empty':
        return ('childNodes' in element ? (element.childNodes as Node[]) : []).every(
          (c) =>
            c.nodeName === '#comment' || (c.nodeName === '#text' && (c as { value: string }).value === ''),
        )
          ? YES
          : NO;
      case 'link':
        return (element.tagName === 'a' || element.tagName === 'area') && attr(element, 'href') !== undefined
          ? YES
          : NO;
      case 'not':
        return (YES - this.anyOf(p.list, element)) as Match;
      case 'is':
        return this.anyOf(p.list, element);
      default: {
        if (!element.parentNode || !isElement(element.parentNode)) return NO;
        const all = siblings(element);
        const list = p.ofType ? all.filter((s) => s.tagName === element.tagName) : all;
        if (p.kind === 'only') return list.length === 1 ? YES : NO;
        const at = list.indexOf(element);
        return nth(p.last ? list.length - at : at + 1, p.a, p.b) ? YES : NO;
      }
    }
  }

  private anyOf(list: Complex[], element: Element): Match {
    let best: Match = NO;
    for (const selector of list) {
      best = Math.max(best, this.complex(selector, element)) as Match;
      if (best === YES) break;
    }
    return best;
  }

  /** An element's id and classes, folded by quirksName in quirks mode; read once an element. */
  private readonly names = new WeakMap<Element, { id: string | undefined; classes: string[] }>();
  private namesOf(element: Element) {
    let names = this.names.get(element);
    if (!names) {
      const id = attr(element, 'id');
      const classes = attr(element, 'class')?.split(/[ \t\n\r\f]+/) ?? [];
      names = this.quirks
        ? { id: id === undefined ? undefined : quirksName(id), classes: classes.map(quirksName) }
        : { id, classes };
      this.names.set(element, names);
    }
    return names;
  }

  /** A compound's ids and classes folded by quirksName, once a compound. */
  private readonly folded = new WeakMap<Compound, { ids: string[]; classes: string[] }>();
  private foldedNames(part: Compound) {
    let names = this.folded.get(part);
    if (!names) {
      names = { ids: part.ids.map(quirksName), classes: part.classes.map(quirksName) };
      this.folded.set(part, names);
    }
    return names;
  }

  compound(part: Compound, element: Element): Match {
    this.count();
    if (part.tag && part.tag !== element.tagName) return NO;
    if (part.ids.length > 0 || part.classes.length > 0) {
      const names = this.namesOf(element);
      const wanted = this.quirks ? this.foldedNames(part) : part;
      if (wanted.ids.length > 0 && !wanted.ids.every((id) => id === names.id)) return NO;
      if (!wanted.classes.every((c) => names.classes.includes(c))) return NO;
    }
    for (const test of part.attributes) if (!attributeMatches(test, element)) return NO;
    let result: Match = YES;
    for (const p of part.pseudos) {
      result = Math.min(result, this.pseudo(p, element)) as Match;
      if (result === NO) return NO;
    }
    return result;
  }

  /** Whether a selector matches `element`, right to left through its ancestors and siblings. */
  complex(selector: Complex, element: Element): Match {
    const { parts, joints } = selector;
    const last = parts.length - 1;
    const own = this.compound(parts[last] as Compound, element);
    if (own === NO || last === 0) return own;
    // What each part gave each element it was tried on: a descendant or sibling combinator tries many.
    const known: Map<Element, Match>[] = [];
    const from = (i: number, el: Element): Match => {
      let memo = known[i];
      if (!memo) {
        memo = new Map();
        known[i] = memo;
      }
      const seen = memo.get(el);
      if (seen !== undefined) return seen;
      const here = this.compound(parts[i] as Compound, el);
      const result =
        here === NO || i === 0 ? here : (Math.min(here, this.beyond(i, el, joints, from)) as Match);
      memo.set(el, result);
      return result;
    };
    return Math.min(own, this.beyond(last, element, joints, from)) as Match;
  }

  /** The best match of parts before `i` reached from `el` by the combinator joining them. */
  private beyond(
    i: number,
    el: Element,
    joints: Complex['joints'],
    from: (i: number, el: Element) => Match,
  ): Match {
    const joint = joints[i - 1];
    let best: Match = NO;
    if (joint === '>' || joint === ' ') {
      for (let p = el.parentNode; isElement(p); p = p.parentNode) {
        best = Math.max(best, from(i - 1, p)) as Match;
        if (best === YES || joint === '>') break;
      }
      return best;
    }
    const list = siblings(el);
    for (let k = list.indexOf(el) - 1; k >= 0; k--) {
      best = Math.max(best, from(i - 1, list[k] as Element)) as Match;
      if (best === YES || joint === '+') break;
    }
    return best;
  }
}
