/**
 * What a page or a crawler prints around a real report that names another agency or year than
 * the report's own, each stored before without a word:
 * - a portal's name (…门户网站, …网站) or its 主办单位 line over a title naming no agency was the
 *   agency;
 * - a 发布机构 field or header naming the government over a report its text says a department
 *   wrote (本报告由…财政局…编制, 2019年，…财政局坚持…, 我局) stored it under the government;
 * - a title or header naming two agencies (…财政局 …国资委, …财政局和…国资委, two name lines)
 *   stored them run together as one;
 * - titles of other reports listed before the page's own in a page's text (a sidebar without
 *   its links) were the title; a title naming two years was the first's.
 * Where the report says whose and which year it is, that is read; where it cannot be told, the
 * report is refused naming what is printed, and --agency / --year decide.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';
import type { ParseOptions } from '../../../src/ingest/parse-report.ts';
import { CZJ, HUAIAN, HUAIAN_TITLE, SH_PERIOD, SH_TITLE, SHANGHAI, SHARED } from './metadata-cases.ts';

const HUAIAN_WRITER = '本报告由淮安市人民政府办公室根据';
const SH_UNTITLED = '<p>2019年政府信息公开工作年度报告</p>';
const SH_OPENING = '本年度报告根据';
const SH_SUBJECT = '2019年，上海市人民政府办公厅坚持';

type Change = [printed: string, instead: string];

async function read(file: string, changes: Change[], options: ParseOptions = {}) {
  let text = readFileSync(SHARED + file, 'utf8');
  for (const [printed, instead] of changes) {
    expect(text, file).toContain(printed);
    text = text.replace(printed, instead);
  }
  const { result } = await parseDocument(new TextEncoder().encode(text), { allowPartial: true, ...options });
  return result.ok
    ? { agencyName: result.report.agencyName, year: result.report.year }
    : {
        refused: result.problems.map((p) => p.code),
        message: result.problems.map((p) => p.message).join(' | '),
      };
}

const huaianUnder = (above: string): Change[] => [
  [HUAIAN_TITLE, `${above}\n2024 年政府信息公开工作年度报告`],
];
const shanghaiUnder = (above: string): Change[] => [[SH_TITLE, `<div>${above}</div>${SH_UNTITLED}`]];

describe.runIf(existsSync(SHARED))("a website's name or details are no agency: NO_AGENCY", () => {
  it.each([
    ['a portal over a PDF’s text', HUAIAN, huaianUnder('淮安市人民政府门户网站'), '淮安市人民政府门户网站'],
    ['a zone’s site', HUAIAN, huaianUnder('平潭综合实验区管理委员会网站'), '平潭综合实验区管理委员会网站'],
    ['a portal over a web page', SHANGHAI, shanghaiUnder('上海市人民政府门户网站'), '上海市人民政府门户网站'],
    [
      'a portal on the title’s line',
      SHANGHAI,
      [[SH_TITLE, '<p>上海市人民政府门户网站 2019年政府信息公开工作年度报告</p>']],
      '上海市人民政府门户网站',
    ],
    [
      "the site's 主办单位 line",
      SHANGHAI,
      shanghaiUnder('主办单位：上海市人民政府办公厅'),
      '主办单位:上海市人民政府办公厅',
    ],
  ] as [string, string, Change[], string][])('%s', async (_, file, changes, quoted) => {
    const read_ = await read(file, changes);
    expect(read_).toMatchObject({ refused: ['NO_AGENCY'] });
    expect(read_.message).toContain(`"${quoted}"`);
    expect(read_.message).toContain('--agency');
  });

  it('a location line or menu over the title is still refused, and --agency decides', async () => {
    const changes = [
      [
        SH_TITLE,
        `<div>淮安市人民政府门户网站</div><div>首页 &gt; 政务公开 &gt; 政府信息公开年报</div>${SH_UNTITLED}`,
      ],
    ] as Change[];
    expect(await read(SHANGHAI, changes)).toMatchObject({ refused: ['NO_AGENCY'] });
    expect(await read(SHANGHAI, changes, { agencyName: '上海市人民政府办公厅' })).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
  });
});

describe.runIf(existsSync(SHARED))(
  'a government named over a report its text says another wrote: AGENCY_CONFLICT',
  () => {
    it.each([
      [
        "the czj report's own 发布机构 (平潭综合实验区人民政府) under a title naming none; its text says 我局",
        CZJ,
        [
          ['标题: 平潭综合实验区财政金融局2021年度', '标题: 2021年度'],
          [
            '==================== 正文 ====================\n平潭综合实验区财政金融局2021年度',
            '==================== 正文 ====================\n2021年度',
          ],
        ],
        '我局',
      ],
      [
        '发布机构 over 本报告由…财政局…编制',
        SHANGHAI,
        [...shanghaiUnder('发布机构：上海市人民政府'), [SH_OPENING, '本报告由上海市财政局根据']],
        '上海市财政局',
      ],
      [
        '发布机构 over a 总体情况 opening with the department',
        SHANGHAI,
        [...shanghaiUnder('发布机构：上海市人民政府'), [SH_SUBJECT, '2019年，上海市财政局坚持']],
        '上海市财政局',
      ],
      [
        'the government’s name over the title, a department in the text',
        SHANGHAI,
        [...shanghaiUnder('上海市人民政府'), [SH_OPENING, '本报告由上海市财政局根据']],
        '上海市财政局',
      ],
      [
        'the PDF’s header line over a report a department wrote',
        HUAIAN,
        [[HUAIAN_WRITER, '本报告由淮安市财政局根据']],
        '淮安市财政局',
      ],
      [
        'a 发布机构 naming the government’s office',
        SHANGHAI,
        [...shanghaiUnder('发布机构：上海市人民政府办公厅'), [SH_OPENING, '本报告由上海市财政局根据']],
        '上海市财政局',
      ],
    ] as [string, string, Change[], string][])('%s', async (_, file, changes, writer) => {
      const read_ = await read(file, changes);
      expect(read_).toMatchObject({ refused: ['AGENCY_CONFLICT'] });
      expect(read_.message).toContain(writer);
      expect(read_.message).toContain('--agency');
    });

    it('--agency decides', async () => {
      const changes = [
        ...shanghaiUnder('发布机构：上海市人民政府'),
        [SH_OPENING, '本报告由上海市财政局根据'],
      ];
      expect(await read(SHANGHAI, changes as Change[], { agencyName: '上海市财政局' })).toEqual({
        agencyName: '上海市财政局',
        year: 2019,
      });
    });

    it.each([
      ['the real Huaian report: its office wrote the government’s report', HUAIAN, [], '淮安市人民政府'],
      [
        '发布机构 naming the government whose office the text names',
        SHANGHAI,
        [...shanghaiUnder('发布机构：上海市人民政府'), [SH_OPENING, '本报告由上海市人民政府办公厅根据']],
        '上海市人民政府',
      ],
      [
        'a government’s header over its department’s name',
        SHANGHAI,
        [[SH_TITLE, `<p>上海市人民政府</p><p>上海市人民政府办公厅</p>${SH_UNTITLED}`]],
        '上海市人民政府办公厅',
      ],
    ] as [string, string, Change[], string][])('no conflict: %s', async (_, file, changes, agencyName) => {
      expect(await read(file, changes)).toMatchObject({ agencyName });
    });
  },
);

describe.runIf(existsSync(SHARED))('two agencies named as one: NO_AGENCY naming both', () => {
  const title = (name: string): Change[] => [[SH_TITLE, `<p>${name}政府信息公开工作年度报告</p>`]];
  it.each([
    [
      'a space between two names',
      title('上海市财政局 上海市国有资产监督管理委员会2019年'),
      '上海市国有资产监督管理委员会',
    ],
    ['和', title('上海市财政局和上海市国有资产监督管理委员会2019年'), '上海市国有资产监督管理委员会'],
    ['与', title('上海市财政局与上海市国资委2019年'), '上海市国资委'],
    ['after the year', title('2019年上海市财政局 上海市国资委'), '上海市国资委'],
    ['a short form after a whole name', title('上海市财政局 市国资委2019年'), '市国资委'],
    ['the 发布机构 field', shanghaiUnder('发布机构：上海市财政局 上海市国资委'), '上海市国资委'],
    [
      'two name lines over a title naming none',
      [[SH_TITLE, `<p>上海市财政局</p><p>上海市国资委</p>${SH_UNTITLED}`]],
      '上海市财政局',
    ],
  ] as [string, Change[], string][])('%s', async (_, changes, second) => {
    const read_ = await read(SHANGHAI, changes);
    expect(read_).toMatchObject({ refused: ['NO_AGENCY'] });
    expect(read_.message).toContain(`"${second}"`);
  });

  it.each([
    '天津市和平区人民政府',
    '上海市文化和旅游局',
    '上海市住房和城乡建设管理委员会',
    '上海市人力资源和社会保障局 ',
    '上海市 人民政府办公厅 ',
    '上海市人民政府 办公厅',
    '平潭综合实验区交通与建设局',
    '中共上海市委、上海市人民政府信访办公室',
  ])('one name holding 和, 与, 、 or a space is read: %s', async (name) => {
    expect(await read(SHANGHAI, [[SH_TITLE, `<p>${name}2019年政府信息公开工作年度报告</p>`]])).toEqual({
      agencyName: name.replaceAll(' ', ''),
      year: 2019,
    });
  });
});

describe.runIf(existsSync(SHARED))("other reports' titles before the page's own", () => {
  const list = (...titles: string[]) => titles.map((t) => `<p>${t}政府信息公开工作年度报告</p>`).join('');

  it("other agencies' reports of the year: AGENCY_CONFLICT naming them", async () => {
    for (const [file, changes] of [
      [SHANGHAI, [[SH_TITLE, `${list('2019年上海市教育委员会', '2019年上海市民政局')}${SH_TITLE}`]]],
      [
        HUAIAN,
        [
          [
            HUAIAN_TITLE,
            `2024 年淮安市教育局政府信息公开工作年度报告\n2024 年淮安市民政局政府信息公开工作年度报告\n${HUAIAN_TITLE}`,
          ],
        ],
      ],
    ] as [string, Change[]][]) {
      const read_ = await read(file, changes);
      expect(read_, file).toMatchObject({ refused: ['AGENCY_CONFLICT'] });
      expect(read_.message, file).toContain('民政局');
    }
  });

  it("other years' reports, the report stating no period: YEAR_CONFLICT; --year and --agency decide", async () => {
    const changes: Change[] = [
      [SH_TITLE, `${list('2021年上海市人民政府办公厅', '2020年上海市人民政府办公厅')}${SH_TITLE}`],
      [SH_PERIOD, ''],
    ];
    const read_ = await read(SHANGHAI, changes);
    expect(read_).toMatchObject({ refused: ['YEAR_CONFLICT'] });
    expect(read_.message).toContain('2020年上海市人民政府办公厅');
    expect(await read(SHANGHAI, changes, { year: 2019 })).toMatchObject({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
  });

  it("other years' reports over a report stating its period: the title of that year is the report's", async () => {
    const other = list('2021年上海市人民政府办公厅', '2020年上海市人民政府办公厅');
    expect(await read(SHANGHAI, [[SH_TITLE, `${other}${SH_TITLE}`]])).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
    // The PDF's text: a list over its two-line header, the title naming no agency.
    const years =
      '2023 年淮安市人民政府政府信息公开工作年度报告\n2022 年淮安市人民政府政府信息公开工作年度报告';
    expect(await read(HUAIAN, [[HUAIAN_TITLE, `${years}\n${HUAIAN_TITLE}`]])).toEqual({
      agencyName: '淮安市人民政府',
      year: 2024,
    });
  });

  it('the title printed again, without its agency or after a list below it, is one report', async () => {
    for (const after of [SH_UNTITLED, list('2018年上海市人民政府办公厅')]) {
      expect(await read(SHANGHAI, [[SH_TITLE, `${SH_TITLE}${after}`]]), after).toEqual({
        agencyName: '上海市人民政府办公厅',
        year: 2019,
      });
    }
  });

  it('a title naming two years: YEAR_CONFLICT', async () => {
    const read_ = await read(SHANGHAI, [
      [SH_TITLE, '<p>上海市人民政府办公厅2019年、2020年政府信息公开工作年度报告</p>'],
    ]);
    expect(read_).toMatchObject({ refused: ['YEAR_CONFLICT'] });
    expect(read_.message).toMatch(/2019.*2020/);
  });

  it('a bracketed note of when the report came out names no second year', async () => {
    for (const note of ['（2020年发布）', '(2020年1月印发)', '（2020年公布）']) {
      const title = `<p>上海市人民政府办公厅2019年度${note}政府信息公开工作年度报告</p>`;
      expect(await read(SHANGHAI, [[SH_TITLE, title]]), note).toEqual({
        agencyName: '上海市人民政府办公厅',
        year: 2019,
      });
    }
  });
});
