/**
 * A web page's blank cell merged across several columns (`<td colspan="5">&nbsp;</td>` under
 * five applicant columns): on screen it is a blank under each column, but the row came out
 * with fewer cells than columns and the whole report was refused ("3 values for 7 columns").
 * It now reads as the blanks it shows. Still refused: a figure merged across columns, a row
 * short of a cell for another reason (one that leaves out its last cells among them), and a
 * row of a ragged grid (a Word export's borders not lining up from row to row) whose blanks
 * may stand for one column or two. The same page printed to PDF by Chromium (ruled cells, as
 * published PDFs draw them) reads the same: a merged cell there is slots with no rule between
 * them, over page breaks too. So does a Word file's cell spanning grid columns
 * (`<w:gridSpan w:val="2"/>`). A blank corner cell before table 4's header is no column, with a
 * merged blank in the row of figures too (the two made up the count: 5 was read under 结果纠正).
 * So is a blank cell filling out a label narrowed to one of its columns (821 was read under 商业企业).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';
import type { ParseResult } from '../../../src/ingest/types.ts';
import { launchChromium, printedRuled } from '../../support/chromium.ts';
import { docxWithDocumentXml } from '../../support/hostile-files.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const page = existsSync(SHARED) ? readFileSync(`${SHARED}shanghai-bgt-2019.html`, 'utf8') : '';

/** The `<tr>` holding `label` (the first one after `after`), its cells and where it stands. */
function rowOf(html: string, label: string, after = '') {
  const at = html.indexOf(`>${label}<`, html.indexOf(after));
  expect(at, label).toBeGreaterThan(0);
  const start = html.lastIndexOf('<tr>', at);
  const end = html.indexOf('</tr>', at) + '</tr>'.length;
  const cells = html.slice(start, end).match(/<td[^>]*>[\s\S]*?<\/td>/g) ?? [];
  return { start, end, cells };
}
/** The page with the row of `label` made of `cells` (its own, rearranged by `change`). */
function withRow(label: string, change: (cells: string[]) => string[], after = '', html = page) {
  const row = rowOf(html, label, after);
  return `${html.slice(0, row.start)}<tr>${change(row.cells).join('')}</tr>${html.slice(row.end)}`;
}

/**
 * Table 3 as a Word export's ragged grid: the header's 社会公益组织 cell over two grid columns,
 * each row's 科研机构 cell over two, so the borders between them do not line up. It reads as the
 * page does; a blank over two grid columns there may be one column or two.
 */
function ragged(html: string) {
  const [from, to] = [html.indexOf('三、收到和处理'), html.indexOf('四、政府信息公开行政复议')];
  const table = html
    .slice(from, to)
    .replace(
      'colspan="7" nowrap="nowrap" style="width:355px;"',
      'colspan="8" nowrap="nowrap" style="width:355px;"',
    )
    .replace(
      'colspan="5" nowrap="nowrap" style="width:255px;"',
      'colspan="6" nowrap="nowrap" style="width:255px;"',
    )
    .replace(
      '<td nowrap="nowrap" style="width:66px;"><p align="center">社会公益组织',
      '<td colspan="2" nowrap="nowrap" style="width:66px;"><p align="center">社会公益组织',
    )
    .replace(/<tr>[\s\S]*?<\/tr>/g, (row) => {
      const cells = row.match(/<td[^>]*>[\s\S]*?<\/td>/g) ?? [];
      if (cells.length < 7 || row.includes('商业企业')) return row;
      cells[cells.length - 5] = (cells.at(-5) ?? '').replace('<td', '<td colspan="2"');
      return `<tr>${cells.join('')}</tr>`;
    });
  return html.slice(0, from) + table + html.slice(to);
}
const merged = (columns: number, text = '&nbsp;') =>
  `<td colspan="${columns}" nowrap="nowrap"><p align="center">${text}</p></td>`;
/** The page with a blank cell before table 4's header, reaching down over `rows` of its rows. */
const corner = (rows: number) =>
  withRow(
    '行政复议',
    (cells) => [merged(1).replace('<td', `<td rowspan="${rows}"`), ...cells],
    '四、政府信息公开行政复议',
  );

