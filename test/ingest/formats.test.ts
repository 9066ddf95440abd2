import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFragment } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DocumentParseResult, extractLines, parseDocument } from '../../src/ingest/document.ts';
import { htmlToLines, tableGrid } from '../../src/ingest/html.ts';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import type { ParsedReport } from '../../src/ingest/types.ts';
import { EXAMPLE_V2021, fixtureText, toHtmlTables } from '../support/fixtures.ts';
import { docxWithDocumentXml, encryptedOfficeFile, passwordPdf } from '../support/hostile-files.ts';

const FORMATS_DIR = fileURLToPath(new URL('../fixtures/formats/', import.meta.url));
const formatBytes = (name: string) => readFileSync(`${FORMATS_DIR}${name}`);

/** What must not depend on the format: every cell's status and exact value. */
const numbers = (report: ParsedReport) =>
  report.cells.map((c) => ({ code: c.code, status: c.status, value: c.value }));

function reportOf(parsed: DocumentParseResult): ParsedReport {
  if (!parsed.result.ok) throw new Error(parsed.result.problems.map((p) => p.message).join('\n'));
  return parsed.result.report;
}

describe('the same report published as tab text, pipe text, GBK text, HTML, Word-exported HTML, Word 97 (.doc), Word (.docx) and PDF', () => {
  const expected: Record<string, { format: string; encoding: string }> = {
    'report.tab.txt': { format: 'text', encoding: 'utf-8' },
    'report.pipe.txt': { format: 'text', encoding: 'utf-8' },
    'report.gbk.txt': { format: 'text', encoding: 'gb18030' },
    'report.html': { format: 'html', encoding: 'utf-8' },
    'report.word.html': { format: 'html', encoding: 'utf-8' },
    'report.doc': { format: 'doc', encoding: 'binary' },
    'report.docx': { format: 'docx', encoding: 'binary' },
    'report.pdf': { format: 'pdf', encoding: 'binary' },
  };
  const parsed = new Map<string, DocumentParseResult>();
  const reference = parseReportText(fixtureText(EXAMPLE_V2021));

  beforeAll(async () => {
    for (const name of Object.keys(expected)) parsed.set(name, await parseDocument(formatBytes(name)));
  });

  it('has one fixture per format, and no other', () => {
    expect(readdirSync(FORMATS_DIR).sort()).toEqual(Object.keys(expected).sort());
  });

  it('detects each format from the bytes', () => {
    for (const [name, { format, encoding }] of Object.entries(expected)) {
      expect({ name, format: parsed.get(name)?.format, encoding: parsed.get(name)?.encoding }).toEqual({
        name,
        format,
        encoding,
      });
    }
  });

  it('reads identical numbers from every format: the full cell list', () => {
    if (!reference.ok) throw new Error('the example must parse');
    const want = numbers(reference.report);
    expect(want.filter((c) => c.status === 'REPORTED')).toHaveLength(200);
    for (const name of Object.keys(expected)) {
      const report = reportOf(parsed.get(name) as DocumentParseResult);
      expect({ name, cells: numbers(report) }).toEqual({ name, cells: want });
    }
  });

  it('reads the same header, footer and template from every format, with nothing left over', () => {
    for (const name of Object.keys(expected)) {
      const report = reportOf(parsed.get(name) as DocumentParseResult);
      expect({
        name,
        agency: report.agencyName,
        year: report.year,
        version: report.templateVersion,
        publishedOn: report.publishedOn,
        contact: report.contact,
        sections: report.narrative.map((s) => s.number),
        gaps: report.gaps,
        warnings: report.warnings,
        extras: report.extras,
      }).toEqual({
        name,
        agency: '宁夏回族自治区中卫市沙坡头区卫生健康局',
        year: 2022,
        version: 'V2021',
        publishedOn: '2023-01-18',
        contact: {
          website: 'http://www.spt.gov.cn/',
          address: '沙坡头区文昌镇应理南街 96 号卫生健康综合楼 305 室',
          postcode: '755000',
          phone: '0955-7612580',
          fax: '0955-7612581',
          email: 'sptqwjjbgs@163.com',
        },
        sections: [0, 1, 2, 3, 4, 5, 6],
        gaps: [],
        warnings: [],
        extras: [],
      });
    }
  });

  it('keeps the printed text of each cell (the HTML prints 1,268 with a thousands separator)', () => {
    const cell = (name: string, code: string) =>
      reportOf(parsed.get(name) as DocumentParseResult).cells.find((c) => c.code === code);
    expect(cell('report.html', 'T2.LICENSING.DECISIONS')).toMatchObject({ rawText: '1,268', value: '1268' });
    expect(cell('report.pdf', 'T2.LICENSING.DECISIONS')).toMatchObject({ rawText: '1,268', value: '1268' });
    expect(cell('report.tab.txt', 'T2.LICENSING.DECISIONS')).toMatchObject({
      rawText: '1268',
      value: '1268',
    });
    expect(cell('report.pdf', 'T2.FEES.AMOUNT')).toMatchObject({ value: '12.35' });
  });

  it('ignores the page chrome of the HTML page: navigation, breadcrumbs, footer, scripts', () => {
    const report = reportOf(parsed.get('report.html') as DocumentParseResult);
    const text = report.narrative.map((s) => s.text).join('\n');
    for (const chrome of ['当前位置', '互动交流', '网站标识码', '主办', 'document.title', '搜索']) {
      expect(text, chrome).not.toContain(chrome);
    }
    // The nav menu and the breadcrumb both name 政府信息公开工作年度报告; the title is still the report's.
    expect(report.title).toBe('2022年政府信息公开工作年度报告');
  });

  it('rebuilds the PDF tables from their rules: merged cells, a table split over pages, headers one character per line', async () => {
    const extracted = await extractLines(formatBytes('report.pdf'));
    if (!extracted.ok) throw new Error(extracted.problem.message);
    const rows = extracted.lines.filter((l) => l.cells).map((l) => l.cells?.join('|'));
    // Table 4's narrow columns print 结果维持 as 结/果/维/持 on four lines inside one cell.
    expect(rows).toContain(
      '|||||结果维持|结果纠正|其他结果|尚未审结|总计|结果维持|结果纠正|其他结果|尚未审结|总计',
    );
    // The rowspan of （三）不予公开 puts its label on the first of its rows only.
    expect(rows).toContain('|（三）不予公开|1.属于国家秘密|0|0|0|0|0|0|0');
    expect(rows).toContain('||2.其他法律行政法规禁止公开|0|0|0|0|0|0|0');
    // A label wrapped over three lines inside its cell is one cell again.
    expect(rows).toContain(
      '|（六）其他处理|1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请|1|0|0|0|0|0|1',
    );
    // Table 3 continues on the next page under a repeated header, which is dropped there.
    expect(rows.filter((r) => r?.startsWith('(本列数据的勾稽关系为'))).toHaveLength(1);
    // Paragraphs wrapped over several lines are joined back, and right-aligned lines are not glued on.
    const text = extracted.lines.filter((l) => !l.cells).map((l) => l.text);
    expect(text).toContain('2023年1月18日');
    expect(text.some((t) => t.endsWith('邮箱:sptqwjjbgs@163.com)。'))).toBe(true);
  });
});

