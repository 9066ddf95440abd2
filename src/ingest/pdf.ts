/**
 * PDF to lines with pdfjs-dist. A PDF has no tables, only positioned text and drawn
 * rules, so tables are rebuilt from the rules: the horizontal and vertical lines of a
 * ruled table give its row and column boundaries, a missing rule between two slots
 * means a merged cell, and text is placed in the cell that contains it. Text in one
 * cell that wraps over several lines (a long row label, or a narrow table-4 header that
 * comes out one character per line) is joined back into one cell. Pages without ruled
 * tables fall back to grouping text by baseline and splitting cells at wide gaps.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DEFAULT_INPUT_LIMITS, InputLimitError, type InputLimits } from './limits.ts';
import type { Line } from './lines.ts';

interface Item {
  text: string;
  /** Left end of the baseline, page coordinates (origin bottom-left). */
  x: number;
  y: number;
  /** Extent along the baseline, and font size. */
  width: number;
  size: number;
}

interface Segment {
  /** Horizontal: y fixed, x from a to b. Vertical: x fixed, y from a to b. */
  at: number;
  a: number;
  b: number;
}

interface Row {
  /** Top edge, for ordering with the rest of the page. */
  top: number;
  cells: string[] | null;
  text: string;
  /** Text lines only: where the line starts and ends, and its font size. */
  left?: number;
  right?: number;
  size?: number;
  /** Width of a Latin word (a URL, an e-mail address) that starts the line and did not fit on the previous one. */
  leadingWord?: number;
}

const TOLERANCE = 2;
/** Filled rectangles thinner than this are rules (Word draws borders this way). */
const RULE_THICKNESS = 3;

const pdfjsRoot = () => dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [
  m[0] * x + m[2] * y + m[4],
  m[1] * x + m[3] * y + m[5],
];

/** Reads the PDF's text and table rules, page by page, into lines. */
/**
 * The page count a PDF's page tree states in plain text (`<< /Type /Pages /Count 5000 >>`),
 * read without loading the document; null when it sits in a compressed object stream.
 */
function statedPageCount(bytes: Uint8Array): number | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let most: number | null = null;
  for (const m of text.matchAll(/\/Count\s+(\d+)/g)) {
    // The dictionary around this /Count (outlines count too, but are not /Type /Pages).
    const at = m.index ?? 0;
    const dictionary = text.slice(text.lastIndexOf('<<', at), text.indexOf('>>', at));
    if (/\/Type\s*\/Pages\b/.test(dictionary)) most = Math.max(most ?? 0, Number(m[1]));
  }
  return most;
}

