/**
 * HTML report pages to lines. Most reports are published as web pages: the report sits
 * among navigation, breadcrumbs and footers, and its tables use rowspan/colspan. The
 * page is parsed with a real HTML parser, the page chrome is dropped, paragraphs
 * become lines and every table becomes a grid whose rows become table lines.
 */
import { type DefaultTreeAdapterTypes, parse } from 'parse5';
import { allText, attr, childrenOf, isElement } from './html-cascade.ts';
import { doubtMatters, markedDoubtedFigures } from './html-doubts.ts';
import { pageStyles } from './html-hidden.ts';
import { markedSmallerBefore, markedSmallerPiece, markedSmallerText } from './html-smaller.ts';
import {
  cellText,
  collapse,
  type Element,
  FOOTNOTE_CLOSE,
  FOOTNOTE_OPEN,
  hidingOf,
  isBlock,
  isChrome,
  isFootnoteMark,
  NOTHING_HIDDEN,
  type Node,
  type Page,
  REORDERING_CLOSE,
  raisedIsMark,
  reorderingOf,
  SECTIONING,
  showsNothing,
  showsText,
  tablesIn,
  withoutReorderings,
} from './html-text.ts';
import { resolveVariables } from './html-variables.ts';
import { DEFAULT_INPUT_LIMITS, InputLimitError, type InputLimits } from './limits.ts';
import {
  blanksSplitOf,
  classifyLine,
  isFigureCell,
  type LaidOutCell,
  type Line,
  labelFillers,
  readableCells,
} from './lines.ts';
import { titleMarkIn } from './metadata.ts';
import { compact, markMergedFigure, printedCells } from './text.ts';
import { markedUnseen } from './unseen-text.ts';

/** Browsers clamp spans to these. */
const MAX_COLSPAN = 1000;
const MAX_ROWSPAN = 65534;

/**
 * The tr elements of a table that a browser shows, not those of tables nested inside it, in the
 * order it shows them: the first thead on top and the first tfoot at the bottom, wherever the
 * source puts them (HTML 4 wrote tfoot before tbody), the other groups in source order. A hidden
 * row (or row group) takes no place; its rowspans reach no further rows. `groupEnds[r]` is where
 * row r's group ends: a rowspan stops there, as on screen, and never reaches into the next group.
 */
function tableRowsOf(table: Element, page: Page): { rows: Element[]; groupEnds: number[] } {
  const groups: { tag: string; rows: Element[] }[] = [];
  let loose: Element[] | null = null;
  const shown = (row: Node): row is Element =>
    isElement(row) && row.tagName === 'tr' && !showsNothing(row, page);
  for (const child of childrenOf(table)) {
    if (!isElement(child) || showsNothing(child, page)) continue;
    if (child.tagName === 'tr') {
      // Rows straight under the table (a parser that adds no tbody) form one group per run.
      if (!loose) {
        loose = [];
        groups.push({ tag: 'tbody', rows: loose });
      }
      loose.push(child);
      continue;
    }
    loose = null;
    if (child.tagName === 'thead' || child.tagName === 'tbody' || child.tagName === 'tfoot') {
      groups.push({ tag: child.tagName, rows: childrenOf(child).filter(shown) });
    }
  }
  const head = groups.find((g) => g.tag === 'thead');
  const foot = groups.find((g) => g.tag === 'tfoot');
  const ordered = [
    ...(head ? [head] : []),
    ...groups.filter((g) => g !== head && g !== foot),
    ...(foot ? [foot] : []),
  ];
  const rows: Element[] = [];
  const groupEnds: number[] = [];
  for (const group of ordered) {
    rows.push(...group.rows);
    while (groupEnds.length < rows.length) groupEnds.push(rows.length);
  }
  return { rows, groupEnds };
}

