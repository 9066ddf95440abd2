import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import type { ParseResult } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText } from '../support/fixtures.ts';

// Table 4 as agencies print it besides the template's one row of fifteen figures: a row for each
// proceeding, or 行政复议 and 行政诉讼 as two tables. The figures are the sample's own.
const example = fixtureText(EXAMPLE_V2021);
const html = readFileSync(fileURLToPath(new URL('../fixtures/formats/report.html', import.meta.url)), 'utf8');

const T4_TEXT = example.slice(
  example.indexOf('行政复议\t\t\t\t\t行政诉讼'),
  example.indexOf('\n', example.indexOf('2\t1\t0\t1\t4\t1\t0\t0\t1\t2')),
);
const T4_HTML = html.slice(
  html.indexOf('<table', html.indexOf('<h2>四、')),
  html.indexOf('</table>', html.indexOf('<h2>四、')) + '</table>'.length,
);

const t4 = (result: ParseResult) => {
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return Object.fromEntries(
    result.report.cells.filter((c) => c.code.startsWith('T4.')).map((c) => [c.code, c.value]),
  );
};
const expected = t4(parseReportText(example));
const page = async (table: string) =>
  (await parseDocument(new TextEncoder().encode(html.replace(T4_HTML, table)), {})).result;
const text = (table: string) => parseReportText(example.replace(T4_TEXT, table));
const refusal = (result: ParseResult) =>
  result.ok ? null : result.problems.map((p) => [p.code, p.table, p.message]);

const RESULTS = '结果维持\t结果纠正\t其他结果\t尚未审结\t总计';
const tabRows = (...rows: string[]) => [`\t${RESULTS}`, ...rows].join('\n');
const RESULT_CELLS = RESULTS.split('\t')
  .map((r) => `<td>${r}</td>`)
  .join('');
/** 行政复议 and 行政诉讼 as two tables, the sample's 行政复议 row and `litigation`'s ten cells. */
const twoTables = (litigation: string) => `<table><tr><td colspan="5">行政复议</td></tr>
<tr>${RESULT_CELLS}</tr>
<tr><td>2</td><td>1</td><td>0</td><td>1</td><td>4</td></tr></table>
<p>（续表）</p>
<table><tr><td colspan="10">行政诉讼</td></tr>
<tr><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr>${RESULT_CELLS.repeat(2)}</tr>
<tr>${litigation}</tr></table>`;