async function parse(document: string | Uint8Array): Promise<ParseResult> {
  const bytes = typeof document === 'string' ? new TextEncoder().encode(document) : document;
  return (await parseDocument(bytes)).result;
}
const figures = (result: ParseResult) =>
  result.ok ? Object.fromEntries(result.report.cells.map((c) => [c.code, c.value])) : null;
const problems = (result: ParseResult) =>
  result.ok ? [] : result.problems.map((p) => [p.code, p.table, p.row, p.column]);

const CARRIED_OVER = '二、上年结转政府信息公开申请数量';
const NEW = '一、本年新收政府信息公开申请数量';
const PARTLY = '（二）部分公开（区分处理的，只计这一情形，不计其他情形）';

/** 一's label in the first of its three columns, a blank over the other two, and 科研机构 and 社会公益组织 as one blank. */
const narrowedWithMergedBlank = () =>
  withRow(NEW, ([label, a, b, , , ...rest]) => [
    (label ?? '').replace('colspan="3"', ''),
    merged(2),
    a ?? '',
    b ?? '',
    merged(2),
    ...rest,
  ]);

/** Blanks merged across columns, each read as the page it changes was. */
const readable = (): Record<string, string> => ({
  // 18 | five blank 法人或其他组织 columns as one cell | 18
  'five applicant columns': withRow(CARRIED_OVER, ([label, natural, , , , , , total]) => [
    label ?? '',
    natural ?? '',
    merged(5),
    total ?? '',
  ]),
  // 821 | 35 | 科研机构 and 社会公益组织 as one blank | 2 | 1 | 859
  'two columns inside the row': withRow(NEW, ([label, a, b, , , ...rest]) => [
    label ?? '',
    a ?? '',
    b ?? '',
    merged(2),
    ...rest,
  ]),
  // 3 | six blanks, 总计 among them, as one cell
  'to the end of the row': withRow(PARTLY, ([label, figure]) => [label ?? '', figure ?? '', merged(6)]),
  // 科研机构 and 社会公益组织 blank in both 本年新收 and 上年结转: one blank cell over two rows
  'two columns over two rows': withRow(
    CARRIED_OVER,
    ([label, a, b, , , ...rest]) => [label ?? '', a ?? '', b ?? '', ...rest],
    '',
    withRow(NEW, ([label, a, b, , , ...rest]) => [
      label ?? '',
      a ?? '',
      b ?? '',
      merged(2).replace('<td', '<td rowspan="2"'),
      ...rest,
    ]),
  ),
  // A blank cell before the label, over two of the label's three columns, the label in the third
  'a blank before the label': withRow(CARRIED_OVER, ([label, natural, , , , , , total]) => [
    merged(2),
    (label ?? '').replace('colspan="3"', ''),
    natural ?? '',
    merged(5),
    total ?? '',
  ]),
  // The label in the first of its three columns, a blank cell over the other two, and 科研机构
  // and 社会公益组织 as one blank: the label's blank made up the count, and 821 was read under 商业企业
  'a label narrowed, a blank beside it, and a merged blank': narrowedWithMergedBlank(),
  // the same with a blank cell in each of the label's other columns
  'a label narrowed, two blanks beside it, and a merged blank': withRow(NEW, ([label, a, b, , , ...rest]) => [
    (label ?? '').replace('colspan="3"', ''),
    merged(1),
    merged(1),
    a ?? '',
    b ?? '',
    merged(2),
    ...rest,
  ]),
  // a sub-row's label (under 三、本年度办理结果) in the first of its two columns: 258 was read under 商业企业
  'a sub-row’s label narrowed, a blank beside it, and a merged blank': withRow(
    '（一）予以公开',
    ([group, label, a, b, , , ...rest]) => [
      group ?? '',
      (label ?? '').replace('colspan="2"', ''),
      merged(1),
      a ?? '',
      b ?? '',
      merged(2),
      ...rest,
    ],
  ),
  // table 4: 复议后起诉's five blank results as one cell
  'table 4, one proceeding': withRow('5', (cells) => [...cells.slice(0, 10), merged(5)], '未经复议直接起诉'),
  // table 4: 行政复议's 结果纠正 and 其他结果 as one blank
  'table 4, inside a proceeding': withRow(
    '5',
    ([first, , , ...rest]) => [first ?? '', merged(2), ...rest],
    '未经复议直接起诉',
  ),
  // table 4 with a blank corner cell over its header's rows, and one before its row of figures
  'table 4, a blank corner column': withRow(
    '5',
    (cells) => [merged(1), ...cells],
    '未经复议直接起诉',
    corner(3),
  ),
  // the corner over the whole table, and 结果纠正 and 其他结果 as one blank: the two made up the
  // count, and the corner's blank was read as 结果维持's, 5 as 结果纠正's
  'table 4, a corner over the whole table and a merged blank': withRow(
    '5',
    ([first, , , ...rest]) => [first ?? '', merged(2), ...rest],
    '未经复议直接起诉',
    corner(4),
  ),
  // the corner over the header's rows, its blank before the figures, and the merged blank
  'table 4, a blank corner column and a merged blank': withRow(
    '5',
    ([first, , , ...rest]) => [merged(1), first ?? '', merged(2), ...rest],
    '未经复议直接起诉',
    corner(3),
  ),
});

