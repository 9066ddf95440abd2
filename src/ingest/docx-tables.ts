/**
 * Word (.docx) tables as mammoth 1.x would misread them, put right before it reads them, or
 * refused. mammoth turns a cell merged down (w:vMerge) into the cell above's rowspan and drops
 * the continued cell, content and all: Word shows only the merged region's first cell, but a
 * file written by another program can carry a figure in a continued cell, and which of the two
 * is meant cannot be told. It gives up every merge of a table, rowspans and all, when a row or
 * a table holds anything but rows and cells (a bookmark Word puts around a row or a column): a
 * figure merged down over two rows would then be read as the top row's and a blank below,
 * where merged it is refused in both (table-reading.ts MERGED_CELL). It lines a row's cells up
 * from the table's first column even where the row starts further right (w:gridBefore), so a
 * cell merged down there joins the wrong column's. It reads a cell deleted as a tracked change
 * (w:cellDel) as if it were there, one figure too many in its row.
 */
import { allWord, child, isWord, value, wordElement, type XmlDocument, type XmlNode } from './docx-xml.ts';

/** Elements mammoth reads through to what they hold, in a table, a row or a cell. */
const THROUGH = new Set(['customXml', 'ins', 'moveTo', 'smartTag']);

/** The elements a parent shows mammoth: wrappers (a content control, custom XML, an insertion) read through. */
function shown(parent: XmlNode, name: string): XmlNode[] {
  return Array.from(parent.childNodes).flatMap((node) => {
    if (!isWord(node)) return [];
    if (node.localName === name) return [node];
    if (node.localName === 'sdt') {
      const content = child(node, 'sdtContent');
      return content ? shown(content, name) : [];
    }
    return THROUGH.has(node.localName ?? '') ? shown(node, name) : [];
  });
}

/** The rows of a table as mammoth reads them: not a row deleted as a tracked change. */
const rowsOf = (table: XmlNode) => shown(table, 'tr').filter((row) => !child(child(row, 'trPr'), 'del'));

/** A count of grid columns a cell spans or a row leaves out, as mammoth and Word read it. */
const columnsOf = (node: XmlNode, properties = 'tcPr', name = 'gridSpan', otherwise = 1) => {
  const n = Number.parseInt(value(child(child(node, properties), name)) ?? '', 10);
  return Number.isInteger(n) && n >= 0 && (n > 0 || otherwise === 0) ? n : otherwise;
};

const prefixOf = (node: XmlNode) => (node.nodeName.includes(':') ? `${node.nodeName.split(':')[0]}:` : '');

/** Whether a cell continues a merge down, as mammoth reads w:vMerge (no w:val is "continue"). */
function continuesMerge(cell: XmlNode): boolean {
  const merge = child(child(cell, 'tcPr'), 'vMerge');
  if (!merge) return false;
  const how = value(merge);
  return how === undefined || how === '' || how === 'continue';
}

/** The text a node's w:t elements print. */
const printed = (node: XmlNode) =>
  allWord(node, 't')
    .map((t) => t.textContent ?? '')
    .join('')
    .trim();

