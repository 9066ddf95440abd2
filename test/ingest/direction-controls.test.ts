import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import type { ParseResult } from '../../src/ingest/types.ts';
import {
  CELL,
  parsePage,
  parsePageReplacing,
  parseParagraphPage,
  parseParagraphPageReplacing,
} from '../support/report-pages.ts';
import { figures, gaj, parse, SHARED } from './real-documents/running-text-cases.ts';

/** The row of the cell the pages replace (一、本年新收, 自然人 41), as the tab text prints it. */
const TAB_ROW = '一、本年新收政府信息公开申请数量\t\t41\t6\t0\t0\t2\t0\t49';
const tabText = readFileSync(new URL('../fixtures/formats/report.tab.txt', import.meta.url), 'utf8');
/** The tab-separated text report with the cell printing `cell`. */
async function parseTabText(cell: string): Promise<ParseResult> {
  expect(tabText.split(TAB_ROW)).toHaveLength(2);
  const text = tabText.replace(TAB_ROW, TAB_ROW.replace('\t41\t', `\t${cell}\t`));
  return (await parseDocument(new TextEncoder().encode(text), {})).result;
}

/** The cell's value where the page reads, else its problems as [code, cell, message]. */
const outcome = (result: ParseResult) =>
  result.ok
    ? result.report.cells.find((c) => c.code === CELL)?.value
    : result.problems.map((p) => [p.code, p.cellCode, p.message]);

/** Every direction control, which a message must never print raw (it would turn the message around). */
const RAW_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const WHERE = 'Line 37, table 3 (依申请公开), row "一、本年新收政府信息公开申请数量"';

