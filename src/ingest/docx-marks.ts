/**
 * Digits placed off their line, or printed clearly smaller, right after a figure in a Word
 * (.docx) file, shown to mammoth in a form it prints. mammoth reads a run's own superscript or
 * subscript (w:vertAlign), which the HTML reader keeps apart as a footnote mark (41[1]). It does
 * not read a superscript that the run's style sets, a run raised or lowered by w:position, or any
 * run's size, so 41 followed by a raised or smaller 1 came out as 411.
 *
 * Such a run opens with a digit right after a run of its paragraph that ends with one. A run
 * placed off the line is given its superscript (or subscript) as its own property, and the HTML
 * reader keeps it apart as a mark. A run set apart by its size alone is given a character style
 * that mammoth prints as <small> (SMALLER_PIECE_STYLE). The HTML reader refuses it as it refuses
 * a web page's 41<small>1</small> (html-smaller.ts): a mark printed on the baseline, or more
 * digits of the figure, cannot be told apart.
 *
 * A run printed clearly smaller right before a figure's (a 6pt 1, then 524 at 12pt) is given that
 * style as well: mammoth prints <small>1</small>524, which the HTML reader refuses (a mark before
 * the figure, or its first digit).
 *
 * The limits are the web page's. A move of 1.5pt or less beside text of the same size is a nudge
 * (html-raised.ts). A size at least nine tenths of the figure's is the figure's size
 * (html-smaller.ts). Word's runs of one size and place, split anywhere (<w:t>12</w:t> and
 * <w:t>68</w:t>), read 1268 as before.
 */

import { fromStyle, noStyles, paragraphOf, readStyles, runStyles, type WordStyles } from './docx-styles.ts';
import {
  allWord,
  child,
  isWord,
  parse,
  partPath,
  readPart,
  value,
  wordElement,
  type XmlDocument,
  type XmlNode,
  type Zip,
} from './docx-xml.ts';
import { clearlySmaller, endsWithDigit, startsWithDigit } from './html-smaller.ts';

/**
 * The character style a run set apart by its size alone is given; mammoth's style map prints it
 * as <small> (docx.ts). No file defines it: mammoth maps it by its id.
 */
export const SMALLER_PIECE_STYLE = 'DisclosureSmallerPiece';

/** A move of this many half-points or less beside text of the same size is a nudge (2px, as on a web page). */
const NUDGE_HALF_POINTS = 3;
/** Word's size where nothing sets one: 10pt. */
const DEFAULT_HALF_POINTS = 20;

/** Where a run's text is placed, as its run properties say: size and rise in half-points, vertical alignment. */
interface Placing {
  size?: number;
  rise?: number;
  align?: string;
}
type Styles = WordStyles<Placing>;

/** A measure in half-points: a number (ST_HpsMeasure) or, in strict files, points ("10.5pt"). */
function halfPoints(text: string | undefined): number | undefined {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(pt)?\s*$/.exec(text ?? '');
  if (!m) return undefined;
  return Number(m[1]) * (m[2] ? 2 : 1);
}

/** What an rPr element sets itself. */
function placingOf(rPr: XmlNode | undefined): Placing {
  const set: Placing = {};
  if (!rPr) return set;
  const size = halfPoints(value(child(rPr, 'sz')));
  if (size !== undefined && size > 0) set.size = size;
  const rise = halfPoints(value(child(rPr, 'position')));
  if (rise !== undefined) set.rise = rise;
  const align = value(child(rPr, 'vertAlign'));
  if (align) set.align = align;
  return set;
}

/** The style of the table a run is in, if any. */
function tableStyleOf(run: XmlNode): string | undefined {
  let table = run.parentNode;
  while (table && !isWord(table, 'tbl')) table = table.parentNode;
  return table ? value(child(child(table, 'tblPr'), 'tblStyle')) : undefined;
}

/**
 * Where a run's text is placed: its own properties, else its character style's, its paragraph
 * style's, its table style's, the document's defaults (ECMA-376 §17.7.2, latest applied first).
 */
function placedAt(run: XmlNode, styles: Styles): Required<Placing> {
  const own = placingOf(child(run, 'rPr'));
  const under = runStyles(run, styles);
  const table = tableStyleOf(run);
  const pick = <K extends keyof Placing>(name: K) =>
    own[name] ??
    fromStyle(styles, under.character, (p) => p[name]) ??
    fromStyle(styles, under.paragraph, (p) => p[name]) ??
    fromStyle(styles, table, (p) => p[name]) ??
    styles.defaults[name];
  return {
    size: pick('size') ?? DEFAULT_HALF_POINTS,
    rise: pick('rise') ?? 0,
    align: pick('align') ?? 'baseline',
  };
}

