/**
 * A Word (.docx) file's styles (word/styles.xml) as far as one kind of run property goes: what
 * each style sets itself, what it is based on, and the document's defaults. Hidden and struck
 * text (docx-hidden.ts) and runs placed off their line or printed smaller (docx-marks.ts) each
 * read the properties they need through this.
 */
import { child, children, isOnValue, isWord, value, type XmlDocument, type XmlNode } from './docx-xml.ts';

export interface WordStyles<T> {
  byId: Map<string, { basedOn: string | undefined; sets: T }>;
  defaultParagraph: string | undefined;
  defaultCharacter: string | undefined;
  /** What the document's defaults (w:docDefaults/w:rPrDefault) set. */
  defaults: T;
}

/** No styles: what a file without a readable styles part has. */
export const noStyles = <T>(none: T): WordStyles<T> => ({
  byId: new Map(),
  defaultParagraph: undefined,
  defaultCharacter: undefined,
  defaults: none,
});

/**
 * The styles part read with `read`, which takes a style's w:rPr (undefined where it has none) and
 * the style itself (undefined for the defaults), for what a style sets outside its run
 * properties (a paragraph's or a table's shading).
 */
export function readStyles<T>(
  document: XmlDocument,
  read: (rPr: XmlNode | undefined, style?: XmlNode) => T,
  none: T,
): WordStyles<T> {
  const root = document.documentElement;
  if (!root || !isWord(root, 'styles')) return noStyles(none);
  const styles: WordStyles<T> = noStyles(read(child(child(child(root, 'docDefaults'), 'rPrDefault'), 'rPr')));
  for (const style of children(root, 'style')) {
    const ns = style.namespaceURI;
    const id = style.getAttributeNS(ns, 'styleId');
    const type = style.getAttributeNS(ns, 'type');
    if (id === '' || styles.byId.has(id)) continue;
    styles.byId.set(id, { basedOn: value(child(style, 'basedOn')), sets: read(child(style, 'rPr'), style) });
    if (style.hasAttributeNS(ns, 'default') && isOnValue(style.getAttributeNS(ns, 'default'))) {
      if (type === 'paragraph') styles.defaultParagraph ??= id;
      if (type === 'character') styles.defaultCharacter ??= id;
    }
  }
  return styles;
}

/** What the nearest style of a basedOn chain that sets it says (`pick`); undefined if none does. */
export function fromStyle<T, V>(
  styles: WordStyles<T>,
  id: string | undefined,
  pick: (sets: T) => V | undefined,
): V | undefined {
  const seen = new Set<string>();
  for (let at = id; at !== undefined && !seen.has(at); at = styles.byId.get(at)?.basedOn) {
    seen.add(at);
    const style = styles.byId.get(at);
    const set = style && pick(style.sets);
    if (set !== undefined) return set;
  }
  return undefined;
}

/** The paragraph a run is in (the nearest: a text box's runs are in its own paragraphs). */
export function paragraphOf(run: XmlNode): XmlNode | null {
  let paragraph = run.parentNode;
  while (paragraph && !isWord(paragraph, 'p')) paragraph = paragraph.parentNode;
  return paragraph;
}

/**
 * The style each paragraph names, looked up once: a paragraph of thousands of runs without a
 * w:pPr had all its children read again for each run (40,000 runs took 145 s).
 */
const paragraphStyles = new WeakMap<XmlNode, string | undefined>();
function paragraphStyleOf(paragraph: XmlNode): string | undefined {
  if (!paragraphStyles.has(paragraph)) {
    paragraphStyles.set(paragraph, value(child(child(paragraph, 'pPr'), 'pStyle')));
  }
  return paragraphStyles.get(paragraph);
}

/** The paragraph style and the character style a run is under, the defaults where it names none. */
export function runStyles<T>(run: XmlNode, styles: WordStyles<T>) {
  const paragraph = paragraphOf(run);
  return {
    paragraph: (paragraph && paragraphStyleOf(paragraph)) ?? styles.defaultParagraph,
    character: value(child(child(run, 'rPr'), 'rStyle')) ?? styles.defaultCharacter,
  };
}
