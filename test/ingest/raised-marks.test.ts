import { describe, expect, it } from 'vitest';
import { htmlToLines } from '../../src/ingest/html.ts';
import type { ParseResult } from '../../src/ingest/types.ts';
import {
  CELL,
  parsePage,
  parsePageReplacing,
  parseWordPage,
  run,
  WORD_CELL,
} from '../support/report-pages.ts';

const refused = (result: ParseResult) =>
  result.ok
    ? result.report.cells.find((c) => c.code === CELL)?.value
    : result.problems.filter((p) => p.code === 'NOT_A_NUMBER').map((p) => [p.cellCode, p.message]);
const read = (result: ParseResult, code = CELL) =>
  result.ok ? result.report.cells.find((c) => c.code === code)?.value : result.problems.map((p) => p.message);

/** Word's raise of a run by half a point (Character spacing, Position raised), as it writes it. */
const HALF_POINT = ';position:relative;top:-.5pt;mso-text-raise:.5pt';

describe('a smaller digit raised off the line after a figure is a mark, never a further digit', () => {
  const marked: [string, string][] = [
    ['', '41<span style="vertical-align:top;font-size:9px">1</span>'],
    ['', '41<span style="vertical-align: text-top; font-size: 9px">1</span>'],
    ['', '41<span style="vertical-align:text-bottom;font-size:.6em">1</span>'],
    ['', '41<small style="vertical-align:top">1</small>'],
    ['', '41<font size="1" style="vertical-align:top">1</font>'],
    ['', '41<span style="font: 9px/1 SimSun; vertical-align: top">1</span>'],
    ['', '41<span style="position:relative;top:-0.5em;font-size:9px">1</span>'],
    ['', '41<span style="position: relative; top: -0.5em">1</span>'],
    ['', '41<span style="position:relative;bottom:4px;font-size:75%">1</span>'],
    ['', '41<span style="position:relative;inset:-6px auto auto auto">1</span>'],
    ['', '41<span style="position:absolute;top:0">1</span>'],
    ['', '41<span style="baseline-shift:super;font-size:9px">1</span>'],
    ['', '41<span style="font-size:smaller;vertical-align:3px">1</span>'],
    ['', '41<span style="display:inline-block;transform:translateY(-40%);font-size:9px">1</span>'],
    ['', '41<span style="display:inline-block;translate:0 -6px">1</span>'],
    ['.fn{vertical-align:top;font-size:9px}', '41<span class="fn">1</span>'],
    ['td .fn{vertical-align:text-top} .fn{font-size:10px}', '41<span class="fn">1</span>'],
    ['.note{position:relative;top:-4px;font-size:smaller}', '41<span class="note">1</span>'],
    ['.small{font-size:9px}', '41<span class="small" style="vertical-align:top">1</span>'],
    ['.up{position:relative;top:-.5em}', '41<span class="up">1</span>'],
  ];
  it.each(marked)('%s %s is refused as 41[1], not read as 411', async (style, cell) => {
    expect(refused(await parsePage(cell, style))).toEqual([
      [CELL, expect.stringContaining('"41[1]" is not a number')],
    ]);
  });

  it("a figure of its line's size, at the line's top or nudged a pixel, reads as printed", async () => {
    const reads: [string, string][] = [
      ['', '<span style="position:relative;top:-1px">41</span>'],
      ['', '4<span style="position:relative;top:-1px">1</span>'],
      ['', '4<span style="position:relative;top:1.5pt">1</span>'],
      ['', '<span style="vertical-align:top;font-size:9px">41</span>'],
      ['', '<span style="display:inline-block;transform:translateY(1px)">41</span>'],
      ['td span{vertical-align:top}', '4<span>1</span>'],
      [
        '.n{font-size:12px}',
        '<span class="n">4</span><span class="n" style="position:relative;top:1px">1</span>',
      ],
      // A transform moves an inline block only: on a plain span, the browser shows 41 in line.
      ['', '4<span style="transform:translateY(-6px)">1</span>'],
      // A block placed by its offset moves the figure with it.
      ['', '<div style="position:relative;top:-6px;font-size:9px">41</div>'],
      ['.wrap{position:relative;top:-8px}', '<p class="wrap">41</p>'],
    ];
    for (const [style, cell] of reads) expect(read(await parsePage(cell, style)), cell).toBe('41');
  });

  it('a piece hidden by the font shorthand (font: 0/0 a) is not read as a digit', async () => {
    expect(read(await parsePage('41<span style="font:0/0 a">7</span>'))).toBe('41');
    expect(read(await parsePage('41<span class="ir">7</span>', '.ir{font:0/0 a;color:transparent}'))).toBe(
      '41',
    );
  });

  it('in a paragraph too, a raised piece after text is kept apart; one opening its line is its text', () => {
    const texts = (body: string) => htmlToLines(`<body>${body}</body>`).map((l) => l.text);
    expect(
      texts('<p>共收到申请41<span style="position:relative;top:-.5em;font-size:9px">1</span>件</p>'),
    ).toEqual(['共收到申请41[1]件']);
    expect(texts('<p><span style="position:relative;top:-3pt">共收到申请41件</span></p>')).toEqual([
      '共收到申请41件',
    ]);
  });

  const together: [string, string, string][] = [
    [
      "small text at the line's top, all of it (the 1 no higher than the 4)",
      '',
      '<span style="font-size:9px;vertical-align:top">4</span><span style="font-size:9px;vertical-align:top">1</span>',
    ],
    [
      "a CMS's runs, each smaller than the cell (9pt, 12px) and nudged up a pixel",
      '.r{font-size:10px;position:relative;top:-1px}',
      '<span class="r">4</span><span class="r">1</span>',
    ],
  ];
  it.each(together)(
    '%s: placed as the figure before it and of its size, it is more of the figure',
    async (_, style, cell) => {
      expect(read(await parsePage(cell, style))).toBe('41');
    },
  );

  it('a piece of the size of small text before it, moved well off it, is still a mark', async () => {
    expect(
      refused(
        await parsePage(
          '<span style="font-size:9px">41</span><span style="font-size:9px;vertical-align:top">1</span>',
        ),
      ),
    ).toEqual([[CELL, expect.stringContaining('"41[1]" is not a number')]]);
  });
});

