/**
 * Hidden and struck-through text out of a Word (.docx) file before mammoth reads it.
 * mammoth ignores a run's hidden formatting: Word's hidden text (w:vanish) would be read with the
 * rest, a hidden "0" after 1268 making the cell 12680. It reads strikethrough only as the run's
 * own w:strike, so a double strikethrough (w:dstrike) or one set by a style would be read too: a
 * struck 40 before 41 making 4041, where struck text is the old figure of a correction and is not
 * read (the HTML reader drops <s> for the same reason). Every run hidden or struck, by its own
 * formatting or by its character or paragraph style, loses its content before mammoth sees it;
 * nothing else changes. A paragraph whose mark alone is hidden (w:pPr/w:rPr) keeps its text, as
 * Word shows it. A run whose colour cannot be seen on what is behind it (docx-seen.ts) shows a
 * reader nothing either, and is taken out as a hidden one is.
 *
 * It runs after the input limits (document.ts): the entries it inflates are the ones those counted.
 */
import type { Seen } from './docx-seen.ts';
import { fromStyle, noStyles, readStyles, runStyles, type WordStyles } from './docx-styles.ts';
import {
  allWord,
  child,
  isOn,
  isWord,
  parse,
  partPath,
  readPart,
  wordElement,
  type XmlDocument,
  type XmlNode,
  type Zip,
} from './docx-xml.ts';
import { markedUnseen } from './unseen-text.ts';

/**
 * The run properties that keep a run's text from being read. w:specVanish hides a run always,
 * even where hidden text is shown (ECMA-376 §17.3.2.36): a 9 so formatted was read into 491.
 * Not w:webHidden: that hides text in Word's web layout only, and the page as printed, in print
 * layout or as a PDF, shows it.
 */
const HIDING = ['vanish', 'specVanish', 'strike', 'dstrike'] as const;
type Hiding = (typeof HIDING)[number];
type Toggles = Partial<Record<Hiding, boolean>>;

/** What a run keeps when not read: its properties, and a field's delimiters and code, so fields stay whole. */
const KEPT_IN_HIDDEN_RUN = new Set(['rPr', 'fldChar', 'instrText']);

/** The hiding toggles an rPr element sets itself (not those of a w:rPrChange it holds: the old formatting). */
function toggles(rPr: XmlNode | undefined): Toggles {
  const set: Toggles = {};
  if (!rPr) return set;
  for (const name of HIDING) {
    const element = child(rPr, name);
    if (element) set[name] = isOn(element);
  }
  return set;
}

type Styles = WordStyles<Toggles>;

/**
 * How a run is not read: hidden (vanish) or struck through; null where it is read. Its own
 * formatting decides; failing that its paragraph's style and its character style, which as
 * toggles cancel each other when both set one (ECMA-376 §17.7.3); failing those, the
 * document's defaults.
 */
function hidingOf(run: XmlNode, styles: Styles): Hiding | null {
  const own = toggles(child(run, 'rPr'));
  const under = runStyles(run, styles);
  const on = (name: Hiding) => {
    const set = own[name];
    if (set !== undefined) return set;
    const byParagraph = fromStyle(styles, under.paragraph, (t) => t[name]);
    const byCharacter = fromStyle(styles, under.character, (t) => t[name]);
    if (byParagraph === undefined && byCharacter === undefined) return styles.defaults[name] ?? false;
    return (byParagraph ?? false) !== (byCharacter ?? false);
  };
  return HIDING.find(on) ?? null;
}

const NAMED = new RegExp(HIDING.join('|'));

/** The styles of the file's main document part, as far as hiding or striking goes. */
export async function hidingStyles(zip: Zip, main: string): Promise<Styles> {
  const xml = await readPart(zip, await partPath(zip, main, 'styles', 'word/styles.xml'));
  const document = xml !== null && NAMED.test(xml) ? parse(xml) : null;
  return document ? readStyles(document, toggles, {}) : noStyles({});
}

/** Whether a part may hold a run not read: only then is it worth parsing. */
export function mayHideRuns(xml: string, styles: Styles): boolean {
  const styled =
    Object.values(styles.defaults).some(Boolean) ||
    [...styles.byId.values()].some((s) => Object.values(s.sets).some(Boolean));
  return /<(?:[^\s<>:/!?]+:)?r[\s>/]/.test(xml) && (styled || NAMED.test(xml));
}

/**
 * Takes the content out of the hidden and struck runs, and of those whose colour is not seen on
 * what is behind them (`unseen`, docx-seen.ts), which print nothing a reader sees, as hidden
 * ones; whether any was found. A run whose being seen cannot be told is marked where it holds a
 * digit, for its cell to be refused (unseen-text.ts): other text in it is read.
 */
export function removeHiddenRuns(
  document: XmlDocument,
  styles: Styles,
  unseen: ReadonlyMap<XmlNode, Exclude<Seen, 'shown'>> = new Map(),
): boolean {
  let removed = false;
  /** Table cells' struck text, by cell. */
  const struckIn = new Map<XmlNode, string[]>();
  // A run in a text box sits inside another run: the list is taken whole before anything goes.
  for (const run of allWord(document, 'r')) {
    const seen = unseen.get(run);
    const how = hidingOf(run, styles) ?? (seen === 'unseen' ? 'vanish' : null);
    if (how === null) {
      if (seen !== undefined && seen !== 'unseen' && markUnseen(run, seen.unknown)) removed = true;
      continue;
    }
    removed = true;
    let cell = run.parentNode;
    while (cell && !isWord(cell, 'tc')) cell = cell.parentNode;
    if (cell && (how === 'strike' || how === 'dstrike'))
      struckIn.set(cell, [...(struckIn.get(cell) ?? []), textOf(run)]);
    const kept = Array.from(run.childNodes).filter((node) => {
      if (isWord(node) && KEPT_IN_HIDDEN_RUN.has(node.localName ?? '')) return true;
      run.removeChild(node);
      return false;
    });
    if (kept.every((node) => isWord(node, 'rPr'))) run.parentNode?.removeChild(run);
  }
  // A cell of struck text only is given as ~~87~~, which no reader takes for a figure, as a web
  // page's is (html.ts): left blank, an old figure was stored as not reported.
  for (const [cell, struck] of struckIn) {
    const old = struck.join('').trim();
    const paragraph = allWord(cell, 'p').at(-1);
    if (old === '' || textOf(cell).trim() !== '' || !paragraph) continue;
    const run = wordElement(paragraph, 'r');
    const text = wordElement(paragraph, 't');
    text.appendChild(cell.ownerDocument.createTextNode(`~~${old}~~`));
    run.appendChild(text);
    paragraph.appendChild(run);
  }
  return removed;
}

/** Gives a run holding a digit its text marked as not known to be seen; whether it held one. */
function markUnseen(run: XmlNode, why: string): boolean {
  const texts = allWord(run, 't');
  const text = texts.map((t) => t.textContent ?? '').join('');
  if (!/[0-9\uFF10-\uFF19]/.test(text)) return false;
  texts.forEach((t, i) => {
    for (const node of Array.from(t.childNodes)) t.removeChild(node);
    if (i === 0) t.appendChild(run.ownerDocument.createTextNode(markedUnseen(text, why)));
  });
  return true;
}

/** The text a node's w:t elements print. */
const textOf = (node: XmlNode) =>
  allWord(node, 't')
    .map((t) => t.textContent ?? '')
    .join('');