export async function pdfToLines(
  bytes: Uint8Array,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Promise<Line[]> {
  // Refused before pdfjs reads the whole cross-reference table (seconds for 5,000 pages).
  const stated = statedPageCount(bytes);
  if (stated !== null && stated > limits.maxPdfPages) {
    throw new InputLimitError(
      'maxPdfPages',
      `The PDF has ${stated.toLocaleString('en')} pages`,
      limits.maxPdfPages,
    );
  }
  // Loaded on first use: pdfjs is large and most imports are text or HTML.
  const { getDocument, OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const root = pdfjsRoot();
  const task = getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: `${join(root, 'cmaps')}/`,
    cMapPacked: true,
    standardFontDataUrl: `${join(root, 'standard_fonts')}/`,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  const document = await task.promise;
  try {
    if (document.numPages > limits.maxPdfPages) {
      throw new InputLimitError(
        'maxPdfPages',
        `The PDF has ${document.numPages.toLocaleString('en')} pages`,
        limits.maxPdfPages,
      );
    }
    const rows: Row[] = [];
    for (let p = 1; p <= document.numPages; p++) {
      const page = await document.getPage(p);
      const [, , , pageTop] = page.view;
      const content = await page.getTextContent();
      const items: Item[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a, b, , , e, f] = item.transform as Matrix;
        items.push({
          text: item.str,
          x: e,
          y: f,
          width: item.width,
          size: Math.hypot(a, b) || item.height || 10,
        });
      }
      const segments = rulesOf(await page.getOperatorList(), OPS);
      rows.push(...layoutPage(items, segments, pageTop ?? 842));
      page.cleanup();
    }
    return rows.map((row, i) => ({ number: i + 1, text: row.text, cells: row.cells }));
  } finally {
    await document.destroy();
  }
}

/** Horizontal and vertical rules drawn on a page (stroked lines, rectangle edges, thin filled bars). */
function rulesOf(
  list: { fnArray: number[]; argsArray: unknown[] },
  OPS: Record<string, number>,
): { horizontal: Segment[]; vertical: Segment[] } {
  const horizontal: Segment[] = [];
  const vertical: Segment[] = [];
  let ctm: Matrix = IDENTITY;
  const stack: Matrix[] = [];
  let pending: { lines: [number, number, number, number][]; rects: [number, number, number, number][] } = {
    lines: [],
    rects: [],
  };
  const addLine = (x1: number, y1: number, x2: number, y2: number) => {
    if (Math.abs(y1 - y2) <= 0.5 && Math.abs(x1 - x2) > TOLERANCE)
      horizontal.push({ at: (y1 + y2) / 2, a: Math.min(x1, x2), b: Math.max(x1, x2) });
    else if (Math.abs(x1 - x2) <= 0.5 && Math.abs(y1 - y2) > TOLERANCE)
      vertical.push({ at: (x1 + x2) / 2, a: Math.min(y1, y2), b: Math.max(y1, y2) });
  };
  const commit = (stroked: boolean, filled: boolean) => {
    for (const [x1, y1, x2, y2] of pending.lines) addLine(x1, y1, x2, y2);
    for (const [x1, y1, x2, y2] of pending.rects) {
      const w = x2 - x1;
      const h = y2 - y1;
      if (filled && !stroked && h <= RULE_THICKNESS && w > h) addLine(x1, (y1 + y2) / 2, x2, (y1 + y2) / 2);
      else if (filled && !stroked && w <= RULE_THICKNESS && h > w)
        addLine((x1 + x2) / 2, y1, (x1 + x2) / 2, y2);
      else if (stroked) {
        addLine(x1, y1, x2, y1);
        addLine(x1, y2, x2, y2);
        addLine(x1, y1, x1, y2);
        addLine(x2, y1, x2, y2);
      }
    }
    pending = { lines: [], rects: [] };
  };
  list.fnArray.forEach((fn, index) => {
    const args = list.argsArray[index] as unknown[] | null;
    switch (fn) {
      case OPS.save:
        stack.push(ctm);
        break;
      case OPS.restore:
        ctm = stack.pop() ?? IDENTITY;
        break;
      case OPS.transform:
        ctm = multiply(ctm, args as Matrix);
        break;
      case OPS.paintFormXObjectBegin:
        stack.push(ctm);
        if (Array.isArray(args?.[0])) ctm = multiply(ctm, args[0] as Matrix);
        break;
      case OPS.paintFormXObjectEnd:
        ctm = stack.pop() ?? IDENTITY;
        break;
      case OPS.constructPath: {
        const ops = (args?.[0] ?? []) as number[];
        const coords = (args?.[1] ?? []) as number[];
        let j = 0;
        let current: [number, number] = [0, 0];
        let start: [number, number] = [0, 0];
        for (const op of ops) {
          if (op === OPS.rectangle) {
            const [x, y, w, h] = coords.slice(j, j + 4) as [number, number, number, number];
            j += 4;
            const [ax, ay] = apply(ctm, x, y);
            const [bx, by] = apply(ctm, x + w, y + h);
            pending.rects.push([Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)]);
          } else if (op === OPS.moveTo) {
            current = apply(ctm, coords[j] ?? 0, coords[j + 1] ?? 0);
            start = current;
            j += 2;
          } else if (op === OPS.lineTo) {
            const next = apply(ctm, coords[j] ?? 0, coords[j + 1] ?? 0);
            pending.lines.push([current[0], current[1], next[0], next[1]]);
            current = next;
            j += 2;
          } else if (op === OPS.curveTo) {
            current = apply(ctm, coords[j + 4] ?? 0, coords[j + 5] ?? 0);
            j += 6;
          } else if (op === OPS.curveTo2 || op === OPS.curveTo3) {
            current = apply(ctm, coords[j + 2] ?? 0, coords[j + 3] ?? 0);
            j += 4;
          } else if (op === OPS.closePath) {
            pending.lines.push([current[0], current[1], start[0], start[1]]);
            current = start;
          }
        }
        break;
      }
      case OPS.stroke:
      case OPS.closeStroke:
        commit(true, false);
        break;
      case OPS.fill:
      case OPS.eoFill:
        commit(false, true);
        break;
      case OPS.fillStroke:
      case OPS.eoFillStroke:
      case OPS.closeFillStroke:
      case OPS.closeEOFillStroke:
        commit(true, true);
        break;
      case OPS.endPath:
        pending = { lines: [], rects: [] };
        break;
    }
  });
  return { horizontal: mergeSegments(horizontal), vertical: mergeSegments(vertical) };
}

