/**
 * Which links of a 政府信息公开年报 column collect takes for reports: the titles agencies give
 * their annual report, not the column's other documents. Titles of reports that were passed
 * over without a word (2020年度信息公开年度报告, 2021年政务公开工作年度报告) are among them.
 */
import { describe, expect, it } from 'vitest';
import { refusalReason } from '../../src/collect/documents.ts';
import {
  generatedPages,
  isAttachment,
  isListingPage,
  isReportTitle,
  readPage,
} from '../../src/collect/page.ts';

describe('a report link’s title', () => {
  it.each([
    '2023年政府信息公开工作年度报告（PDF版）',
    '中卫市科学技术局2022年政府信息公开工作年度报告',
    '2022年政府信息公开年报',
    '2020年度信息公开年度报告',
    '中卫市科学技术局2020年信息公开工作年度报告',
    '2021年政务公开工作年度报告',
    '2020年政务信息公开工作年度报告',
    '2022年度政府信息公开工作报告',
    '2023年政府信息公开工作报告',
    '2023年政府信息公开年度工作报告',
    '某某局2023年度政府信息公开报告',
    '二〇二三年度政府信息公开工作年度报告',
    '2023年政府信息公开工作年度报告（2024年1月发布）',
    '2023年政府信息公开工作报告（2024年1月发布）',
  ])('%s is a report', (title) => {
    expect(isReportTitle(title)).toBe(true);
  });

  it.each([
    '2020年政府信息公开工作要点',
    '关于印发2021年政务公开工作要点的通知',
    '2020年政府信息公开指南',
    '政府信息公开工作年度报告',
    '2023年上半年政府信息公开工作报告',
    '2023年第一季度信息公开工作报告',
    '2023年上半年政府信息公开工作报告',
    '2023年1月政府信息公开工作报告',
    '2023年10月政府信息公开工作报告',
    '2023年半年度政府信息公开工作报告',
    '2023年上半年度政府信息公开工作年度报告',
  ])('%s is not (another document, a part of the year, or no year)', (title) => {
    expect(isReportTitle(title)).toBe(false);
  });
});

describe('a listing’s links', () => {
  it('take the title attribute where the text is cut or not a report title', () => {
    const { links } = readPage(
      `<ul>
        <li><a href="a.html" title="某某局2021年政府信息公开工作年度报告">某某局2021年政府信息...</a></li>
        <li><a href="b.html" title="某某局2020年政府信息公开工作年度报告">某某局2020年政府…</a></li>
        <li><a href="c.html" title="详情">2019年政府信息公开工作年度报告</a></li>
      </ul>`,
      'http://x.gov.cn/col/index.html',
    );
    expect(links.map((l) => [l.url, isReportTitle(l.title)])).toEqual([
      ['http://x.gov.cn/col/a.html', true],
      ['http://x.gov.cn/col/b.html', true],
      ['http://x.gov.cn/col/c.html', true],
    ]);
  });

  it('resolve against <base href>', () => {
    const { links } = readPage(
      '<head><base href="http://x.gov.cn/c4/"></head><body><a href="art/t4.html">2023年政府信息公开工作年度报告</a></body>',
      'http://x.gov.cn/c4/list/index.html',
    );
    expect(links[0]?.url).toBe('http://x.gov.cn/c4/art/t4.html');
  });

  it('include the records of a Hanweb datastore, which its script shows as the list', () => {
    const { links } = readPage(
      `<div id="123"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid=123&unitid=456">下一页</a>]]></nextgroup>
        <recordset>
          <record><![CDATA[<li><a href="/art/2024/1/20/art_123_1.html" title="2023年政府信息公开工作年度报告">2023年政府信息公开工作年度报告</a></li>]]></record>
          <record><![CDATA[<li><a href="/art/2023/1/20/art_123_2.html" title="2022年政府信息公开工作年度报告">2022年政府信息公开工作年度报告</a></li>]]></record>
        </recordset></datastore></script></div>`,
      'http://x.gov.cn/col/col123/index.html',
    );
    expect(links.filter((l) => isReportTitle(l.title)).map((l) => l.url)).toEqual([
      'http://x.gov.cn/art/2024/1/20/art_123_1.html',
      'http://x.gov.cn/art/2023/1/20/art_123_2.html',
    ]);
  });

  it('a download script given a document’s file name is an attachment', () => {
    expect(
      isAttachment('http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=szfgs2024.pdf'),
    ).toBe(true);
    expect(isAttachment('http://x.gov.cn/art/2024/1/1/art_1_1.html?id=3')).toBe(false);
  });
});

describe('a document collect refused', () => {
  it('says how to give the agency or year the parser asks for, which collect takes no option for', () => {
    const url = 'http://x.gov.cn/art/2023/t1.html';
    expect(
      refusalReason(url, {
        code: 'NO_AGENCY',
        message: 'Import it again with its agency (--agency NAME, agencyName).',
      }),
    ).toBe(
      `NO_AGENCY: Import it again with its agency (--agency NAME, agencyName). (collect takes no --agency or --year: save ${url} and import the file with them, npm run cli -- import FILE --agency NAME --year YEAR --source-url ${url})`,
    );
    expect(refusalReason(url, { code: 'UNKNOWN_TEMPLATE', message: 'It contains no tables at all.' })).toBe(
      'UNKNOWN_TEMPLATE: It contains no tables at all.',
    );
  });
});

describe('a column’s generated pages', () => {
  it('are numbered from 0 by createPageHTML(count, …), from 1 by the form naming its element first', () => {
    const at = 'http://x.gov.cn/col/index.html';
    expect(generatedPages('createPageHTML(3, 0, "index", "html");', at)).toEqual([
      'http://x.gov.cn/col/index.html',
      'http://x.gov.cn/col/index_1.html',
      'http://x.gov.cn/col/index_2.html',
    ]);
    // As csrc.gov.cn and others print it; its pages were not read at all.
    expect(generatedPages("createPageHTML('page_div',3, 1,'index','shtml',3);", at)).toEqual([
      'http://x.gov.cn/col/index.shtml',
      'http://x.gov.cn/col/index_2.shtml',
      'http://x.gov.cn/col/index_3.shtml',
    ]);
  });
});

describe('a page of the column’s listing', () => {
  it.each([
    ['http://x.gov.cn/col/index_3.html', 'http://x.gov.cn/col/index.html', true],
    ['http://x.gov.cn/col/list_2.html', 'http://x.gov.cn/col/list.html', true],
    ['http://x.gov.cn/col/list.jsp?page=2', 'http://x.gov.cn/col/list.jsp', true],
    ['http://x.gov.cn/col/list.jsp?pageNo=3&cid=7', 'http://x.gov.cn/col/list.jsp?cid=7', true],
    ['http://x.gov.cn/ndbg/?page=2', 'http://x.gov.cn/ndbg/', true],
    // Another column's list, a page of another name, another folder, another host.
    ['http://x.gov.cn/col/list.jsp?page=2&cid=8', 'http://x.gov.cn/col/list.jsp?cid=7', false],
    ['http://x.gov.cn/col/t20240115_1.html', 'http://x.gov.cn/col/list.html', false],
    ['http://x.gov.cn/other/list_2.html', 'http://x.gov.cn/col/list.html', false],
    ['http://y.gov.cn/col/list_2.html', 'http://x.gov.cn/col/list.html', false],
    // ?p= is as often a post's number as a page's.
    ['http://x.gov.cn/ndbg/?p=123', 'http://x.gov.cn/ndbg/', false],
  ])('%s of %s: %s', (url, column, expected) => {
    expect(isListingPage(url, column)).toBe(expected);
  });
});