describe('HTML', () => {
  it('expands rowspan and colspan into a grid, the text in the first slot', () => {
    const fragment = parseFragment(`<table>
      <tr><td rowspan="2" colspan="2">A</td><td>B</td></tr>
      <tr><td>C</td></tr>
      <tr><td>D</td><td colspan="2">E</td></tr>
      <tr><td rowspan="0">F</td><td>G</td><td rowspan="9">H</td></tr>
      <tr><td>I</td></tr>
    </table>`);
    const table = fragment.childNodes[0];
    if (!table || !('tagName' in table)) throw new Error('no table');
    expect(tableGrid(table)).toEqual([
      ['A', '', 'B'],
      ['', '', 'C'],
      ['D', 'E', ''],
      ['F', 'G', 'H'],
      ['', 'I', ''],
    ]);
  });

  it('reads paragraphs, line breaks and headings as lines, and table rows as cells', () => {
    const lines = htmlToLines(
      '<div class="content"><h1>某某局<br>2022年政府信息公开工作年度报告</h1><p>第一段 <b>加粗</b>&nbsp;文字</p><table><tr><td><p>（三）</p><p>不予公开</p></td><td> 1 </td></tr></table></div>',
    );
    expect(lines.map((l) => [l.number, l.text, l.cells])).toEqual([
      [1, '某某局', null],
      [2, '2022年政府信息公开工作年度报告', null],
      [3, '第一段 加粗\u00a0文字', null],
      [4, '（三） 不予公开\t1', ['（三） 不予公开', '1']],
    ]);
  });

  it('reads a layout table (a table holding tables) as blocks, and takes the title from <title> when the page prints none', () => {
    const lines = htmlToLines(
      '<html><head><title>某某局2021年政府信息公开工作年度报告_某某市人民政府</title></head><body><table><tr><td><p>正文</p><table><tr><td>a</td><td>1</td></tr></table></td></tr></table></body></html>',
    );
    expect(lines.map((l) => l.text)).toEqual(['某某局2021年政府信息公开工作年度报告', '正文', 'a\t1']);
  });

  it('drops hidden elements and chrome named by role, class or id', () => {
    const lines = htmlToLines(`<body>
      <div role="navigation">菜单</div><div class="top-nav">导航</div><div id="breadcrumb">首页</div>
      <div class="bread-crumbs">位置</div><div style="display: none">隐藏</div><div hidden>也隐藏</div>
      <header>网站页头</header><article><header>文章标题</header><p>正文</p><footer>文章尾</footer></article>
      <footer>网站页脚</footer></body>`);
    expect(lines.map((l) => l.text)).toEqual(['文章标题', '正文', '文章尾']);
  });

  it("drops what the page's own stylesheet hides, attributes and siblings as a browser matches them, and leaves what depends on state", () => {
    const lines = htmlToLines(`<style>
      .gone, div.box > p.inner { display: none } #mark { visibility: collapse }
      [data-x] { display: none } .a + .b { display: none } a:hover { display: none }
      @supports (display: grid) { .grid { display: none } }
    </style>
      <p class="gone">隐藏</p><div class="box"><p class="inner">隐藏</p><section><p class="inner">显示一</p></section></div>
      <p id="mark">隐藏</p><p data-x="1">显示二</p><p class="a">显示三</p><p class="b">显示四</p><p class="grid">显示五</p>
      <table><tr><td>标签</td><td class="gone">9</td><td>1</td></tr><tr class="gone"><td>旧</td><td>2</td></tr></table>`);
    // [data-x] and .a + .b hide 二 and 四 on screen; a:hover matches nothing at rest; @supports is not read.
    expect(lines.map((l) => l.text)).toEqual(['显示一', '显示三', '显示五', '标签\t1']);
  });

  it("a figure in a cell merged down over rows is a gap in each of them, never one row's figure and a blank", async () => {
    const html = toHtmlTables(fixtureText(EXAMPLE_V2021));
    const [first, second] = ['<td>41</td><td>6</td><td>0</td>', '<td>3</td><td>1</td><td>0</td>'];
    expect(html).toContain(first);
    expect(html).toContain(second);
    const merged = html
      .replace(first, '<td>41</td><td>6</td><td rowspan="2">0</td>')
      .replace(second, '<td>3</td><td>1</td>');
    const strict = await parseDocument(Buffer.from(merged));
    expect(strict.result.ok ? [] : strict.result.problems.map((p) => p.code)).toEqual([
      'MERGED_CELL',
      'MERGED_CELL',
      'INCOMPLETE_REPORT',
    ]);
    const { result } = await parseDocument(Buffer.from(merged), { allowPartial: true });
    const report = reportOf({ result } as DocumentParseResult);
    const research = report.cells.filter((c) => c.code.endsWith('.RESEARCH_INSTITUTION')).slice(0, 2);
    expect(research.map((c) => [c.code, c.status])).toEqual([
      ['T3.NEW_REQUESTS.RESEARCH_INSTITUTION', 'MISSING'],
      ['T3.CARRIED_OVER.RESEARCH_INSTITUTION', 'MISSING'],
    ]);
    expect(report.gaps[0]).toMatchObject({
      code: 'MERGED_CELL',
      column: '科研机构',
      message: expect.stringContaining('"0" is printed once in a cell merged over several rows'),
    });
    // The lines read keep the figure as printed, without the mark that carries it.
    expect(htmlToLines(merged).some((l) => l.text.includes('\uE000'))).toBe(false);
    const read = await parseDocument(Buffer.from(merged), { allowPartial: true, withText: true });
    expect(read.text).toContain('\t41\t6\t0\t');
    expect(read.text).not.toContain('\uE000');
    // A figure with its unit, or a mark, merged down is no row's either.
    for (const printed of ['0件', '—']) {
      const { result: marked } = await parseDocument(
        Buffer.from(merged.replace('<td rowspan="2">0</td>', `<td rowspan="2">${printed}</td>`)),
        { allowPartial: true },
      );
      expect(marked.ok && marked.report.gaps.filter((g) => g.code === 'MERGED_CELL').length, printed).toBe(2);
    }
    // A merged label still names every row it covers: the real Shanghai page merges 三、本年度办理结果 over 20 rows.
    const other = report.cells.filter(
      (c) => c.code.startsWith('T3.') && !c.code.endsWith('.RESEARCH_INSTITUTION'),
    );
    expect(other.every((c) => c.status === 'REPORTED')).toBe(true);
  });

  it('decodes a GBK page and reads it like any other', async () => {
    const iconv = (await import('iconv-lite')).default;
    const html = formatBytes('report.html').toString('utf8').replace('charset="utf-8"', 'charset="gbk"');
    const parsed = await parseDocument(iconv.encode(html, 'gbk'));
    expect([parsed.format, parsed.encoding]).toEqual(['html', 'gb18030']);
    expect(reportOf(parsed).cells.filter((c) => c.status === 'REPORTED')).toHaveLength(200);
  });
});