interface Refused {
  html: string;
  /** The problem expected among the refusal's: code, table, row, column. */
  problem: [string, string, string, string];
}
const gap = (row: string): Refused['problem'] => ['MISSING_CELL', 'T3', row, '自然人'];

/** Rows short of a cell that no blank explains, or whose blanks may be one column or two: refused. */
const refused = (): Record<string, Refused> => ({
  // 18 | 0 merged across five columns | 18: which column the 0 is under cannot be told
  'a figure merged across columns': {
    problem: gap(CARRIED_OVER),
    html: withRow(CARRIED_OVER, ([label, natural, , , , , , total]) => [
      label ?? '',
      natural ?? '',
      merged(5, '0'),
      total ?? '',
    ]),
  },
  // 821 | 35 | one blank for two columns | 2 | 859: 其他's 1 is gone as well, so 859 shows
  // under 其他 and nothing under 总计; whether a cell was lost there or in the middle is unknown
  'a cell lost besides': {
    problem: gap(NEW),
    html: withRow(NEW, ([label, a, b, , , legal, , total]) => [
      label ?? '',
      a ?? '',
      b ?? '',
      merged(2),
      legal ?? '',
      total ?? '',
    ]),
  },
  // 3, and no cells after it: the six blanks may as well be a lost cell and five blanks
  'cells left out at the end': {
    problem: gap('（二）部分公开'),
    html: withRow(PARTLY, ([label, figure]) => [label ?? '', figure ?? '']),
  },
  // Table 3's header in a table of its own, and in the rows' table 一's label narrowed to one
  // column with a blank beside it, and a merged blank: with no header above the rows, the blank
  // may be the label's or a column blank on every row (as 0 printed blank is), and the two
  // readings put 821 a column apart. Read by the count, 821 went under 商业企业.
  'a header apart, a label narrowed, a blank beside it, and a merged blank': {
    problem: gap(NEW),
    html: narrowedWithMergedBlank().replace(
      /(>商业企业<[\s\S]*?<\/tr>)/,
      '$1</tbody></table><table border="1"><tbody>',
    ),
  },
  // Table 2's grid is ragged on the real page (上一年项目数量's 0 over two grid columns, the
  // header's 本年增/减 over the next two): its figures there span two column starts.
  'table 2, a figure over two grid columns': {
    problem: ['MISSING_CELL', 'T2', '行政处罚', '本年增/减'],
    html: withRow('行政处罚', ([label, first]) => [label ?? '', first ?? '', merged(2)]),
  },
  // 行政许可 | blank over two grid columns | 5 over two: 5 may be 本年增/减's or 处理决定数量's
  'table 2, a blank and a figure each over two grid columns': {
    problem: ['MISSING_CELL', 'T2', '行政许可', '本年增/减'],
    html: withRow('行政许可', ([label]) => [label ?? '', merged(2), merged(2, '5')]),
  },
  // Ragged table 3: 821 | 35 | 科研机构's blank (two grid columns) | 社会公益组织's | 2 | 其他 and
  // 总计 as one blank. Split at every grid column the blanks are eight: the row is refused,
  // where dropping one blank at its end put 2 under 其他.
  'a ragged grid, blanks over more grid columns than columns': {
    problem: gap(NEW),
    html: withRow(NEW, (cells) => [...cells.slice(0, 6), merged(2)], '', ragged(page)),
  },
  // Ragged table 3: blank | 35 | 科研机构's blank | 社会公益组织 and 法律服务机构 as one | 1 | 36:
  // dropping the leading blank put 35 under 自然人.
  'a ragged grid, a blank at each end': {
    problem: gap(NEW),
    html: withRow(
      NEW,
      ([label, , b, c, , , other]) => [
        label ?? '',
        merged(1),
        b ?? '',
        c ?? '',
        merged(2),
        other ?? '',
        merged(1, '36'),
      ],
      '',
      ragged(page),
    ),
  },
});