/** Joins collinear pieces of one rule (tables are often drawn one cell edge at a time). */
function mergeSegments(segments: Segment[]): Segment[] {
  const sorted = [...segments].sort((s, t) => s.at - t.at || s.a - t.a);
  const merged: Segment[] = [];
  for (const s of sorted) {
    const last = merged.findLast(
      (m) => Math.abs(m.at - s.at) <= 1 && s.a <= m.b + TOLERANCE && s.b >= m.a - TOLERANCE,
    );
    if (last) {
      last.a = Math.min(last.a, s.a);
      last.b = Math.max(last.b, s.b);
    } else merged.push({ ...s });
  }
  return merged;
}

/** Distinct positions, within the tolerance, in ascending order. */
function cluster(values: number[]): number[] {
  const out: number[] = [];
  for (const v of [...values].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last === undefined || v - last > TOLERANCE) out.push(v);
  }
  return out;
}

interface Table {
  left: number;
  right: number;
  bottom: number;
  top: number;
  /** Column boundaries left to right; row boundaries top to bottom. */
  xs: number[];
  ys: number[];
  horizontal: Segment[];
  vertical: Segment[];
}

/** Groups rules that touch into tables; a lone box or an underline is not a table. */
function findTables(horizontal: Segment[], vertical: Segment[]): Table[] {
  const all = [...horizontal.map((s) => ({ s, h: true })), ...vertical.map((s) => ({ s, h: false }))];
  const parent = all.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      const up = parent[i] ?? i;
      parent[i] = parent[up] ?? up;
      i = up;
    }
    return i;
  };
  all.forEach((h, i) => {
    if (!h.h) return;
    all.forEach((v, j) => {
      if (v.h) return;
      const touches =
        v.s.at >= h.s.a - TOLERANCE &&
        v.s.at <= h.s.b + TOLERANCE &&
        h.s.at >= v.s.a - TOLERANCE &&
        h.s.at <= v.s.b + TOLERANCE;
      if (touches) parent[find(i)] = find(j);
    });
  });
  const groups = new Map<number, typeof all>();
  all.forEach((entry, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), entry]);
  });
  const tables: Table[] = [];
  for (const group of groups.values()) {
    const hs = group.filter((g) => g.h).map((g) => g.s);
    const vs = group.filter((g) => !g.h).map((g) => g.s);
    const xs = cluster(vs.map((v) => v.at));
    const ys = cluster(hs.map((h) => h.at)).reverse();
    if (xs.length < 2 || ys.length < 2 || (xs.length - 1) * (ys.length - 1) < 2) continue;
    tables.push({
      left: xs[0] ?? 0,
      right: xs.at(-1) ?? 0,
      top: ys[0] ?? 0,
      bottom: ys.at(-1) ?? 0,
      xs,
      ys,
      horizontal: hs,
      vertical: vs,
    });
  }
  return tables;
}

/** Centre of an item's box; the baseline sits about a quarter of the size below it. */
const centre = (item: Item): [number, number] => [item.x + item.width / 2, item.y + item.size * 0.3];

const isCjk = (c: string | undefined) =>
  c !== undefined && /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(c);

