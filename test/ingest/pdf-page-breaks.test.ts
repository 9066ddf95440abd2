/**
 * A table row cut in two by a page break, as a browser prints it: the first lines of its
 * cells at the foot of one page, the rest at the head of the next (under the table's header
 * printed again, where it is a <thead>), and no rule drawn at the cut. The reader drops the
 * repeated header and joins the two parts back into one row, so every figure of the report
 * is read as from the text it was printed from.
 *
 * Each multi-line row of the two fixture reports is cut in turn after its first line, by
 * printing on pages as tall as the report's top to that line's foot.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { parseReportText } from '../../src/ingest/parse-report.ts';
import { rulesOf } from '../../src/ingest/pdf-rules.ts';
import { findTables } from '../../src/ingest/pdf-tables.ts';
import { joinSplitRow } from '../../src/ingest/pdf-text.ts';
import { documentParams, loadPdfjs } from '../../src/ingest/pdfjs.ts';
import type { ParsedCell } from '../../src/ingest/types.ts';
import { launchChromium } from '../support/chromium.ts';
import { EXAMPLE_V2021, fixtureText, REAL_V2019, toHtmlTables } from '../support/fixtures.ts';

/**
 * Ruled cells that may break after any line (Chromium keeps two lines of a cell together by
 * default, and moves a three-line row whole; Word breaks rows after any line).
 */
const style = (cells: string) =>
  `<meta charset="utf-8"><style>body{margin:0} table{border-collapse:collapse} td{border:1px solid #000;padding:4px;font-size:11pt;orphans:1;widows:1;${cells}} p{font-size:11pt}</style>`;

/** Ruled cells with the browser's own page margins and breaks. */
const BROWSER_DEFAULTS =
  '<meta charset="utf-8"><style>table{border-collapse:collapse} td{border:1px solid #000;padding:4px;font-size:11pt} p{font-size:11pt}</style>';

interface Printing {
  name: string;
  style: string;
  /** Page margin (px) holding a page-number footer, or none. */
  footer: number;
  /** Header rows printed again at the top of each page (<thead>). */
  thead?: boolean;
  /** Text printed in the top and bottom margins of every page, instead of 第 N 页 at the foot. */
  running?: { header: string; footer: string };
}

const PRINTINGS: Printing[] = [
  // Figures centred in their row: a cut row's figures fall on the second page.
  { name: 'cells centred', style: style(''), footer: 0 },
  // Figures at the top: on the first page, under a label that goes on over the page.
  { name: 'cells at the top, 第 N 页 in the foot', style: style('vertical-align:top'), footer: 40 },
  // The header again above the rest of the cut row, as a <thead> (or Word's header rows) prints.
  { name: 'header rows repeated on each page', style: style(''), footer: 0, thead: true },
  // The report's title above every page and the agency below it, as Word prints its header and footer.
  {
    name: 'a running header and footer on each page',
    style: style(''),
    footer: 40,
    thead: true,
    running: { header: '2022年政府信息公开工作年度报告', footer: '宁夏回族自治区中卫市沙坡头区卫生健康局' },
  },
];

const parseOk = (text: string) => {
  const result = parseReportText(text);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.report.cells;
};

const figures = (cells: readonly ParsedCell[]) =>
  cells.map((c) => ({ code: c.code, status: c.status, value: c.value }));

const margin = (html: string) => `<div style="font-size:9pt;width:100%;text-align:center">${html}</div>`;

/** How many ruled tables of the PDF run past a page's foot with no rule there (cut rows). */
async function cutRows(pdf: Uint8Array): Promise<number> {
  const { getDocument, OPS } = await loadPdfjs();
  const document = await getDocument(documentParams(pdf)).promise;
  let cut = 0;
  try {
    for (let p = 1; p <= document.numPages; p++) {
      const page = await document.getPage(p);
      const rules = rulesOf(await page.getOperatorList(), OPS, 1_000_000);
      cut += findTables(rules.horizontal, rules.vertical).filter((t) => t.openBottom).length;
    }
  } finally {
    await document.destroy();
  }
  return cut;
}

/**
 * The report printed on pages as tall as the top of the document to just below the first line
 * of table row `index`'s longest cell (and its padding), so that the first page break cuts that row after one
 * line (later breaks cut whatever rows they fall through). Nothing before the row moves: no
 * page break comes before it.
 */
async function printCutAt(page: Page, index: number, printing: Printing): Promise<Uint8Array> {
  const { footer, running } = printing;
  const cut = await page.evaluate((i) => {
    const row = document.querySelectorAll('tr')[i] as HTMLTableRowElement;
    const lines = [...row.cells].map((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      return [...range.getClientRects()];
    });
    const longest = lines.reduce((a, b) => (b.length > a.length ? b : a));
    // Chromium breaks after a line only with the cell's padding (4px) room below it.
    return (longest[0]?.bottom ?? 0) + window.scrollY + 6;
  }, index);
  if (footer === 0) return page.pdf({ width: '210mm', height: `${Math.round(cut)}px` });
  return page.pdf({
    width: '210mm',
    height: `${Math.round(cut) + 2 * footer}px`,
    margin: { top: `${footer}px`, bottom: `${footer}px` },
    displayHeaderFooter: true,
    headerTemplate: running ? margin(running.header) : '<span></span>',
    footerTemplate: running ? margin(running.footer) : margin('第 <span class="pageNumber"></span> 页'),
  });
}

