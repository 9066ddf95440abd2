/**
 * One agency printed in two ways is one agency: the refusals of joint reports, other writers and
 * lists of other reports (metadata-headers.test.ts) refused ordinary reports whose header or
 * text names their own agency twice, over two lines, with a space or letter-spaced, with its
 * places or without, in a short form, or names the government's office compiling its report.
 * Each read as the report's agency before those refusals came in; each reads so again here, and
 * beside each the misread the refusal was for is still refused.
 *
 * The report is the health bureau's report (test/fixtures/formats/report.tab.txt) under another
 * header; a government's report says 我区 where the bureau's says 我局.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/ingest/document.ts';

const TAB = readFileSync(new URL('../../fixtures/formats/report.tab.txt', import.meta.url), 'utf8');
/** The report's text from its opening paragraph (根据《…》…) on, without its header. */
const BODY = TAB.split('\n').slice(5).join('\n');
const TITLE = '2022年政府信息公开工作年度报告';
const OPENING = '2022 年,我局坚持';
const COMPILED = '根据《中华人民共和国';
/** The report as a government's: 我区, not 我局. */
const government = (body: string) => body.replaceAll('我局', '我区');

async function read(header: string, body = BODY) {
  if (body === BODY) expect(TAB).toContain(OPENING);
  const bytes = new TextEncoder().encode(`${header}\n\n${body}`);
  const { result } = await parseDocument(bytes, { allowPartial: true });
  return result.ok
    ? { agencyName: result.report.agencyName, year: result.report.year }
    : {
        refused: result.problems.map((p) => p.code),
        message: result.problems.map((p) => p.message).join(' | '),
      };
}

describe('one agency above a title naming none, printed twice or over itself', () => {
  it.each([
    ['the same name twice', `淮安市交通运输局\n\n淮安市交通运输局\n\n${TITLE}`, BODY, '淮安市交通运输局'],
    [
      'its province over its name without it',
      `江苏省淮安市财政局\n淮安市财政局\n${TITLE}`,
      BODY,
      '淮安市财政局',
    ],
    [
      'the government’s office over the government',
      `淮安市人民政府办公室\n淮安市人民政府\n${TITLE}`,
      government(BODY),
      '淮安市人民政府',
    ],
  ])('%s reads the lower line', async (_, header, body, agencyName) => {
    expect(await read(header, body)).toEqual({ agencyName, year: 2022 });
  });

  it('two agencies over each other are still refused', async () => {
    const read_ = await read(`淮安市财政局\n淮安市国资委\n${TITLE}`);
    expect(read_).toMatchObject({ refused: ['NO_AGENCY'] });
    expect(read_.message).toContain('"淮安市财政局"');
  });
});

describe('one name split by a space, a line or letter-spacing is one name', () => {
  it.each([
    ['国家税务总局 上海市税务局2022年政府信息公开工作年度报告', '国家税务总局上海市税务局'],
    [`国家税务总局 上海市税务局\n\n${TITLE}`, '国家税务总局上海市税务局'],
    [`国 家 税 务 总 局 上 海 市 税 务 局\n\n${TITLE}`, '国家税务总局上海市税务局'],
    [`国 家 税 务 总 局  上 海 市 税 务 局\n\n${TITLE}`, '国家税务总局上海市税务局'],
    [`淮安市生态环境局 淮阴区分局\n${TITLE}`, '淮安市生态环境局淮阴区分局'],
    [`淮安市自然资源和规划局 淮安区分局\n${TITLE}`, '淮安市自然资源和规划局淮安区分局'],
    [
      '中共上海市纪律检查委员会 上海市监察委员会2022年政府信息公开工作年度报告',
      '中共上海市纪律检查委员会上海市监察委员会',
    ],
    // Over two lines: the whole name, as on one line (it was the lower line's alone before).
    [`国家税务总局\n上海市税务局\n\n${TITLE}`, '国家税务总局上海市税务局'],
    [`中共淮安市纪律检查委员会\n淮安市监察委员会\n\n${TITLE}`, '中共淮安市纪律检查委员会淮安市监察委员会'],
    // The lower line the title (it was stored as 上海市税务局 alone before).
    ['国家税务总局\n上海市税务局2022年政府信息公开工作年度报告', '国家税务总局上海市税务局'],
  ])('%s', async (header, agencyName) => {
    expect(await read(header)).toEqual({ agencyName, year: 2022 });
  });

  it.each([
    [`国家税务总局\n上海市财政局\n\n${TITLE}`, '上海市财政局'],
    [`上 海 市 财 政 局  上 海 市 国 资 委\n\n${TITLE}`, '上海市国资委'],
    ['中共上海市委办公厅 上海市委组织部2022年政府信息公开工作年度报告', '上海市委组织部'],
    ['中共上海市纪律检查委员会 北京市监察委员会2022年政府信息公开工作年度报告', '北京市监察委员会'],
  ])('two bodies are still refused: %s', async (header, second) => {
    const read_ = await read(header);
    expect(read_).toMatchObject({ refused: ['NO_AGENCY'] });
    expect(read_.message).toContain(second);
  });
});