describe('table 4 printed as a row per proceeding, or as two tables', () => {
  it('the fixtures hold the sample table and its figures', () => {
    expect(T4_TEXT.split('\n')).toHaveLength(4);
    expect(T4_HTML).toContain('<td colspan="10">行政诉讼</td>');
    expect(Object.values(expected).map(Number)).toEqual([2, 1, 0, 1, 4, 1, 0, 0, 1, 2, 0, 1, 0, 0, 1]);
  });

  it('a web page: 行政复议 and 行政诉讼 as two tables', async () => {
    const litigation =
      '<td>1</td><td>0</td><td>0</td><td>1</td><td>2</td><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td>';
    expect(t4(await page(twoTables(litigation)))).toEqual(expected);
  });

  it('a web page: a row per proceeding, 行政诉讼 merged over the two kinds of lawsuit', async () => {
    const rows = `<table><tr><td colspan="2"></td>${RESULTS.split('\t')
      .map((r) => `<td>${r}</td>`)
      .join('')}</tr>
<tr><td colspan="2">行政复议</td><td>2</td><td>1</td><td>0</td><td>1</td><td>4</td></tr>
<tr><td rowspan="2">行政诉讼</td><td>未经复议直接起诉</td><td>1</td><td>0</td><td>0</td><td>1</td><td>2</td></tr>
<tr><td>复议后起诉</td><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td></tr></table>`;
    expect(t4(await page(rows))).toEqual(expected);
  });

  it('text: a row per proceeding, with or without 行政诉讼, and blanks kept where printed', () => {
    expect(
      t4(
        text(
          tabRows('行政复议\t2\t1\t0\t1\t4', '未经复议直接起诉\t1\t0\t0\t1\t2', '复议后起诉\t0\t1\t0\t0\t1'),
        ),
      ),
    ).toEqual(expected);
    expect(
      t4(
        text(
          tabRows(
            '行政复议\t\t2\t1\t0\t1\t4',
            '行政诉讼\t未经复议直接起诉\t1\t0\t0\t1\t2',
            '\t复议后起诉\t0\t1\t0\t0\t1',
          ),
        ),
      ),
    ).toEqual(expected);
    // A blank 其他结果 stays blank, in its column.
    const blank = t4(
      text(tabRows('行政复议\t2\t1\t\t1\t4', '未经复议直接起诉\t1\t0\t0\t1\t2', '复议后起诉\t0\t1\t0\t0\t1')),
    );
    expect(blank).toEqual({ ...expected, 'T4.REVIEW.OTHER': null });
  });

  it('a row per proceeding labelled 行政诉讼（未经复议直接起诉） and 行政诉讼（复议后起诉）', async () => {
    const labelled = (first: string, second: string) =>
      tabRows('行政复议\t2\t1\t0\t1\t4', `${first}\t1\t0\t0\t1\t2`, `${second}\t0\t1\t0\t0\t1`);
    for (const [direct, after] of [
      ['行政诉讼（未经复议直接起诉）', '行政诉讼（复议后起诉）'],
      ['行政诉讼-未经复议直接起诉', '行政诉讼-复议后起诉'],
      ['行政诉讼(未经复议直接起诉)', '行政诉讼(复议后起诉)'],
    ] as const) {
      expect(t4(text(labelled(direct, after))), direct).toEqual(expected);
      // The lawsuits in the other order are refused, as without 行政诉讼.
      expect(refusal(text(labelled(after, direct))), after).toEqual([
        ['DUPLICATE_ROW', 'T4', expect.stringContaining('in that order')],
      ]);
    }
    const rows = `<table><tr><td></td>${RESULT_CELLS}</tr>
<tr><td>行政复议</td><td>2</td><td>1</td><td>0</td><td>1</td><td>4</td></tr>
<tr><td>行政诉讼（未经复议直接起诉）</td><td>1</td><td>0</td><td>0</td><td>1</td><td>2</td></tr>
<tr><td>行政诉讼（复议后起诉）</td><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td></tr></table>`;
    expect(t4(await page(rows))).toEqual(expected);
    // A blank lawsuit row, as Shanghai prints 0, names its own kind too.
    const blankRow = rows.replace(
      '<td>0</td><td>1</td><td>0</td><td>0</td><td>1</td>',
      '<td></td><td></td><td></td><td></td><td></td>',
    );
    expect(t4(await page(blankRow))).toMatchObject({ 'T4.LITIGATION_AFTER_REVIEW.TOTAL': null });
  });

  it('a proceeding printed all blank (as Shanghai prints 0): its row of blanks, or the blank half of 行政诉讼', async () => {
    // Before, the row of figures was sought and not found, and the table refused as 5 values for 15 columns.
    const blankAfterReview = Object.fromEntries(
      Object.entries(expected).map(([code, value]) => [
        code,
        code.startsWith('T4.LITIGATION_AFTER_REVIEW.') ? null : value,
      ]),
    );
    const blanks = '<td></td>'.repeat(5);
    const litigation = `<td>1</td><td>0</td><td>0</td><td>1</td><td>2</td>${blanks}`;
    expect(t4(await page(twoTables(litigation)))).toEqual(blankAfterReview);
    const rows = `<table><tr><td></td>${RESULT_CELLS}</tr>
<tr><td>行政复议</td><td>2</td><td>1</td><td>0</td><td>1</td><td>4</td></tr>
<tr><td>未经复议直接起诉</td><td>1</td><td>0</td><td>0</td><td>1</td><td>2</td></tr>
<tr><td>复议后起诉</td>${blanks}</tr></table>`;
    expect(t4(await page(rows))).toEqual(blankAfterReview);
    // A blank row must be the next proceeding's, by its own label: one naming 行政复议 again is no row.
    const again = rows.replace('<td>复议后起诉</td>', '<td>行政复议</td>');
    expect((await page(again)).ok).toBe(false);
  });

  it('text: 行政复议 and 行政诉讼 as two tables, one under the other', () => {
    const tables = [
      '行政复议',
      RESULTS,
      '2\t1\t0\t1\t4',
      '行政诉讼',
      '未经复议直接起诉\t\t\t\t\t复议后起诉',
      `${RESULTS}\t${RESULTS}`,
      '1\t0\t0\t1\t2\t0\t1\t0\t0\t1',
    ].join('\n');
    expect(t4(text(tables))).toEqual(expected);
  });

  it('text whose cells are not separated (a PDF’s text layer): a row per proceeding', () => {
    const spaced = example.replaceAll('\t', ' ');
    const rows = [
      '结果维持 结果纠正 其他结果 尚未审结 总计',
      '行政复议 2 1 0 1 4',
      '行政诉讼 未经复议直接起诉 1 0 0 1 2',
      '复议后起诉 0 1 0 0 1',
    ].join('\n');
    expect(t4(parseReportText(spaced.replace(T4_TEXT.replaceAll('\t', ' '), rows)))).toEqual(expected);
    // The lawsuits in the other order: not read as rows, and the figures fill no row of fifteen.
    const swapped = rows
      .replace('未经复议直接起诉', '复议后起诉')
      .replace('\n复议后起诉', '\n未经复议直接起诉');
    expect(parseReportText(spaced.replace(T4_TEXT.replaceAll('\t', ' '), swapped)).ok).toBe(false);
  });

  it('text whose cells are not separated: 行政复议 and 行政诉讼 as two tables, however the lines run', () => {
    const spaced = example.replaceAll('\t', ' ');
    const results = RESULTS.replaceAll('\t', ' ');
    const parts = [
      '行政复议',
      results,
      '2 1 0 1 4',
      '行政诉讼',
      '未经复议直接起诉 复议后起诉',
      `${results} ${results}`,
      '1 0 0 1 2 0 1 0 0 1',
    ];
    const read = (table: string) => parseReportText(spaced.replace(T4_TEXT.replaceAll('\t', ' '), table));
    expect(t4(read(parts.join('\n')))).toEqual(expected);
    // A page dumped as one line; each title on its header's line.
    expect(t4(read(parts.join('')))).toEqual(expected);
    const titled = [`行政复议 ${results}`, parts[2], `行政诉讼 ${parts[4]} ${parts[5]}`, parts[6]];
    expect(t4(read(titled.join('\n')))).toEqual(expected);
    // The kinds of lawsuit in the other order, or not named: which five figures are whose cannot
    // be told, so nothing is read into them.
    const swapped = parts.map((p, i) => (i === 4 ? '复议后起诉 未经复议直接起诉' : p));
    expect(read(swapped.join('\n')).ok).toBe(false);
    expect(read(parts.filter((_p, i) => i !== 4).join('\n')).ok).toBe(false);
  });

  it('rows that are not one per proceeding in the template’s order are refused, saying what is read', () => {
    const refused = [
      // The lawsuits in the other order.
      tabRows('行政复议\t2\t1\t0\t1\t4', '复议后起诉\t0\t1\t0\t0\t1', '未经复议直接起诉\t1\t0\t0\t1\t2'),
      // A row printed twice.
      tabRows('行政复议\t2\t1\t0\t1\t4', '行政复议\t2\t1\t0\t1\t5', '行政诉讼\t1\t0\t0\t1\t2\t0\t1\t0\t0\t1'),
      // A row without a label: which proceeding it is cannot be told.
      tabRows('行政复议\t2\t1\t0\t1\t4', '\t1\t0\t0\t1\t2', '复议后起诉\t0\t1\t0\t0\t1'),
      // A row of six figures.
      tabRows('行政复议\t2\t1\t0\t1\t4\t7', '未经复议直接起诉\t1\t0\t0\t1\t2', '复议后起诉\t0\t1\t0\t0\t1'),
      // One proceeding missing.
      tabRows('行政复议\t2\t1\t0\t1\t4', '未经复议直接起诉\t1\t0\t0\t1\t2'),
      // The template's row of fifteen, then another row.
      `${T4_TEXT}\n复议后起诉\t0\t1\t0\t0\t1`,
    ];
    for (const table of refused) {
      expect(refusal(text(table)), table).toEqual([
        [
          'DUPLICATE_ROW',
          'T4',
          expect.stringMatching(/one row of five for each proceeding .* in that order/),
        ],
      ]);
    }
  });
});

