/**
 * Every figure of fifteen documents as agencies published them (../shared/fixtures/real-reports),
 * against transcriptions made by reading each document (./expected). The documents stay in
 * ../shared; these tests run wherever it is present, as it is in CI.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cellsOfVersion } from '../../../src/catalogue/cells.ts';
import { APPLICANT_COLUMNS } from '../../../src/catalogue/template.ts';
import { parseDocument } from '../../../src/ingest/document.ts';
import type { ParsedCell, ParsedReport } from '../../../src/ingest/types.ts';
import type { ExpectedCell, ExpectedReport } from './expected-types.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const EXPECTED = fileURLToPath(new URL('./expected/', import.meta.url));

const transcriptions = await Promise.all(
  readdirSync(EXPECTED)
    .filter((f) => f.endsWith('.ts'))
    .map(async (f) => (await import(`./expected/${f.replace(/\.ts$/, '')}.ts`)).default as ExpectedReport),
);

/** The parsed cell in the transcription's terms, so one comparison shows every difference. */
function asExpected(cell: ParsedCell | undefined): ExpectedCell | 'MISSING' {
  if (!cell || cell.status === 'MISSING') return 'MISSING';
  if (cell.status === 'UNREADABLE') return { unreadable: [...(cell.candidates ?? [])].sort() };
  if (cell.status === 'NOT_REPORTED') return cell.rawText === '' ? 'BLANK' : 'NOT_REPORTED';
  return cell.value ?? 'MISSING';
}

const normalise = (cell: ExpectedCell): ExpectedCell =>
  typeof cell === 'object' ? { unreadable: [...cell.unreadable].sort() } : cell;

/** Every cell of the transcription as read from `report`, beside the transcription itself. */
function figuresRead(report: ParsedReport, expected: ExpectedReport) {
  const byCode = new Map(report.cells.map((c) => [c.code, c]));
  return {
    read: Object.fromEntries(Object.keys(expected.cells).map((code) => [code, asExpected(byCode.get(code))])),
    truth: Object.fromEntries(Object.entries(expected.cells).map(([code, cell]) => [code, normalise(cell)])),
  };
}

describe.runIf(existsSync(SHARED))('real published documents', () => {
  it('has a transcription for each of the fifteen documents', () => {
    const documents = readdirSync(SHARED).filter((f) => f !== 'README.md');
    expect(transcriptions.flatMap((t) => t.files).sort()).toEqual(documents.sort());
  });

  for (const expected of transcriptions) {
    for (const file of expected.files) {
      const unreadable = Object.values(expected.cells).some((c) => typeof c === 'object');
      it(`${file}: every figure as printed${unreadable ? ', ambiguous digit runs unreadable (with --allow-partial)' : ', no gaps, no --allow-partial'}`, async () => {
        const { result } = await parseDocument(readFileSync(SHARED + file), { allowPartial: unreadable });
        if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
        const report = result.report;
        expect({
          agencyName: report.agencyName,
          year: report.year,
          templateVersion: report.templateVersion,
          publishedOn: report.publishedOn,
        }).toEqual({
          agencyName: expected.agencyName,
          year: expected.year,
          templateVersion: expected.templateVersion,
          publishedOn: expected.publishedOn,
        });
        expect(Object.keys(expected.cells).sort()).toEqual(
          cellsOfVersion(expected.templateVersion)
            .map((c) => c.code)
            .sort(),
        );
        const { read, truth } = figuresRead(report, expected);
        expect(read).toEqual(truth);
        // Only the genuinely ambiguous cells are gaps; nothing else is missing.
        expect(report.gaps.map((g) => g.code).filter((c) => c !== 'UNREADABLE_CELL')).toEqual([]);
      });
    }
  }
});