describe('the text naming the agency in its own ways is no other writer', () => {
  const opening = (subject: string) => (body: string) => body.replace(OPENING, `2022年，${subject}坚持`);
  const compiled = (words: string) => (body: string) => body.replace(COMPILED, `${words}${COMPILED}`);
  const sentence = (words: string) => (body: string) => body.replace('要求,结合', `要求，${words}，结合`);
  it.each([
    [
      'a place alone opening 总体情况',
      '发布机构：中卫市沙坡头区人民政府',
      government(opening('沙坡头区')(BODY)),
      '中卫市沙坡头区人民政府',
    ],
    [
      'the place with its city, under the government without it',
      '沙坡头区人民政府',
      government(opening('中卫市沙坡头区')(BODY)),
      '沙坡头区人民政府',
    ],
    [
      'a short form of the field’s name',
      '发布机构：中卫市沙坡头区卫生健康局',
      opening('沙坡头区卫健局')(BODY),
      '中卫市沙坡头区卫生健康局',
    ],
    [
      '由 the government’s office 编制本报告',
      '中卫市沙坡头区人民政府',
      sentence('由沙坡头区人民政府办公室编制本报告')(government(BODY)),
      '中卫市沙坡头区人民政府',
    ],
    [
      'the government’s 政务服务中心 compiling its report',
      '中卫市沙坡头区人民政府',
      compiled('本报告由沙坡头区政务服务中心')(government(BODY)),
      '中卫市沙坡头区人民政府',
    ],
  ])('%s', async (_, header, body, agencyName) => {
    expect(await read(`${header}\n\n${TITLE}`, body)).toEqual({ agencyName, year: 2022 });
  });

  it.each([
    [
      'a department compiling',
      '发布机构：淮安市人民政府',
      compiled('本报告由淮安市财政局')(government(BODY)),
      '"淮安市财政局"',
    ],
    [
      '由 a department',
      '发布机构：淮安市人民政府',
      sentence('由淮安市财政局编制本报告')(government(BODY)),
      '"淮安市财政局"',
    ],
    [
      'the government’s body compiling a text that says 我局',
      '发布机构：中卫市沙坡头区人民政府',
      compiled('本报告由沙坡头区大数据管理局')(BODY),
      '我局',
    ],
    [
      'another body opening 总体情况',
      '发布机构：中卫市沙坡头区卫生健康局',
      opening('沙坡头区财政局')(BODY),
      '"沙坡头区财政局"',
    ],
  ])('another writer is still refused: %s', async (_, header, body, quoted) => {
    const read_ = await read(`${header}\n\n${TITLE}`, body);
    expect(read_).toMatchObject({ refused: ['AGENCY_CONFLICT'] });
    expect(read_.message).toContain(quoted);
  });
});

describe('the page’s title and the body’s naming the agency in two forms are one report', () => {
  const titles = (...agencies: string[]) => agencies.map((a) => `${a}${TITLE}`).join('\n');
  it.each([
    [titles('中卫市沙坡头区人民政府', '沙坡头区'), government(BODY), '中卫市沙坡头区人民政府'],
    [`淮安市人民政府${TITLE}\n\n淮安市${TITLE}`, government(BODY), '淮安市人民政府'],
    [titles('淮安市人民政府', '淮安市政府'), government(BODY), '淮安市人民政府'],
    [titles('淮安市人力资源和社会保障局', '淮安市人社局'), BODY, '淮安市人力资源和社会保障局'],
  ])('%s', async (header, body, agencyName) => {
    expect(await read(header, body)).toEqual({ agencyName, year: 2022 });
  });

  it.each([
    [titles('淮安市财政局', '淮安市人社局'), BODY],
    [titles('淮安市人民政府', '清江浦区'), government(BODY)],
    [titles('淮安市财政局', '淮安市'), BODY],
  ])('other agencies’ titles are still a list: %s', async (header, body) => {
    expect(await read(header, body)).toMatchObject({ refused: ['AGENCY_CONFLICT'] });
  });
});

