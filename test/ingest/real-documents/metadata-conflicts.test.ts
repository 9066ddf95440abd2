/**
 * Real reports, each with one change a reviewer found stored under a wrong agency or year
 * without a word: a name wrapped over two lines (办公室 under 淮安市人民政府), a short form that
 * names no place (县财政局, 市政府办公厅), a notice's or a list's words taken for the name, a
 * statistics period, publication date, template or crawler title that contradicts the title's
 * year. Where the page shows the whole name it is read; where the agency or year cannot be told
 * the report is refused, saying why, and --agency / --year still decide.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';
import type { ParseOptions } from '../../../src/ingest/parse-report.ts';
import { CZJ, HUAIAN, HUAIAN_TITLE, SH_PERIOD, SH_TITLE, SHANGHAI, SHARED } from './metadata-cases.ts';

const SH_UNTITLED = "<p style='text-align: center;font-weight: bold;'>2019年政府信息公开工作年度报告</p>";
const SH_DATE = "<p style='text-align: center'>发布日期：2020-01-31</p>";
const JTJ = 'pingtan-jtj-2019.pagetxt.txt';
const GAJ = 'pingtan-gaj-2021.pagetxt.txt';

type Change = [printed: string | RegExp, instead: string, all?: 'all'];

async function read(file: string, changes: Change[], options: ParseOptions = {}) {
  let text = readFileSync(SHARED + file, 'utf8');
  for (const [printed, instead, all] of changes) {
    if (typeof printed === 'string') expect(text, file).toContain(printed);
    text = all ? text.replaceAll(printed, instead) : text.replace(printed, instead);
  }
  const { result } = await parseDocument(new TextEncoder().encode(text), { allowPartial: true, ...options });
  return result.ok
    ? { agencyName: result.report.agencyName, year: result.report.year }
    : {
        refused: result.problems.map((p) => p.code),
        message: result.problems.map((p) => p.message).join(' | '),
      };
}

/** The czj report with its title naming no agency, over a 发布机构 field naming `publisher`. */
const czjPublishedBy = (publisher: string): Change[] => [
  ['标题: 平潭综合实验区财政金融局2021年度', '标题: 2021年度'],
  [
    '==================== 正文 ====================\n平潭综合实验区财政金融局2021年度',
    '==================== 正文 ====================\n2021年度',
  ],
  ['发布机构: 平潭综合实验区人民政府', `发布机构: ${publisher}`],
];

describe.runIf(existsSync(SHARED))('an agency name wrapped over two lines is read whole', () => {
  it.each([
    ['淮安市人民政府\n办公室 2024 年政府信息公开工作年度报告', '淮安市人民政府办公室'],
    ['淮安市清江浦区市场监督管\n理局 2024 年政府信息公开工作年度报告', '淮安市清江浦区市场监督管理局'],
    ['淮安市清江浦区\n人民政府 2024 年政府信息公开工作年度报告', '淮安市清江浦区人民政府'],
    ['淮安市人民政府\n办公室\n2024 年政府信息公开工作年度报告', '淮安市人民政府办公室'],
  ])('%j is %s', async (title, agencyName) => {
    expect(await read(HUAIAN, [[HUAIAN_TITLE, title]])).toEqual({ agencyName, year: 2024 });
  });

  it('a <br> in the title of a web page', async () => {
    const title =
      "<p style='text-align: center;font-weight: bold;'>上海市人民政府<br/>办公厅2019年政府信息公开工作年度报告</p>";
    expect(await read(SHANGHAI, [[SH_TITLE, title]])).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
  });
});

describe.runIf(existsSync(SHARED))('names of bodies that name no place, read as printed', () => {
  it.each([
    '交通运输部长江航务管理局',
    '水利部长江水利委员会',
    '财政部宁夏监管局',
    '审计署驻西安特派员办事处',
    '大连海事局',
    '证监会宁夏监管局',
    '石河子大学',
    '国务院办公厅',
    '生态环境部',
  ])('%s', async (name) => {
    expect(await read(HUAIAN, [[HUAIAN_TITLE, `${name}\n2024 年政府信息公开工作年度报告`]])).toEqual({
      agencyName: name,
      year: 2024,
    });
  });

  it("a short form under the site's name is not joined to it: NO_AGENCY", async () => {
    // 沙坡头区人民政府 over 区卫生健康局2024年… is no name wrapped over two lines.
    const read_ = await read(HUAIAN, [
      [HUAIAN_TITLE, '淮安市人民政府\n市卫生健康委员会 2024 年政府信息公开工作年度报告'],
    ]);
    expect(read_).toMatchObject({ refused: ['NO_AGENCY'] });
    expect(read_.message).toContain('"市卫生健康委员会"');
  });
});

