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
import type { Stream } from './running-labels.ts';
import type { Segment } from './running-segments.ts';
import { TABLE_NAMES } from './table-reading.ts';
import type { Problem, TableId } from './types.ts';

/** What a page number prints: 1 to 999. */
const PAGE = /^[1-9]\d{0,2}$/;
/** A count printed plainly: no sign, no decimals, no leading zero. */
const COUNT = /^(?:0|[1-9]\d*)$/;

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
  const last = tokens.at(-1);
  const at = tokens.length - 1;
  if (last?.kind !== 'digits' || !PAGE.test(last.text) || segment.printed[at] !== last.text) return null;
  if (segment.units[at] !== undefined || segment.marks[at] !== undefined) return null;
  const printed = stream.text.slice(segment.start, segment.end).trimEnd();
  const lineStart = printed.lastIndexOf('\n');
  if (lineStart < 0 || printed.slice(lineStart + 1).trim() !== last.text) return null;
  const figures = tokens.slice(0, -1);
  if (!figures.every((t, i) => t.kind === 'digits' && COUNT.test(t.text) && segment.units[i] === undefined))
    return null;
  if (figures.some((_, i) => segment.marks[i] !== undefined)) return null;
  const value = new Map(row.codes.map((code, i) => [code, Number(figures[i]?.text)]));
  const own = identitiesOf(version).filter((identity) =>
    [...identity.expected.cells, ...identity.actual.cells].every((c) => value.has(c)),
  );
  const lastCode = row.codes.at(-1) ?? '';
  if (!own.some((i) => [...i.expected.cells, ...i.actual.cells].includes(lastCode))) return null;
  const sum = (cells: readonly string[]) => cells.reduce((n, c) => n + (value.get(c) ?? 0), 0);
  if (!own.every((i) => sum(i.expected.cells) === sum(i.actual.cells))) return null;
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
      text: last.text,
      message: `Line ${line}, ${TABLE_NAMES[table]}: "${last.text}" alone on its line after the figures of row "${row.label}" is read as a page number: the row's figures before it fill its columns and keep its totals, so it is no figure of the row.`,
    },
  };
}
