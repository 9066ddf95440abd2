/** A line of report text; table rows also carry their cells. */
export interface Line {
  /** 1-based line number in the decoded text. */
  number: number;
  text: string;
  /** Cells when the line is a table row (tab- or pipe-separated), otherwise null. */
  cells: string[] | null;
}

/**
 * A pipe row: between outer pipes, with a spaced pipe (a | b), or with two pipes or more and no
 * spaces (规章|0|0|0, as a spreadsheet saves "|"-separated text). One bare pipe is prose
 * (标题|网站名).
 */
const PIPE_ROW = /^\s*\|.*\|\s*$|\s\|\s|^[^|]*\|[^|]*\|/;
const MARKDOWN_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/**
 * Splits text into lines and table rows. Tables arrive tab-separated (text copied from
 * a web page or Word) or as "a | b | c" rows; merged cells come out as empty cells.
 */
export function toLines(text: string): Line[] {
  return text.split(/\r\n|\r|\n/).map((raw, index) => {
    const { cells } = classifyLine(raw);
    return { number: index + 1, text: raw, cells };
  });
}

/** One line of text: a table row when tab- or pipe-separated, otherwise plain text. */
export function classifyLine(raw: string): Omit<Line, 'number'> {
  if (raw.includes('\t')) return { text: raw, cells: raw.split('\t').map((c) => c.trim()) };
  // Most lines are prose: no pipe, so neither pattern below can match.
  if (!raw.includes('|')) return { text: raw, cells: null };
  if (MARKDOWN_RULE.test(raw)) return { text: raw, cells: [] };
  if (PIPE_ROW.test(raw)) {
    const inner = raw.trim().replace(/^\|/, '').replace(/\|$/, '');
    return { text: raw, cells: inner.split('|').map((c) => c.trim()) };
  }
  return { text: raw, cells: null };
}
