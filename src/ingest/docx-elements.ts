/**
 * Word (.docx) markup that mammoth 1.x misreads, rewritten before it reads the file, and a check
 * after, for text it left out. mammoth drops an element it does not know, text and all (with the
 * message "An unrecognised element was ignored: w:fldSimple"): a figure inside a simple field
 * (w:fldSimple, a table formula's =SUM(LEFT) as Word printed it) or a direction wrapper (w:dir,
 * w:bdo) would be read as a blank cell. It drops a carriage return (w:cr) and an absolute tab
 * (w:ptab) with nothing in their place, so 4<w:cr/>1, printed by Word on two lines, would be
 * read as 41. It knows a cell merged across columns only by w:gridSpan, not by the older
 * w:hMerge: a figure merged so would be read as the first column's and the second's a blank,
 * where merged by gridSpan it is refused as placed in neither. It joins a paragraph whose mark is
 * deleted (a tracked change, w:pPr/w:rPr/w:del) to the next paragraph it reads, wherever that is;
 * Word joins it only to the next paragraph of the same cell, text box, note or body, with no
 * table between (see keepUnjoinable).
 */
import {
  allWord,
  child,
  children,
  ELEMENT_NODE,
  isWord,
  JSZip,
  parse,
  partPath,
  readPart,
  value,
  WORD_NAMESPACES,
  wordElement,
  type XmlDocument,
  type XmlNode,
  type Zip,
} from './docx-xml.ts';

/**
 * Elements whose runs Word prints as if the element were not there, but for one: a w:bdo of
 * val="rtl" overrides the direction of its runs, so Word shows the 14 it holds as 41.
 */
const WRAPPERS = ['fldSimple', 'dir', 'bdo'];
/**
 * The invisible control a web page's text carries for that override (U+202E, closed by
 * U+202C), kept around the unwrapped runs: the cell is refused as the same figure on a web page
 * is (text.ts reorderingControlIn), never stored in file order. (A w:dir embedding keeps
 * digits in their order, as a browser does, and is read as printed.)
 */
const RIGHT_TO_LEFT_CONTROL: Readonly<Record<string, string>> = { bdo: '\u202E' };
/** What a simple field holds besides its result: data for the field, never printed. */
const NOT_PRINTED_IN_WRAPPER = new Set(['fldData']);

/** Run content mammoth drops without a trace, and what it prints as. */
const PRINTED_AS = [
  ['cr', 'br'],
  ['ptab', 'tab'],
] as const;

const REWRITTEN = /<(?:[^\s<>:/!?]+:)?(?:fldSimple|dir|bdo|cr|ptab|hMerge|del)[\s>/]/;

/** Whether a part may hold markup rewritten here: only then is it worth parsing. */
export const mayRewrite = (xml: string) => REWRITTEN.test(xml);

/** A run of `text`, made in the document of `near`. */
function textRun(near: XmlNode, text: string): XmlNode {
  const run = wordElement(near, 'r');
  const t = wordElement(near, 't');
  t.appendChild(near.ownerDocument.createTextNode(text));
  run.appendChild(t);
  return run;
}

function unwrap(element: XmlNode) {
  const parent = element.parentNode;
  if (!parent) return;
  const control = value(element) === 'rtl' ? RIGHT_TO_LEFT_CONTROL[element.localName ?? ''] : undefined;
  if (control) {
    parent.insertBefore(textRun(element, control), element);
    parent.insertBefore(textRun(element, '\u202C'), element.nextSibling);
  }
  for (const node of Array.from(element.childNodes)) {
    element.removeChild(node);
    if (!(isWord(node) && NOT_PRINTED_IN_WRAPPER.has(node.localName ?? ''))) {
      parent.insertBefore(node, element);
    }
  }
  parent.removeChild(element);
}

const span = (cell: XmlNode) => {
  const n = Number(value(child(child(cell, 'tcPr'), 'gridSpan')) ?? 1);
  return Number.isInteger(n) && n > 0 ? n : 1;
};

/** Sets w:val, as value() reads it: in the element's namespace, with its prefix. */
function setValue(element: XmlNode, text: string) {
  const prefix = element.nodeName.includes(':') ? `${element.nodeName.split(':')[0]}:` : '';
  element.setAttributeNS(prefix ? element.namespaceURI : null, `${prefix}val`, text);
}

/**
 * Cells continued by w:hMerge joined into the cell they continue, as one cell spanning their
 * columns by w:gridSpan. A continued cell's content, which a merge in Word keeps, goes with it,
 * so a figure in it is read in the merged cell rather than lost.
 */