/**
 * Only the names that are one body's are joined (found by a reviewing helper): c7c237b joined
 * any party body with any same-place government body, any national body with a local body and
 * any body with a place's 分局, storing names no body bears, and took a body and its sub-body
 * for one in a list of titles.
 */
describe('a masthead, another body or a sub-body is not one body’s name', () => {
  it.each([
    [
      'the party committee over its government',
      `中共中卫市沙坡头区委员会\n中卫市沙坡头区人民政府\n${TITLE}`,
      government(BODY),
      '中卫市沙坡头区人民政府',
    ],
    [
      'a party department over a government department',
      `中共中卫市委组织部\n中卫市人力资源和社会保障局\n${TITLE}`,
      BODY,
      '中卫市人力资源和社会保障局',
    ],
    [
      'a national body over its local counterpart',
      `国家发展和改革委员会\n中卫市发展和改革委员会\n${TITLE}`,
      BODY,
      '中卫市发展和改革委员会',
    ],
  ])('%s reads the lower line', async (_, header, body, agencyName) => {
    expect(await read(header, body)).toEqual({ agencyName, year: 2022 });
  });

  it.each([
    [
      `中共中卫市沙坡头区委员会 中卫市沙坡头区人民政府\n\n${TITLE}`,
      government(BODY),
      '中卫市沙坡头区人民政府',
    ],
    [`国家发展和改革委员会 中卫市发展和改革委员会\n\n${TITLE}`, BODY, '中卫市发展和改革委员会'],
    // 财政局 has no 分局: the line is no part of its name.
    [`中卫市财政局\n沙坡头区分局\n${TITLE}`, BODY, '沙坡头区分局'],
  ])(
    'two bodies on one line, or a branch under a body with none, are refused: %s',
    async (header, body, quoted) => {
      const read_ = await read(header, body);
      expect(read_).toMatchObject({ refused: ['NO_AGENCY'] });
      expect(read_.message).toContain(quoted);
    },
  );

  it.each([
    [`中共沭阳县委统战部暨县民族宗教事务局\n\n${TITLE}`, '中共沭阳县委统战部暨县民族宗教事务局'],
    [`中共中卫市委办公室\n中卫市人民政府办公室\n\n${TITLE}`, '中共中卫市委办公室中卫市人民政府办公室'],
    [`国家统计局\n中卫调查队\n\n${TITLE}`, '国家统计局中卫调查队'],
  ])('the listed pairs of one body still read whole: %s', async (header, agencyName) => {
    expect(await read(header)).toEqual({ agencyName, year: 2022 });
  });

  const titles = (...agencies: string[]) => agencies.map((a) => `${a}${TITLE}`).join('\n');
  it.each([
    ['中卫市公安局', '中卫市公安局沙坡头分局'],
    ['中卫市生态环境局', '中卫市生态环境局沙坡头分局'],
    ['中卫市税务局', '中卫市税务局稽查局'],
    ['中卫市交通运输局', '中卫市交通运输综合行政执法局'],
    ['中卫市城市管理局', '中卫市城市管理综合行政执法局'],
    ['中卫市公安局', '中卫市公安消防局'],
  ])('a body’s title and its sub-body’s are a list, in either order: %s, %s', async (body, sub) => {
    expect(await read(titles(body, sub))).toMatchObject({ refused: ['AGENCY_CONFLICT'] });
    expect(await read(titles(sub, body))).toMatchObject({ refused: ['AGENCY_CONFLICT'] });
  });

  it.each([
    [titles('淮安市应急管理局', '淮安市应急局'), '淮安市应急管理局'],
    [titles('中卫市沙坡头区卫生健康局', '沙坡头区卫健局'), '中卫市沙坡头区卫生健康局'],
  ])('a short form keeping the word’s start is still one body: %s', async (header, agencyName) => {
    expect(await read(header)).toEqual({ agencyName, year: 2022 });
  });
});