const span = (value: string | undefined, max: number) => {
  const n = Number.parseInt(value ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : 1;
};

/**
 * The columns a <col> or <colgroup> collapses (visibility: collapse in its style, or its
 * group's): a browser shows none of their cells, so a figure there is one no reader sees (a
 * collapsed 总计 column was read as printed). Of a column's style a browser applies only that
 * (and widths, borders, backgrounds) to its cells: a column's visibility: hidden, colour or font
 * size hides nothing, so the style must say collapse, and the cascade must not undo it.
 */
function collapsedColumns(table: Element, page: Page): Set<number> {
  const collapsed = new Set<number>();
  const says = (element: Element) => /visibility\s*:\s*collapse/i.test(attr(element, 'style') ?? '');
  let c = 0;
  const take = (element: Element, group: Element, count: number) => {
    if ((says(element) || says(group)) && hidingOf(element, page) === 'invisible')
      for (let i = 0; i < count; i++) collapsed.add(c + i);
    c += count;
  };
  for (const group of childrenOf(table)) {
    if (!isElement(group) || group.tagName !== 'colgroup') continue;
    const cols = childrenOf(group).filter((n): n is Element => isElement(n) && n.tagName === 'col');
    if (cols.length === 0) take(group, group, span(attr(group, 'span'), MAX_COLSPAN));
    for (const col of cols) take(col, group, span(attr(col, 'span'), MAX_COLSPAN));
  }
  return collapsed;
}
const COLLAPSED =
  'its column is collapsed (a <col> or <colgroup> with visibility: collapse), so a browser shows none of it';

interface TableLayout {
  grid: string[][];
  /** Slots covered by a cell's colspan (not its first column): no cell of their own. */
  spanned: boolean[][];
  /** Slots a cell of a row above reaches down into (rowspan): a merged label's, or its figure's. */
  below: boolean[][];
}

function layoutTable(table: Element, insideSection: boolean, page: Page): TableLayout {
  const { limits } = page;
  const { rows, groupEnds } = tableRowsOf(table, page);
  let slots = 0;
  const grid: (string | undefined)[][] = rows.map(() => []);
  const spanned: boolean[][] = rows.map(() => []);
  const below: boolean[][] = rows.map(() => []);
  const collapsed = collapsedColumns(table, page);
  rows.forEach((tr, r) => {
    let c = 0;
    for (const cell of childrenOf(tr)) {
      if (!isElement(cell) || (cell.tagName !== 'td' && cell.tagName !== 'th')) continue;
      // A cell not laid out takes no column (the next cell moves into it, as on screen); one
      // laid out but not painted keeps its column and shows nothing.
      const hiding = hidingOf(cell, page);
      if (hiding === 'removed') continue;
      const row = grid[r] ?? [];
      while (row[c] !== undefined) c++;
      // rowspan="0" spans the rest of the row group; no span reaches past it.
      const rest = (groupEnds[r] ?? rows.length) - r;
      // Read as a browser reads it: "00" and " 0" are 0 too.
      const rowspanText = attr(cell, 'rowspan');
      const rowspan =
        Number.parseInt(rowspanText ?? '1', 10) === 0 ? rest : span(rowspanText, Math.min(MAX_ROWSPAN, rest));
      const colspan = span(attr(cell, 'colspan'), MAX_COLSPAN);
      // Spans multiply: 2,000 rows of rowspan="0" colspan="100" would expand to 200 million slots.
      slots += rowspan * colspan;
      if (slots > limits.maxGridCells) {
        throw new InputLimitError(
          'maxGridCells',
          `An HTML table expands to more than ${limits.maxGridCells.toLocaleString('en')} cells once its rowspan and colspan are applied`,
          limits.maxGridCells,
        );
      }
      const shown = hiding === 'unpainted' ? '' : cellText(cell, insideSection, page);
      // A cell reaching past a collapsed column into a shown one is shown, clipped.
      const hidden =
        collapsed.size > 0 && Array.from({ length: colspan }, (_, j) => c + j).every((i) => collapsed.has(i));
      const text = hidden && shown.trim() !== '' ? markedUnseen(shown, COLLAPSED) : shown;
      // A figure in a cell merged down over rows belongs to none of them for sure: it is put in
      // each, marked, and refused there by the value reader. A label so merged names its rows.
      const merged = rowspan > 1 && isFigureCell(text);
      for (let i = 0; i < rowspan; i++) {
        const target = grid[r + i];
        const covered = spanned[r + i];
        const reached = below[r + i];
        if (!target || !covered || !reached) continue;
        for (let j = 0; j < colspan; j++) {
          target[c + j] = j > 0 ? '' : merged ? markMergedFigure(text) : i === 0 ? text : '';
          covered[c + j] = j > 0;
          reached[c + j] = i > 0;
        }
      }
      c += colspan;
    }
  });
  return {
    grid: grid.map((row) => Array.from({ length: row.length }, (_, i) => row[i] ?? '')),
    spanned: spanned.map((row, r) => Array.from({ length: grid[r]?.length ?? 0 }, (_, i) => row[i] ?? false)),
    below,
  };
}

/**
 * Expands rowspan/colspan into a grid. A spanned cell's text sits in its first slot and
 * the slots it covers are empty, as merged cells come out of a copied table; a figure merged
 * down over rows is in each row's slot, marked (text.ts markMergedFigure).
 */
export function tableGrid(table: Element, insideSection = false, page = NOTHING_HIDDEN): string[][] {
  return layoutTable(table, insideSection, page).grid;
}

/**
 * The table's rows as the parser reads them: a cell spanning several columns is one cell
 * (one value printed across two grid columns is one value, wherever the header's columns
 * are split), and a label reaching down from a row above (rowspan) leaves an empty slot, as
 * a merged label does in copied text; a figure so merged is in each row, marked. A row with a
 * blank over several of the table's columns also has it split, one blank a column
 * (Line.blanksSplit). Blank cells that fill out a label's columns are the label's
 * (lines.ts labelFillers).
 */
function tableRows(
  table: Element,
  insideSection: boolean,
  page: Page,
): Pick<Line, 'cells' | 'blanksSplit'>[] {
  const { grid, spanned, below } = layoutTable(table, insideSection, page);
  // Where the table's rows start a cell: its columns, however its header groups them.
  const starts = new Set<number>();
  let width = 0;
  grid.forEach((row, r) => {
    width = Math.max(width, row.length);
    row.forEach((_, c) => {
      if (!spanned[r]?.[c]) starts.add(c);
    });
  });
  const startsIn = (from: number, to: number) => {
    let n = 0;
    for (let c = from; c < to; c++) if (starts.has(c)) n++;
    return Math.max(n, 1);
  };
  // Each row's cells where they stand: a cell spanning several columns is one cell.
  const laidOut = grid.map((row, r) => {
    const cells: LaidOutCell[] = [];
    for (let c = 0; c < row.length; c++) {
      if (spanned[r]?.[c]) continue;
      let end = c + 1;
      while (end < row.length && spanned[r]?.[end]) end++;
      cells.push({ text: row[c] ?? '', from: c, to: end });
    }
    return cells;
  });
  const fillers = labelFillers(laidOut);
  /** The row's texts, and how many of the table's columns each spans (for Line.blanksSplit). */
  const textsAndSpans = (r: number, laid: readonly LaidOutCell[]) => {
    const cells: string[] = [];
    const spans: number[] = [];
    let labelled = false;
    for (const { text, from, to } of laid) {
      cells.push(text);
      // Before the row's first words, a blank that a cell of a row above reaches down into is
      // that cell's (a merged label's), not columns of its own.
      spans.push(below[r]?.[from] && !labelled ? 1 : startsIn(from, to));
      if (text !== '') labelled = true;
    }
    return { cells, spans };
  };
  return grid.map((row, r) => {
    const read = readableCells(laidOut[r] ?? [], fillers[r], (laid) => textsAndSpans(r, laid).spans);
    const { cells, spans } = textsAndSpans(r, read.cells);
    // A row that leaves out cells does not reach the table's last column: whether it lost them
    // at its end or from its middle (the cells after moving left) cannot be told.
    return row.length < width || !read.split ? { cells } : { cells, ...blanksSplitOf(cells, spans) };
  });
}

/**
 * A table used for page layout is read as blocks: one cell holding the whole page, or a frame
 * around nested tables of rows of their own (the report's tables, a menu), or a frame of a few
 * columns. A table of figures with a small table inside a cell (a header cell built as a table
 * of one or two rows) is a table of figures: three rows of three cells or more say so.
 */
function isLayoutTable(table: Element, page: Page): boolean {
  const { rows } = tableRowsOf(table, page);
  const cellsOf = (row: Element) => childrenOf(row).filter((c) => isElement(c) && /^t[dh]$/.test(c.tagName));
  if (rows.flatMap(cellsOf).length <= 1) return true;
  const nested = tablesIn(table);
  if (nested.length === 0) return false;
  return (
    nested.some((t) => tableRowsOf(t, page).rows.length >= 3) ||
    rows.filter((r) => cellsOf(r).length >= 3).length < 3
  );
}

/** Refuses a page with too many elements or elements nested too deep, before anything walks it. */
function checkSize(document: Node, limits: InputLimits) {
  let elements = 0;
  const stack: [Node, number][] = [[document, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() ?? [document, 0];
    if (depth > limits.maxHtmlDepth) {
      throw new InputLimitError(
        'maxHtmlDepth',
        `The HTML nests elements more than ${limits.maxHtmlDepth} deep`,
        limits.maxHtmlDepth,
      );
    }
    if (isElement(node) && ++elements > limits.maxHtmlElements) {
      throw new InputLimitError(
        'maxHtmlElements',
        `The HTML has more than ${limits.maxHtmlElements.toLocaleString('en')} elements`,
        limits.maxHtmlElements,
      );
    }
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
}

/** Turns an HTML page into lines of text and table rows. */
export function htmlToLines(html: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): Line[] {
  const document = parse(html);
  checkSize(document, limits);
  if (html.includes('var(')) resolveVariables(document);
  const page: Page = { limits, ...pageStyles(document, limits) };
  const out: Omit<Line, 'number'>[] = [];
  let buffer = '';
  // The text of the block's links, to tell a link to a report from the report's title.
  let linked = '';
  let inLink = 0;
  let pre = 0;
  // The reorderings open around the walk (Page.directions): a line of them opens with each.
  const reorderings: string[] = [];
  // Why the text of the elements open around the walk may not be seen (Page.doubts), innermost last.
  const doubts: string[] = [];
  const flush = () => {
    const pieces = pre > 0 ? buffer.split(/\r\n|\r|\n/) : [collapse(buffer)];
    const linksTitle = linked !== '' && titleMarkIn(compact(linked)) !== null;
    for (const piece of pieces) {
      const raw = pre > 0 ? piece.replace(/\s+$/, '') : piece.trim();
      if (withoutReorderings(raw).trim() === '') continue;
      const line = classifyLine(raw);
      out.push(linksTitle && !line.cells ? { ...line, linksTitle } : line);
    }
    buffer = reorderings.join('');
    linked = '';
  };
  const walk = (node: Node, insideSection: boolean, shown: boolean) => {
    if (node.nodeName === '#text') {
      const value = (node as DefaultTreeAdapterTypes.TextNode).value;
      const doubt = doubts[doubts.length - 1];
      const text = doubt === undefined ? value : markedDoubtedFigures(value, doubt);
      const hiding = shown ? page.hidden.get(node) : undefined;
      if (hiding === 'larger') buffer = markedSmallerBefore(buffer);
      if (shown) buffer += hiding === 'smaller' ? markedSmallerText(buffer, text) : text;
      if (shown && inLink > 0) linked += (node as DefaultTreeAdapterTypes.TextNode).value;
      return;
    }
    if (!isElement(node)) {
      for (const child of childrenOf(node)) walk(child, insideSection, shown);
      return;
    }
    if (isChrome(node, insideSection, page)) return;
    const tag = node.tagName;
    if (tag === 'br') {
      if (pre > 0) buffer += '\n';
      else flush();
      return;
    }
    const section = insideSection || SECTIONING.has(tag);
    if (tag === 'table' && !isLayoutTable(node, page)) {
      flush();
      for (const child of childrenOf(node)) {
        if (isElement(child) && child.tagName === 'caption') {
          const caption = cellText(child, section, page);
          if (caption) out.push({ text: caption, cells: null });
        }
      }
      for (const row of tableRows(node, section, page)) {
        const { cells } = row;
        if (cells?.some((c) => c !== '')) out.push({ text: printedCells(cells).join('\t'), ...row });
      }
      return;
    }
    const block = isBlock(node, page);
    if (block) flush();
    if (tag === 'pre') pre++;
    // As in a cell (cellText): a piece raised by style opening its line is no mark beside a figure.
    const mark =
      isFootnoteMark(node, page) && (page.hidden.get(node) !== 'raised' || raisedIsMark(node, buffer, page));
    if (mark) buffer += FOOTNOTE_OPEN;
    const link = tag === 'a' && node.attrs.some((a) => a.name === 'href');
    if (link) inLink++;
    const from = buffer.length;
    // Each line the element's text is on opens with its reordering (flush), blocks' lines too.
    const reordering = reorderingOf(node, page);
    if (reordering) {
      buffer += reordering;
      reorderings.push(reordering);
    }
    // A piece of a line (an inline element) whose text may not be seen: its figures are refused
    // with the row they are in. A whole block's doubt (a paragraph's colour) is not carried here:
    // its lines hold the title, dates and words as well, which are read as printed.
    const doubt = block ? undefined : page.doubts.get(node);
    const doubted = doubt !== undefined && doubtMatters(doubt, allText(node));
    if (doubted) doubts.push(doubt);
    for (const child of childrenOf(node)) walk(child, section, showsText(node, page));
    if (doubted) doubts.pop();
    if (reordering) {
      reorderings.pop();
      buffer += REORDERING_CLOSE;
    }
    if (link) inLink--;
    if (mark) buffer += FOOTNOTE_CLOSE;
    // As in a cell: a line's smaller digits are refused where its figures are read (running-rows.ts).
    if (page.hidden.get(node) === 'smaller') {
      buffer = buffer.slice(0, from) + markedSmallerPiece(buffer.slice(0, from), buffer.slice(from));
    }
    if (tag === 'pre') pre--;
    if (block) flush();
  };
  walk(document, false, true);
  flush();

  if (!out.some((l) => !l.cells && !l.linksTitle && titleMarkIn(compact(l.text)))) {
    // Some pages print the title only in <title>, usually followed by the site name.
    const title = findTitle(document);
    const part = title
      ?.split(/[_|｜-]|——/)
      .map((p) => p.trim())
      .find((p) => titleMarkIn(compact(p)));
    if (part) out.unshift({ text: part, cells: null });
  }
  return out.map((l, i) => ({ number: i + 1, ...l }));
}

function findTitle(node: Node): string | null {
  if (isElement(node) && node.tagName === 'title') return cellText(node, false, NOTHING_HIDDEN);
  for (const child of childrenOf(node)) {
    const found = findTitle(child);
    if (found) return found;
  }
  return null;
}