describe.runIf(existsSync(SHARED))(
  'a misprinted figure in a run of digits is never read into the wrong cells',
  () => {
    // pingtan-2024 prints table 3's rows as runs of digits (一、本年新收…21710000218). A figure printed
    // with two digits swapped can make another split fit the row's total: 71|0|…|71 printed as
    // 710000017 was stored as 7|10|…|17. Every such swap is tried; each cell read must be what was
    // printed, or unreadable.
    const file = 'pingtan-2024.pagetxt.txt';
    const expected = transcriptions.find((t) => t.files.includes(file));
    const COLUMNS = APPLICANT_COLUMNS.map((c) => c.code);

    it('every figure of table 3 with its digits swapped', async () => {
      if (!expected) throw new Error(`no transcription of ${file}`);
      const text = readFileSync(SHARED + file, 'utf8');
      const rows = [
        ...new Set(
          Object.keys(expected.cells)
            .filter((c) => c.startsWith('T3.'))
            .map((c) => c.split('.')[1]),
        ),
      ];
      let cursor = text.indexOf('三、收到和处理');
      let swaps = 0;
      for (const row of rows) {
        const figures = COLUMNS.map((c) => expected.cells[`T3.${row}.${c}`]);
        if (!figures.every((f): f is string => typeof f === 'string' && /^\d+$/.test(f))) continue;
        const at = text.indexOf(figures.join(''), cursor);
        if (at < 0) continue;
        cursor = at + figures.join('').length;
        for (const [i, figure] of figures.entries()) {
          const swapped = [...figure].reverse().join('');
          if (figure.length < 2 || swapped === figure || swapped.startsWith('0')) continue;
          swaps++;
          const printed = figures.with(i, swapped);
          const mutated = text.slice(0, at) + printed.join('') + text.slice(cursor);
          const { result } = await parseDocument(new TextEncoder().encode(mutated), { allowPartial: true });
          if (!result.ok) continue;
          const truth: Record<string, unknown> = { ...expected.cells, [`T3.${row}.${COLUMNS[i]}`]: swapped };
          const wrong = result.report.cells.filter((c) => {
            const read = asExpected(c);
            return (
              read !== 'MISSING' &&
              typeof read !== 'object' &&
              typeof truth[c.code] === 'string' &&
              read !== truth[c.code]
            );
          });
          expect(
            wrong.map((c) => `${c.code}=${c.value}`),
            `${row} ${COLUMNS[i]} printed ${swapped}`,
          ).toEqual([]);
        }
      }
      expect(swaps).toBeGreaterThan(10);
    });
  },
);

describe.runIf(existsSync(SHARED))(
  "figures printed apart by spaces are never split against the row's own total",
  () => {
    // A crawler that collapses blank cells prints 25 | 8 | | | 12 | 1 | 1 as "258 12 1 1": seven
    // digits for seven columns, but the spaces say 258 is one figure. Read one digit a column, the
    // row broke its own total (2+5+8+1+2+1 = 19, total 1) with no word; now its cells are gaps.
    const file = 'pingtan-2021.pagetxt.txt';
    // A skipped suite's body still runs to collect its tests: where ../shared is absent, no read.
    const text = existsSync(SHARED + file) ? readFileSync(SHARED + file, 'utf8') : '';
    const read = async (row: string) => {
      expect(text).toContain('（一）予以公开270020130');
      const { result } = await parseDocument(
        new TextEncoder().encode(text.replace('（一）予以公开270020130', `（一）予以公开${row}`)),
        { allowPartial: true },
      );
      if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
      return result.report;
    };

    it('258 12 1 1 for seven columns: every cell of the row a gap, saying why', async () => {
      const report = await read('258 12 1 1');
      const granted = report.cells.filter((c) => c.code.startsWith('T3.GRANTED.'));
      expect(granted.map((c) => c.status)).toEqual(Array(7).fill('MISSING'));
      const gaps = report.gaps.filter((g) => g.cellCode?.startsWith('T3.GRANTED.'));
      expect(gaps).toHaveLength(7);
      expect(gaps[0]?.message).toContain(
        "fits the 7 columns only by splitting figures printed apart, and the split breaks the row's own total; blank cells may have been dropped",
      );
    });

    it('an unreadable cell of figures printed apart says so, not that the digits have no separators', async () => {
      const report = await read('2 70020130');
      const gap = report.gaps.find(
        (g) => g.code === 'UNREADABLE_CELL' && g.cellCode?.startsWith('T3.GRANTED.'),
      );
      expect(gap?.message).toContain(
        '"2 70020130" prints fewer figures than the row\'s 7 columns, so some are digits run together (or blank cells were dropped)',
      );
    });

    it('a run that its own total confirms is still read, spaces or not', async () => {
      for (const row of ['2700201 30', '27 0 0 2 0 1 30', '270020130']) {
        const report = await read(row);
        const granted = report.cells.filter((c) => c.code.startsWith('T3.GRANTED.')).map((c) => c.value);
        expect(granted, row).toEqual(['27', '0', '0', '2', '0', '1', '30']);
      }
    });
  },
);

