/**
 * Titles as pages and files print them around a real report's own: what a CMS sets before the
 * title (an attachment label, a tag in brackets, a location line), the year in Chinese numerals,
 * and the wordings agencies use besides the template's. The agency's name is never what stood
 * before it: before, "附件：2019年上海市人民政府办公厅…" was stored as the agency "附件:".
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/real-reports/', import.meta.url));
const SHANGHAI = 'shanghai-bgt-2019.html';
const TITLE = '2019年上海市人民政府办公厅政府信息公开工作年度报告';

async function heading(file: string, printed: string, instead: string) {
  const text = readFileSync(SHARED + file, 'utf8');
  expect(text, file).toContain(printed);
  const { result } = await parseDocument(new TextEncoder().encode(text.replace(printed, instead)), {
    allowPartial: true,
  });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  const { agencyName, year, title, cells } = result.report;
  return { agencyName, year, title, cells: cells.length };
}

describe.runIf(existsSync(SHARED))('report titles as pages print them', () => {
  it.each([
    '附件：',
    '附件1 ',
    '附件一：',
    '【年度报告】',
    '[转载]',
    '1. ',
    '一、',
    '专题：',
    '新闻标题：',
    '★',
    '上海市：',
    '当前位置：首页 &gt; 政务公开 &gt; ',
    '您的位置：首页 » 信息公开 » 年度报告 » ',
  ])('"%s" before the title is not the agency', async (prefix) => {
    expect(await heading(SHANGHAI, `>${TITLE}<`, `>${prefix}${TITLE}<`)).toEqual({
      agencyName: '上海市人民政府办公厅',
      year: 2019,
      title: TITLE,
      cells: 198,
    });
  });

  it.each([
    ['二〇一九年上海市人民政府办公厅政府信息公开工作年度报告', 2019],
    ['二○一九年上海市人民政府办公厅政府信息公开工作年度报告', 2019],
    ['上海市人民政府办公厅2019年度政府信息公开工作年度报告', 2019],
    ['2019年上海市人民政府办公厅政府信息公开年度报告', 2019],
    ['上海市人民政府办公厅关于2019年政府信息公开工作的年度报告', 2019],
    ['上海市人民政府办公厅2019年度政府信息公开工作报告', 2019],
    ['上海市人民政府办公厅2019年政府信息公开年报', 2019],
    ['上海市人民政府办公厅2019年政府信息公开工作年报', 2019],
    ['上海市人民政府办公厅政府信息公开工作年度报告(2019年度)', 2019],
    ['上海市人民政府办公厅二0一九年政府信息公开工作年度报告', 2019],
  ])('%s', async (title, year) => {
    const read = await heading(SHANGHAI, `>${TITLE}<`, `>${title}<`);
    expect(read).toMatchObject({ agencyName: '上海市人民政府办公厅', year, title });
  });

  it('a web archive page without its header: the location line run together is not the agency', async () => {
    const file = 'pingtan-2021.pagetxt.txt';
    const text = readFileSync(SHARED + file, 'utf8');
    const body = text.slice(text.indexOf('当前位置'));
    const read = await heading(file, text, body);
    expect(read).toMatchObject({
      agencyName: '平潭综合实验区',
      year: 2021,
      title: '平潭综合实验区2021年度政府信息公开工作年度报告',
    });
  });

  it('an agency whose name holds 政务公开 keeps it where no location line is printed', async () => {
    const read = await heading(
      SHANGHAI,
      `>${TITLE}<`,
      '>上海市政务公开办公室2019年政府信息公开工作年度报告<',
    );
    expect(read.agencyName).toBe('上海市政务公开办公室');
  });
  it.each([
    '上海市发展和改革委员会（上海市粮食和物资储备局、上海市能源局）',
    '中共上海市委、上海市人民政府信访办公室',
    '上海市12345市民服务热线管理办公室',
  ])('%s: a name with 、, digits or brackets is kept whole', async (name) => {
    const read = await heading(SHANGHAI, `>${TITLE}<`, `>${name}2019年政府信息公开工作年度报告<`);
    expect(read.agencyName).toBe(name.replace('（', '(').replace('）', ')'));
  });

  it('a location line with the name on it, or a dash after the name', async () => {
    for (const [title, agency] of [
      [
        '当前位置：首页 &gt; 政务公开 &gt; 上海市政务公开办公室2019年政府信息公开工作年度报告',
        '上海市政务公开办公室',
      ],
      ['上海市人民政府办公厅—2019年政府信息公开工作年度报告', '上海市人民政府办公厅'],
    ]) {
      expect((await heading(SHANGHAI, `>${TITLE}<`, `>${title}<`)).agencyName, title).toBe(agency);
    }
  });

  it('a location line or column name ending 政府信息公开年度报告 above the title is not the title', async () => {
    const paragraph = `<p style='text-align: center;font-weight: bold;'>${TITLE}</p>`;
    for (const above of ['当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年度报告', '政府信息公开年度报告']) {
      expect(await heading(SHANGHAI, paragraph, `<p>${above}</p>${paragraph}`)).toMatchObject({
        agencyName: '上海市人民政府办公厅',
        year: 2019,
        title: TITLE,
      });
    }
  });
});
