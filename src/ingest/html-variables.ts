/**
 * CSS custom properties (`--text: #333` on :root, `color: var(--text)`) as a browser resolves
 * them, where that can be told without a cascade of its own: a property declared only for the
 * whole page (`:root`, `html`, `body` or `*`, outside any at-rule), with one value, is that value
 * everywhere; `var(--x, fallback)` of a property declared nowhere is its fallback. A property
 * declared anywhere else (a class, an @media, a style attribute) may differ from element to
 * element: its `var()` is left as written, and what it hides or colours is refused as unknown
 * (html-colour.ts). Without this, a page colouring its text through a variable had every figure
 * refused.
 */
import type { DefaultTreeAdapterTypes } from 'parse5';
import { attr, childrenOf, isElement } from './html-cascade.ts';

type Node = DefaultTreeAdapterTypes.Node;
type TextNode = DefaultTreeAdapterTypes.TextNode;

/** Selectors that set a property on every element of the page's body. */
const WHOLE_PAGE = new Set([':root', 'html', 'body', '*']);

/** What the page declares of a custom property: its values, and whether only for the whole page. */
interface Declared {
  values: Set<string>;
  wholePage: boolean;
}

/** Resolves the page's `var()`s in its <style> elements and style attributes, in place. */
export function resolveVariables(document: Node): void {
  const styles: TextNode[] = [];
  // Elements whose style attribute declares a custom property or reads one (var(--x)).
  const styled: DefaultTreeAdapterTypes.Element[] = [];
  const walk = (node: Node) => {
    if (isElement(node)) {
      if (node.tagName === 'style')
        for (const child of childrenOf(node)) if (child.nodeName === '#text') styles.push(child as TextNode);
      if (attr(node, 'style')?.includes('--')) styled.push(node);
    }
    for (const child of childrenOf(node)) walk(child);
  };
  walk(document);

  const declared = new Map<string, Declared>();
  const declare = (name: string, value: string, wholePage: boolean) => {
    const known = declared.get(name) ?? { values: new Set<string>(), wholePage: true };
    known.values.add(value);
    known.wholePage &&= wholePage;
    declared.set(name, known);
  };
  for (const style of styles) readRules(withoutComments(style.value), false, declare);
  for (const element of styled)
    readDeclarations(withoutComments(attr(element, 'style') ?? ''), false, declare);

  const resolving = new Set<string>();
  /** The value of `name` everywhere on the page; undefined where declared nowhere, null where not one value. */
  const propertyValue = (name: string): string | null | undefined => {
    const known = declared.get(name);
    if (!known) return undefined;
    const [only] = known.values;
    if (!known.wholePage || known.values.size !== 1 || only === undefined || resolving.has(name)) return null;
    resolving.add(name);
    const value = substitute(only);
    resolving.delete(name);
    return value.known ? value.text : null;
  };
  /** `text` with each var() that can be told replaced, and whether every one could. */
  const substitute = (text: string): { text: string; known: boolean } => {
    let out = '';
    let from = 0;
    let known = true;
    for (let at = text.indexOf('var(', from); at >= 0; at = text.indexOf('var(', from)) {
      const close = closingParen(text, at + 4);
      if (close < 0) break;
      const inside = text.slice(at + 4, close);
      const comma = topLevelComma(inside);
      const value = propertyValue((comma < 0 ? inside : inside.slice(0, comma)).trim());
      const fallback = value === undefined && comma >= 0 ? substitute(inside.slice(comma + 1).trim()) : null;
      const resolved = typeof value === 'string' ? value : fallback?.known ? fallback.text : null;
      out += text.slice(from, at) + (resolved ?? text.slice(at, close + 1));
      known &&= resolved !== null;
      from = close + 1;
    }
    return { text: out + text.slice(from), known };
  };
  for (const style of styles) if (style.value.includes('var(')) style.value = substitute(style.value).text;
  for (const element of styled) {
    const style = element.attrs.find((a) => a.name === 'style');
    if (style?.value.includes('var(')) style.value = substitute(style.value).text;
  }
}

const withoutComments = (css: string) => css.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, '');

/** Each rule of a stylesheet, its custom property declarations given to `declare`. */
function readRules(
  css: string,
  conditional: boolean,
  declare: (n: string, v: string, whole: boolean) => void,
) {
  let i = 0;
  while (i < css.length) {
    const open = css.indexOf('{', i);
    if (open < 0) return;
    const before = css.slice(i, open);
    const selector = before.slice(before.lastIndexOf(';') + 1).trim();
    let depth = 1;
    let end = open + 1;
    for (; end < css.length && depth > 0; end++) {
      if (css[end] === '{') depth++;
      else if (css[end] === '}') depth--;
    }
    const body = css.slice(open + 1, end - 1);
    i = end;
    if (selector.startsWith('@')) readRules(body, true, declare);
    else {
      const wholePage =
        !conditional && selector.split(',').every((s) => WHOLE_PAGE.has(s.trim().toLowerCase()));
      readDeclarations(body, wholePage, declare);
    }
  }
}

function readDeclarations(
  body: string,
  wholePage: boolean,
  declare: (n: string, v: string, whole: boolean) => void,
) {
  for (const piece of body.split(';')) {
    const colon = piece.indexOf(':');
    const name = piece.slice(0, colon).trim();
    if (colon < 0 || !name.startsWith('--')) continue;
    declare(
      name,
      piece
        .slice(colon + 1)
        .replace(/!\s*important\s*$/i, '')
        .trim(),
      wholePage,
    );
  }
}

/** The index of the `)` closing a parenthesis opened just before `from`; -1 where none does. */
function closingParen(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function topLevelComma(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) return i;
  }
  return -1;
}