describe('files that are not reports, or are damaged', () => {
  const problemOf = async (bytes: Uint8Array) => {
    const { result } = await parseDocument(bytes);
    if (result.ok) throw new Error('expected a rejection');
    return result.problems[0];
  };

  it('names the kind of file and what to do', async () => {
    const cases: [number[], string][] = [
      [
        [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...Buffer.from('Workbook', 'utf16le')],
        'legacy Office file that is not a Word document',
      ],
      [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG image'],
      [[0xff, 0xd8, 0xff, 0xe0], 'JPEG image'],
      [[0x50, 0x4b, 0x03, 0x04, ...Buffer.from('xl/workbook.xml')], 'Excel workbook'],
    ];
    for (const [bytes, name] of cases) {
      const problem = await problemOf(new Uint8Array(bytes));
      expect(problem).toMatchObject({ code: 'UNSUPPORTED_FORMAT', severity: 'error' });
      expect(problem?.message).toContain(name);
    }
  });

  it('any other binary file is refused as binary', async () => {
    const problem = await problemOf(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0x14, 0]));
    expect(problem).toMatchObject({
      code: 'BINARY_FILE',
      message: expect.stringContaining('a Word (.docx or .doc) or a PDF file; a damaged one'),
    });
  });

  it.each([
    [
      'report.pdf',
      /^The PDF cannot be read \(.+\)\. The file may be cut off or damaged; download it again\.$/,
    ],
    [
      'report.doc',
      /^The Word 97–2003 document cannot be read \(.+\)\. The file may be cut off or damaged; download it again, or save it as \.docx\.$/,
    ],
    [
      'report.docx',
      /^The Word document cannot be read: its ZIP container is damaged \(a download cut short or changed on the way\); download it again/,
    ],
  ])('a cut-off %s says it is damaged', async (name, message) => {
    const bytes = formatBytes(name);
    const problem = await problemOf(bytes.subarray(0, Math.floor(bytes.length / 3)));
    expect(problem).toMatchObject({ code: 'UNREADABLE_DOCUMENT', message: expect.stringMatching(message) });
  });

  it("a damaged Word 97 file says its structure is damaged, not the reader library's JavaScript error", async () => {
    // Found by mutating the fixture: 1,372 bytes repeated in its middle made word-extractor fail
    // with "Cannot read properties of undefined (reading 'storageDirId')".
    const bytes = formatBytes('report.doc');
    const damaged = Buffer.concat([bytes.subarray(0, 32_986 + 1_372), bytes.subarray(32_986)]);
    expect(await problemOf(damaged)).toMatchObject({
      code: 'UNREADABLE_DOCUMENT',
      message:
        'The Word 97–2003 document cannot be read (its directory has no root entry). The file may be cut off or damaged; download it again, or save it as .docx.',
    });
  });

  it('a password-protected PDF or Office file says so and what to do', async () => {
    expect(await problemOf(passwordPdf())).toMatchObject({
      code: 'UNREADABLE_DOCUMENT',
      message: expect.stringMatching(
        /^The PDF is protected by a password, so its text cannot be read\. Find the HTML or Word version/,
      ),
    });
    expect(await problemOf(encryptedOfficeFile())).toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      message: expect.stringMatching(
        /^The file is a password-protected \(encrypted\) Office file, which cannot be read\. Its text cannot be read without the password/,
      ),
    });
  });

  it.each([
    [
      'cut off',
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>',
    ],
    ['not XML', '某局2022年政府信息公开工作年度报告'],
    ['empty', ''],
    ['with an undeclared entity', '<?xml version="1.0"?><w:document>&e;</w:document>'],
  ])(
    'a Word file whose document.xml is %s says which part, not what the XML library said',
    async (_, xml) => {
      const problem = await problemOf(docxWithDocumentXml(xml));
      expect(problem).toMatchObject({
        code: 'UNREADABLE_DOCUMENT',
        message:
          'The Word document cannot be read: one of its XML parts (word/document.xml, its styles or numbering) is cut off or is not XML; download it again, or open it in Word and save it again.',
      });
    },
  );

  it('a PDF without text (a scan) asks for OCR or another version', async () => {
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    );
    expect(await problemOf(pdf)).toMatchObject({ code: 'NO_TEXT', message: expect.stringContaining('OCR') });
  });

  it('an HTML page cut off before its tables says so', async () => {
    const cut = formatBytes('report.html').subarray(0, 4000);
    expect(await problemOf(cut)).toMatchObject({
      code: 'UNKNOWN_TEMPLATE',
      message: expect.stringContaining('no tables at all'),
    });
  });
});