describe.runIf(existsSync(SHARED))('text a browser does not show is never read into a figure', () => {
  // A page can hide text by its own stylesheet, a framework class, an inline style or an
  // attribute; a CMS or an attacker can put hidden digits beside every figure, or hidden cells
  // and rows into the tables. shanghai-bgt-2019.html so altered must read as published.
  const file = 'shanghai-bgt-2019.html';
  // A skipped suite's body still runs to collect its tests: where ../shared is absent, no read.
  const html = existsSync(SHARED + file) ? readFileSync(SHARED + file, 'utf8') : '';
  const FIGURE = /(<p align="center">)(\d+)(<\/p>)/g;
  const FIGURE_CELL = /<td nowrap="nowrap" style="width:\d+px;"><p align="center">\d+<\/p><\/td>/g;
  const BLANK_CELL = /<td nowrap="nowrap" style="width:\d+px;"><p align="center">&nbsp;<\/p><\/td>/g;
  const TOTAL_ROW =
    '<tr CLASS><td colspan="2">（七）总计</td><td>9</td><td>9</td><td>9</td><td>9</td><td>9</td><td>9</td><td>9</td></tr>';
  const afterEachFigure = (hidden: string) => html.replace(FIGURE, `$1$2${hidden}$3`);
  let id = 0;
  const variants: [string, string][] = [
    [
      'a class its own stylesheet hides',
      `<style>.x { display: none }</style>${afterEachFigure('<span class="x">7</span>')}`,
    ],
    [
      'a descendant selector hiding with visibility, !important and a comment',
      `<style>/* notes */ table td span.note{visibility:hidden!important}</style>${afterEachFigure('<span class="note">7</span>')}`,
    ],
    [
      'a child selector in a list',
      `<style>h1, p > b.y { display:none; }</style>${afterEachFigure('<b class="y">7</b>')}`,
    ],
    [
      'ids',
      `<style>${Array.from({ length: 200 }, (_, i) => `#n${i}`).join(',')}{display:none}</style>${html.replace(FIGURE, (_, a, n, b) => `${a}${n}<span id="n${id++ % 200}">7</span>${b}`)}`,
    ],
    ['a framework class (d-none)', afterEachFigure('<span class="d-none">7</span>')],
    [
      'framework classes shown only past a desktop window or on phones (2xl:inline, d-xxl-inline, d-md-none)',
      afterEachFigure(
        '<span class="hidden 2xl:inline">7</span><span class="d-none d-xxl-inline">8</span><span class="d-md-none">9</span>',
      ),
    ],
    // A desktop window shows what a framework shows from a breakpoint on: each refused the report.
    [
      'the desktop copy hidden on phones (d-none d-md-block) beside a phone copy with other figures (d-md-none)',
      `<div class="d-md-none">${html.replace(FIGURE, '$19$2$3')}</div><div class="d-none d-md-block">${html}</div>`,
    ],
    [
      'the same in Tailwind (md:hidden, hidden lg:block)',
      `<div class="md:hidden">${html.replace(FIGURE, '$19$2$3')}</div><div class="hidden lg:block">${html}</div>`,
    ],
    ['a screen-reader class (sr-only)', afterEachFigure('<span class="sr-only">7</span>')],
    ['an inline style with !important', afterEachFigure('<span style="display: none !important">7</span>')],
    ['the hidden attribute', afterEachFigure('<i hidden>7</i>')],
    [
      'a cell not laid out before each figure',
      html.replace(FIGURE_CELL, '<td style="display:none"><p>9</p></td>$&'),
    ],
    [
      'an invisible figure in each blank cell, its column kept',
      html.replace(BLANK_CELL, '<td style="visibility:hidden"><p align="center">5</p></td>'),
    ],
    // Text the browser shows must stay: the cascade decides, as in a browser.
    [
      'a later rule showing what an earlier one hid',
      `<style>.x { display: none } p .x { display: inline }</style>${afterEachFigure('')}`.replace(
        FIGURE,
        '$1<span class="x">$2</span>$3',
      ),
    ],
    [
      'an inline style over a rule',
      `<style>.x{display:none}</style>${html.replace(FIGURE, '$1<span class="x" style="display:inline">$2</span>$3')}`,
    ],
    [
      'a !important rule over an inline style',
      `<style>.x{display:none!important}</style>${afterEachFigure('<span class="x" style="display:inline">7</span>')}`,
    ],
    [
      'the last of two declarations',
      html.replace(FIGURE, '$1<span style="display:none;display:inline">$2</span>$3'),
    ],
    [
      'a print-only stylesheet',
      `<style media="print">p{display:none}</style><style>@media print{p{display:none}} @media screen{.x{display:none}}</style>${afterEachFigure('<span class="x">7</span>')}`,
    ],
    [
      'a visible child inside an invisible parent, and a figure inside a zero font size set again',
      html.replace(
        FIGURE,
        '<p align="center" style="visibility:hidden;font-size:0">7<span style="visibility:visible;font-size:14px">$2</span></p>',
      ),
    ],
    [
      'a zero font size and no opacity',
      afterEachFigure('<span style="font-size:0px">7</span><span style="opacity:0">8</span>'),
    ],
    [
      'the old figure struck through beside the new',
      html.replace(
        FIGURE,
        '$1<del>7</del>$2<s>8</s><strike>9</strike><span style="text-decoration: line-through red">6</span>$3',
      ),
    ],
    [
      'the old figure struck through by a class of the page, and the figure underlined by one',
      `<style>.old{text-decoration:line-through} span.o2{text-decoration: red wavy line-through} .u{text-decoration:underline}</style>${html.replace(
        FIGURE,
        '$1<span class="old">7<b>1</b></span><span class="u">$2</span><span class="o2">8</span>$3',
      )}`,
    ],
    [
      'invisible characters inside figures',
      html.replace(FIGURE, (_, a, n: string, b) => `${a}${[...n].join('\u200B\u00AD')}\uFEFF${b}`),
    ],
    [
      'rules after @charset and inside <!-- -->, and a framework class a tag rule does not undo',
      `<style><!--\n@charset "utf-8"; @import url(x.css);\n.x{display:none}\nspan{display:inline}\n--></style>${afterEachFigure('<span class="x">7</span><span class="hidden">8</span>')}`,
    ],
    [
      'empty declarations, which a browser ignores',
      html.replace(FIGURE, '$1<span style="opacity:;font-size:;display:">$2</span>$3'),
    ],
    [
      'the page in a layout frame of three rows of three cells',
      `<table><tr><td>站点</td><td>导航</td><td>搜索</td></tr><tr><td>栏目</td><td>${html}</td><td>相关</td></tr><tr><td>版权</td><td>地址</td><td>电话</td></tr></table>`,
    ],
    [
      'a header cell built as a small table (still a table of figures, not page layout)',
      html.replace('<p align="center">申请人情况</p>', '<table><tr><td>申请人情况</td></tr></table>'),
    ],
    // aria-hidden hides from screen readers only: each of these stored every figure blank.
    [
      'figures a screen reader skips (aria-hidden), each beside its spoken form (sr-only)',
      html.replace(FIGURE, '$1<span aria-hidden="true">$2</span><span class="sr-only">$2件</span>$3'),
    ],
    [
      'figure paragraphs marked aria-hidden',
      html.replace(FIGURE, '<p align="center" aria-hidden="true">$2$3'),
    ],
    // Class names of a layout around the report, not of chrome: each refused it as having no title.
    [
      'the report inside wrappers named for the layout (no-sidebar, has-sidebar, content_nav, sidebar-main)',
      `<body class="page no-sidebar"><div class="container has-sidebar"><div class="sidebar"><p>浏览次数：821</p></div><div class="content_nav"><div class="sidebar-main">${html}</div></div></div></body>`,
    ],
    [
      'a hidden copy of the total row in each table',
      `<style>tr.old{display:none}</style>${html.replaceAll('<tbody>', `<tbody>${TOTAL_ROW.replace('CLASS', 'class="old"')}`)}`,
    ],
  ];

  const expected = transcriptions.find((t) => t.files.includes(file));
  const parsed = async (page: string) => {
    const { result } = await parseDocument(new TextEncoder().encode(page));
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
    if (!expected) throw new Error(`no transcription of ${file}`);
    return figuresRead(result.report, expected);
  };

  for (const [name, page] of variants) {
    it(name, async () => {
      expect(page).not.toBe(html);
      const { read, truth } = await parsed(page);
      expect(read).toEqual(truth);
    });
  }

  it('a rule the page does not apply on screen (a print stylesheet) hides nothing: its digits are read', async () => {
    const page = `<style>@media print { .x { display: none } } .x:hover { display: none }</style>${afterEachFigure('<span class="x">7</span>')}`;
    const { read } = await parsed(page);
    expect(read['T2.RULES.MADE']).toBe('137');
  });
});