describe.runIf(existsSync(SHARED))('a blank cell merged across columns, on the real Shanghai page', () => {
  it('reads as the blanks it shows, where the report was refused', async () => {
    const original = figures(await parse(page));
    expect(original?.['T3.CARRIED_OVER.NATURAL_PERSON']).toBe('18');
    expect(original?.['T3.CARRIED_OVER.TOTAL']).toBe('18');
    for (const [name, html] of Object.entries(readable())) {
      expect(html, name).not.toBe(page);
      const result = await parse(html);
      expect(problems(result), name).toEqual([]);
      expect(figures(result), name).toEqual(original);
    }
  });

  it('table 4: a blank merged over the first two columns of its row of figures', async () => {
    const original = figures(await parse(page));
    // 5 | blank | blank | 2 | 7 | …, with 行政复议's 结果维持 left blank and merged with 结果纠正
    const html = withRow('5', ([, , ...rest]) => [merged(2), ...rest], '未经复议直接起诉');
    const result = await parse(html);
    expect(problems(result)).toEqual([]);
    const read = figures(result);
    const changed = Object.keys(original ?? {}).filter((code) => read?.[code] !== original?.[code]);
    expect(changed.map((code) => [code, original?.[code], read?.[code]])).toEqual([
      ['T4.REVIEW.UPHELD', '5', null],
    ]);
    // A blank corner over the header's rows, and a row of figures with no cell under it, its
    // first figure blank: one cell short of the header, so the blank is 结果维持's, not the
    // corner's, and the row reads as its cells come.
    const short = await parse(
      withRow('5', ([, ...rest]) => [merged(1), ...rest], '未经复议直接起诉', corner(3)),
    );
    expect(problems(short)).toEqual([]);
    expect(figures(short)).toEqual(read);
  });

  it('a column blank on every row is a column, whatever a wider label of another row covers', async () => {
    const [from, to] = [page.indexOf('三、收到和处理'), page.indexOf('四、政府信息公开行政复议')];
    // 自然人 printed blank on every row of table 3 (Shanghai prints 0 as blank), and a note row
    // at its end over the labels' three columns and 自然人's: the note's words there made 自然人's
    // blanks the labels' own, and every row was refused short of a cell.
    const blankNaturalPerson =
      page.slice(0, from) +
      page.slice(from, to).replace(/<tr>[\s\S]*?<\/tr>/g, (row) => {
        const cells = row.match(/<td[^>]*>[\s\S]*?<\/td>/g) ?? [];
        if (cells.length < 8) return row;
        const at = cells.length - 7;
        cells[at] = (cells[at] ?? '').replace(/<p([^>]*)>[\s\S]*?<\/p>/, '<p$1>&nbsp;</p>');
        return `<tr>${cells.join('')}</tr>`;
      }) +
      page.slice(to);
    const noted = (html: string) => {
      const end = html.lastIndexOf('</tr>', html.indexOf('四、政府信息公开行政复议')) + '</tr>'.length;
      return `${html.slice(0, end)}<tr>${merged(4, '注：本表数据为本机关收到的申请')}${merged(6)}</tr>${html.slice(end)}`;
    };
    const blanked = figures(await parse(blankNaturalPerson));
    expect(blanked?.['T3.NEW_REQUESTS.NATURAL_PERSON']).toBeNull();
    expect(blanked?.['T3.NEW_REQUESTS.COMMERCIAL_ENTERPRISE']).toBe('35');
    const result = await parse(noted(blankNaturalPerson));
    expect(problems(result)).toEqual([]);
    expect(figures(result)).toEqual(blanked);
    // V2021's table 2 with (五), (六) and (八)'s labels over three columns (their one figure in
    // the last), and 本年制发件数 and 本年废止件数 printed blank in both rows of (一): those
    // columns are named by (一)'s header, not the labels' own.
    const fixture = readFileSync(new URL('../../fixtures/formats/report.html', import.meta.url), 'utf8');
    const wideLabels = fixture
      .replaceAll('<td>信息内容</td><td colspan="3">', '<td colspan="3">信息内容</td><td>')
      .replace(
        /<td>(行政许可|行政处罚|行政强制|行政事业性收费)<\/td><td colspan="3">/g,
        '<td colspan="3">$1</td><td>',
      );
    const zerosBlank = wideLabels
      .replace(
        '<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>',
        '<tr><td>规章</td><td></td><td></td><td>0</td></tr>',
      )
      .replace(
        '<tr><td>行政规范性文件</td><td>3</td><td>1</td><td>17</td></tr>',
        '<tr><td>行政规范性文件</td><td></td><td></td><td>17</td></tr>',
      );
    expect(zerosBlank).not.toBe(wideLabels);
    const original = figures(await parse(fixture));
    // The same with (一)'s header row in a table of its own (as where a page break falls after
    // it): its rows' table has no header naming those columns, and the labels of (五) and after
    // span them.
    const headerApart = zerosBlank.replace(
      '<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>',
      '<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr></tbody></table><table border="1"><tbody>',
    );
    expect(headerApart).not.toBe(zerosBlank);
    for (const [name, html] of Object.entries({ zerosBlank, headerApart })) {
      const table2 = await parse(html);
      expect(problems(table2), name).toEqual([]);
      const read = figures(table2);
      const changed = Object.keys(original ?? {}).filter((code) => read?.[code] !== original?.[code]);
      expect(
        changed.map((code) => [code, read?.[code]]),
        name,
      ).toEqual([
        ['T2.RULES.ISSUED', null],
        ['T2.RULES.REPEALED', null],
        ['T2.NORMATIVE_DOCUMENTS.ISSUED', null],
        ['T2.NORMATIVE_DOCUMENTS.REPEALED', null],
      ]);
    }
  });

  it('table 2: a header’s blank after 信息内容, over the label’s second column, is not a blank corner', async () => {
    const [start, end] = [page.indexOf('<table'), page.indexOf('</table>') + '</table>'.length];
    const cell = (text: string, span = 1) => merged(span, text || '&nbsp;');
    const block = (item: string, header: string[], ...rows: string[][]) => [
      [cell(item, 6)],
      header.map((h, i) => cell(h, i === 0 ? 1 : 2 - Number(i === header.length - 1))),
      ...rows.map((row) => row.map((v, i) => cell(v, i === 0 ? 1 : 2 - Number(i === row.length - 1)))),
    ];
    const table2 = (five: string[][]) =>
      `<table border="1"><tbody>${[
        ...block(
          '第二十条第（一）项',
          ['信息内容', '本年新制作数量', '本年新公开数量', '对外公开总数量'],
          ['规章', '13', '13', '524'],
          ['规范性文件', '60', '60', '368'],
        ),
        [cell('第二十条第（五）项', 6)],
        ...five,
        ...block(
          '第二十条第（六）项',
          ['信息内容', '上一年项目数量', '本年增/减', '处理决定数量'],
          ['行政处罚', '0', '0', '0'],
          ['行政强制', '0', '0', '0'],
        ),
        ...block(
          '第二十条第（八）项',
          ['信息内容', '上一年项目数量', '本年增/减'],
          ['行政事业性收费', '0', '0'],
        ),
        ...block(
          '第二十条第（九）项',
          ['信息内容', '采购项目数量', '采购总金额'],
          ['政府集中采购', '6', '251000元'],
        ),
      ]
        .map((row) => `<tr>${row.join('')}</tr>`)
        .join('')}</tbody></table>`;
    const withTable2 = (five: string[][]) => page.slice(0, start) + table2(five) + page.slice(end);
    const plain = figures(
      await parse(
        withTable2([
          ['信息内容', '上一年项目数量', '本年增/减', '处理决定数量'].map((h, i) =>
            cell(h, i === 0 || i === 3 ? 1 : 2),
          ),
          [cell('行政许可'), cell('', 2), cell('5', 2), cell('')],
          [cell('其他对外管理服务事项'), cell('', 2), cell('1', 2), cell('')],
        ]),
      ),
    );
    expect(plain?.['T2.LICENSING.CHANGE']).toBe('5');
    // (五) laid out otherwise: the header's 信息内容 and a blank cell, the labels over both, the
    // first figure blank. Taken for a blank corner, the header's blank dropped that figure's, and
    // 5 was read under 上一年项目数量.
    const result = await parse(
      withTable2([
        [cell('信息内容'), cell(''), cell('上一年项目数量'), cell('本年增/减'), cell('处理决定数量', 2)],
        [cell('行政许可', 2), cell(''), cell('5'), cell('', 2)],
        [cell('其他对外管理服务事项', 2), cell(''), cell('1'), cell('', 2)],
      ]),
    );
    expect(problems(result)).toEqual([]);
    expect(figures(result)).toEqual(plain);
  });

  it('a ragged grid reads as the page does', async () => {
    expect(figures(await parse(ragged(page)))).toEqual(figures(await parse(page)));
  });

  it('a figure merged across columns, a row short of a cell besides, or a ragged grid’s blanks: refused', async () => {
    for (const [name, { html, problem }] of Object.entries(refused())) {
      expect(html, name).not.toBe(page);
      const result = await parse(html);
      expect(problems(result), name).toContainEqual(problem);
      expect(figures(result), name).toBeNull();
    }
  });
});