describe("Word's runs (9pt in 10.5pt paragraphs) are compared with the run before them, not the paragraph", () => {
  const reads: [string, string][] = [
    ['the whole cell in one raised run', run('1268', HALF_POINT)],
    ['two runs raised alike', run('12', HALF_POINT) + run('68', HALF_POINT)],
    ['three runs raised alike', run('1', HALF_POINT) + run('26', HALF_POINT) + run('8', HALF_POINT)],
    ["two runs at the line's top", run('12', ';vertical-align:top') + run('68', ';vertical-align:top')],
    [
      "a piece at the line's top inside the figure's run",
      run("12<span style='vertical-align:top'>68</span>"),
    ],
    ['a run nudged half a point after the figure', run('12') + run('68', HALF_POINT)],
    ["a run at the line's bottom after the figure", run('12') + run('68', ';vertical-align:bottom')],
    ["the figure at the line's top after a space", run("&nbsp;<span style='vertical-align:top'>1268</span>")],
    // Word raises a run by mso-text-raise alone (a browser ignores it): all of it, or a nudge.
    [
      'two runs raised alike by mso-text-raise',
      run('12', ';mso-text-raise:3.0pt') + run('68', ';mso-text-raise:3.0pt'),
    ],
    ['a run nudged by mso-text-raise', run('12') + run('68', ';mso-text-raise:.5pt')],
  ];
  it.each(reads)('%s reads 1268', async (_, runs) => {
    expect(read(await parseWordPage(runs), WORD_CELL)).toBe('1268');
  });

  const marked: [string, string][] = [
    [
      "a smaller run raised 3pt inside the figure's run",
      run("1268<span style='font-size:6.5pt;position:relative;top:-3.0pt;mso-text-raise:3.0pt'>1</span>"),
    ],
    [
      'a smaller run raised half a point',
      run("1268<span style='font-size:6.5pt;position:relative;top:-.5pt'>1</span>"),
    ],
    ["a smaller run at the line's top", run("1268<span style='font-size:6.5pt;vertical-align:top'>1</span>")],
    [
      'a run of its size raised 3pt',
      run('1268') + run('1', ';position:relative;top:-3.0pt;mso-text-raise:3.0pt'),
    ],
    [
      'a smaller run raised 3pt after a figure raised half a point',
      run('1268', HALF_POINT) + run('1', ';font-size:6.5pt;position:relative;top:-3.0pt'),
    ],
    // Word shows a run raised by mso-text-raise alone raised, a browser in line: refused.
    ['a run raised 3pt by mso-text-raise alone', run('1268') + run('1', ';mso-text-raise:3.0pt')],
    ['<sup>', run('1268<sup>1</sup>')],
    ['vertical-align: super', run("1268<span style='vertical-align:super'>1</span>")],
    ['<sub>', run('1268<sub>1</sub>')],
  ];
  it.each(marked)('%s after the figure is a mark: refused as 1268[1]', async (_, runs) => {
    const result = await parseWordPage(runs);
    expect(
      result.ok
        ? result.report.cells.find((c) => c.code === WORD_CELL)?.value
        : result.problems.map((p) => [p.cellCode, p.message]),
    ).toEqual([[WORD_CELL, expect.stringContaining('"1268[1]" is not a number')]]);
  });
});

describe('a footnote mark on a row’s label', () => {
  // The label is matched without its mark: 总计[1] was an unknown row, and its figures a gap.
  const labels: [string, string, string, string][] = [
    ['<td colspan="2">（七）总计</td>', '（七）总计', 'T3.OUTCOMES_TOTAL.NATURAL_PERSON', '42'],
    ['<td colspan="3">一、本年新收政府信息公开申请数量</td>', '一、本年新收政府信息公开申请数量', CELL, '41'],
  ];
  const marks = [
    '<sup>1</sup>',
    '<sup>[1]</sup>',
    '<sup><a href="#footnote-1">[1]</a></sup>',
    '*',
    '※',
    '【1】',
    '①',
  ];
  it.each(
    labels.flatMap(([cell, label, code, value]) => marks.map((mark) => [label, mark, cell, code, value])),
  )('%s with %s after it: the row reads', async (label, mark, cell, code, value) => {
    const result = await parsePageReplacing(cell, cell.replace(label, `${label}${mark}`));
    expect(result.ok && result.report.gaps).toEqual([]);
    expect(result.ok && result.report.warnings.map((w) => w.code)).not.toContain('UNKNOWN_ROW');
    expect(result.ok && result.report.cells.find((c) => c.code === code)?.value).toBe(value);
  });
});