/** The text a run prints, a tab or a line break as Word shows it (they set a figure apart). */
function runText(run: XmlNode): string {
  let text = '';
  for (const node of Array.from(run.childNodes)) {
    if (!isWord(node)) continue;
    if (node.localName === 't') text += node.textContent ?? '';
    else if (node.localName === 'tab' || node.localName === 'ptab') text += '\t';
    else if (node.localName === 'br' || node.localName === 'cr') text += '\n';
  }
  return text;
}

/** Sets a run property of `run` to `val`, adding the rPr or the property where the run has none. */
function setOwn(run: XmlNode, name: string, val: string): void {
  let rPr = child(run, 'rPr');
  if (!rPr) {
    rPr = wordElement(run, 'rPr');
    run.insertBefore(rPr, run.childNodes[0] ?? null);
  }
  let property = child(rPr, name);
  if (!property) {
    property = wordElement(rPr, name);
    // w:rStyle comes first in an rPr; the order of the rest does not matter to mammoth.
    rPr.insertBefore(property, name === 'rStyle' ? (rPr.childNodes[0] ?? null) : null);
  }
  const prefix = property.nodeName.includes(':') ? `${property.nodeName.split(':')[0]}:` : '';
  property.setAttributeNS(property.namespaceURI, `${prefix}val`, val);
}

/**
 * How a run opening a piece after a figure is set apart from it: placed off the line (the
 * vertical alignment mammoth should print), printed clearly smaller, or not at all.
 */
function apartFrom(
  figure: Required<Placing>,
  piece: Required<Placing>,
): 'superscript' | 'subscript' | 'smaller' | null {
  if (piece.align !== figure.align && piece.align !== 'baseline') {
    return piece.align === 'subscript' ? 'subscript' : 'superscript';
  }
  const moved = piece.rise - figure.rise;
  if (Math.abs(moved) > NUDGE_HALF_POINTS || (moved !== 0 && piece.size < figure.size)) {
    return moved > 0 ? 'superscript' : 'subscript';
  }
  return clearlySmaller(piece.size, figure.size) ? 'smaller' : null;
}

/**
 * Whether a part may hold a run opening with a digit right after a run ending with one, in one
 * paragraph: only then is it worth parsing. Tabs and the like between them are not looked at
 * here (the reading that follows does).
 */
const TEXT_OR_PARAGRAPH_END = /<(?:[^\s<>:/!?]+:)?t(?:\s[^<>]*)?>([^<]*)<|<\/(?:[^\s<>:/!?]+:)?p>/g;
export function mayPlaceMarks(xml: string): boolean {
  let before = '';
  for (const m of xml.matchAll(TEXT_OR_PARAGRAPH_END)) {
    const text = m[1];
    if (text === undefined) before = '';
    else if (text !== '') {
      if (startsWithDigit(text) && endsWithDigit(before)) return true;
      before = text;
    }
  }
  return false;
}

/** The styles of the file's main document part, as far as placing text goes. */
export async function placingStyles(zip: Zip, main: string): Promise<Styles> {
  const xml = await readPart(zip, await partPath(zip, main, 'styles', 'word/styles.xml'));
  const document = xml !== null && /sz|position|vertAlign/.test(xml) ? parse(xml) : null;
  return document ? readStyles(document, placingOf, {}) : noStyles({});
}

/**
 * Gives each run that opens with a digit right after a figure, and is placed off its line or
 * printed clearly smaller than it, the form mammoth prints (see above); whether any was found.
 * Hidden and struck runs must be out already (docx-hidden.ts): they print nothing.
 */
export function markPlacedRuns(document: XmlDocument, styles: Styles): boolean {
  let marked = false;
  /** By paragraph: the text its runs printed so far, and where the last of them is placed. */
  const last = new Map<XmlNode, { run: XmlNode; text: string; placed: Required<Placing> }>();
  for (const run of allWord(document, 'r')) {
    const text = runText(run);
    const paragraph = paragraphOf(run);
    if (text === '' || !paragraph) continue;
    const placed = placedAt(run, styles);
    const before = last.get(paragraph);
    last.set(paragraph, { run, text, placed });
    if (!before || !startsWithDigit(text) || !endsWithDigit(before.text)) continue;
    const apart = apartFrom(before.placed, placed);
    if (apart === 'smaller') setOwn(run, 'rStyle', SMALLER_PIECE_STYLE);
    else if (apart !== null) setOwn(run, 'vertAlign', apart);
    // The run before printed clearly smaller than the figure's (a 6pt 1, then 524): it is the
    // smaller piece, before the figure, which the HTML reader refuses as <small>1</small>524.
    else if (clearlySmaller(before.placed.size, placed.size))
      setOwn(before.run, 'rStyle', SMALLER_PIECE_STYLE);
    else continue;
    marked = true;
  }
  return marked;
}