describe.runIf(existsSync(SHARED))('the same pages printed to PDF by Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(() => browser?.close());
  const pdf = async (html: string) => parse(await printedRuled(browser, html));

  it('a blank merged across columns reads as blanks; a merged figure is refused', async () => {
    const original = figures(await pdf(page));
    expect(original?.['T3.CARRIED_OVER.TOTAL']).toBe('18');
    for (const [name, html] of Object.entries(readable())) {
      const result = await pdf(html);
      expect(problems(result), name).toEqual([]);
      expect(figures(result), name).toEqual(original);
    }
    // A row cut by a page break is joined with its merged blanks: table 3 with 科研机构 and
    // 社会公益组织 (blank on every row) one cell on every row, pushed down the page so that
    // page breaks fall inside different rows.
    const [from, to] = [page.indexOf('三、收到和处理'), page.indexOf('四、政府信息公开行政复议')];
    const everyRow = (html: string) =>
      html.slice(0, from) +
      html.slice(from, to).replace(/<tr>[\s\S]*?<\/tr>/g, (row) => {
        const cells = row.match(/<td[^>]*>[\s\S]*?<\/td>/g) ?? [];
        if (cells.length < 8 || row.includes('商业企业')) return row;
        cells.splice(cells.length - 5, 2, merged(2));
        return `<tr>${cells.join('')}</tr>`;
      }) +
      html.slice(to);
    const lower = (html: string, px: number) => {
      const at = html.lastIndexOf('<', from);
      return `${html.slice(0, at)}<div style="height:${px}px"></div>${html.slice(at)}`;
    };
    for (const px of [74, 222, 444]) {
      const printed = figures(await pdf(lower(page, px)));
      expect(printed?.['T3.CARRIED_OVER.TOTAL'], `${px}px`).toBe('18');
      const result = await pdf(lower(everyRow(page), px));
      expect(problems(result), `${px}px`).toEqual([]);
      expect(figures(result), `${px}px`).toEqual(printed);
    }
    // Table 4 at the top of the next page, as wide as table 3 and its heading a row of its own,
    // so that no line parts the two: it is another table, not table 3 going on.
    const heading =
      '<p><br />四、政府信息公开行政复议、行政诉讼情况</p><table align="center" border="1" cellspacing="1"><tbody>';
    expect(page).toContain(heading);
    const nextPage = (html: string) =>
      '<style>table{width:100% !important} td{white-space:normal !important}</style>' +
      html.replace(
        heading,
        '<table align="center" border="1" cellspacing="1" style="break-before:page"><tbody><tr><td colspan="15">四、政府信息公开行政复议、行政诉讼情况</td></tr>',
      );
    const table4 = readable()['table 4, inside a proceeding'] ?? '';
    const apart = await pdf(nextPage(table4));
    expect(problems(apart)).toEqual([]);
    expect(figures(apart)).toEqual(original);
    // A row that lost a cell is not among them: this page's table draws a border around itself,
    // so in print the slot the lost cell leaves is a blank cell like any other.
    const { html, problem } = refused()['a figure merged across columns'] ?? { html: '', problem: [] };
    const result = await pdf(html);
    expect(problems(result)).toContainEqual(problem);
    expect(figures(result)).toBeNull();
  }, 240_000);
});

