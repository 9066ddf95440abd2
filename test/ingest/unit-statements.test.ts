/**
 * Where an agency states the unit of table 2's amounts: in the money column's header, and also
 * in the header's first cell, the block's title, the row's label, a note above or under the
 * table, or the section's heading. Each was read as 万元 where the column's header states no
 * unit: 123500 元 of fees stored as 123500 万元, ten thousand times over.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import type { ParseResult } from '../../src/ingest/types.ts';

const FEES = 'T2.FEES.AMOUNT';
const SHARED = fileURLToPath(new URL('../../../shared/fixtures/real-reports/', import.meta.url));
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8');
const html = fixture('report.html');
const tab = fixture('report.tab.txt');

/** `page` with each [what, by] replaced, each `what` occurring exactly once. */
function replaced(page: string, changes: readonly (readonly [string, string])[]): string {
  let out = page;
  for (const [what, by] of changes) {
    const at = out.indexOf(what);
    if (at < 0 || out.indexOf(what, at + 1) >= 0) throw new Error(`"${what}" must occur once`);
    out = out.slice(0, at) + by + out.slice(at + what.length);
  }
  return out;
}
const parse = async (text: string): Promise<ParseResult> =>
  (await parseDocument(new TextEncoder().encode(text), {})).result;
/** The fees cell's value and its unit, or the problems' codes and messages. */
const fees = (result: ParseResult) => {
  if (!result.ok) return result.problems.map((p) => [p.code, p.message]);
  const cell = result.report.cells.find((c) => c.code === FEES);
  return [cell?.value, cell?.unit ?? null];
};

// The web page: the fees printed 123500 under a header without its unit.
const HTML_BARE: [string, string][] = [
  ['本年收费金额（单位：万元）', '本年收费金额'],
  ['<td colspan="3">12.35</td>', '<td colspan="3">123500</td>'],
];
const htmlStating: [string, [string, string][]][] = [
  [
    'the section heading',
    [['<h2>二、主动公开政府信息情况</h2>', '<h2>二、主动公开政府信息情况（单位：元）</h2>']],
  ],
  [
    'a note above the table',
    [['<h2>二、主动公开政府信息情况</h2>', '<h2>二、主动公开政府信息情况</h2><p>金额单位：元</p>']],
  ],
  ['a note under the table', [['<h2>三、', '<p>注：金额单位为元。</p><h2>三、']]],
  ['a note naming the fees under the table', [['<h2>三、', '<p>注：收费总金额单位为元</p><h2>三、']]],
  ['the row’s label', [['<td>行政事业性收费</td>', '<td>行政事业性收费（元）</td>']]],
  [
    'the header’s first cell',
    [
      [
        '<tr><td>信息内容</td><td colspan="3">本年收费金额</td>',
        '<tr><td>信息内容（单位：元）</td><td colspan="3">本年收费金额</td>',
      ],
    ],
  ],
  [
    'the block’s title',
    [['<td colspan="4">第二十条第（八）项</td>', '<td colspan="4">第二十条第（八）项（单位：元）</td>']],
  ],
  [
    'the block’s title, on a line of its own in its cell',
    [['<td colspan="4">第二十条第（八）项</td>', '<td colspan="4">第二十条第（八）项<br>单位：元</td>']],
  ],
  [
    'the money column’s header, on a line of its own in its cell',
    [['<td colspan="3">本年收费金额</td>', '<td colspan="3">本年收费金额<br>单位：元</td>']],
  ],
];