const quoted = (text: string) => `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;

/**
 * Bookmarks around a row or a table's columns taken out of the table, so that mammoth keeps its
 * merges: a bookmark prints nothing. Those inside a cell's paragraphs are left where they are.
 */
function takeOutBookmarks(document: XmlDocument): boolean {
  let changed = false;
  for (const mark of allWord(document, 'bookmarkStart')) {
    let parent = mark.parentNode;
    while (
      parent &&
      isWord(parent) &&
      (THROUGH.has(parent.localName ?? '') || parent.localName === 'sdtContent' || parent.localName === 'sdt')
    ) {
      parent = parent.parentNode;
    }
    if (parent && (isWord(parent, 'tr') || isWord(parent, 'tbl'))) {
      mark.parentNode?.removeChild(mark);
      changed = true;
    }
  }
  return changed;
}

/**
 * A row that starts past the table's first column (w:gridBefore) given a blank cell over the
 * columns it leaves out, as Word lays it out: mammoth lines a row's cells up from the first
 * column, so a cell merged down in it would join the cell of the wrong column above.
 */
function fillSkippedColumns(document: XmlDocument): boolean {
  let changed = false;
  for (const table of allWord(document, 'tbl')) {
    for (const row of rowsOf(table)) {
      const skipped = columnsOf(row, 'trPr', 'gridBefore', 0);
      if (skipped === 0) continue;
      const first = Array.from(row.childNodes).find(
        (node) => isWord(node) && node.localName !== 'trPr' && node.localName !== 'tblPrEx',
      );
      const cell = wordElement(row, 'tc');
      const properties = wordElement(row, 'tcPr');
      const span = wordElement(row, 'gridSpan');
      span.setAttributeNS(row.namespaceURI, `${prefixOf(row)}val`, String(skipped));
      properties.appendChild(span);
      cell.appendChild(properties);
      cell.appendChild(wordElement(row, 'p'));
      row.insertBefore(cell, first ?? null);
      changed = true;
    }
  }
  return changed;
}

/** Cells deleted as a tracked change out of their rows: the document as its changes leave it. */
function takeOutDeletedCells(document: XmlDocument): boolean {
  let changed = false;
  for (const cell of allWord(document, 'tc')) {
    if (child(child(cell, 'tcPr'), 'cellDel')) {
      cell.parentNode?.removeChild(cell);
      changed = true;
    }
  }
  return changed;
}

/**
 * The cells continuing a merge down that print text, named: table (every table of the part in
 * order, one inside a cell too), row and grid column counted from 1, the row by its first words.
 */
function textMergedAway(document: XmlDocument): string[] {
  const found: string[] = [];
  allWord(document, 'tbl').forEach((table, t) => {
    // A column is merged into when a row above has a cell starting at it, as mammoth counts.
    const started = new Set<number>();
    rowsOf(table).forEach((row, r) => {
      let column = 0;
      for (const cell of shown(row, 'tc')) {
        const text = started.has(column) && continuesMerge(cell) ? printed(cell) : '';
        if (text !== '') {
          const label = shown(row, 'tc')
            .map(printed)
            .find((words) => words !== '');
          const named = label === undefined || label === text ? '' : ` (${quoted(label)})`;
          found.push(`table ${t + 1}, row ${r + 1}${named}, column ${column + 1}: ${quoted(text)}`);
        }
        started.add(column);
        column += columnsOf(cell);
      }
    });
  });
  return found;
}

const NAMED = /<(?:[^\s<>:/!?]+:)?(?:vMerge|bookmarkStart|cellDel|gridBefore)[\s>/]/;

/** Whether a part may hold a table mammoth would misread: only then is it worth parsing. */
export const mayMisreadTables = (xml: string) => NAMED.test(xml) && /<(?:[^\s<>:/!?]+:)?tbl[\s>]/.test(xml);

/**
 * Puts right in a part's tables what mammoth would misread; whether anything changed, and, in
 * `mergedAway`, the cells whose text a merge would hide.
 */
export function readTablesRight(document: XmlDocument, mergedAway: string[]): boolean {
  const marks = takeOutBookmarks(document);
  const deleted = takeOutDeletedCells(document);
  const filled = fillSkippedColumns(document);
  mergedAway.push(...textMergedAway(document));
  return marks || deleted || filled;
}

/** The sentence a refusal gives for text in cells merged into the cell above. */
export const mergedAwaySentence = (cells: readonly string[]) =>
  `it has text in ${cells.length === 1 ? 'a cell' : 'cells'} merged into the cell above ` +
  `(${cells.join('; ')}): Word shows only the merged cell's first part, other programs may show ` +
  'that text too, so which figure is meant cannot be told. Split those cells in Word and type each ' +
  'figure in its own row, or clear the text Word does not show.';