describe('a Word (.docx) file: a blank cell spanning two grid columns', () => {
  /** The ZIP library mammoth reads .docx files with. */
  const JSZip = createRequire(createRequire(import.meta.url).resolve('mammoth'))('jszip') as {
    loadAsync(
      data: Buffer,
    ): Promise<{ file(name: string): { async(type: 'string'): Promise<string> } | null }>;
  };

  let xml = '';
  beforeAll(async () => {
    const docx = readFileSync(new URL('../../fixtures/formats/report.docx', import.meta.url));
    xml = (await (await JSZip.loadAsync(docx)).file('word/document.xml')?.async('string')) ?? '';
  });
  /** The document with the `first`-th and next cell after the last `label`'s cell made one blank cell. */
  const mergedAfter = (label: string, first: number) => {
    const at = xml.lastIndexOf(label);
    const cells = [...xml.slice(at).matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)];
    const [a, b] = [cells[first], cells[first + 1]];
    expect(a?.[0], label).toContain('<w:t>0</w:t>');
    expect(b?.[0], label).toContain('<w:t>0</w:t>');
    const [from, to] = [at + (a?.index ?? 0), at + (b?.index ?? 0) + (b?.[0].length ?? 0)];
    const blank = '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p></w:p></w:tc>';
    return docxWithDocumentXml(xml.slice(0, from) + blank + xml.slice(to));
  };

  it('is a blank under each column, in table 3 and in table 2', async () => {
    const original = figures(await parse(docxWithDocumentXml(xml)));
    // 二、上年结转…: 3 | 1 | 0 | 0 | …, its cells after the label's 自然人, 商业企业, 科研机构, 社会公益组织
    const table3 = await parse(mergedAfter('二、上年结转政府信息公开申请数量', 2));
    expect(problems(table3)).toEqual([]);
    expect(figures(table3)).toEqual({
      ...original,
      'T3.CARRIED_OVER.RESEARCH_INSTITUTION': null,
      'T3.CARRIED_OVER.SOCIAL_ORGANISATION': null,
    });
    // 规章 | 0 (本年制发件数) | 0 (本年废止件数) | 0 (现行有效件数): the last two one blank
    const table2 = await parse(mergedAfter('规章', 1));
    expect(problems(table2)).toEqual([]);
    const read = figures(table2);
    const changed = Object.keys(original ?? {}).filter((code) => read?.[code] !== original?.[code]);
    expect(changed.map((code) => [code, read?.[code]])).toEqual([
      ['T2.RULES.REPEALED', null],
      ['T2.RULES.IN_FORCE', null],
    ]);
  });
});