/** Joins items on one visual line, adding a space only where the gap is word-sized. */
function joinLine(items: Item[]): string {
  let text = '';
  let end: number | null = null;
  for (const item of [...items].sort((a, b) => a.x - b.x)) {
    if (end !== null && item.x - end > item.size * 0.25 && !text.endsWith(' ')) text += ' ';
    text += item.text;
    end = item.x + item.width;
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** Items grouped into visual lines, top to bottom. */
function visualLines(items: Item[]): Item[][] {
  const lines: { y: number; size: number; items: Item[] }[] = [];
  for (const item of [...items].sort((a, b) => b.y - a.y || a.x - b.x)) {
    const line = lines.find((l) => Math.abs(l.y - item.y) <= Math.max(l.size, item.size) * 0.4);
    if (line) line.items.push(item);
    else lines.push({ y: item.y, size: item.size, items: [item] });
  }
  return lines.sort((a, b) => b.y - a.y).map((l) => l.items);
}

/** Text of one cell: its visual lines joined, without a space between wrapped CJK text. */
function cellText(items: Item[]): string {
  let text = '';
  for (const line of visualLines(items)) {
    const next = joinLine(line);
    if (text && next && !(isCjk(text.at(-1)) || isCjk(next[0]))) text += ' ';
    text += next;
  }
  return text;
}

/**
 * The table as a grid of slots between its boundaries. Slots with no rule between them
 * belong to one merged cell, whose text goes to its top-left slot.
 */
function tableRows(table: Table, items: Item[]): Row[] {
  const { xs, ys } = table;
  const rowCount = ys.length - 1;
  const colCount = xs.length - 1;
  const id = (r: number, c: number) => r * colCount + c;
  const parent = Array.from({ length: rowCount * colCount }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] ?? i;
    return i;
  };
  const union = (i: number, j: number) => {
    const [a, b] = [find(i), find(j)];
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  };
  const covered = (rules: Segment[], at: number, point: number) =>
    rules.some(
      (s) => Math.abs(s.at - at) <= TOLERANCE && point >= s.a - TOLERANCE && point <= s.b + TOLERANCE,
    );
  for (let r = 0; r < rowCount; r++) {
    const midY = ((ys[r] ?? 0) + (ys[r + 1] ?? 0)) / 2;
    for (let c = 0; c < colCount; c++) {
      const midX = ((xs[c] ?? 0) + (xs[c + 1] ?? 0)) / 2;
      if (c + 1 < colCount && !covered(table.vertical, xs[c + 1] ?? 0, midY)) union(id(r, c), id(r, c + 1));
      if (r + 1 < rowCount && !covered(table.horizontal, ys[r + 1] ?? 0, midX)) union(id(r, c), id(r + 1, c));
    }
  }
  const slotOf = (boundaries: number[], value: number, descending: boolean) => {
    for (let i = 0; i < boundaries.length - 1; i++) {
      const [a, b] = [boundaries[i] ?? 0, boundaries[i + 1] ?? 0];
      if (descending ? value <= a && value > b : value >= a && value < b) return i;
    }
    return -1;
  };
  const contents = new Map<number, Item[]>();
  for (const item of items.flatMap((i) => splitAtRules(i, xs, table.vertical))) {
    const [cx, cy] = centre(item);
    const r = slotOf(ys, cy, true);
    const c = slotOf(xs, cx, false);
    if (r < 0 || c < 0) continue;
    const cell = find(id(r, c));
    contents.set(cell, [...(contents.get(cell) ?? []), item]);
  }
  const rows: Row[] = [];
  for (let r = 0; r < rowCount; r++) {
    // As in HTML: a cell spanning several columns is one cell (its other slots are dropped),
    // and a cell reaching down from the row above leaves an empty slot.
    const midY = ((ys[r] ?? 0) + (ys[r + 1] ?? 0)) / 2;
    /** Whether the cell starting at column c is closed by a rule on its right (a slot past a short row's end is not). */
    const closed = (c: number) => {
      let right = c;
      while (right + 1 < colCount && find(id(r, right + 1)) === find(id(r, c))) right++;
      return covered(table.vertical, xs[right + 1] ?? 0, midY);
    };
    const cells = Array.from({ length: colCount }, (_, c) => c).flatMap((c) => {
      if (!closed(c)) return [];
      const slot = id(r, c);
      const root = find(slot);
      if (root === slot) return [cellText(contents.get(slot) ?? [])];
      return root % colCount === c ? [''] : [];
    });
    if (cells.some((c) => c !== '')) rows.push({ top: ys[r] ?? 0, cells, text: cells.join('\t') });
  }
  return rows;
}

/**
 * Some PDF writers (Chromium's, for one) put neighbouring cells of a row in one text run:
 * "本年废止件数 现行有效件数" across a vertical rule. Such a run is cut where a rule crosses
 * it, at the space nearest the rule, else at the character the rule falls on (characters
 * taken as equally wide), so each cell keeps its own text.
 */
function splitAtRules(item: Item, xs: readonly number[], vertical: readonly Segment[]): Item[] {
  const y = item.y + item.size * 0.3;
  const rule = xs.find(
    (x) =>
      x > item.x + item.size * 0.5 &&
      x < item.x + item.width - item.size * 0.5 &&
      vertical.some((s) => Math.abs(s.at - x) <= TOLERANCE && y >= s.a - TOLERANCE && y <= s.b + TOLERANCE),
  );
  if (rule === undefined || item.text.length < 2) return [item];
  const perChar = item.width / item.text.length;
  const estimate = Math.round((rule - item.x) / perChar);
  const spaces = [...item.text.matchAll(/ +/g)].map((m) => m.index ?? 0);
  const cut =
    spaces.length > 0
      ? spaces.reduce((best, i) => (Math.abs(i - estimate) < Math.abs(best - estimate) ? i : best))
      : Math.min(Math.max(estimate, 1), item.text.length - 1);
  const left = { ...item, text: item.text.slice(0, cut).trimEnd(), width: cut * perChar };
  const rest = item.text.slice(cut);
  const skipped = rest.length - rest.trimStart().length;
  const right = {
    ...item,
    text: rest.trimStart(),
    x: item.x + (cut + skipped) * perChar,
    width: item.width - (cut + skipped) * perChar,
  };
  return [left, ...splitAtRules(right, xs, vertical)].filter((i) => i.text !== '');
}

const PAGE_NUMBER = /^[-—–\s]*(?:第\s*)?\d{1,4}\s*页?(?:\s*[/／]\s*共?\s*\d{1,4}\s*页?)?[-—–\s]*$/;
const HEADING = /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])/;
/** Wider gaps than this (in font sizes) split a line of an unruled table into cells. */
const CELL_GAP = 1.5;