describe('table 4: a figure is never taken for a label, and a missing row of figures is a gap', () => {
  const ROW = '2\t1\t0\t1\t4\t1\t0\t0\t1\t2\t0\t1\t0\t0\t1';
  const withRow = (row: string) => example.replace(ROW, row);

  it('a unit on the first figure, with a blank cell after the row (a copied Word table)', async () => {
    // "2件" was taken for the row's label and the trailing blank made fifteen cells again, so
    // every figure went one column left and the identities still held for the blanks.
    expect(t4(parseReportText(withRow(`2件\t${ROW.slice(2)}\t`)))).toEqual(expected);
    expect(t4(parseReportText(withRow(ROW.replaceAll(/\d+/g, (n) => `${n}件`))))).toEqual(expected);
    const page = html.replace(
      '<td>2</td><td>1</td><td>0</td><td>1</td><td>4</td>',
      '<td>2件</td><td>1</td><td>0</td><td>1</td><td>4</td>',
    );
    expect(page).not.toBe(html);
    const cells = t4(
      (
        await parseDocument(
          new TextEncoder().encode(
            page.replace('<td>1</td></tr>\n</tbody>', '<td>1</td><td></td></tr>\n</tbody>'),
          ),
          {},
        )
      ).result,
    );
    expect(cells).toEqual(expected);
  });

  it('a footnote mark or a percent on the first figure is refused by its cell, not read one column off', () => {
    for (const first of ['2*', '2%']) {
      expect(refusal(parseReportText(withRow(`${first}\t${ROW.slice(2)}\t`)))).toEqual([
        [
          'NOT_A_NUMBER',
          'T4',
          expect.stringContaining(`column "行政复议 结果维持": "${first}" is not a number`),
        ],
      ]);
    }
  });

  it('the header without its row of figures is incomplete, not a report without findings', () => {
    const cut = parseReportText(withRow(''));
    expect(cut.ok).toBe(false);
    expect(refusal(cut)?.filter(([code]) => code === 'MISSING_ROW')).toEqual(
      ['行政复议', '行政诉讼 未经复议直接起诉', '行政诉讼 复议后起诉'].map((row) => [
        'MISSING_ROW',
        'T4',
        expect.stringContaining(`row "${row}" of the V2021 template is missing`),
      ]),
    );
    const partial = parseReportText(withRow(''), { allowPartial: true });
    if (!partial.ok) throw new Error('a partial read keeps what is there');
    expect(partial.report.cells.filter((c) => c.code.startsWith('T4.')).map((c) => c.status)).toEqual(
      Array(15).fill('MISSING'),
    );
  });
});
