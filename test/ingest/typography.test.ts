import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { parseReportBytes, parseReportText } from '../../src/ingest/parse-report.ts';
import { readCell } from '../../src/ingest/text.ts';
import type { ParsedReport, ParseResult } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText, REAL_V2019, toHtmlTables } from '../support/fixtures.ts';

const example = fixtureText(EXAMPLE_V2021);
const html = readFileSync(fileURLToPath(new URL('../fixtures/formats/report.html', import.meta.url)), 'utf8');

function ok(result: ParseResult): ParsedReport {
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.report;
}
const cellsOf = (report: ParsedReport) =>
  Object.fromEntries(report.cells.map((c) => [c.code, [c.status, c.value]]));
const baseline = cellsOf(ok(parseReportText(example)));

/** Replaces exactly one occurrence, so a fixture change cannot silently make a test vacuous. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

describe('empty-cell markers', () => {
  it('every marker is "not reported", never 0', () => {
    const markers = [
      '',
      ' ',
      '/',
      '／',
      '-',
      '－',
      '--',
      '—',
      '——',
      '―',
      '─',
      '_',
      '无',
      '空',
      '\\',
      'N/A',
      '‐',
    ];
    for (const marker of markers) {
      expect({ marker, cell: readCell(marker) }).toEqual({ marker, cell: { kind: 'not-reported' } });
    }
    // In a table: row 一 of table 3 with markers instead of its seven numbers.
    const text = replaceOnce(
      example,
      '一、本年新收政府信息公开申请数量\t\t41\t6\t0\t0\t2\t0\t49',
      '一、本年新收政府信息公开申请数量\t\t/\t－\t—\t无\t\t——\t／',
    );
    const report = ok(parseReportText(text));
    const row = report.cells.filter((c) => c.code.startsWith('T3.NEW_REQUESTS.'));
    expect(row.map((c) => [c.status, c.value, c.rawText])).toEqual([
      ['NOT_REPORTED', null, '/'],
      ['NOT_REPORTED', null, '－'],
      ['NOT_REPORTED', null, '—'],
      ['NOT_REPORTED', null, '无'],
      ['NOT_REPORTED', null, ''],
      ['NOT_REPORTED', null, '——'],
      ['NOT_REPORTED', null, '／'],
    ]);
  });

  it('in text whose cells are separated by single spaces too, a mark standing alone is a blank cell', () => {
    const spaced = example.replaceAll('\t', ' ');
    const marked = replaceOnce(
      spaced,
      '二、上年结转政府信息公开申请数量  3 1 0 0 0 0 4',
      '二、上年结转政府信息公开申请数量  3 1 — 无 - —— 4',
    );
    const report = ok(parseReportText(marked));
    const row = report.cells.filter((c) => c.code.startsWith('T3.CARRIED_OVER.'));
    expect(row.map((c) => [c.status, c.value, c.rawText])).toEqual([
      ['REPORTED', '3', '3'],
      ['REPORTED', '1', '1'],
      ['NOT_REPORTED', null, '—'],
      ['NOT_REPORTED', null, '无'],
      ['NOT_REPORTED', null, '-'],
      ['NOT_REPORTED', null, '——'],
      ['REPORTED', '4', '4'],
    ]);
    // A dash joined to a figure is still its sign, never a mark.
    expect(readCell('-3')).toEqual({ kind: 'number', value: '-3' });
  });

  it('blank cells of an HTML table (&nbsp; or nothing) are not reported either', async () => {
    const page = replaceOnce(
      html,
      '<td>行政强制</td><td colspan="3">5</td>',
      '<td>行政强制</td><td colspan="3">&nbsp;</td>',
    );
    const { result } = await parseDocument(Buffer.from(page));
    expect(ok(result).cells.find((c) => c.code === 'T2.COERCION.DECISIONS')).toMatchObject({
      status: 'NOT_REPORTED',
      value: null,
    });
  });
});

describe('numbers', () => {
  it('reads thousands separators, full-width digits, signs and money decimals exactly', () => {
    const cases: [string, string][] = [
      ['1,268', '1268'],
      ['1，268', '1268'],
      ['１２６８', '1268'],
      ['12.35', '12.35'],
      ['１２．３５', '12.35'],
      ['+2', '2'],
      ['－417', '-417'],
      ['-0', '0'],
      // One exact text per number: trailing zeros after the point are not part of it.
      ['0.50', '0.5'],
      ['821.0', '821'],
      ['1,268.00', '1268'],
      ['-0.0', '0'],
      ['10.10', '10.1'],
      ['100', '100'],
      // …and leading zeros are not either.
      ['01362', '1362'],
      ['00', '0'],
      ['-007', '-7'],
      ['00.50', '0.5'],
      ['零', '0'],
      ['〇', '0'],
      [' 〇 ', '0'],
    ];
    for (const [text, value] of cases)
      expect({ text, cell: readCell(text) }).toEqual({ text, cell: { kind: 'number', value } });
    // "1 0" is two cells run together (a lost tab), not the number 10.
    for (const text of ['12,34', '1.2.3', '1 0', '1 268', '一', 'abc', '12万元', '○', 'O', '零零'])
      expect({ text, kind: readCell(text).kind }).toEqual({ text, kind: 'text' });
  });
});

describe('labels as published', () => {
  it('full-width and half-width brackets and digits, spaces inside labels, curly and straight quotes', () => {
    let text = example;
    text = replaceOnce(text, '\t(一) 予以公开\t', '\t（一）予以公开\t');
    text = replaceOnce(text, '\t(三) 不予公开\t', '\t（三） 不 予 公 开\t');
    text = replaceOnce(text, '3.危及“三安全一稳定”', '３．危及"三安全一稳定"');
    text = replaceOnce(text, '\t商业企业\t', '\t商业 企业\t');
    text = replaceOnce(text, '行政许可\t1268', '行 政 许 可\t1,268');
    text = replaceOnce(text, '\t21\t2\t0\t0\t1\t0\t24', '\t２１\t2\t0\t0\t1\t0\t24');
    expect(cellsOf(ok(parseReportText(text)))).toEqual(baseline);
    const quoted = replaceOnce(example, '3.危及“三安全一稳定”', '3.危及「三安全一稳定」');
    expect(cellsOf(ok(parseReportText(quoted)))).toEqual(baseline);
  });

  it('label variants from the catalogue: 规范性文件, 社会组织, a differently titled table 4', () => {
    let text = example;
    text = replaceOnce(text, '行政规范性文件\t3', '规范性文件\t3');
    text = replaceOnce(text, '\t社会公益组织\t', '\t社会组织\t');
    text = replaceOnce(
      text,
      '四、政府信息公开行政复议、行政诉讼情况',
      '四、因政府信息公开工作被申请行政复议、提起行政诉讼情况',
    );
    expect(cellsOf(ok(parseReportText(text)))).toEqual(baseline);
  });

  it('an unknown extra row is kept as an annotated extra, in text and in HTML', async () => {
    const text = replaceOnce(
      example,
      '行政规范性文件\t3\t1\t17\n',
      '行政规范性文件\t3\t1\t17\n其他主动公开文件\t5\t0\t9\n',
    );
    const fromText = ok(parseReportText(text));
    const page = replaceOnce(
      html,
      '<tr><td>行政规范性文件</td><td>3</td><td>1</td><td>17</td></tr>',
      '<tr><td>行政规范性文件</td><td>3</td><td>1</td><td>17</td></tr><tr><td>其他主动公开文件</td><td>5</td><td>0</td><td>9</td></tr>',
    );
    const fromHtml = ok((await parseDocument(Buffer.from(page))).result);
    for (const report of [fromText, fromHtml]) {
      expect(cellsOf(report)).toEqual(baseline);
      expect(report.extras).toMatchObject([
        { table: 'T2', label: '其他主动公开文件', cells: ['5', '0', '9'] },
      ]);
      expect(report.warnings).toMatchObject([
        {
          code: 'UNKNOWN_ROW',
          severity: 'warning',
          row: '其他主动公开文件',
          message: expect.stringContaining('kept as an extra row'),
        },
      ]);
    }
  });

  it('a required row the HTML page lacks is listed as missing, and stored as MISSING only with allowPartial', async () => {
    const page = Buffer.from(replaceOnce(html, '<tr><td>行政强制</td><td colspan="3">5</td></tr>', ''));
    const strict = (await parseDocument(page)).result;
    if (strict.ok) throw new Error('expected a rejection');
    expect(strict.problems.map((p) => [p.code, p.row])).toEqual([
      ['MISSING_ROW', '第二十条第（六）项 行政强制'],
      ['INCOMPLETE_REPORT', undefined],
    ]);
    const partial = ok((await parseDocument(page, { allowPartial: true })).result);
    expect(partial.gaps).toMatchObject([
      { code: 'MISSING_ROW', table: 'T2', row: '第二十条第（六）项 行政强制' },
    ]);
    expect(partial.cells.find((c) => c.code === 'T2.COERCION.DECISIONS')).toMatchObject({
      status: 'MISSING',
      value: null,
    });
  });
});

describe('encodings', () => {
  it('UTF-8 with and without BOM, GBK and GB18030 all read the same', () => {
    const real = fixtureText(REAL_V2019);
    const reference = cellsOf(ok(parseReportText(real)));
    const encodings: [Uint8Array, string][] = [
      [Buffer.from(real, 'utf8'), 'utf-8'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(real, 'utf8')]), 'utf-8'],
      [iconv.encode(real, 'gbk'), 'gb18030'],
      [iconv.encode(real, 'gb18030'), 'gb18030'],
    ];
    for (const [bytes, encoding] of encodings) {
      const parsed = parseReportBytes(bytes);
      expect(parsed.encoding).toBe(encoding);
      expect(cellsOf(ok(parsed.result))).toEqual(reference);
    }
  });
});

describe('table 4 as text pulled out of a PDF without its layout', () => {
  it('reads fifteen values printed one per line, under headers printed one character per line', () => {
    const lines = example.split('\n');
    const start = lines.indexOf('四、政府信息公开行政复议、行政诉讼情况');
    const end = lines.indexOf('五、存在的主要问题及改进情况');
    const vertical = lines
      .slice(start + 1, end)
      .flatMap((l) => l.split('\t'))
      .filter((c) => c !== '')
      .flatMap((c) => (/^\d+$/.test(c) ? [c] : [...c]));
    expect(vertical.slice(0, 6)).toEqual(['行', '政', '复', '议', '行', '政']);
    const text = [...lines.slice(0, start + 1), ...vertical, ...lines.slice(end)].join('\n');
    expect(cellsOf(ok(parseReportText(text)))).toEqual(baseline);
    // Fourteen values are not a row: table 4 is missing rather than misread.
    const short = [...lines.slice(0, start + 1), ...vertical.slice(0, -1), ...lines.slice(end)].join('\n');
    const result = parseReportText(short, { allowPartial: true });
    expect(ok(result).cells.filter((c) => c.code.startsWith('T4.') && c.status !== 'MISSING')).toEqual([]);
  });
});

describe('footnote marks after a figure are never read as more digits', () => {
  const refusedCell = (result: ParseResult) =>
    result.ok
      ? null
      : result.problems.filter((p) => p.code === 'NOT_A_NUMBER').map((p) => [p.cellCode, p.message]);

  it('a superscript in a web page: 41<sup>1</sup> and 41<sup>①</sup> are refused, not read as 411', async () => {
    for (const mark of ['1', '①', '注']) {
      const page = replaceOnce(html, '<td>41</td>', `<td>41<sup>${mark}</sup></td>`);
      const { result } = await parseDocument(new TextEncoder().encode(page), {});
      expect(refusedCell(result)).toEqual([
        ['T3.NEW_REQUESTS.NATURAL_PERSON', expect.stringContaining(`"41[${mark}]" is not a number`)],
      ]);
    }
  });

  it('a subscript or a raised span is a mark too: 41<sub>1</sub>, vertical-align: super', async () => {
    for (const marked of [
      '41<sub>1</sub>',
      '41<span style="vertical-align: super">1</span>',
      '41<span style="vertical-align:sub">1</span>',
    ]) {
      const page = replaceOnce(html, '<td>41</td>', `<td>${marked}</td>`);
      const { result } = await parseDocument(new TextEncoder().encode(page), {});
      expect(refusedCell(result), marked).toEqual([
        ['T3.NEW_REQUESTS.NATURAL_PERSON', expect.stringContaining('"41[1]" is not a number')],
      ]);
    }
  });

  it('raised by the page\'s style rules, or by a length: 41<span class="fn">1</span> is refused, not read as 411', async () => {
    for (const [style, marked] of [
      ['.fn{vertical-align:super;font-size:8px}', '41<span class="fn">1</span>'],
      ['td .n{vertical-align: sub}', '41<font class="n">1</font>'],
      ['', '41<span style="vertical-align:3pt;font-size:7pt">1</span>'],
      ['', '41<span style="vertical-align:-0.3em">1</span>'],
    ]) {
      const page = `<style>${style}</style>${replaceOnce(html, '<td>41</td>', `<td>${marked}</td>`)}`;
      const { result } = await parseDocument(new TextEncoder().encode(page), {});
      expect(refusedCell(result), marked).toEqual([
        ['T3.NEW_REQUESTS.NATURAL_PERSON', expect.stringContaining('"41[1]" is not a number')],
      ]);
    }
    // A cell's whole figure nudged a pixel (CMS alignment) is that figure, not a mark.
    for (const style of ['.num{vertical-align:-1px}', 'td span{vertical-align:2px}']) {
      const page = `<style>${style}</style>${replaceOnce(html, '<td>41</td>', '<td><span class="num">41</span></td>')}`;
      const { result } = await parseDocument(new TextEncoder().encode(page), {});
      expect(
        result.ok && result.report.cells.find((c) => c.code === 'T3.NEW_REQUESTS.NATURAL_PERSON')?.value,
        style,
      ).toBe('41');
    }
    // A cell or a block placed by vertical-align is no mark: the figure reads as printed.
    for (const [style, marked] of [
      ['td{vertical-align:top} p{vertical-align:super}', '<p>41</p>'],
      [
        '.b{vertical-align:baseline} .m{vertical-align:middle}',
        '<span class="b">4</span><span class="m">1</span>',
      ],
    ]) {
      const page = `<style>${style}</style>${replaceOnce(html, '<td>41</td>', `<td>${marked}</td>`)}`;
      const { result } = await parseDocument(new TextEncoder().encode(page), {});
      expect(
        result.ok && result.report.cells.find((c) => c.code === 'T3.NEW_REQUESTS.NATURAL_PERSON')?.value,
        marked,
      ).toBe('41');
    }
  });

  it('a cell whose only text is struck through is refused, naming it (it was stored as not reported)', async () => {
    const cells: [string, string][] = [
      ['', '<td><del>41</del></td>'],
      ['.old{text-decoration:line-through}', '<td class="old">41</td>'],
      ['.old{text-decoration:line-through}', '<td><span class="old">41</span></td>'],
    ];
    for (const [style, cell] of cells) {
      const page = `<style>${style}</style>${replaceOnce(html, '<td>41</td>', cell)}`;
      const { result } = await parseDocument(new TextEncoder().encode(page), {});
      expect(refusedCell(result), cell).toEqual([
        ['T3.NEW_REQUESTS.NATURAL_PERSON', expect.stringContaining('"~~41~~" is not a number')],
      ]);
    }
  });

  it('superscript and subscript digits and circled numbers past ⑳ are marks, never more digits', () => {
    for (const mark of ['¹', '²³', '⁴', '₁', '㉑', '㉟', '㊱', '㊿', '⓪']) {
      const tabbed = replaceOnce(example, '行政许可\t1268', `行政许可\t1268${mark}`);
      expect(refusedCell(parseReportText(tabbed)), mark).toEqual([
        ['T2.LICENSING.DECISIONS', expect.stringContaining(`"1268${mark}" is not a number`)],
      ]);
    }
  });

  it('a circled number after a figure, in a table cell or in text', async () => {
    // In a tab-separated row: refused, naming the cell.
    const tabbed = replaceOnce(example, '行政许可\t1268', '行政许可\t1268①');
    expect(refusedCell(parseReportText(tabbed))).toEqual([
      ['T2.LICENSING.DECISIONS', expect.stringContaining('"1268①" is not a number')],
    ]);
    // Before NFKC turned ① into 1, this row read 12681 with no finding.
    const page = replaceOnce(html, '<td>41</td>', '<td>41⑫</td>');
    const { result } = await parseDocument(new TextEncoder().encode(page), {});
    expect(refusedCell(result)).toEqual([
      ['T3.NEW_REQUESTS.NATURAL_PERSON', expect.stringContaining('"41⑫" is not a number')],
    ]);
  });
});

describe('a row printed twice is refused, never read from one copy', () => {
  const duplicates = (result: ParseResult) =>
    result.ok
      ? null
      : result.problems.filter((p) => p.code === 'DUPLICATE_ROW').map((p) => [p.table, p.line]);
  const T4_ROW =
    '<tr><td>2</td><td>1</td><td>0</td><td>1</td><td>4</td><td>1</td><td>0</td><td>0</td><td>1</td><td>2</td><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td></tr>';
  const page = async (text: string) => (await parseDocument(new TextEncoder().encode(text), {})).result;

  it('in a table of cells: table 2 (two labels for one row), table 3, table 4', async () => {
    // 规范性文件 and 行政规范性文件 are one row of the template: the last one used to win.
    const tabbed = replaceOnce(example, '行政规范性文件\t3', '规范性文件\t9\t9\t9\n行政规范性文件\t3');
    expect(duplicates(parseReportText(tabbed))).toEqual([['T2', 41]]);
    const rows = replaceOnce(
      example,
      '一、本年新收政府信息公开申请数量\t\t41',
      '一、本年新收政府信息公开申请数量\t\t40\t6\t0\t0\t2\t0\t48\n一、本年新收政府信息公开申请数量\t\t41',
    );
    expect(duplicates(parseReportText(rows))).toEqual([['T3', 58]]);
    // Table 4's one row of figures, with another before or after it: the first used to win.
    const [before, after] = [T4_ROW.replace('<td>2</td>', '<td>3</td>'), T4_ROW];
    expect(duplicates(await page(replaceOnce(html, T4_ROW, `${before}${after}`)))).toEqual([
      ['T4', expect.any(Number)],
    ]);
    expect(duplicates(await page(replaceOnce(html, T4_ROW, `${after}${before}`)))).toEqual([
      ['T4', expect.any(Number)],
    ]);
  });

  it('in text whose cells are not separated: a row pasted twice, or table 3 printed twice', () => {
    const spaced = (text: string) => text.replaceAll('\t', ' ');
    expect(parseReportText(spaced(example)).ok).toBe(true);
    const row = replaceOnce(
      spaced(example),
      '(一) 予以公开 21 2',
      '(一) 予以公开 20 2 0 0 1 0 23\n(一) 予以公开 21 2',
    );
    expect(duplicates(parseReportText(row))).toEqual([['T3', expect.any(Number)]]);
    const start = example.indexOf('一、本年新收政府信息公开申请数量');
    const end = example.indexOf('四、政府信息公开行政复议');
    const twice = `${example.slice(0, end)}${example.slice(start, end)}${example.slice(end)}`;
    // Printed twice alike, every row's copy checked against the first: read once, each row said
    // (running-repeats.ts), as a table of cells reads a row printed twice with the same figures.
    const once = ok(parseReportText(spaced(twice)));
    expect(cellsOf(once)).toEqual(cellsOf(ok(parseReportText(spaced(example)))));
    expect(once.warnings.filter((w) => w.code === 'DUPLICATE_ROW')).toHaveLength(25);
    // A figure different in the second copy: refused, naming that row.
    const copy = example.slice(start, end).replace('(一) 予以公开\t21\t2', '(一) 予以公开\t22\t2');
    const differs = `${example.slice(0, end)}${copy}${example.slice(end)}`;
    const refused = parseReportText(spaced(differs));
    expect(refused.ok ? [] : refused.problems.map((p) => [p.code, p.row])).toEqual([
      ['DUPLICATE_ROW', '（一）予以公开'],
    ]);
  });
  it('figures on a group’s own label (a subtotal the template has no cells for) are kept as an extra row, said', () => {
    // V2021: each group's label on a row of its own with its subtotal, its numbered rows below.
    // 其他处理's subtotal had read as V2019's single row, making the report mix the templates.
    let subtotals = example;
    for (const [group, first] of [
      ['(三) 不予公开', '1.属于国家秘密'],
      ['(六) 其他处理', '1.申请人无正当理由逾期不补正'],
    ] as const) {
      subtotals = replaceOnce(
        subtotals,
        `\t${group}\t${first}`,
        `\t${group}\t\t5\t0\t0\t0\t0\t0\t5\n\t\t${first}`,
      );
    }
    const report = ok(parseReportText(subtotals));
    expect(report.templateVersion).toBe('V2021');
    expect(cellsOf(report)).toEqual(baseline);
    expect(report.extras.map((e) => e.label)).toEqual(['(三) 不予公开', '(六) 其他处理']);
    expect(report.warnings.filter((w) => w.code === 'UNKNOWN_ROW').map((w) => w.message)).toEqual([
      expect.stringContaining(
        'row "(三) 不予公开" is its group\'s label with figures; the template has no cells for a group\'s total',
      ),
      expect.stringContaining('row "(六) 其他处理" is its group\'s label with figures'),
    ]);
    // A group's label on a row of blank cells (Shanghai prints 0 as blank) above its numbered rows.
    const blankLabel = replaceOnce(
      subtotals,
      '\t(六) 其他处理\t\t5\t0\t0\t0\t0\t0\t5',
      '\t(六) 其他处理\t\t\t\t\t\t\t\t',
    );
    expect(cellsOf(ok(parseReportText(blankLabel)))).toEqual(baseline);
    // V2019's （六）其他处理 is a row of its own, figures and all, as before.
    const v2019 = ok(parseReportText(fixtureText(REAL_V2019)));
    expect(v2019.extras).toEqual([]);
    expect(v2019.cells.find((c) => c.code === 'T3.OTHER_HANDLING.TOTAL')?.status).toBe('REPORTED');
  });
  it('a row printed twice with the same figures is read once, with a warning', () => {
    const row = '一、本年新收政府信息公开申请数量\t\t41\t6\t0\t0\t2\t0\t49\t';
    const tabbed = replaceOnce(example, row, `${row}\n${row}`);
    const spaced = tabbed.replaceAll('\t', ' ');
    for (const text of [tabbed, spaced]) {
      const report = ok(parseReportText(text));
      expect(cellsOf(report)).toEqual(baseline);
      expect(report.warnings.filter((w) => w.code === 'DUPLICATE_ROW').map((w) => w.message)).toEqual([
        expect.stringMatching(
          /row "一、本年新收政府信息公开申请数量" is printed again with the same figures \(first on line \d+\); it is read once\.$/,
        ),
      ]);
    }
  });
});

describe('figures are read by position only under the template’s column order', () => {
  const columnOrder = (result: ParseResult) =>
    result.ok ? null : result.problems.filter((p) => p.code === 'COLUMN_ORDER').map((p) => [p.table, p.line]);
  const page = async (text: string) => (await parseDocument(new TextEncoder().encode(text), {})).result;

  it('a header printing the columns in another order is refused, in a web page and in text', async () => {
    // 商业企业 and 其他 swapped in the header (and, as agencies do, in the data): read by
    // position, every 商业企业 figure became 其他's with no identity to tell.
    const swapped = replaceOnce(
      html,
      '<th>商业 企业</th><th>科研机构</th><th>社会组织</th><th>法律服务机构</th><th>其他</th>',
      '<th>其他</th><th>科研机构</th><th>社会组织</th><th>法律服务机构</th><th>商业 企业</th>',
    );
    expect(columnOrder(await page(swapped))).toEqual([['T3', expect.any(Number)]]);
    const proceedings = replaceOnce(
      html,
      '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td>',
      '<td colspan="5">复议后起诉</td><td colspan="5">未经复议直接起诉</td>',
    );
    expect(columnOrder(await page(proceedings))).toEqual([['T4', expect.any(Number)]]);
    // 总计 first under each proceeding, in tab-separated text.
    const totalFirst = replaceOnce(
      example,
      '\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计',
      '\t\t\t\t\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结',
    );
    expect(columnOrder(parseReportText(totalFirst))).toEqual([['T4', 87]]);
    // The message names both orders.
    const [problem] = (parseReportText(totalFirst) as { problems: { message: string }[] }).problems;
    expect(problem?.message).toContain(
      "the template's order is 结果维持, 结果纠正, 其他结果, 尚未审结, 总计",
    );
  });

  it('the header over the organisations, 总计 and 行政诉讼 out of place are refused too', async () => {
    // Each of these kept every identity true, read by position: nothing else could tell.
    const organisationsFirst = replaceOnce(
      html,
      '<tr><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th></tr>',
      '<tr><th colspan="5">法人或其他组织</th><th rowspan="2">自然人</th><th rowspan="2">总计</th></tr>',
    );
    expect(columnOrder(await page(organisationsFirst))).toEqual([['T3', expect.any(Number)]]);
    const totalSecond = replaceOnce(
      html,
      '<tr><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th></tr>',
      '<tr><th rowspan="2">自然人</th><th rowspan="2">总计</th><th colspan="5">法人或其他组织</th></tr>',
    );
    expect(columnOrder(await page(totalSecond))).toEqual([['T3', expect.any(Number)]]);
    // One header row, no 法人或其他组织 over the five: 总计 before them.
    const spaced = example.replaceAll('\t', ' ');
    const oneRow = replaceOnce(
      replaceOnce(spaced, '自然人 法人或其他组织', ''),
      ' 商业企业 科研机构 社会公益组织 法律服务机构 其他',
      ' 自然人 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他',
    );
    expect(columnOrder(parseReportText(oneRow))).toEqual([['T3', expect.any(Number)]]);
    const litigationFirst = replaceOnce(
      html,
      '<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>',
      '<tr><td colspan="10">行政诉讼</td><td colspan="5">行政复议</td></tr>',
    );
    const result = await page(litigationFirst);
    expect(columnOrder(result)).toEqual([['T4', expect.any(Number)]]);
    expect((result as { problems: { message: string }[] }).problems[0]?.message).toContain(
      "the header prints its columns in the order 行政诉讼, 行政复议; the template's order is 行政复议, 行政诉讼",
    );
  });

  it('a two-row header flattened into one line of text (自然人 法人或其他组织 总计 商业企业 …) is the template’s order', () => {
    const spaced = replaceOnce(
      example.replaceAll('\t', ' '),
      ' 商业企业 科研机构 社会公益组织 法律服务机构 其他',
      '',
    );
    const flattened = replaceOnce(
      spaced,
      '自然人 法人或其他组织',
      '自然人 法人或其他组织 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他',
    );
    const result = parseReportText(flattened);
    expect(columnOrder(result)).toBeNull();
    expect(result.ok).toBe(true);
  });

  it('a figure under a merged header cell’s blank half is refused; blanks there are dropped', () => {
    // 本年废止件数 merged over two columns in the header, 1 over two in the row: read by
    // dropping the row's last blank, 1 went under 本年制发件数 and 0 under 现行有效件数, which
    // is blank in the document, and table 2 has no identity to tell.
    const header = '信息内容\t本年制发件数\t本年废止件数\t\t现行有效件数';
    const merged = (rule: string, regulation: string) =>
      replaceOnce(
        example,
        '信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t3\t1\t17',
        `${header}\n${rule}\n${regulation}`,
      );
    const shifted = parseReportText(merged('规章\t1\t\t0\t', '行政规范性文件\t3\t1\t\t17'));
    expect(shifted.ok ? [] : shifted.problems.map((p) => [p.code, p.row, p.line])).toEqual([
      ['TOO_MANY_VALUES', '规章', 39],
    ]);
    expect(shifted.ok ? '' : shifted.problems[0]?.message).toContain(
      '"0" is printed under no column: the header (line 38) prints a blank cell there, between "本年废止件数" and "现行有效件数"',
    );
    // The same header with figures only under its columns reads as the plain one.
    const report = ok(parseReportText(merged('规章\t0\t0\t\t0', '行政规范性文件\t3\t1\t\t17\t')));
    expect(cellsOf(report)).toEqual(baseline);
  });

  it('table 4 copied as a grid: a blank column under a merged 总计 is dropped, a figure in it refused', () => {
    // 行政复议's 总计 merged over two grid columns, the row's last cell blank: read by dropping
    // that blank, every lawsuit figure went one column left (only T4_TOTAL could tell).
    const table = (values: string, trimmed = false) =>
      replaceOnce(
        example,
        [
          '行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t',
          '结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t',
          '\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计',
          '2\t1\t0\t1\t4\t1\t0\t0\t1\t2\t0\t1\t0\t0\t1',
        ].join('\n'),
        [
          '行政复议\t\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t',
          '结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t',
          '\t\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计',
        ]
          // A copy may trim the header rows' trailing blanks.
          .map((row) => (trimmed ? row.replace(/\t+$/, '') : row))
          .concat(values)
          .join('\n'),
      );
    for (const trimmed of [false, true]) {
      const report = ok(parseReportText(table('2\t1\t0\t1\t4\t\t1\t0\t0\t1\t2\t0\t1\t0\t0\t', trimmed)));
      const read = cellsOf(report);
      expect(read['T4.LITIGATION_AFTER_REVIEW.TOTAL'], `trimmed ${trimmed}`).toEqual(['NOT_REPORTED', null]);
      expect({
        ...read,
        'T4.LITIGATION_AFTER_REVIEW.TOTAL': baseline['T4.LITIGATION_AFTER_REVIEW.TOTAL'],
      }).toEqual(baseline);
    }
    const stray = parseReportText(table('2\t1\t0\t1\t4\t9\t1\t0\t0\t1\t2\t0\t1\t0\t0\t1'));
    expect(stray.ok ? '' : stray.problems.map((p) => p.message).join('\n')).toMatch(
      /^Line 88, table 4: "9" is printed under no column: the header \(lines 85–87\) prints a blank cell there, between "总计" and "行政诉讼 未经复议直接起诉 结果维持"/,
    );
  });

  it('a row with blank cells at both ends and one cell too many is refused, not shifted; on a web page, the blank in the labels’ columns is the label’s', async () => {
    // The label as a cell and an empty one instead of a merged cell, before a blank 总计: copied
    // as text, which of the two blanks is no column cannot be told.
    const copied = parseReportText(
      replaceOnce(
        example,
        '\t(一) 予以公开\t21\t2\t0\t0\t1\t0\t24\t',
        '\t(一) 予以公开\t\t21\t2\t0\t0\t1\t0\t\t',
      ),
    );
    expect(copied.ok ? [] : copied.problems.map((p) => [p.code, p.row])).toEqual([
      ['TOO_MANY_VALUES', '（一）予以公开'],
    ]);
    // On the page, the other rows' labels span the empty cell's column: it is the label's, and
    // the row reads as printed, 总计 blank.
    const unmerged = replaceOnce(
      html,
      '<td colspan="2">（一）予以公开</td><td>21</td><td>2</td><td>0</td><td>0</td><td>1</td><td>0</td><td>24</td>',
      '<td>（一）予以公开</td><td></td><td>21</td><td>2</td><td>0</td><td>0</td><td>1</td><td>0</td><td></td>',
    );
    const result = await page(unmerged);
    const read = result.ok ? Object.fromEntries(result.report.cells.map((c) => [c.code, c.value])) : {};
    expect(result.ok ? [] : result.problems.map((p) => [p.code, p.row])).toEqual([]);
    expect(Object.entries(read).filter(([code]) => code.startsWith('T3.GRANTED.'))).toEqual([
      ['T3.GRANTED.NATURAL_PERSON', '21'],
      ['T3.GRANTED.COMMERCIAL_ENTERPRISE', '2'],
      ['T3.GRANTED.RESEARCH_INSTITUTION', '0'],
      ['T3.GRANTED.SOCIAL_ORGANISATION', '0'],
      ['T3.GRANTED.LEGAL_SERVICE', '1'],
      ['T3.GRANTED.OTHER_ORGANISATION', '0'],
      ['T3.GRANTED.TOTAL', null],
    ]);
  });
});

describe('a unit printed in a cell is read against its column’s unit', () => {
  const real = fixtureText(REAL_V2019);
  const cell = (report: ParsedReport, code: string) => report.cells.find((c) => c.code === code);
  const procurement = (printed: string, text = real, separator = '\t') =>
    replaceOnce(text, `政府集中采购${separator}0${separator}0`, `政府集中采购${separator}${printed}`);
  const codesOf = (result: ParseResult) =>
    result.ok ? [] : result.problems.map((p) => [p.code, p.cellCode, p.line]);

  it('a money figure printed in 元 is stored in the column’s 万元, exactly, with a warning naming the cell', () => {
    const report = ok(parseReportText(procurement('6\t251000元')));
    expect(cell(report, 'T2.PROCUREMENT.AMOUNT')).toMatchObject({
      status: 'REPORTED',
      value: '25.1',
      rawText: '251000元',
      unit: '元',
      line: 56,
    });
    expect(cell(report, 'T2.PROCUREMENT.PROJECTS')?.value).toBe('6');
    expect(report.warnings.filter((w) => w.code === 'UNIT_CONVERTED')).toEqual([
      expect.objectContaining({
        cellCode: 'T2.PROCUREMENT.AMOUNT',
        line: 56,
        message: expect.stringContaining(
          '"251000元" is given in 元; stored as 25.1 in the column\'s unit, 万元',
        ),
      }),
    ]);
    // Fen and all: 3,601,627.45 元 is 360.162745 万元.
    const fen = ok(parseReportText(procurement('6\t3601627.45元')));
    expect(cell(fen, 'T2.PROCUREMENT.AMOUNT')?.value).toBe('360.162745');
    const fees = ok(
      parseReportText(replaceOnce(example, '行政事业性收费\t12.35', '行政事业性收费\t123500 元')),
    );
    expect(cell(fees, 'T2.FEES.AMOUNT')).toMatchObject({ value: '12.35', unit: '元' });
  });

  it('a figure printed in its column’s own unit is stored as printed, without a warning', () => {
    const report = ok(parseReportText(procurement('6件\t12.5万元')));
    expect([cell(report, 'T2.PROCUREMENT.PROJECTS'), cell(report, 'T2.PROCUREMENT.AMOUNT')]).toMatchObject([
      { value: '6', unit: '件' },
      { value: '12.5', unit: '万元' },
    ]);
    expect(report.warnings.filter((w) => w.code === 'UNIT_CONVERTED')).toEqual([]);
  });

  it('a money unit on a count, or a count’s unit on money, is refused naming the cell', () => {
    expect(codesOf(parseReportText(procurement('6元\t0')))).toEqual([
      ['UNIT_MISMATCH', 'T2.PROCUREMENT.PROJECTS', 56],
    ]);
    const [problem] = (
      parseReportText(procurement('6\t5件')) as { problems: { code: string; message: string }[] }
    ).problems;
    expect(problem).toMatchObject({
      code: 'UNIT_MISMATCH',
      message: expect.stringContaining('"5件" prints 件, a unit of counts, in a column of money (万元)'),
    });
  });

  it('an amount in 元 with more places than 万元 can hold exactly is refused, never rounded', () => {
    expect(codesOf(parseReportText(procurement('6\t1.12345元')))).toEqual([
      ['OUT_OF_RANGE', 'T2.PROCUREMENT.AMOUNT', 56],
    ]);
  });

  it.each([
    ['251000 元', '251000 元'],
    ['251000（元）', '251000（元）'],
    ['251000 (元)', '251000 (元)'],
  ])('the unit after a space or in brackets, %s, is the same unit', (printed, raw) => {
    const tab = ok(parseReportText(procurement(`6\t${printed}`)));
    expect(cell(tab, 'T2.PROCUREMENT.AMOUNT')).toMatchObject({ value: '25.1', rawText: raw, unit: '元' });
    // In running text the unit follows the figure on its line, so it cannot be lost there either.
    const spaced = ok(parseReportText(procurement(`6 ${printed}`, real.replaceAll('\t', ' '), ' ')));
    expect(cell(spaced, 'T2.PROCUREMENT.AMOUNT')).toMatchObject({ value: '25.1', unit: '元' });
  });

  it.each([
    ['25.1万', '25.1', '万'],
    ['2.51亿元', '25100', '亿元'],
    ['2.51 亿', '25100', '亿'],
    ['300千元', '30', '千元'],
    ['0.5千元', '0.05', '千元'],
    ['1.5百万元', '150', '百万元'],
    ['2千万元', '2000', '千万元'],
  ])('an amount printed with a magnitude, %s, is converted into 万元 exactly: %s', (printed, value, unit) => {
    const tab = ok(parseReportText(procurement(`6\t${printed}`)));
    expect(cell(tab, 'T2.PROCUREMENT.AMOUNT')).toMatchObject({ value, rawText: printed, unit });
    const converted = tab.warnings.filter((w) => w.code === 'UNIT_CONVERTED').map((w) => w.message);
    expect(converted).toEqual(
      value === printed.replace(unit, '').trim()
        ? []
        : [expect.stringContaining(`is given in ${unit}; stored as ${value}`)],
    );
    // In running text too.
    const spaced = ok(parseReportText(procurement(`6 ${printed}`, real.replaceAll('\t', ' '), ' ')));
    expect(cell(spaced, 'T2.PROCUREMENT.AMOUNT')).toMatchObject({ value, unit });
  });

  it('a count printed with a magnitude is refused: 3万 is not 3, and 30000 may be rounded', () => {
    expect(codesOf(parseReportText(procurement('3万\t0')))).toEqual([
      ['UNIT_MISMATCH', 'T2.PROCUREMENT.PROJECTS', 56],
    ]);
    expect(parseReportText(procurement('12万\t0'))).toMatchObject({
      ok: false,
      problems: [
        { message: expect.stringContaining('a magnitude, in a column of counts: a count is printed whole') },
      ],
    });
  });

  const realReportPath = (name: string) =>
    fileURLToPath(new URL(`../../../shared/fixtures/real-reports/${name}`, import.meta.url));
  const realReport = (name: string) => readFileSync(realReportPath(name), 'utf8');
  // The real documents sit beside the project (CI has them); a clone on its own skips these.
  const withRealReports = it.runIf(existsSync(realReportPath('pingtan-bgs-2020.pagetxt.txt')));

  withRealReports('a unit inside figures run together, where no cell is known to end, is refused', () => {
    // pingtan-bgs-2020 prints its table 2 rows with no separator: 行政处罚000 is 0 | 0 | 0.
    const glued = realReport('pingtan-bgs-2020.pagetxt.txt');
    for (const unit of ['万', '元']) {
      const result = parseReportText(replaceOnce(glued, '行政处罚000', `行政处罚3${unit}00`), {
        allowPartial: true,
      });
      expect(result).toMatchObject({
        ok: false,
        problems: expect.arrayContaining([
          expect.objectContaining({
            code: 'UNIT_MISMATCH',
            row: '行政处罚',
            message: expect.stringContaining(`prints ${unit} inside figures run together`),
          }),
        ]),
      });
    }
  });

  withRealReports('after a space, a unit character that starts the next word is not a unit', () => {
    // pingtan-czj-2021 prints prose right after table 2's last figure, on the same line.
    const czj = realReport('pingtan-czj-2021.pagetxt.txt');
    for (const prose of ['元月起主动公开', '条例规定主动公开', '项工作主动公开']) {
      const result = parseReportText(
        replaceOnce(czj, '行政事业性收费7816 (二)主动公开', `行政事业性收费7816 ${prose}`),
        {
          allowPartial: true,
        },
      );
      expect(result.ok ? cell(result.report, 'T2.FEES.AMOUNT') : result.problems).toMatchObject({
        value: '7816',
        rawText: '7816',
      });
    }
  });

  it('in running text too, an amount in 元 with more places than 万元 can hold is refused', () => {
    const spaced = real.replaceAll('\t', ' ');
    expect(codesOf(parseReportText(procurement('6 1.12345元', spaced, ' ')))).toEqual([
      ['OUT_OF_RANGE', 'T2.PROCUREMENT.AMOUNT', expect.any(Number)],
    ]);
  });

  it('a column header stating 元 puts the figures under it in 元, in a table of cells and in running text', () => {
    const fees = replaceOnce(
      replaceOnce(example, '本年收费金额（单位：万元）', '本年收费金额（单位：元）'),
      '行政事业性收费\t12.35',
      '行政事业性收费\t123500',
    );
    const yuanHeader = real.replace('采购总金额', '采购总金额（元）');
    expect(yuanHeader).not.toBe(real);
    for (const [text, code] of [
      [fees, 'T2.FEES.AMOUNT'],
      [procurement('6\t251000', yuanHeader), 'T2.PROCUREMENT.AMOUNT'],
      [fees.replaceAll('\t', ' '), 'T2.FEES.AMOUNT'],
      [procurement('6 251000', yuanHeader.replaceAll('\t', ' '), ' '), 'T2.PROCUREMENT.AMOUNT'],
    ] as const) {
      const report = ok(parseReportText(text));
      expect(cell(report, code)).toMatchObject({
        value: code === 'T2.FEES.AMOUNT' ? '12.35' : '25.1',
        unit: '元',
      });
      expect(report.warnings.filter((w) => w.code === 'UNIT_CONVERTED').map((w) => w.cellCode)).toEqual([
        code,
      ]);
    }
    // The count beside it keeps its figure; a cell printing its own unit is read in that unit.
    const own = ok(parseReportText(procurement('6\t12.5万元', yuanHeader)));
    expect([cell(own, 'T2.PROCUREMENT.PROJECTS')?.value, cell(own, 'T2.PROCUREMENT.AMOUNT')?.value]).toEqual([
      '6',
      '12.5',
    ]);
    // The template's own 本年收费金额（单位：万元） changes nothing.
    expect(cell(ok(parseReportText(example)), 'T2.FEES.AMOUNT')).toMatchObject({ value: '12.35' });
    expect(cell(ok(parseReportText(example)), 'T2.FEES.AMOUNT')?.unit).toBeUndefined();
  });

  it("a note stating the amounts' unit (单位：元 above the table, or in a header cell) and a header in 千元 or 亿元 convert them", async () => {
    const header = '信息内容\t本年收费金额（单位：万元）';
    const amount = (text: string) => {
      const report = ok(parseReportText(text));
      return [
        cell(report, 'T2.FEES.AMOUNT')?.value,
        cell(report, 'T2.FEES.AMOUNT')?.unit,
        cell(report, 'T2.LICENSING.DECISIONS')?.value,
      ];
    };
    const withFees = (headerLine: string, figure: string, before = '') =>
      replaceOnce(
        replaceOnce(example, header, headerLine),
        '行政事业性收费\t12.35',
        `行政事业性收费\t${figure}`,
      ).replace('二、主动公开政府信息情况\n', `二、主动公开政府信息情况\n${before}`);
    // A note above the table, for a header stating no unit; the counts stay counts.
    expect(amount(withFees('信息内容\t本年收费金额', '123500', '单位：元\n'))).toEqual([
      '12.35',
      '元',
      '1268',
    ]);
    expect(amount(withFees('信息内容\t本年收费金额', '123500', '（金额单位：元）\n'))).toEqual([
      '12.35',
      '元',
      '1268',
    ]);
    // In the header row's own cell.
    expect(amount(withFees('信息内容\t本年收费金额\t单位：元', '123500'))).toEqual(['12.35', '元', '1268']);
    // A header stating a magnitude.
    expect(amount(withFees('信息内容\t本年收费金额（单位：千元）', '123.5'))).toEqual([
      '12.35',
      '千元',
      '1268',
    ]);
    expect(amount(withFees('信息内容\t本年收费金额（亿元）', '0.001235'))).toEqual(['12.35', '亿元', '1268']);
    // A header stating one unit and a note beside the table another: which the amount is in
    // cannot be told, and it is refused, naming both (table2-units.ts).
    const disagreeing = parseReportText(withFees(header, '12.35', '单位：元\n'));
    expect(disagreeing.ok ? [] : disagreeing.problems.map((p) => [p.code, p.cellCode])).toEqual([
      ['UNIT_MISMATCH', 'T2.FEES.AMOUNT'],
    ]);
    // A note of 万元 changes nothing.
    expect(amount(withFees('信息内容\t本年收费金额', '12.35', '单位：万元\n'))).toEqual([
      '12.35',
      undefined,
      '1268',
    ]);
    // The same page as HTML.
    const { result } = await parseDocument(
      new TextEncoder().encode(toHtmlTables(withFees('信息内容\t本年收费金额', '123500', '单位：元\n'))),
    );
    expect(result.ok && cell(result.report, 'T2.FEES.AMOUNT')).toMatchObject({ value: '12.35', unit: '元' });
  });

  it('the unit as agencies also write it: 人民币元, 单位/元, 金额：元 in a header; 注：金额单位为元, 单位（元） in a note', () => {
    const yuan = (text: string) => cell(ok(parseReportText(text)), 'T2.PROCUREMENT.AMOUNT');
    for (const stated of [
      '（单位：人民币元）',
      '（人民币元）',
      '（元人民币）',
      '（单位/元）',
      '（单位 元）',
      '（金额：元）',
    ]) {
      const header = real.replace('采购总金额', `采购总金额${stated}`);
      for (const text of [
        procurement('6\t251000', header),
        procurement('6 251000', header.replaceAll('\t', ' '), ' '),
      ]) {
        expect(yuan(text), stated).toMatchObject({ value: '25.1', unit: '元' });
      }
    }
    for (const note of [
      '单位：人民币元',
      '（单位：人民币元）',
      '注：金额单位为元',
      '单位（元）',
      '表中金额单位：元',
      '采购金额单位：元',
    ]) {
      const text = procurement('6\t251000', real).replace(
        '二、主动公开政府信息情况\n',
        `二、主动公开政府信息情况\n${note}\n`,
      );
      expect(yuan(text), note).toMatchObject({ value: '25.1', unit: '元' });
    }
  });

  it('a header or note naming the unit in words that are not read (圆, ￥) refuses the amounts: 251000 元 is never stored as 251000 万元', () => {
    const refused = (text: string) => codesOf(parseReportText(text));
    for (const stated of ['（单位：圆）', '（￥）', '（单位：人民币圆）']) {
      const header = real.replace('采购总金额', `采购总金额${stated}`);
      for (const text of [
        procurement('6\t251000', header),
        procurement('6 251000', header.replaceAll('\t', ' '), ' '),
      ]) {
        expect(refused(text), stated).toEqual([
          ['UNIT_MISMATCH', 'T2.PROCUREMENT.AMOUNT', expect.any(Number)],
        ]);
      }
    }
    const note = procurement('6\t251000', real).replace(
      '二、主动公开政府信息情况\n',
      '二、主动公开政府信息情况\n注：金额单位为圆\n',
    );
    expect(refused(note)).toEqual([['UNIT_MISMATCH', 'T2.PROCUREMENT.AMOUNT', expect.any(Number)]]);
    const problem = (
      parseReportText(procurement('6\t251000', real.replace('采购总金额', '采购总金额（￥）'))) as {
        problems: { message: string }[];
      }
    ).problems[0];
    expect(problem?.message).toContain(
      'whether it is in 元 or 万元, ten thousand times apart, cannot be told',
    );
    // A blank amount under such a header is read as blank, and the count beside it as printed.
    const blank = ok(parseReportText(procurement('6\t/', real.replace('采购总金额', '采购总金额（￥）'))));
    expect([
      cell(blank, 'T2.PROCUREMENT.PROJECTS')?.value,
      cell(blank, 'T2.PROCUREMENT.AMOUNT')?.status,
    ]).toEqual(['6', 'NOT_REPORTED']);
  });

  it('the same in text separated by single spaces, where each figure takes the unit printed after it', () => {
    const spaced = real.replaceAll('\t', ' ');
    const report = ok(parseReportText(procurement('6 251000元', spaced, ' ')));
    expect([cell(report, 'T2.PROCUREMENT.PROJECTS'), cell(report, 'T2.PROCUREMENT.AMOUNT')]).toMatchObject([
      { value: '6', rawText: '6' },
      { value: '25.1', rawText: '251000元', unit: '元' },
    ]);
    expect(report.cells.filter((c) => c.unit).map((c) => c.code)).toEqual(['T2.PROCUREMENT.AMOUNT']);
    expect(codesOf(parseReportText(procurement('6元 0', spaced, ' ')))).toEqual([
      ['UNIT_MISMATCH', 'T2.PROCUREMENT.PROJECTS', expect.any(Number)],
    ]);
  });
});