function layoutPage(
  items: Item[],
  rules: { horizontal: Segment[]; vertical: Segment[] },
  pageTop: number,
): Row[] {
  const tables = findTables(rules.horizontal, rules.vertical);
  const inTable = (item: Item) => {
    const [cx, cy] = centre(item);
    return tables.find((t) => cx >= t.left && cx <= t.right && cy <= t.top && cy >= t.bottom);
  };
  const byTable = new Map<Table, Item[]>();
  const loose: Item[] = [];
  for (const item of items) {
    const table = inTable(item);
    if (table) byTable.set(table, [...(byTable.get(table) ?? []), item]);
    else loose.push(item);
  }
  const rows: Row[] = tables.flatMap((t) => tableRows(t, byTable.get(t) ?? []));
  for (const line of visualLines(loose)) {
    const size = Math.max(...line.map((i) => i.size));
    const top = Math.max(...line.map((i) => i.y + i.size));
    const left = Math.min(...line.map((i) => i.x));
    const right = Math.max(...line.map((i) => i.x + i.width));
    const text = joinLine(line);
    const margin = top > pageTop * 0.93 || top < pageTop * 0.08;
    if (margin && PAGE_NUMBER.test(text)) continue;
    // Unruled tables: columns show only as wide gaps.
    const sorted = [...line].sort((a, b) => a.x - b.x);
    const groups: Item[][] = [];
    let end = Number.NEGATIVE_INFINITY;
    for (const item of sorted) {
      const last = groups.at(-1);
      if (last && item.x - end <= item.size * CELL_GAP) last.push(item);
      else groups.push([item]);
      end = item.x + item.width;
    }
    if (groups.length > 1) {
      const cells = groups.map(joinLine);
      rows.push({ top, cells, text: cells.join('\t') });
    } else rows.push({ top, cells: null, text, left, right, size, leadingWord: leadingWordWidth(sorted) });
  }
  rows.sort((a, b) => b.top - a.top);
  return joinWrappedLines(rows);
}

/** A Latin word cannot be broken, and takes the character before it along (箱:name@example.com). */
const LEADING_WORD = /^[^\x21-\x7e\s]?[\x21-\x7e]+[)）。，,；;]*/;

function leadingWordWidth(sorted: Item[]): number {
  const first = sorted[0];
  if (!first) return 0;
  const text = joinLine(sorted);
  const word = LEADING_WORD.exec(text)?.[0] ?? '';
  const right = Math.max(...sorted.map((i) => i.x + i.width));
  return text.length > 0 ? ((right - first.x) * word.length) / text.length : 0;
}

/**
 * A paragraph wraps into several lines in a PDF. A line that starts at the left margin
 * (or one indent in) and runs to the right edge continues on the next one, unless that
 * one starts a new heading. Right-aligned signature lines are not paragraphs.
 */
function joinWrappedLines(rows: Row[]): Row[] {
  const text = rows.filter((r) => r.cells === null);
  if (text.length === 0) return rows;
  const rightEdge = Math.max(...text.map((r) => r.right ?? 0));
  const leftEdge = Math.min(...text.map((r) => r.left ?? 0));
  const out: Row[] = [];
  for (const row of rows) {
    const previous = out.at(-1);
    const size = row.size ?? 10;
    const continues =
      previous !== undefined &&
      previous.cells === null &&
      row.cells === null &&
      (previous.right ?? 0) >= rightEdge - size * 3 - (row.leadingWord ?? 0) &&
      (previous.left ?? 0) <= leftEdge + size * 2.5 &&
      (row.left ?? 0) <= leftEdge + size * 0.5 &&
      Math.abs((previous.size ?? 0) - size) < 0.5 &&
      previous.top - row.top < size * 2.5 &&
      !HEADING.test(row.text);
    if (continues && previous) {
      const glue = isCjk(previous.text.at(-1)) || isCjk(row.text[0]) ? '' : ' ';
      previous.text += glue + row.text;
      previous.right = row.right;
      previous.top = row.top;
    } else out.push({ ...row });
  }
  return out;
}