describe.runIf(existsSync(SHARED))('a name that names no one agency is refused: NO_AGENCY', () => {
  it.each([
    [
      'a part of a name with nothing above it',
      HUAIAN,
      [[HUAIAN_TITLE, '理局 2024 年政府信息公开工作年度报告']],
      '理局',
    ],
    ['a short form in the 发布机构 field', CZJ, czjPublishedBy('区财政金融局'), '区财政金融局'],
    ['a county body without its county', CZJ, czjPublishedBy('县财政局'), '县财政局'],
    [
      'the last level of a location line',
      SHANGHAI,
      [
        [
          SH_TITLE,
          `<div>您当前的位置：首页 &gt; 政务公开 &gt; 部门信息公开 &gt; 市财政局</div>${SH_UNTITLED}`,
        ],
      ],
      '市财政局',
    ],
    [
      'a column heading',
      SHANGHAI,
      [[SH_TITLE, `<div>当前位置：首页 &gt; 政务公开 &gt; 市政府办公厅</div>${SH_UNTITLED}`]],
      '市政府办公厅',
    ],
    [
      'a short form in the title',
      SHANGHAI,
      [[SH_TITLE, '<p>市政府办公厅2019年政府信息公开工作年度报告</p>']],
      '市政府办公厅',
    ],
  ] as [string, string, Change[], string][])('%s', async (_, file, changes, name) => {
    const read_ = await read(file, changes);
    expect(read_).toMatchObject({ refused: ['NO_AGENCY'] });
    expect(read_.message).toContain(`"${name}"`);
    expect(read_.message).toContain('--agency');
  });

  it('--agency gives the name the report does not', async () => {
    expect(
      await read(CZJ, czjPublishedBy('区财政金融局'), { agencyName: '平潭综合实验区财政金融局' }),
    ).toEqual({
      agencyName: '平潭综合实验区财政金融局',
      year: 2021,
    });
  });

  it.each([
    '国务院办公厅',
    '生态环境部',
    '国家税务总局',
    '海关总署',
    '上海市人民政府办公厅',
    '上海市12345市民服务热线管理办公室',
    '平潭综合实验区财政金融局',
    '淮安市清江浦区人民政府',
    '济南市市中区人民政府',
    '广西壮族自治区人民政府办公厅',
    '沛县人民政府',
  ])('a real name is still read: %s', async (name) => {
    expect(await read(SHANGHAI, [[SH_TITLE, `<p>${name}2019年政府信息公开工作年度报告</p>`]])).toEqual({
      agencyName: name,
      year: 2019,
    });
  });

  it('a full name in the 发布机构 field is still read', async () => {
    expect(await read(CZJ, czjPublishedBy('平潭综合实验区财政金融局'))).toEqual({
      agencyName: '平潭综合实验区财政金融局',
      year: 2021,
    });
  });
});

describe.runIf(existsSync(SHARED))("a notice's words or a date are no name", () => {
  it.each([
    '上海市人民政府办公厅关于上海市2019年政府信息公开工作年度报告',
    '上海市人民政府办公厅关于印发上海市2019年政府信息公开工作年度报告',
  ])('an issuer and another name: %s is refused', async (title) => {
    const read_ = await read(SHANGHAI, [[SH_TITLE, `<p>${title}</p>`]]);
    expect(read_).toMatchObject({ refused: ['NO_AGENCY'] });
    expect(read_.message).toContain('关于');
  });

  it('an issuer publishing its own report is that agency', async () => {
    const title =
      '<p>上海市人民政府办公厅关于公布《上海市人民政府办公厅2019年政府信息公开工作年度报告》的通知</p>';
    expect(await read(SHANGHAI, [[SH_TITLE, title]])).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
  });

  it("a list's date in brackets before a crawler's title is neither name nor year", async () => {
    const changes: Change[] = [
      [
        '标题: 平潭综合实验区交通与建设局2019年度',
        '标题: [2020年01月08日]平潭综合实验区交通与建设局2019年度',
      ],
    ];
    expect(await read(JTJ, changes)).toEqual({ agencyName: '平潭综合实验区交通与建设局', year: 2019 });
  });

  it('a publication month before the title is not its year', async () => {
    const title = '<p>2020年1月发布：2019年上海市人民政府办公厅政府信息公开工作年度报告</p>';
    expect(await read(SHANGHAI, [[SH_TITLE, title]])).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
  });
});