describe('a figure with a right-to-left control, which a screen shows in another order than stored', () => {
  // An override reverses any figure; the other controls keep digits in order, but move a sign or
  // a separator (a mark before -5 shows 5-).
  const inCells: [string, string, string, string][] = [
    // [what, the cell, the control the message names, its example]
    [
      'a right-to-left override (41 shown as 14)',
      '\u202E41\u202C',
      'U+202E RIGHT-TO-LEFT OVERRIDE',
      '41 shown as 14',
    ],
    ['an override inside the figure', '4\u202E1', 'U+202E RIGHT-TO-LEFT OVERRIDE', '41 shown as 14'],
    ['an override before full-width digits', '\u202E４１', 'U+202E RIGHT-TO-LEFT OVERRIDE', '41 shown as 14'],
    ['<bdo dir="rtl">', '<bdo dir="rtl">41</bdo>', 'U+202E RIGHT-TO-LEFT OVERRIDE', '41 shown as 14'],
    [
      'an inline bidi-override, right to left',
      '<span style="unicode-bidi: bidi-override; direction: rtl">41</span>',
      'U+202E RIGHT-TO-LEFT OVERRIDE',
      '41 shown as 14',
    ],
    [
      'a right-to-left mark inside a decimal figure',
      '41\u200F.0',
      'U+200F RIGHT-TO-LEFT MARK',
      '12.35 shown as 1235.',
    ],
    ['an Arabic letter mark after a sign', '+\u061C41', 'U+061C ARABIC LETTER MARK', '-5 shown as 5-'],
    [
      'an embedding around a signed figure',
      '\u202B+41\u202C',
      'U+202B RIGHT-TO-LEFT EMBEDDING',
      '-5 shown as 5-',
    ],
    [
      'an isolate around a signed figure',
      '\u2067+41\u2069',
      'U+2067 RIGHT-TO-LEFT ISOLATE',
      '-5 shown as 5-',
    ],
  ];
  it.each(inCells)('in a web page’s cell, %s is refused, naming it', async (_, cell, control, example) => {
    const problems = outcome(await parsePage(cell));
    expect(problems).toEqual([
      [
        'NOT_A_NUMBER',
        CELL,
        expect.stringMatching(
          new RegExp(
            `^${WHERE.replace(/[()]/g, '\\$&')}, column "自然人": ".*" is not a number: it holds the invisible control ${control.replace('+', '\\+')}[ ,]`,
          ),
        ),
      ],
    ]);
    expect(JSON.stringify(problems)).toContain(`(${example}`);
    expect(JSON.stringify(problems)).not.toMatch(RAW_CONTROL);
  });

  it.each([
    ['a right-to-left mark before digits', '\u200F41'],
    ['an Arabic letter mark after digits', '41\u061C'],
    ['a mark inside a figure of digits', '4\u200F1'],
    ['an embedding around digits', '\u202B41\u202C'],
    ['an isolate around digits', '\u206741\u2069'],
    // A browser shows a figure's separators and decimal point in order after a control at its
    // start or end (Chromium: <U+200F>12.35, <U+2067>1,268<U+2069>); only a sign moves.
    ['a right-to-left mark before a decimal figure', '\u200F41.0'],
    ['an isolate around a decimal figure', '\u206741.0\u2069'],
    ['an embedding around a figure with its unit', '\u202B41件\u202C'],
  ])('in a web page’s cell, %s reads 41, as a screen shows it', async (_, cell) => {
    expect(outcome(await parsePage(cell))).toBe('41');
  });

  // In running text the row's figures follow the cell: any control before them reverses their order.
  const inRows: [string, string, string][] = [
    ['a right-to-left override', '\u202E41\u202C', 'U+202E RIGHT-TO-LEFT OVERRIDE'],
    ['an override inside the figure', '4\u202E1', 'U+202E RIGHT-TO-LEFT OVERRIDE'],
    ['a right-to-left mark', '\u200F41', 'U+200F RIGHT-TO-LEFT MARK'],
    ['an Arabic letter mark before the next figures', '41\u061C', 'U+061C ARABIC LETTER MARK'],
    ['an embedding', '\u202B41\u202C', 'U+202B RIGHT-TO-LEFT EMBEDDING'],
    ['an isolate', '\u206741\u2069', 'U+2067 RIGHT-TO-LEFT ISOLATE'],
    ['<bdo dir="rtl">', '<bdo dir="rtl">41</bdo>', 'U+202E RIGHT-TO-LEFT OVERRIDE'],
  ];
  it.each(inRows)(
    'in a table printed as paragraphs, %s refuses the row, naming it',
    async (_, cell, control) => {
      const result = await parseParagraphPage(cell);
      expect(result.ok).toBe(false);
      const problems = result.ok ? [] : result.problems.filter((p) => p.code !== 'INCOMPLETE_REPORT');
      expect(problems.map((p) => [p.code, p.row, p.line])).toEqual([
        ['NOT_A_NUMBER', '一、本年新收政府信息公开申请数量', 37],
      ]);
      expect(problems[0]?.message).toContain(`the line holds the invisible control ${control}`);
      expect(JSON.stringify(problems)).not.toMatch(RAW_CONTROL);
    },
  );

  it('in a table printed as paragraphs, a control closed before the figures, or a mark before a word, reorders none', async () => {
    for (const label of [
      '一、本年新收\u200F政府信息公开申请数量',
      '\u202B一、本年新收\u202C政府信息公开申请数量',
    ]) {
      const result = await parseParagraphPageReplacing(
        '<td colspan="3">一、本年新收政府信息公开申请数量</td>',
        `<td colspan="3">${label}</td>`,
      );
      expect(outcome(result)).toBe('41');
    }
  });

  it('in a tab-separated text, an override in a cell is refused', async () => {
    expect(outcome(await parseTabText('\u202E41\u202C'))).toEqual([
      [
        'NOT_A_NUMBER',
        CELL,
        expect.stringContaining(
          '"<U+202E>41<U+202C>" is not a number: it holds the invisible control U+202E',
        ),
      ],
    ]);
  });
});

// A page dumped as one line: a mark in the table's header is on the line of every row after it.
describe.runIf(existsSync(SHARED))('a right-to-left mark in a header of running text', () => {
  it('reorders no row’s figures: every row reads as before', async () => {
    const result = await parse(gaj, '信息内容本年制发件数', '信息内容\u200F本年制发件数');
    expect(figures(result)).toEqual(figures(await parse(gaj)));
  });
});

describe('what reads as the figure shown', () => {
  const reads: [string, string][] = [
    ['a left-to-right mark', '\u200E41'],
    ['a left-to-right override', '\u202D41\u202C'],
    ['<bdo dir="ltr">', '<bdo dir="ltr">41</bdo>'],
    ['a zero-width space inside the figure', '4\u200B1'],
    ['a soft hyphen inside the figure', '4\u00AD1'],
    ['a byte-order mark inside the figure', '4\uFEFF1'],
    ['a word joiner inside the figure', '4\u20601'],
  ];
  it.each(reads)('%s reads 41 in a cell', async (_, cell) => {
    expect(outcome(await parsePage(cell))).toBe('41');
  });
  // Running text kept them in its stream: the figure split there, and 1 6 0 0 2 0 49 filled the row (41 stored as 1).
  it.each(reads)('%s reads 41 in a table printed as paragraphs', async (_, cell) => {
    expect(outcome(await parseParagraphPage(cell))).toBe('41');
  });
});

