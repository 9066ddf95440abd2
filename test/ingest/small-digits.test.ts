import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../src/ingest/types.ts';
import {
  CELL,
  parsePage,
  parseParagraphPage,
  parseWordPage,
  run,
  WORD_CELL,
  WORD_FIGURE,
} from '../support/report-pages.ts';

const WHERE = 'table 3 (依申请公开), row "一、本年新收政府信息公开申请数量", column "自然人"';

/** The cell's value where the page reads, else its problems as [code, cell, message]. */
const outcome = (result: ParseResult, code = CELL) =>
  result.ok
    ? result.report.cells.find((c) => c.code === code)?.value
    : result.problems.map((p) => [p.code, p.cellCode, p.message]);

describe('digits printed clearly smaller than the figure before them, on its line, are refused', () => {
  const refused: [string, string, string, string, string][] = [
    // [style, cell, figure, piece, the smaller piece as the cell's text gives it]
    ['', '41<small>1</small>', '41', '1', '41<small>1</small>'],
    ['', '4<small>1</small>', '4', '1', '4<small>1</small>'],
    ['', '41<span style="font-size:8px">1</span>', '41', '1', '41<small>1</small>'],
    ['', '41<span style="font: 10px SimSun">1</span>', '41', '1', '41<small>1</small>'],
    ['', '41<font size="1">1</font>', '41', '1', '41<small>1</small>'],
    ['', '41<small><b>1</b></small>', '41', '1', '41<small>1</small>'],
    [
      '',
      '<span style="font-size:14px">41</span><span style="font-size:12px">1</span>',
      '41',
      '1',
      '41<small>1</small>',
    ],
    ['', '4<small>12</small>', '4', '12', '4<small>12</small>'],
    ['', '41<small>１</small>', '41', '１', '41<small>１</small>'],
    // The figure in a larger element, the piece the cell's own text (9pt, by the table's class).
    ['', '<span style="font-size:20px">41</span>1', '41', '1', '41<small>1</small>'],
    ['', '<b style="font-size:16pt">4</b>1', '4', '1', '4<small>1</small>'],
    ['.big{font-size:20px}', '<span class="big">41</span>1', '41', '1', '41<small>1</small>'],
    ['', '<big><big>41</big></big>1', '41', '1', '41<small>1</small>'],
    // Sizes a class gives, though the stylesheet hides nothing.
    ['.fn{font-size:9px}', '41<span class="fn">1</span>', '41', '1', '41<small>1</small>'],
    ['td .note{font-size:.7em}', '41<span class="note">1</span>', '41', '1', '41<small>1</small>'],
    ['td{font-size:15px} .n{font-size:12px}', '41<span class="n">1</span>', '41', '1', '41<small>1</small>'],
  ];
  const refusal = (figure: string, piece: string, printed: string) => [
    [
      'NOT_A_NUMBER',
      CELL,
      expect.stringMatching(
        new RegExp(
          `^Line \\d+, ${WHERE.replace(/[()]/g, '\\$&')}: "${printed}" is not a number: ${piece} is printed smaller than ${figure} `,
        ),
      ),
    ],
  ];
  it.each(refused)('%s %s', async (style, cell, figure, piece, printed) => {
    expect(outcome(await parsePage(cell, style))).toEqual(refusal(figure, piece, printed));
  });

  // Running text: the figures of a row are read from a paragraph; no cell keeps the piece apart.
  it.each(refused)('in a table printed as paragraphs, %s %s', async (style, cell, figure, piece, printed) => {
    const paragraphStyle = style.replace(/(?:table )?td\b/g, 'p');
    // Running text is read folded (NFKC): a full-width １ is quoted as 1.
    const folded = (text: string) => text.normalize('NFKC');
    expect(outcome(await parseParagraphPage(cell, paragraphStyle))).toEqual(
      refusal(figure, folded(piece), folded(printed)),
    );
  });

  it('the message says what the piece may be and what to do', async () => {
    const result = await parsePage('41<small>1</small>');
    const problem = result.ok ? undefined : result.problems[0];
    expect(problem?.message).toContain('a footnote mark (41) or more digits of the figure (411)');
    expect(problem?.message).toContain('Check the figure the agency published, correct the file');
    expect(problem?.message).toContain('import again');
  });

  it('a smaller Word run after the figure, on its line, is refused', async () => {
    expect(outcome(await parseWordPage(run('1268') + run('1', ';font-size:6.5pt')), WORD_CELL)).toEqual([
      ['NOT_A_NUMBER', WORD_CELL, expect.stringContaining('"1268<small>1</small>" is not a number')],
    ]);
  });
});

