/**
 * What a page prints around a real report's title that is not the report's agency or year.
 * Each case was stored under the wrong agency or year without a word before:
 * - a link to another agency's report above the title (上一篇, 相关阅读) was the title;
 * - a cover notice (…办公厅关于公布《…年度报告》的通知) made "…办公厅关于公布" the agency;
 * - over a title that names no agency, any line (a date, 附件1, a location line) was the agency;
 * - a title naming another year than the stated period was caught only for one wording of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const SHANGHAI = 'shanghai-bgt-2019.html';
const TITLE = '2019年上海市人民政府办公厅政府信息公开工作年度报告';
const PARAGRAPH = `<p style='text-align: center;font-weight: bold;'>${TITLE}</p>`;
const OTHER = '2019年上海市商务委员会政府信息公开工作年度报告';

async function read(file: string, printed: string, instead: string) {
  const text = readFileSync(SHARED + file, 'utf8');
  expect(text, file).toContain(printed);
  const { result } = await parseDocument(new TextEncoder().encode(text.replace(printed, instead)), {
    allowPartial: true,
  });
  return result.ok
    ? { agencyName: result.report.agencyName, year: result.report.year }
    : { refused: result.problems.map((p) => p.code) };
}

describe.runIf(existsSync(SHARED))('what is not the title', () => {
  it.each([
    ['a link above the title', `<div><a href="/a.html">${OTHER}</a></div>`],
    ['上一篇 with a link', `<div>上一篇：<a href="/a.html">${OTHER}</a></div>`],
    [
      'a 相关阅读 list of links',
      `<div class="hot"><p>热点推荐</p><ul><li><a href="/a.html">${OTHER}</a></li><li><a href="/b.html">2020年上海市教育委员会政府信息公开工作年度报告</a></li></ul></div>`,
    ],
    [
      'a cover notice naming the report',
      `<p>上海市人民政府办公厅关于公布《${TITLE}》的通知</p><p>各区人民政府，市政府各委、办、局：</p><p>现将《${TITLE}》予以公布。</p>`,
    ],
    ['a cover notice without its issuer', `<p>关于公布《${TITLE}》的通知</p>`],
  ])('%s: the report is still 上海市人民政府办公厅 2019', async (_, before) => {
    expect(await read(SHANGHAI, PARAGRAPH, `${before}${PARAGRAPH}`)).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
  });

  it.each([
    [
      'its date and source beside it',
      `<div>${TITLE} <span>发布日期：2020-01-31</span> <span>来源：市政府办公厅</span></div>`,
    ],
    ['a font-size bar beside it', `<h1>${TITLE} 【字体：大 中 小】</h1>`],
    [
      'its two lines wrapped after the agency',
      '<p>2019年上海市人民政府办公厅<br/>政府信息公开工作年度报告</p>',
    ],
  ])('the page’s own title with %s beats a link to another report after it', async (_, own) => {
    const links = '<ul><li><a href="/a.html">2020年上海市人民政府政府信息公开工作年度报告</a></li></ul>';
    expect(await read(SHANGHAI, PARAGRAPH, `${own}${links}`)).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
  });

  it('a sidebar of a dozen links to other reports before the page’s own title', async () => {
    const names = [
      '发展和改革委员会',
      '教育委员会',
      '科学技术委员会',
      '经济和信息化委员会',
      '商务委员会',
      '民政局',
    ];
    const links = [...names, ...names].map(
      (n, i) => `<li><a href="/${i}.html">2019年上海市${n}政府信息公开工作年度报告</a></li>`,
    );
    expect(
      await read(SHANGHAI, PARAGRAPH, `<div class="list-box"><ul>${links.join('')}</ul></div>${PARAGRAPH}`),
    ).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
  });

  it('a page whose only title is a link to it is read by that title', async () => {
    expect(await read(SHANGHAI, PARAGRAPH, `<h1><a href="/self.html">${TITLE}</a></h1>`)).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
  });

  it('a title printed as a link to itself still beats an opening sentence naming a notice', async () => {
    const text = readFileSync(SHARED + SHANGHAI, 'utf8');
    const opening = '<p>本年度报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的要求编制，';
    expect(text).toContain(opening);
    const changed = text
      .replace(PARAGRAPH, `<p><a href="./t20200131_1.html">${TITLE}</a></p>`)
      .replace(
        opening,
        '<p>根据《条例》和《上海市人民政府办公厅关于做好2019年政府信息公开工作年度报告编制发布工作的通知》要求，',
      );
    const { result } = await parseDocument(new TextEncoder().encode(changed), { allowPartial: true });
    expect(
      result.ok ? { agencyName: result.report.agencyName, year: result.report.year } : result.problems,
    ).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
  });

  it('a menu item or page title 政府信息公开年报 is no title', async () => {
    const file = 'pingtan-2021.pagetxt.txt';
    const text = readFileSync(SHARED + file, 'utf8');
    const body = text.slice(text.indexOf('当前位置'));
    const menu = [
      '首页',
      '政务公开',
      '政府信息公开',
      '政府信息公开指南',
      '政府信息公开年报',
      '依申请公开',
    ].join('\n');
    expect(await read(file, text, `${menu}\n${body}`)).toEqual({ agencyName: '平潭综合实验区', year: 2021 });
    const page = `<html><head><title>政府信息公开年报_上海市人民政府</title></head><body><p><a href="./a.html">${TITLE}</a></p>`;
    expect(await read(SHANGHAI, PARAGRAPH, page)).toEqual({ agencyName: '上海市人民政府办公厅', year: 2019 });
  });

  it('上一篇 or 相关阅读 printed as text is no title: a page without its own is refused, not filed under another year', async () => {
    const file = 'pingtan-jtj-2019.pagetxt.txt';
    const text = readFileSync(SHARED + file, 'utf8');
    const body = text.slice(text.indexOf('===================='));
    for (const link of [
      '上一篇：平潭综合实验区交通与建设局2020年度政府信息公开工作年度报告',
      '相关阅读：平潭综合实验区交通与建设局2020年度政府信息公开工作年度报告',
    ]) {
      expect(await read(file, text, `${link}\n${body}`), link).toMatchObject({
        refused: expect.arrayContaining(['NO_TITLE']),
      });
    }
  });

  it('the issuer of a notice whose title names no agency is the agency', async () => {
    const notice = '<p>上海市人民政府办公厅关于印发2019年政府信息公开工作年度报告的通知</p>';
    expect(await read(SHANGHAI, PARAGRAPH, notice)).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
    });
  });

  const untitled = `<p>2019年政府信息公开工作年度报告</p>`;
  it.each([
    '当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报',
    '2020-01-31',
    '附件1',
    '淮政办〔2025〕3号',
    '索引号：014000-01-2020-0001',
    '—1—',
    '分享到：',
    '【字体：大 中 小】',
    '12345政务服务热线',
    '中国上海在线',
  ])('"%s" above a title without an agency is not the agency: NO_AGENCY', async (above) => {
    expect(await read(SHANGHAI, PARAGRAPH, `<p>${above}</p>${untitled}`)).toEqual({ refused: ['NO_AGENCY'] });
  });

  it('NO_AGENCY quotes the line above that was not taken for a name', async () => {
    const text = readFileSync(SHARED + SHANGHAI, 'utf8').replace(PARAGRAPH, `<p>2020-01-31</p>${untitled}`);
    const { result } = await parseDocument(new TextEncoder().encode(text));
    expect(result.ok ? null : result.problems[0]?.message).toBe(
      'The title names no agency, and the line above it, "2020-01-31", does not read as an agency\'s name (one ends …局, …委员会, …人民政府, …办公室, …中心 and the like); pass the agency explicitly (--agency).',
    );
  });

  it.each([
    '上海市人民政府办公厅',
    '上海市提篮桥监狱',
    '上海市发展和改革委员会（上海市粮食和物资储备局）',
    '上海市科学技术协会',
    '上海市残联',
    '上海市工商联',
    '新疆生产建设兵团第七师',
    '当前位置：首页 &gt; 政务公开 &gt; 上海市人民政府办公厅',
    '上海市12345市民服务热线管理办公室',
  ])('"%s" above a title without an agency is the agency', async (above) => {
    const read1 = await read(SHANGHAI, PARAGRAPH, `<p>${above}</p>${untitled}`);
    expect(read1).toEqual({
      agencyName: above.replace(/^.*; /, '').replace('（', '(').replace('）', ')'),
      year: 2019,
    });
  });

  it('a damaged name (U+FFFD) is refused INVALID_NAME, in the title or above it, not stored cut', async () => {
    const name = '\uFFFD\uFFFD市人民政府办公厅';
    for (const printed of [`<p>${name}2019年政府信息公开工作年度报告</p>`, `<p>${name}</p>${untitled}`]) {
      const text = readFileSync(SHARED + SHANGHAI, 'utf8').replace(PARAGRAPH, printed);
      const { result } = await parseDocument(new TextEncoder().encode(text), { allowPartial: true });
      expect(result.ok ? result.report.agencyName : result.problems[0]?.code, printed).toBe('INVALID_NAME');
    }
  });

  it('invisible characters in a name are not part of it', async () => {
    for (const name of ['\u200b上海市人民政府办公厅', '上海市人民政府办公厅\u202e']) {
      for (const printed of [`<p>${name}2019年政府信息公开工作年度报告</p>`, `<p>${name}</p>${untitled}`]) {
        expect(await read(SHANGHAI, PARAGRAPH, printed), printed).toEqual({
          agencyName: '上海市人民政府办公厅',
          year: 2019,
        });
      }
    }
  });

  it.each([
    '统计期限自2019年01月01日起至2019年12月31日止',
    '统计时段为2019年1月1日—12月31日',
    '本报告统计数据的时间范围为2019年1月1日至12月31日',
    '统计期限为二〇一九年一月一日至十二月三十一日',
    '统计期限为2019年度',
  ])('a title naming 2020 over "%s" is refused: YEAR_CONFLICT', async (period) => {
    const text = readFileSync(SHARED + SHANGHAI, 'utf8');
    const stated = '本年度报告中所列数据统计期限从2019年1月1日到12月31日止。';
    expect(text).toContain(stated);
    const { result } = await parseDocument(
      new TextEncoder().encode(
        text
          .replace(PARAGRAPH, PARAGRAPH.replace('2019', '2020'))
          .replace(stated, `本年度报告中所列数据${period}。`),
      ),
      { allowPartial: true },
    );
    expect(result.ok ? 'stored' : result.problems.map((p) => p.code)).toEqual(['YEAR_CONFLICT']);
  });
});