// What a page's stylesheet, a dir attribute or <bdo> shows right to left, as Chromium shows it:
// an override reverses a figure's digits; a right-to-left cell or embedding puts a sign after its
// figure; a right-to-left paragraph shows figures after its label in order, a line of figures
// alone in reverse.
describe('a figure a page’s stylesheet or dir attribute shows right to left', () => {
  const OVERRIDE = 'U+202E RIGHT-TO-LEFT OVERRIDE';
  const EMBEDDING = 'U+202B RIGHT-TO-LEFT EMBEDDING';
  const RULE = '.r{unicode-bidi:bidi-override;direction:rtl}';
  const refused: [string, () => Promise<ParseResult>, string, string][] = [
    // [what, the page, the control named, the cell as quoted]
    [
      'an override by a class',
      () => parsePage('<span class="r">41</span>', RULE),
      OVERRIDE,
      '<U+202E>41<U+202C>',
    ],
    [
      'an override by a rule for the screen',
      () => parsePage('<span class="r">41</span>', `@media screen{${RULE}}`),
      OVERRIDE,
      '<U+202E>41<U+202C>',
    ],
    [
      'an override whose direction is inherited',
      () =>
        parsePage(
          '<span class="d"><span class="o">41</span></span>',
          '.d{direction:rtl}.o{unicode-bidi:bidi-override}',
        ),
      OVERRIDE,
      '<U+202E>41<U+202C>',
    ],
    [
      'a <bdo> right to left by a rule',
      () => parsePage('<bdo class="x">41</bdo>', '.x{direction:rtl}'),
      OVERRIDE,
      '<U+202E>41<U+202C>',
    ],
    [
      'an element with dir="rtl" and an override',
      () => parsePage('<span dir="rtl" style="unicode-bidi:isolate-override">41</span>'),
      OVERRIDE,
      '<U+202E>41<U+202C>',
    ],
    [
      'a signed figure in an element with dir="rtl"',
      () => parsePage('<span dir="rtl">+41</span>'),
      EMBEDDING,
      '<U+202B>+41<U+202C>',
    ],
    [
      'a signed figure in a cell with dir="rtl"',
      () => parsePageReplacing('<td>41</td>', '<td dir="rtl">+41</td>'),
      EMBEDDING,
      '<U+202B>+41<U+202C>',
    ],
    [
      'a signed figure in a cell a rule sets right to left',
      () => parsePage('+41', 'td{direction:rtl}'),
      EMBEDDING,
      '<U+202B>+41<U+202C>',
    ],
    [
      'a signed figure in an inline embedding',
      () => parsePage('<span style="unicode-bidi:embed;direction:rtl">+41</span>'),
      EMBEDDING,
      '<U+202B>+41<U+202C>',
    ],
  ];
  it.each(refused)('%s is refused, naming it', async (_, page, control, quoted) => {
    const problems = outcome(await page());
    expect(problems).toEqual([
      [
        'NOT_A_NUMBER',
        CELL,
        expect.stringContaining(`"${quoted}" is not a number: it holds the invisible control ${control}`),
      ],
    ]);
    expect(JSON.stringify(problems)).not.toMatch(RAW_CONTROL);
  });

  const reads: [string, () => Promise<ParseResult>][] = [
    [
      'an override by a rule for print only',
      () => parsePage('<span class="r">41</span>', `@media print{${RULE}}`),
    ],
    [
      'an override left to right',
      () => parsePage('<span class="r">41</span>', '.r{unicode-bidi:bidi-override}'),
    ],
    [
      'a <bdo dir="rtl"> a rule makes normal',
      () => parsePage('<bdo dir="rtl" class="n">41</bdo>', '.n{unicode-bidi:normal}'),
    ],
    ['an empty <bdo dir="rtl"> before the figure', () => parsePage('<bdo dir="rtl"></bdo>41')],
    ['digits in a cell with dir="rtl"', () => parsePageReplacing('<td>41</td>', '<td dir="rtl">41</td>')],
    [
      'a sign in an inline element right to left without an embedding',
      () => parsePage('<span style="direction:rtl">+41</span>'),
    ],
    ['every cell right to left, none signed', () => parsePage('41', 'td{direction:rtl}')],
    ['the page right to left', () => parsePage('41', 'body{direction:rtl}')],
    ['digits in an element with dir="rtl"', () => parsePage('<span dir="rtl">41</span>')],
  ];
  it.each(reads)('%s reads 41, as a screen shows it', async (_, page) => {
    const result = await page();
    expect(outcome(result)).toBe('41');
    // 1,268 and 12.35 right to left show in order too: the whole report reads.
    expect(result.ok && result.report.cells.find((c) => c.code === 'T2.LICENSING.DECISIONS')?.value).toBe(
      '1268',
    );
  });

  it('in a table printed as paragraphs right to left, rows whose figures follow their label read; a line of figures alone is refused', async () => {
    const result = await parseParagraphPage('41', 'div.report-table p{direction:rtl}');
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.filter((p) => p.code !== 'INCOMPLETE_REPORT');
    // Table 4's figures stand on a line of their own under its header: shown in reverse.
    expect(
      problems.map((p) => [p.code, p.table, p.message.includes(`the invisible control ${EMBEDDING}`)]),
    ).toEqual([['NOT_A_NUMBER', 'T4', true]]);
    expect(JSON.stringify(problems)).not.toMatch(RAW_CONTROL);
  });

  it('in a table printed as paragraphs, an override by a class refuses its row', async () => {
    const result = await parseParagraphPage('<span class="r">41</span>', RULE);
    const problems = result.ok ? [] : result.problems.filter((p) => p.code !== 'INCOMPLETE_REPORT');
    expect(problems.map((p) => [p.code, p.row, p.line])).toEqual([
      ['NOT_A_NUMBER', '一、本年新收政府信息公开申请数量', 37],
    ]);
    expect(problems[0]?.message).toContain(`the line holds the invisible control ${OVERRIDE}`);
  });
});