describe('digits printed clearly smaller right before a figure, on its line, are refused', () => {
  // Each read as one figure before (<small>1</small>524 was stored as 1524): the smaller digits
  // may be a mark before the figure or its first digits.
  const refused: [string, string, string, string, string][] = [
    // [style, cell, piece, figure, the cell's text as the message gives it]
    ['', '<small>1</small>524', '1', '524', '<small>1</small>524'],
    ['', '<font size="1">1</font>524', '1', '524', '<small>1</small>524'],
    ['', '<span style="font-size:60%">1</span>524', '1', '524', '<small>1</small>524'],
    ['', '<span style="font-size:0.5em">1</span>524', '1', '524', '<small>1</small>524'],
    [
      '',
      '<span style="font-size:8px">1</span><span style="font-size:14px">524</span>',
      '1',
      '524',
      '<small>1</small>524',
    ],
    ['', '<b><small>1</small></b>524', '1', '524', '<small>1</small>524'],
    ['', '<b><small>1</small>524</b>', '1', '524', '<small>1</small>524'],
    ['', '<small>1</small><big>524</big>', '1', '524', '<small>1</small>524'],
    ['', '<small>12</small>4', '12', '4', '<small>12</small>4'],
    ['', '<small>0</small>524', '0', '524', '<small>0</small>524'],
    ['', '<small>1</small>5.24', '1', '5.24', '<small>1</small>5.24'],
    // The figure larger than the cell's own text, which is the smaller piece.
    ['', '4<big>1</big>', '4', '1', '<small>4</small>1'],
    ['', '4<span style="font-size:20px">1</span>', '4', '1', '<small>4</small>1'],
    // Sizes a class gives, though the stylesheet hides nothing.
    ['.fn{font-size:8px}', '<span class="fn">1</span>524', '1', '524', '<small>1</small>524'],
    ['.big{font-size:20px}', '1<span class="big">524</span>', '1', '524', '<small>1</small>524'],
  ];
  const refusal = (piece: string, figure: string, printed: string) => [
    [
      'NOT_A_NUMBER',
      CELL,
      expect.stringMatching(
        new RegExp(
          `^Line \\d+, ${WHERE.replace(/[()]/g, '\\$&')}: "${printed}" is not a number: ${piece} is printed smaller than ${figure.replace('.', '\\.')} just after it`,
        ),
      ),
    ],
  ];
  it.each(refused)('%s %s', async (style, cell, piece, figure, printed) => {
    expect(outcome(await parsePage(cell, style))).toEqual(refusal(piece, figure, printed));
  });

  it.each(refused.filter(([, cell]) => !cell.includes('5.24')))(
    'in a table printed as paragraphs, %s %s',
    async (style, cell, piece, figure, printed) => {
      expect(outcome(await parseParagraphPage(cell, style))).toEqual(refusal(piece, figure, printed));
    },
  );

  it('a smaller piece before a decimal figure, in a table printed as paragraphs', async () => {
    const result = await parseParagraphPage('<small>1</small>5.24');
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toContainEqual(
      expect.stringContaining(
        '"<small>1</small>5.24" is not a number: 1 is printed smaller than 5.24 just after it',
      ),
    );
  });

  it('the message says what the piece may be', async () => {
    const result = await parsePage('<small>1</small>524');
    const problem = result.ok ? undefined : result.problems[0];
    expect(problem?.message).toContain("a mark before the figure (524) or the figure's first digits (1524)");
    expect(problem?.message).toContain('Check the figure the agency published, correct the file');
  });

  it('a smaller piece after words keeps them out of the mark (注<small>1</small>524)', async () => {
    expect(outcome(await parsePage('<small>注1</small>524'))).toEqual(
      refusal('1', '524', '注<small>1</small>524'),
    );
  });

  it("a smaller Word run before the figure's, on its line, is refused", async () => {
    for (const [runs, printed] of [
      [run('1', ';font-size:6.5pt') + run('268'), '<small>1</small>268'],
      [run('1', ';font-size:6.5pt') + run('1268'), '<small>1</small>1268'],
    ] as const) {
      expect(outcome(await parseWordPage(runs), WORD_CELL)).toEqual([
        [
          'NOT_A_NUMBER',
          WORD_CELL,
          expect.stringContaining(`"${printed}" is not a number: 1 is printed smaller`),
        ],
      ]);
    }
  });
});