function joinHorizontalMerges(row: XmlNode): boolean {
  let lead: { cell: XmlNode; columns: number } | undefined;
  let joined = false;
  for (const cell of children(row, 'tc')) {
    const merge = child(child(cell, 'tcPr'), 'hMerge');
    const continues = merge !== undefined && (value(merge) ?? 'continue') !== 'restart';
    if (!continues || !lead) {
      lead = { cell, columns: span(cell) };
      continue;
    }
    lead.columns += span(cell);
    let tcPr = child(lead.cell, 'tcPr');
    if (!tcPr) {
      tcPr = wordElement(lead.cell, 'tcPr');
      lead.cell.insertBefore(tcPr, lead.cell.childNodes[0] ?? null);
    }
    let gridSpan = child(tcPr, 'gridSpan');
    if (!gridSpan) {
      gridSpan = wordElement(tcPr, 'gridSpan');
      tcPr.appendChild(gridSpan);
    }
    setValue(gridSpan, String(lead.columns));
    for (const node of Array.from(cell.childNodes)) {
      if (!isWord(node, 'tcPr')) lead.cell.appendChild(node);
    }
    row.removeChild(cell);
    joined = true;
  }
  return joined;
}

/** Where Word's paragraphs can join: a cell, a text box, a note or comment, the body. */
const PARAGRAPHS_JOIN_WITHIN = new Set([
  'tc',
  'txbxContent',
  'footnote',
  'endnote',
  'comment',
  'body',
  'hdr',
  'ftr',
]);

/** The nearest element a paragraph can join others within (the part's root, failing one). */
function joinsWithin(paragraph: XmlNode): XmlNode | null {
  let at = paragraph.parentNode;
  while (at?.parentNode && !(isWord(at) && PARAGRAPHS_JOIN_WITHIN.has(at.localName ?? ''))) {
    at = at.parentNode;
  }
  return at;
}

const contains = (outer: XmlNode, node: XmlNode) => {
  for (let at: XmlNode | null = node; at; at = at.parentNode) if (at === outer) return true;
  return false;
};

/**
 * A deleted paragraph mark (w:pPr/w:rPr/w:del, as mammoth finds it) made plain where Word cannot
 * join its paragraph to the next one mammoth reads: the last paragraph of a table cell (Word
 * cannot delete the end-of-cell mark, and mammoth carried a cell's 2 into the next cell: blank,
 * then 20), the last of a text box, note or the body (mammoth drops its text), one just before a
 * table (mammoth puts its text in the table's first cell, where Word never shows text from
 * outside the table). Its text stays where it is, as Word shows it: no cell gains another's
 * text. A mark deleted within a cell, with a paragraph of the cell after it, joins the two as
 * both read it.
 */
function keepUnjoinable(document: XmlDocument): boolean {
  let kept = false;
  const paragraphs = allWord(document, 'p');
  paragraphs.forEach((paragraph, i) => {
    const properties = child(child(paragraph, 'pPr'), 'rPr');
    if (!properties || !child(properties, 'del')) return;
    // The next paragraph read, not one of a text box inside this one, which mammoth reads with it.
    let next = paragraphs[i + 1];
    for (let j = i + 1; next && contains(paragraph, next); j++) next = paragraphs[j + 1];
    // A table between the two: the next paragraph read is in its first cell, another container.
    if (next && joinsWithin(next) === joinsWithin(paragraph)) return;
    for (const del of children(properties, 'del')) properties.removeChild(del);
    kept = true;
  });
  return kept;
}

/** Rewrites in a part what mammoth would misread; whether anything was. */
export function rewriteElements(document: XmlDocument): boolean {
  let changed = false;
  for (const name of WRAPPERS) {
    for (const element of allWord(document, name)) {
      unwrap(element);
      changed = true;
    }
  }
  // As Word prints them, a carriage return is a line break and an absolute tab a tab: 4<w:cr/>1
  // is two lines' text, never the figure 41.
  for (const [name, as] of PRINTED_AS) {
    for (const element of allWord(document, name)) {
      element.parentNode?.replaceChild(wordElement(element, as), element);
      changed = true;
    }
  }
  for (const row of allWord(document, 'tr')) {
    if (joinHorizontalMerges(row)) changed = true;
  }
  if (keepUnjoinable(document)) changed = true;
  return changed;
}

const MATH_NAMESPACES = [
  'http://schemas.openxmlformats.org/officeDocument/2006/math',
  'http://purl.oclc.org/ooxml/officeDocument/math',
];

