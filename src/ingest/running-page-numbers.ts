/**
 * A page number printed alone on a line after a table row, in running text without page breaks
 * (a PDF's text layer copied without its form feeds, on pages numbered 3 and nothing else): read
 * as one more of the row's figures, it made the row one figure too wide, and the report was
 * refused. It is dropped only where it cannot be a figure: the row's own figures, one a token
 * and each a plain count, already fill its columns and keep every identity of the template
 * within the row (table 3's 总计, table 4's totals), among them one over its last cell. Then the
 * number is no further figure of the row (it has none to fill), nor the rest of its last figure
 * wrapped onto the next line (that would change a total the identity just checked).
 */
import { identitiesOf } from '../catalogue/identities.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import type { ValueToken } from './digit-runs.ts';
import type { Stream } from './running-labels.ts';
import { rowRefusal, type Segment } from './running-segments.ts';
import { TABLE_NAMES } from './table-reading.ts';
import type { Problem, TableId } from './types.ts';

/** What a page number prints: 1 to 999. */
const PAGE = /^[1-9]\d{0,2}$/;
/** A count printed plainly: no sign, no decimals, no leading zero. */
const COUNT = /^(?:0|[1-9]\d*)$/;

/**
 * Where the segment's last token, a number a page may print (1 to 999), stands alone on the
 * segment's last line: that line's start in the segment's text; -1 where it does not.
 */
function aloneAtEnd(stream: Stream, segment: Segment): number {
  const at = segment.tokens.length - 1;
  const last = segment.tokens[at];
  if (last?.kind !== 'digits' || !PAGE.test(last.text) || segment.printed[at] !== last.text) return -1;
  if (segment.units[at] !== undefined || segment.marks[at] !== undefined) return -1;
  const printed = stream.text.slice(segment.start, segment.end).trimEnd();
  const lineStart = printed.lastIndexOf('\n');
  return lineStart >= 0 && printed.slice(lineStart + 1).trim() === last.text ? lineStart : -1;
}

/**
 * Whether `figures` (one a column of `codes`), plain counts, keep every identity of the template
 * within the row; null where they are not all plain counts or no identity within the row is over
 * its last cell (nothing to check them by).
 */
function keepsTotals(
  version: TemplateVersion,
  codes: readonly string[],
  segment: Segment,
  figures: readonly ValueToken[],
): boolean | null {
  if (!figures.every((t, i) => t.kind === 'digits' && COUNT.test(t.text) && segment.units[i] === undefined))
    return null;
  if (figures.some((_, i) => segment.marks[i] !== undefined)) return null;
  const value = new Map(codes.map((code, i) => [code, Number(figures[i]?.text)]));
  const own = identitiesOf(version).filter((identity) =>
    [...identity.expected.cells, ...identity.actual.cells].every((c) => value.has(c)),
  );
  const lastCode = codes.at(-1) ?? '';
  if (!own.some((i) => [...i.expected.cells, ...i.actual.cells].includes(lastCode))) return null;
  const sum = (cells: readonly string[]) => cells.reduce((n, c) => n + (value.get(c) ?? 0), 0);
  return own.every((i) => sum(i.expected.cells) === sum(i.actual.cells));
}

/**
 * `segment` without the page number alone on its last line, and the warning saying so; null
 * where its last token is not such a number or may be a figure.
 */
export function withoutPageNumber(
  stream: Stream,
  table: TableId,
  version: TemplateVersion,
  row: { label: string; codes: readonly string[] },
  segment: Segment,
): { segment: Segment; warning: Problem } | null {
  const { tokens } = segment;
  if (tokens.length !== row.codes.length + 1) return null;
  const lineStart = aloneAtEnd(stream, segment);
  const figures = tokens.slice(0, -1);
  if (lineStart < 0 || keepsTotals(version, row.codes, segment, figures) !== true) return null;
  const number = tokens.at(-1)?.text ?? '';
  const line = stream.lineAt(segment.start + lineStart + 1);
  return {
    segment: {
      ...segment,
      tokens: figures,
      printed: segment.printed.slice(0, -1),
      units: segment.units.slice(0, -1),
      marks: segment.marks.slice(0, -1),
      end: segment.start + lineStart,
    },
    warning: {
      code: 'PAGE_NUMBER',
      severity: 'warning',
      table,
      row: row.label,
      line,
      text: number,
      message: `Line ${line}, ${TABLE_NAMES[table]}: "${number}" alone on its line after the figures of row "${row.label}" is read as a page number: the row's figures before it fill its columns and keep its totals, so it is no figure of the row.`,
    },
  };
}

/**
 * The refusal of a row whose figures fill it only with a number alone on the line after the rest
 * (…41 6 0 0 2 0 / 3), and break the row's total with it: a page number where the row left a cell
 * blank (its blank gone from the text) reads so, as does a misprinted total wrapped onto the next
 * line. Read, the page number was stored as the row's 总计. Null for any other row, and where the
 * row's figures are printed one a line (each alone: nothing sets the last apart).
 */
export function pageNumberInBlank(
  stream: Stream,
  table: TableId,
  version: TemplateVersion,
  row: { label: string; codes: readonly string[] },
  segment: Segment,
): Problem | null {
  const { tokens } = segment;
  if (tokens.length !== row.codes.length || tokens.length < 3) return null;
  const lineStart = aloneAtEnd(stream, segment);
  if (lineStart < 0) return null;
  const before = stream.text.slice(segment.start, segment.start + lineStart);
  if (!before.split('\n').some((l) => l.trim().split(/\s+/).length >= 2)) return null;
  if (keepsTotals(version, row.codes, segment, tokens) !== false) return null;
  const printed = stream.text.slice(segment.start, segment.end).trim();
  const last = tokens.at(-1)?.text ?? '';
  const line = stream.lineAt(segment.start);
  return rowRefusal(
    'MISSING_CELL',
    table,
    row.label,
    line,
    printed,
    `the figures "${printed}" fill the row's ${row.codes.length} columns only with "${last}", alone on the next line, and with it they break the row's total: it may be a page number printed where the row left a cell blank (a blank leaves nothing in this text), so which column each figure belongs to cannot be told. Check the row against the document.`,
  );
}