describe('what reads as before', () => {
  const reads: [string, string, string][] = [
    ['a smaller figure opening its cell', '', '<small>41</small>'],
    [
      'a 10pt digit beside 10.5pt ones',
      '',
      '<span style="font-size:10.5pt">4</span><span style="font-size:10pt">1</span>',
    ],
    [
      'a 10.5pt digit beside 10pt ones',
      '',
      '<span style="font-size:10pt">4</span><span style="font-size:10.5pt">1</span>',
    ],
    ["the cell's own text after a figure of nearly its size", '', '<span style="font-size:13px">4</span>1'],
    ['a figure in smaller pieces of one size', '', '<small>4</small><small>1</small>'],
    ['a smaller figure in a bold one', '', '<b><small>41</small></b>'],
    // The table's class makes its text 9pt (12px): <font size="2"> (13px) is no smaller.
    ['<font size="2"> beside the 9pt of the table\'s class', '', '4<font size="2">1</font>'],
    // The cell's own size comes from a rule: the piece is of its size.
    [
      'a piece of the size a rule gives the cell',
      'td{font-size:10px}',
      '4<span style="font-size:10px">1</span>',
    ],
    [
      'a piece of the size a descendant rule gives the cell',
      'table td{font-size:7.5pt}',
      '4<span style="font-size:10px">1</span>',
    ],
  ];
  it.each(reads)('%s reads 41', async (_, style, cell) => {
    expect(outcome(await parsePage(cell, style))).toBe('41');
  });

  it.each(reads)('in a table printed as paragraphs, %s reads 41', async (_, style, cell) => {
    expect(outcome(await parseParagraphPage(cell, style.replace(/(?:table )?td\b/g, 'p')))).toBe('41');
  });

  it('a smaller unit after the figure is a unit, as before', async () => {
    expect(outcome(await parsePage('41<small>件</small>'))).toBe('41');
    expect(outcome(await parseParagraphPage('41<small>件</small>'))).toBe('41');
  });

  it('a raised smaller piece is a footnote mark, as before (41[1])', async () => {
    for (const cell of ['41<sup>1</sup>', '41<small style="vertical-align:top">1</small>']) {
      expect(outcome(await parsePage(cell))).toEqual([
        ['NOT_A_NUMBER', CELL, expect.stringContaining('"41[1]" is not a number')],
      ]);
      expect(outcome(await parseParagraphPage(cell))).toEqual([
        ['NOT_A_NUMBER', CELL, expect.stringContaining('"41[1]" has a footnote mark ([1])')],
      ]);
    }
  });

  const wordReads: [string, string][] = [
    ["Word's figure split by a grammar mark", WORD_FIGURE],
    ['two runs of one size', run('12') + run('68')],
    ['a run of the figure inside a run of its size', run("12<span style='font-size:9.0pt'>68</span>")],
  ];
  it.each(wordReads)('%s reads 1268', async (_, runs) => {
    expect(outcome(await parseWordPage(runs), WORD_CELL)).toBe('1268');
  });
});