describe('a table row cut by a page break (PDF printed by Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(() => browser?.close());

  const cases: [string, Printing][] = [
    [EXAMPLE_V2021, PRINTINGS[0] as Printing],
    [REAL_V2019, PRINTINGS[0] as Printing],
    [EXAMPLE_V2021, PRINTINGS[1] as Printing],
    [EXAMPLE_V2021, PRINTINGS[2] as Printing],
    [REAL_V2019, PRINTINGS[2] as Printing],
    [EXAMPLE_V2021, PRINTINGS[3] as Printing],
  ];
  for (const [source, printing] of cases) {
    it(`${source}, ${printing.name}: every multi-line row cut across two pages is read as one row`, async () => {
      const text = fixtureText(source);
      const truth = parseReportText(text);
      if (!truth.ok) throw new Error(truth.problems.map((p) => p.message).join('\n'));
      const page = await browser.newPage({
        viewport: { width: Math.round((210 / 25.4) * 96), height: 1123 },
      });
      try {
        await page.emulateMedia({ media: 'print' });
        await page.setContent(printing.style + toHtmlTables(text, { thead: printing.thead }));
        const tall = await page.evaluate(() =>
          [...document.querySelectorAll('tr')].flatMap((row, i) => {
            const numbers = [...row.cells].filter((c) =>
              /^\s*\d+(\.\d+)?\s*$/.test(c.textContent ?? ''),
            ).length;
            return numbers >= 2 && row.getBoundingClientRect().height > 40 ? [i] : [];
          }),
        );
        expect(tall.length).toBeGreaterThan(0);
        for (const index of tall) {
          const pdf = await printCutAt(page, index, printing);
          const { result } = await parseDocument(pdf);
          const problems = result.ok ? [] : result.problems.map((p) => p.message);
          // The precondition: the print did cut a row (else this checks nothing).
          const cut = await cutRows(pdf);
          expect({ row: index, cut: cut > 0, problems }).toEqual({ row: index, cut: true, problems: [] });
          if (result.ok) {
            expect(figures(result.report.cells)).toEqual(figures(truth.report.cells));
            // A running header (the title) is not read as the report's title line, above its agency.
            expect([result.report.agencyName, result.report.year]).toEqual([
              truth.report.agencyName,
              truth.report.year,
            ]);
          }
        }
      } finally {
        await page.close();
      }
    }, 180_000);
  }

  // Table 2's blocks (五) and (六) have the same header (信息内容 | 本年处理决定数量): a block
  // printed as its own table, under its title, on a new page is not the last one going on.
  it.each([
    [
      'title at the head of the next page',
      (html: string) =>
        html.replace('<p>第二十条第（六）项</p>', '<p style="break-before:page">第二十条第（六）项</p>'),
    ],
    [
      'title at the foot of the page, its table on the next',
      (html: string) =>
        html.replace(/(<p>第二十条第（六）项<\/p>\s*)<table>/, '$1<table style="break-before:page">'),
    ],
  ])(
    'a new table with the same header as the one before it, %s, keeps its header',
    async (_, move) => {
      const text = fixtureText(EXAMPLE_V2021).replace(/^(第二十条第（.）项)\t+$/gm, '$1');
      const html = move(toHtmlTables(text));
      expect(html).toContain('break-before:page');
      const page = await browser.newPage();
      try {
        await page.setContent(BROWSER_DEFAULTS + html);
        const { result } = await parseDocument(await page.pdf({ format: 'A4' }));
        expect(result.ok && figures(result.report.cells)).toEqual(figures(parseOk(text)));
      } finally {
        await page.close();
      }
    },
    60_000,
  );
});

describe('joining the two parts of a cut row', () => {
  it('never joins two figures into one, in half-width or full-width digits', () => {
    const row = (cells: string[]) => ({ top: 0, cells, text: cells.join('\t') });
    expect(joinSplitRow(row(['行政处罚', '12']), row(['', '3']))).toBeNull();
    expect(joinSplitRow(row(['行政处罚', '１２']), row(['', '３']))).toBeNull();
    expect(joinSplitRow(row(['行政', '12']), row(['处罚', '']))?.cells).toEqual(['行政处罚', '12']);
  });

  it('keeps the blank merged cells both parts print, and no others', () => {
    const part = (cells: string[], spans?: number[]) => ({
      top: 0,
      cells,
      text: cells.join('\t'),
      ...(spans ? { spans } : {}),
    });
    // 上年结转 | 18 | 科研机构 and 社会公益组织 as one blank | …, cut after the label's first line
    const foot = part(['二、上年结转', '18', '', '18'], [1, 1, 2, 1]);
    const head = part(['政府信息公开申请数量', '', '', ''], [1, 1, 2, 1]);
    expect(joinSplitRow(foot, head)?.spans).toEqual([1, 1, 2, 1]);
    // One part could not tell (a figure over the columns, a row not closed at the right): neither can the row.
    expect(joinSplitRow(foot, part(head.cells))?.spans).toBeUndefined();
    expect(joinSplitRow(foot, part(head.cells, [1, 2, 1, 1]))?.spans).toBeUndefined();
  });
});