/** Whether an element prints text: a w:t or w:sym in it, or an equation's m:t. */
function holdsText(element: XmlNode): boolean {
  return Array.from(element.childNodes).some(
    (node) =>
      node.nodeType === ELEMENT_NODE &&
      ((isWord(node) && (node.localName === 't' || node.localName === 'sym')) ||
        (MATH_NAMESPACES.includes(node.namespaceURI ?? '') && node.localName === 't') ||
        holdsText(node)),
  );
}

/** The prefixes mammoth names elements by (its office-xml-reader.js), and their namespaces. */
const MAMMOTH_PREFIXES: Record<string, string[]> = {
  w: WORD_NAMESPACES,
  r: [
    'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
    'http://purl.oclc.org/ooxml/officeDocument/relationships',
  ],
  wp: [
    'http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing',
    'http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing',
  ],
  a: ['http://schemas.openxmlformats.org/drawingml/2006/main', 'http://purl.oclc.org/ooxml/drawingml/main'],
  pic: [
    'http://schemas.openxmlformats.org/drawingml/2006/picture',
    'http://purl.oclc.org/ooxml/drawingml/picture',
  ],
  mc: ['http://schemas.openxmlformats.org/markup-compatibility/2006'],
  v: ['urn:schemas-microsoft-com:vml'],
  'office-word': ['urn:schemas-microsoft-com:office:word'],
  wordml: ['http://schemas.microsoft.com/office/word/2010/wordml'],
};

/** The elements of a part named as mammoth names them ("w:ruby", "v:oval", "{namespace}oMath"). */
function named(document: XmlDocument, name: string): XmlNode[] {
  const qualified = /^\{([^}]*)\}(.+)$/.exec(name);
  const colon = name.indexOf(':');
  const [namespaces, local] = qualified
    ? [[qualified[1] ?? ''], qualified[2] ?? '']
    : colon > 0
      ? [MAMMOTH_PREFIXES[name.slice(0, colon)] ?? [], name.slice(colon + 1)]
      : [[''], name];
  return namespaces.flatMap((namespace) => Array.from(document.getElementsByTagNameNS(namespace, local)));
}

const UNRECOGNISED = /^An unrecognised element was ignored: (.+)$/;

/** The parts whose text mammoth prints: the document, its footnotes and endnotes. */
export async function readParts(zip: Zip, main: string): Promise<string[]> {
  const paths = [main];
  for (const notes of ['footnotes', 'endnotes']) {
    paths.push(await partPath(zip, main, notes, `word/${notes}.xml`));
  }
  return paths;
}

/**
 * Of the elements mammoth says it ignored, those that print text in a part whose text it reads:
 * the document, its footnotes and endnotes (not its comments, which it reads but does not print).
 * Most that it ignores print nothing (w:permStart, w:tblPrEx, a smart tag's properties), and
 * refusing the file for those would refuse ordinary files. A w:altChunk holds no text of its own
 * but prints another file in its place (a web page, RTF, another .docx), which mammoth never
 * opens. Its messages name an element, not where it was: every element of that name in those
 * parts is looked at.
 */
export async function textLeftOut(
  bytes: Buffer,
  messages: readonly { message: string }[],
): Promise<string[]> {
  const ignored = [...new Set(messages.flatMap((m) => UNRECOGNISED.exec(m.message)?.[1] ?? []))];
  if (ignored.length === 0) return [];
  const zip = await JSZip.loadAsync(bytes);
  const main = await partPath(zip, '', 'officeDocument', 'word/document.xml');
  const documents: XmlDocument[] = [];
  for (const path of await readParts(zip, main)) {
    const xml = await readPart(zip, path);
    const document = xml === null ? null : parse(xml);
    if (document) documents.push(document);
  }
  return ignored.filter((name) =>
    documents.some((document) => named(document, name).some((e) => isWord(e, 'altChunk') || holdsText(e))),
  );
}

/** An element as mammoth names it, written as Word's XML writes it, for a reader who opens the file. */
export const elementName = (name: string) => {
  const qualified = /^\{([^}]*)\}(.+)$/.exec(name);
  if (name === 'w:altChunk') {
    return '<w:altChunk> (another file embedded whole, which Word makes ordinary text when it saves the document)';
  }
  if (!qualified) return `<${name}>`;
  const math = MATH_NAMESPACES.includes(qualified[1] ?? '');
  return math ? `<m:${qualified[2]}> (an equation)` : `<${qualified[2]}> (namespace ${qualified[1]})`;
};