describe.runIf(existsSync(SHARED))('a year the report contradicts is refused: YEAR_CONFLICT', () => {
  // Without the page's publication date, which would refuse a 2020 title published in 2020 too.
  const title2020: Change[] = [
    [SH_TITLE, SH_TITLE.replace('2019', '2020')],
    [SH_DATE, ''],
  ];
  it.each([
    '统计时间为2019年1月至12月',
    '统计期限：2019.1.1-2019.12.31',
    '统计截止时间为2019年12月31日',
    '的时间范围为2019年1月1日至2019年12月31日',
    '统计期限为2019年1月—12月',
    '统计期限从2019-01-01到2019-12-31',
    '的期限为2019年1月1日至2019年12月31日',
  ])('a title naming 2020 over "%s"', async (period) => {
    const read_ = await read(SHANGHAI, [...title2020, [SH_PERIOD, `本年度报告中所列数据${period}。`]]);
    expect(read_).toMatchObject({ refused: ['YEAR_CONFLICT'] });
    expect(read_.message).toContain('statistics period');
  });

  it.each([
    '统计时间为2019年1月至12月',
    '统计期限：2019.1.1-2019.12.31',
    '的时间范围为2019年1月1日至2019年12月31日',
  ])('the title naming 2019 over "%s" is read', async (period) => {
    expect(await read(SHANGHAI, [[SH_PERIOD, `本年度报告中所列数据${period}。`]])).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
  });

  it('上年度 in a report published in 2020 is 2019', async () => {
    const read_ = await read(SHANGHAI, [
      [SH_TITLE, SH_TITLE.replace('2019', '2020')],
      [SH_PERIOD, '本年度报告中所列数据统计期限为上年度1月1日至12月31日。'],
    ]);
    expect(read_).toMatchObject({ refused: ['YEAR_CONFLICT'] });
    expect(read_.message).toContain('上年度');
  });

  it.each([
    ['published in the year the title names', GAJ, '公安局2022年政府信息', '2022-01-14'],
    [
      'published before the year the title names ended',
      'pingtan-2025.pagetxt.txt',
      '平潭综合实验区2026年',
      '2026-03-10',
    ],
  ])('%s', async (_, file, title, date) => {
    const own = title.replace(/20\d\d/, file === GAJ ? '2021' : '2025');
    // Without its statistics period (2025), which would refuse a 2026 title first.
    const period = '本报告所列数据统计期限为2025年1月1日至2025年12月31日。';
    const read_ = await read(file, [[own, title, 'all'], ...(file === GAJ ? [] : [[period, ''] as Change])]);
    expect(read_).toMatchObject({ refused: ['YEAR_CONFLICT'] });
    expect(read_.message).toContain(date);
  });

  it('--year decides', async () => {
    expect(
      await read(GAJ, [['公安局2021年政府信息', '公安局2022年政府信息', 'all']], { year: 2021 }),
    ).toEqual({
      agencyName: '平潭综合实验区公安局',
      year: 2021,
    });
  });

  it('tables of the 2021 template in a report for 2019', async () => {
    const read_ = await read(HUAIAN, [['2024 年', '2019 年', 'all']]);
    expect(read_).toMatchObject({ refused: ['YEAR_CONFLICT'] });
    expect(read_.message).toMatch(/2019.*V2021/);
  });

  it('tables of the 2019 template in a report for 2021 are read (a late adopter)', async () => {
    const read_ = await read(SHANGHAI, [
      [SH_TITLE, SH_TITLE.replace('2019', '2021')],
      [SH_PERIOD, SH_PERIOD.replace('2019', '2021')],
      [SH_DATE, SH_DATE.replace('2020', '2022')],
    ]);
    expect(read_).toEqual({ agencyName: '上海市人民政府办公厅', year: 2021 });
  });
});

describe.runIf(existsSync(SHARED))("a crawler's 标题 line against the page's own title", () => {
  it('another year on the page is refused: YEAR_CONFLICT naming both', async () => {
    const changes: Change[] = [
      [
        /交通与建设局2019年度政府信息公开工作年度报告 来源/,
        '交通与建设局2018年度政府信息公开工作年度报告 来源',
      ],
    ];
    const read_ = await read(JTJ, changes);
    expect(read_).toMatchObject({ refused: ['YEAR_CONFLICT'] });
    expect(read_.message).toMatch(/2019.*2018/);
  });

  it('another agency on the page is refused: AGENCY_CONFLICT naming both', async () => {
    const changes: Change[] = [
      ['标题: 平潭综合实验区交通与建设局2019年度', '标题: 平潭综合实验区财政金融局2019年度'],
    ];
    const read_ = await read(JTJ, changes);
    expect(read_).toMatchObject({ refused: ['AGENCY_CONFLICT'] });
    expect(read_.message).toMatch(/财政金融局.*交通与建设局/);
  });

  it('the same agency with or without the places above it is no conflict', async () => {
    // The crawler's title short, the page's in full: the page's name is the report's.
    const short = await read(JTJ, [
      ['标题: 平潭综合实验区交通与建设局2019年度', '标题: 交通与建设局2019年度'],
    ]);
    expect(short).toEqual({ agencyName: '平潭综合实验区交通与建设局', year: 2019 });
  });

  it.each([JTJ, CZJ, 'pingtan-2019.pagetxt.txt', 'pingtan-bgs-2020.pagetxt.txt'])(
    'where they agree the report is read: %s',
    async (file) => {
      expect(await read(file, [])).toMatchObject({
        year: expect.any(Number),
        agencyName: expect.any(String),
      });
    },
  );
});