describe('the unit of table 2’s amounts stated outside the column’s header', () => {
  it.each(htmlStating)('on a web page, in %s, converts 123500 元 to 12.35 万元', async (_, changes) => {
    expect(fees(await parse(replaced(html, [...HTML_BARE, ...changes])))).toEqual(['12.35', '元']);
  });

  it('where nothing states a unit, the amount is read in the template’s 万元', async () => {
    expect(fees(await parse(replaced(html, HTML_BARE)))).toEqual(['123500', null]);
  });

  // Every V2021 report prints the template's 万元 over its fees: an agency's own 元 beside it says
  // otherwise, and the amount is refused rather than read either way.
  const disagreeing: [string, [string, string][], string][] = [
    ['a note under the table', [['<h2>三、', '<p>注：金额单位为元。</p><h2>三、']], '注：金额单位为元。'],
    [
      'the row’s label',
      [['<td>行政事业性收费</td>', '<td>行政事业性收费（元）</td>']],
      '行政事业性收费（元）',
    ],
    [
      'the section heading',
      [['<h2>二、主动公开政府信息情况</h2>', '<h2>二、主动公开政府信息情况（单位：元）</h2>']],
      '二、主动公开政府信息情况（单位：元）',
    ],
  ];
  it.each(disagreeing)(
    'a header stating 万元 and %s stating 元 refuse the amount, naming both',
    async (_, changes, printed) => {
      const page = replaced(html, [
        ['<td colspan="3">12.35</td>', '<td colspan="3">123500</td>'],
        ...changes,
      ]);
      expect(fees(await parse(page))).toEqual([
        [
          'UNIT_MISMATCH',
          expect.stringContaining(
            `whose unit the table states differently (本年收费金额（单位：万元）; ${printed})`,
          ),
        ],
      ]);
    },
  );

  it('a note of a count’s unit says nothing of the amounts, nor does a sentence naming an agency’s 单位', async () => {
    const page = replaced(html, [
      ...HTML_BARE,
      ['<h2>二、主动公开政府信息情况</h2>', '<h2>二、主动公开政府信息情况</h2><p>单位：件</p>'],
      ['<h2>三、', '<p>注：金额单位为元。</p><p>本单位全年收费123500元。</p><h2>三、'],
    ]);
    expect(fees(await parse(page))).toEqual(['12.35', '元']);
  });

  it('notes that state different units refuse the amount, naming both', async () => {
    const page = replaced(html, [
      ...HTML_BARE,
      ['<h2>二、主动公开政府信息情况</h2>', '<h2>二、主动公开政府信息情况</h2><p>单位：元</p>'],
      ['<h2>三、', '<p>注：金额单位为万元。</p><h2>三、'],
    ]);
    expect(fees(await parse(page))).toEqual([
      [
        'UNIT_MISMATCH',
        expect.stringMatching(
          /column "本年收费金额（单位：万元）": "123500" is an amount whose unit the table states differently \(单位：元; 注：金额单位为万元。\)/,
        ),
      ],
    ]);
  });

  it('a label speaking of money in words not read refuses the amount', async () => {
    const page = replaced(html, [...HTML_BARE, ['<td>行政事业性收费</td>', '<td>行政事业性收费（圆）</td>']]);
    expect(fees(await parse(page))).toEqual([
      ['UNIT_MISMATCH', expect.stringContaining('is an amount under "行政事业性收费（圆）"')],
    ]);
  });

  // The tab-separated text: the same statements on lines of their own or in the cells.
  const TAB_BARE: [string, string][] = [
    ['信息内容\t本年收费金额（单位：万元）', '信息内容\t本年收费金额'],
    ['行政事业性收费\t12.35', '行政事业性收费\t123500'],
  ];
  const tabStating: [string, [string, string][]][] = [
    ['the section heading', [['二、主动公开政府信息情况\n', '二、主动公开政府信息情况（单位：元）\n']]],
    ['a note under the table', [['\n三、收到和处理', '\n注：金额单位为元\n三、收到和处理']]],
    ['the row’s label', [['行政事业性收费\t123500', '行政事业性收费（元）\t123500']]],
    ['the header’s first cell', [['信息内容\t本年收费金额\t', '信息内容（单位：元）\t本年收费金额\t']]],
  ];
  it.each(tabStating)(
    'in tab-separated text, in %s, converts 123500 元 to 12.35 万元',
    async (_, changes) => {
      expect(fees(await parse(replaced(tab, [...TAB_BARE, ...changes])))).toEqual(['12.35', '元']);
    },
  );
});

// Running text: Pingtan's 2019 page dumped on one line, its procurement row printed with spaces
// (政府集中采购 13 575394432.52) and 元 stated around it in each way. It was read as 万元 wherever
// the statement was not in the block's own header.
const pingtan = existsSync(SHARED) ? readFileSync(`${SHARED}pingtan-2019.pagetxt.txt`, 'utf8') : '';
describe.runIf(existsSync(SHARED))('in running text, 元 stated around the procurement row', () => {
  const ROW = '采购项目数量采购总金额政府集中采购13575394432.52元三、';
  const bare = () => {
    expect(pingtan).toContain(ROW);
    return pingtan.replace(ROW, '采购项目数量采购总金额政府集中采购 13 575394432.52 三、');
  };
  const procurement = async (text: string) => {
    const { result } = await parseDocument(new TextEncoder().encode(text), { allowPartial: true });
    if (!result.ok) return result.problems.map((p) => p.code);
    const cell = result.report.cells.find((c) => c.code === 'T2.PROCUREMENT.AMOUNT');
    return [cell?.value, cell?.unit ?? null];
  };
  const stating: [string, (text: string) => string][] = [
    ['a note under the table', (t) => t.replace('75394432.52 三、', '75394432.52 \n注：金额单位为元\n三、')],
    [
      'a note under the table, a count’s unit in the header',
      (t) =>
        t
          .replace('采购项目数量采购总金额', '采购项目数量（个）采购总金额')
          .replace('75394432.52 三、', '75394432.52 \n注：金额单位为元\n三、'),
    ],
    [
      'the section heading, on the table’s line',
      (t) => t.replace('二、主动公开政府信息情况', '二、主动公开政府信息情况（单位：元）'),
    ],
    [
      'a note run in after the heading',
      (t) => t.replace('二、主动公开政府信息情况 ', '二、主动公开政府信息情况 单位：元 '),
    ],
    ['the row’s label', (t) => t.replace('政府集中采购 13', '政府集中采购（元） 13')],
    ['the block’s title', (t) => t.replace('第二十条第（九）项', '第二十条第（九）项（单位：元）')],
  ];
  it.each(stating)('in %s, converts it to 万元', async (_, change) => {
    expect(await procurement(change(bare()))).toEqual(['57539.443252', '元']);
  });

  it('stated nowhere, it is read in 万元; stated twice apart, it is refused', async () => {
    expect(await procurement(bare())).toEqual(['575394432.52', null]);
    const twice = bare()
      .replace('政府集中采购 13', '政府集中采购（元） 13')
      .replace('75394432.52 三、', '75394432.52 \n注：金额单位为万元\n三、');
    expect(await procurement(twice)).toEqual(['UNIT_MISMATCH']);
  });
});