// A label cell printed as a paragraph of its own: the row's figures stand on the next line, and a
// refusal of them names that line (it named the label's).
describe('a refused row whose figures stand on the line after its label', () => {
  const LABEL = '<td colspan="3">一、本年新收政府信息公开申请数量</td>';
  const onNextLine = (figure: string) =>
    parseParagraphPageReplacing(`${LABEL}<td>41</td>`, `${LABEL}</tr><tr><td>${figure}</td>`);
  it.each([
    ['a right-to-left override', '&#x202E;41&#x202C;', 'the invisible control U+202E'],
    ['a struck-through old figure', '~~9~~41', '"~~9~~" is struck through'],
  ])('%s is named on the figures’ line', async (_, figure, said) => {
    const result = await onNextLine(figure);
    const problems = result.ok ? [] : result.problems.filter((p) => p.code !== 'INCOMPLETE_REPORT');
    expect(problems.map((p) => [p.code, p.row, p.line])).toEqual([
      ['NOT_A_NUMBER', '一、本年新收政府信息公开申请数量', 38],
    ]);
    expect(problems[0]?.message).toMatch(/^Line 38, /);
    expect(problems[0]?.message).toContain(said);
  });
});

describe('a table right to left keeps no control in its labels', () => {
  it('an unknown row labelled with a digit is named, and kept, as printed', async () => {
    const page = readFileSync(new URL('../fixtures/formats/report.html', import.meta.url), 'utf8');
    expect(page).toContain('<td>3.其他</td>');
    const changed = `<style>table{direction:rtl}</style>${page.replace('<td>3.其他</td>', '<td>3.其他事项2</td>')}`;
    const { result } = await parseDocument(new TextEncoder().encode(changed), { allowPartial: true });
    const warnings = result.ok ? result.report.warnings : [];
    expect(warnings.find((p) => p.code === 'UNKNOWN_ROW')?.message).toBe(
      'Line 59, table 3: row "3.其他事项2" is not in the template; kept as an extra row.',
    );
    expect(result.ok && result.report.extras.map((e) => e.label)).toContain('3.其他事项2');
    expect(JSON.stringify(result)).not.toMatch(RAW_CONTROL);
  });
});
