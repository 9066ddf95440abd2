import { mayBeNameEnd, whyNamesNoOne } from './agency-name-check.ts';
import type { Line } from './lines.ts';
import { compact, damagedName, fold } from './text.ts';
import type { Contact } from './types.ts';

/**
 * The sentence every generated (synthetic) report opens with. Reports carrying it are stored
 * as synthetic, however they arrive (bulk generation, or `generate --out` then `import`).
 */
export const SYNTHETIC_MARK = '（合成数据，仅供演示和测试，不是已发布的报告。）';

/** Every report title contains this, as the template words it. */
export const TITLE_MARK = '政府信息公开工作年度报告';
/**
 * The ends of titles as agencies print them: …工作年度报告, …年度报告 without 工作 and 关于…工作的
 * 年度报告; failing those, …年度政府信息公开工作报告 and …政府信息公开(工作)年报, which a
 * location line also prints (首页政务公开政府信息公开年报平潭…2021年度政府信息公开工作年度报告).
 */
const TITLE_ENDS = [/政府信息公开(?:工作的?)?年度报告/, /年度政府信息公开工作报告|政府信息公开(?:工作)?年报/];

/** Where a text's title mark is, in any of the ways titles end (TITLE_ENDS); null where none. */
export function titleMarkIn(text: string): { index: number; end: number } | null {
  for (const [tier, end] of TITLE_ENDS.entries()) {
    // Most lines print neither; the second kind is only looked for where its words are.
    if (tier > 0 && !text.includes('年报') && !text.includes('工作报告')) break;
    const m = end.exec(text);
    // The second kind ends a menu's or a page's column name too (政府信息公开年报): a title
    // only after a year (2019年政府信息公开年报, 2019年度政府信息公开工作报告).
    if (m && (tier === 0 || YEAR_BEFORE.test(text.slice(0, m.index)))) {
      return { index: m.index, end: m.index + m[0].length };
    }
  }
  return null;
}
const YEAR_BEFORE = /[\d〇○零O一二三四五六七八九]{4}(?:年|$)/;

/**
 * The year a title names: 2019年, 2019年度, or in Chinese numerals (二〇一九年, 二○一九年); its
 * number, where it starts and ends. Null where the title names none. A date's year is not the
 * title's: a list's or crawler's date before it ([2020年01月08日]平潭…2019年度…) names the day
 * the page came out, which is in the year after the report's.
 */
export function titleYear(title: string): { year: number; index: number; end: number } | null {
  const m = /([\d〇零○O一二三四五六七八九]{4})年度?(?![\d〇○零一二三四五六七八九十]{1,2}月)/.exec(title);
  const year = m ? chineseNumber(m[1] ?? '', true) : null;
  return m && year !== null ? { year, index: m.index, end: m.index + m[0].length } : null;
}

/** Where a web page's location line starts ("当前位置：首页 > 政务公开 > …"), never part of a name. */
const BREADCRUMB = /(?:当前位置|您的位置|您现在的位置|现在位置|所在位置)[:：]?|首页/;
/** Words a location line names its levels with, after which the agency's name begins. */
const NAVIGATION_WORD =
  /(?:首页|政务公开|信息公开|政府信息公开年报|年度报告|工作年报|公开年报|年报|专栏|列表|正文)/g;

/**
 * The agency's name in what a title prints before its year, without what a page or a file set
 * before it there: a location line (当前位置：首页 > 政务公开 > …), a label (附件：, 专题：,
 * 新闻标题：, 上海市：), a tag in brackets (【年度报告】), an attachment or list number (附件1,
 * 1., 一、, （一）) and symbols (★). "关于" after the name (…办公厅关于2019年…的年度报告) is left
 * out. `start`: where the kept text begins in `printed`.
 */
export function agencyBeforeYear(printed: string): { name: string; start: number } {
  // A location line's levels: the name is the last ("首页 > 政务公开 > 上海市政务公开办公室").
  const levels = printed.split(/[>»→|/\\]/);
  let name = levels.at(-1) ?? '';
  if (levels.length === 1 && BREADCRUMB.test(name)) {
    // The levels run together (首页政务公开政府信息公开年报平潭综合实验区): the name starts
    // after the last word that names a level.
    let after = 0;
    for (const m of name.matchAll(NAVIGATION_WORD)) after = m.index + m[0].length;
    name = name.slice(after);
  }
  name = name.replace(/^.*[:：]/, '');
  name = name.replace(/^(?:【[^】]*】|\[[^\]]*\]|〔[^〕]*〕)+/, '');
  name = name.replace(
    /^(?:附件[\d一二三四五六七八九十]*|\d+[.、．]|[一二三四五六七八九十]+、|[（(][\d一二三四五六七八九十]+[）)])/,
    '',
  );
  // Symbols before the name (★, •) and after it (上海市人民政府办公厅—2019年…). A name holds
  // Chinese characters, digits and letters (上海市12345市民服务热线管理办公室), brackets and 、.
  // Damage (U+FFFD, control and invisible characters) is kept, for the name to be refused.
  name = name.replace(/^[^\u3400-\u9fff\dA-Za-z（(\p{Cc}\p{Cf}\uFFFD]+/u, '');
  const start = printed.length - name.length;
  // A notice's verb after the issuer (…办公厅关于印发2019年…年度报告的通知): the issuer is the agency.
  name = name
    .replace(/[^\u3400-\u9fff\dA-Za-z）)\p{Cc}\p{Cf}\uFFFD]+$/u, '')
    .replace(/关于(?:公布|印发|发布|公开|报送|转发)?$/, '');
  // A notice's issuer and the name after its verb (…办公厅关于公布《…办公厅2019年…》): one agency
  // where they are the same; where they differ (…办公厅关于上海市2019年…) the name keeps 关于,
  // to be refused (whyNamesNoOne), for which of the two the report is cannot be told.
  const about = /^(.+?)关于(?:公布|印发|发布|公开|报送|转发)?[《〈<「『“"]*(.+)$/.exec(name);
  if (about?.[1] && about[1] === about[2]) name = about[1];
  return { name, start };
}

/**
 * The ends of agencies' names (…局, …委员会, …人民政府, …办事处, …中心, a zone or place): a line
 * above a title that names no agency is taken for the agency only if it ends so. A date, a
 * document number (…〔2025〕3号), a location line's last level (政府信息公开年报) or a share
 * bar's words are not names, and taking them stored a report under them.
 */
const AGENCY_NAME_END =
  /(?:局|委员会|委|办公室|办|厅|政府|院|中心|署|会|所|站|处|部|队|馆|社|司|室|组|行|镇|乡|街道|区|县|市|省|州|盟|旗|关|台|库|场|校|学|团|园|狱|厂|段|协|联|师)$/;
const AGENCY_NAME = /^[\u3400-\u9fff\d（）()、]{2,40}$/;

/** The agency a line above a title prints alone (中卫市科学技术局 over 2020年…年度报告), or null. */
function agencyLine(text: string): string | null {
  const { name } = agencyBeforeYear(text);
  // A damaged name is given, to be refused as damaged rather than as missing.
  if (damagedName(name)) return name;
  // A name may end with another it goes by in brackets (…委员会（…局）).
  const end = name.replace(/[（(][^（()）]*[）)]$/, '');
  return AGENCY_NAME.test(name) && AGENCY_NAME_END.test(end) && /[\u3400-\u9fff]{2}/.test(name) ? name : null;
}

export interface Heading {
  title: string;
  agencyName: string | null;
  year: number | null;
  /** Index of the title line. */
  index: number;
  /** The line above a title that names no agency, where it was not taken for the agency's name. */
  notAgency?: string;
  /**
   * A name read where the agency's is printed that names no one agency (县财政局, 办公室), and
   * where it was read ("the title", "the 发布机构 field (line 4)"): the report is refused.
   */
  unnamed?: { name: string; where: string; why: string };
}

/** A crawler's or CMS's field line before the report: "标题: …", "发布机构：…", "发布时间: …". */
const HEADER_FIELD = /^(标题|题名|发布机构|发文机关|来源|发布日期|发布时间|成文日期|日期|时间)[:：]\s*(.*)$/;

export function headerField(
  lines: readonly Line[],
  names: readonly string[],
): { value: string; index: number; field: string } | null {
  // Field lines stand above the report, never far down.
  for (let i = 0; i < Math.min(lines.length, 30); i++) {
    const line = lines[i];
    if (!line || line.cells) continue;
    if (!line.text.includes(':') && !line.text.includes('：')) continue;
    const m = HEADER_FIELD.exec(fold(line.text).trim());
    if (m && names.includes(m[1] ?? '') && (m[2] ?? '').trim() !== '')
      return { value: (m[2] ?? '').trim(), index: i, field: m[1] ?? '' };
  }
  return null;
}

/**
 * The header names the agency and the year: on one line, with the agency before or after
 * the year ("中卫市科学技术局2020年…", "2019年上海市人民政府办公厅…"), on two lines (agency
 * above the title), or in a crawler's header block (标题: … / 发布机构: …).
 */
/** The title a line prints: ending at the mark, within a title's length; else null. */
function titleOn(line: Line | undefined): string | null {
  if (!line || line.cells) return null;
  const text = compact(line.text);
  const mark = titleMarkIn(text);
  if (!mark) return null;
  // A year may follow the mark in brackets (…年度报告（2019年度）).
  const yearAfter = /^[（(][\d〇○零O一二三四五六七八九]{4}年度?[）)]/.exec(text.slice(mark.end))?.[0] ?? '';
  const candidate = text.slice(0, mark.end + yearAfter.length).replace(/^(?:标题|题名)[:：]/, '');
  return candidate.length <= 60 && !NAVIGATION_LINE.test(candidate) ? candidate : null;
}

/** A page's links to other pages, as text: 上一篇：…年度报告, 相关阅读… */
const NAVIGATION_LINE =
  /^(?:上一篇|下一篇|上一条|下一条|上篇|下篇|相关(?:阅读|链接|文章|推荐|信息)|热点推荐|推荐阅读)/;

/** The heading of every report's table 2, which a list of links to reports does not print. */
const SECOND_SECTION = '主动公开政府信息情况';

/** What may stand before a title's year: an agency's name, in Chinese characters only. */
const TITLE_AGENCY = /^[\u3400-\u9fff]*$/;

/**
 * A line that is a title and nothing else: no sentence runs on after the mark (，公布如下。,
 * 》的通知), but a short note in brackets may ((全文), （2019年度）), and what a page prints
 * beside its title (发布日期：…, 来源：…, 【字体：大 中 小】).
 */
function titleAlone(line: Line): boolean {
  const text = compact(line.text);
  return TITLE_ALONE.test(text.slice(titleMarkIn(text)?.end ?? 0));
}
const TITLE_ALONE =
  /^[》」』"”）)。.]*(?:[（(][^（()）]{1,10}[）)])?(?:$|[【[]|(?:发布|来源|信息来源|日期|时间|字体|作者|浏览|点击|阅读|索引号|文号|分享)[:：次]?)/;

/**
 * A title after the report's own naming another year or another agency: a second report in
 * the same file (pages of two years saved as one, a crawler joining two pages). The report is
 * read from the lines before it only, so that a table the first lacks is never taken from the
 * second. Only a title alone on its line, after the first report's own tables began (its
 * 主动公开政府信息情况) and before another's: a sentence naming last year's report, the body's
 * title under a crawler's 标题 line, the title printed again as a running header and links to
 * other years' reports below the page are no other report.
 */
export function laterReportTitle(
  lines: readonly Line[],
  heading: Heading,
): { index: number; title: string } | null {
  const own = titleYear(heading.title);
  const ownAgency = own ? heading.title.slice(0, own.index) : null;
  let tablesBegan = false;
  for (let i = heading.index + 1; i < lines.length; i++) {
    const line = lines[i] as Line;
    // Most lines name no report: a cheap look before folding the text.
    if (!tablesBegan) {
      // A section heading is short; the narrative before it (主动公开… sentences) is not folded.
      tablesBegan =
        line.text.length <= 60 && line.text.includes('主') && compact(line.text).includes(SECOND_SECTION);
      continue;
    }
    // A title is short (60 characters once compacted); narrative lines are not looked at.
    if (line.cells || line.text.length > 120 || !line.text.includes('报')) continue;
    const title = titleOn(line);
    if (title === null || title === heading.title || !titleAlone(line)) continue;
    const year = titleYear(title);
    if (!year) continue;
    // An agency printed before the year that is not the report's own (the title's, or the line
    // above it where the title names none).
    const agency = title.slice(0, year.index);
    if (!TITLE_AGENCY.test(agency)) continue;
    const otherAgency = agency !== '' && agency !== ownAgency && agency !== heading.agencyName;
    if (year.year === heading.year && !otherAgency) continue;
    if (lines.slice(i + 1).some((l) => compact(l.text).includes(SECOND_SECTION))) return { index: i, title };
  }
  return null;
}

/**
 * A title wrapped after its year and agency ("2019年上海市人民政府办公厅" then "政府信息公开工作
 * 年度报告", a <br> or a centred heading's two lines): the two lines as one title, given line `i`
 * is a title naming no year. Null where the line before it names no year.
 */
function wrappedTitle(lines: readonly Line[], i: number): string | null {
  const line = lines[i];
  const above = lines[i - 1];
  // Called for a line whose title names no year (readHeading has checked).
  if (!line || !above || above.cells || above.linksTitle || line.linksTitle) return null;
  const start = compact(above.text);
  if (
    start.length > 30 ||
    /[，。；,;:：]/.test(start) ||
    !/\d{4}年|[〇○零一二三四五六七八九]{4}年/.test(start)
  )
    return null;
  return titleOn({ ...line, text: start + compact(line.text) });
}

/** The rank of a dated title alone on its line and not a link: nothing beats it. */
const BEST_TITLE = 4;

export function readHeading(lines: readonly Line[]): Heading | null {
  // The title is the first line that ends at the mark within a title's length (a sentence
  // quoting it, or a page dumped as one run-on line, is not a title).
  let index = -1;
  let title = '';
  let rank = 0;
  // A dated title is looked for a few lines on only: one far down is a sentence naming a report.
  // Links do not count (a sidebar of other reports before the page's own title).
  let since = 0;
  // The title's year (and what precedes it) is on the line above (wrappedTitle).
  let yearAbove = false;
  for (let i = 0; i < lines.length && rank < BEST_TITLE && (index < 0 || since <= 10); i++) {
    const line = lines[i] as Line;
    if (!line.linksTitle) since++;
    const own = titleOn(line);
    const candidate = own !== null && titleYear(own) === null ? (wrappedTitle(lines, i) ?? own) : own;
    if (candidate === null) continue;
    // The first title that names a year, else the first title: a page's location line or
    // column name (首页 > 政务公开 > 政府信息公开年度报告) above the report's title is none.
    // Among dated titles, one alone on its line beats one a sentence runs on from (a cover
    // notice: …关于公布《2019年…年度报告》的通知, an opening sentence naming a notice), and
    // the page's own text beats a link's (上一篇, 相关阅读, a sidebar), which is a title only
    // where nothing better is printed.
    const better =
      titleYear(candidate) === null ? 0 : 1 + (titleAlone(line) ? 2 : 0) + (line.linksTitle ? 0 : 1);
    if (index < 0 || better > rank) {
      index = i;
      title = candidate;
      rank = better;
      since = 0;
      yearAbove = candidate !== own;
    }
  }
  if (index < 0) return null;
  const printedYear = titleYear(title);
  const markAt = titleMarkIn(title)?.index ?? title.length;
  const agencyFirst = agencyBeforeYear(title.slice(0, Math.min(printedYear?.index ?? markAt, markAt)));
  // The title without what a page set before it (附件：, 【年度报告】, a location line).
  title = title.slice(agencyFirst.start);
  const yearMatch = titleYear(title);
  const year = yearMatch?.year ?? null;
  const before = agencyFirst.name;
  const after = yearMatch ? title.slice(yearMatch.end, titleMarkIn(title)?.index ?? title.length).trim() : '';
  let agency: { name: string; where: string } | null =
    before.length >= 2 || after.length >= 2
      ? { name: before.length >= 2 ? before : after, where: 'The title' }
      : null;
  // A name wrapped over two lines (淮安市人民政府 over 办公室2024年…): the line above holds its start.
  // Not a short form (区卫生健康局) under the site's name: that is no name's second line.
  const start = before.length >= 2 && !yearAbove && mayBeNameEnd(before) ? nameLineAbove(lines, index) : null;
  if (start && !whyNamesNoOne(start + before)) {
    agency = { name: start + before, where: 'The title' };
    title = start + title;
  }
  if (!agency) {
    const publisher = headerField(lines, ['发布机构', '发文机关']);
    if (publisher) {
      const line = lines[publisher.index]?.number;
      agency = { name: compact(publisher.value), where: `The ${publisher.field} field (line ${line})` };
    }
  }
  let notAgency: string | undefined;
  for (let i = index - 1; i >= 0 && !agency; i--) {
    const text = compact(lines[i]?.text ?? '');
    if (!text || HEADER_FIELD.test(text)) continue;
    const name = agencyLine(text);
    if (!name) {
      notAgency = text.slice(0, 40);
      break;
    }
    // That line may itself be a name's second line (淮安市人民政府 / 办公室 / 2024年…报告), but
    // not a location line's last level (首页 > … > 市财政局), which is as short as the site put it.
    const first = name === text && mayBeNameEnd(name) ? nameLineAbove(lines, i) : null;
    const whole = first && !whyNamesNoOne(first + name) ? first + name : name;
    agency = { name: whole, where: `Line ${lines[i]?.number}, above the title,` };
  }
  // A damaged name is given on, to be refused as damaged.
  const why = agency && !damagedName(agency.name) ? whyNamesNoOne(agency.name) : null;
  return {
    title,
    agencyName: why ? null : (agency?.name ?? null),
    year,
    index,
    ...(notAgency ? { notAgency } : {}),
    ...(why && agency ? { unnamed: { ...agency, why } } : {}),
  };
}

/** The line before line `i` where it prints a name's start alone (淮安市人民政府, 淮安市清江浦区市场监督管), or null. */
function nameLineAbove(lines: readonly Line[], i: number): string | null {
  const line = lines[i - 1];
  if (!line || line.cells || line.linksTitle) return null;
  const text = compact(line.text);
  return /^[\u3400-\u9fff（）()、]{2,30}$/.test(text) ? text : null;
}

const CHINESE_DIGITS: Record<string, number> = {
  〇: 0,
  '○': 0,
  零: 0,
  O: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

function chineseNumber(text: string, positional: boolean): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  if (positional) {
    // Digits mixed in (二0一九) are read as the digits they are.
    const digits = [...text].map((c) => (/\d/.test(c) ? Number(c) : CHINESE_DIGITS[c]));
    return digits.every((d) => d !== undefined) ? Number(digits.join('')) : null;
  }
  const m = /^([一二三]?)(十?)([一二三四五六七八九]?)$/.exec(text);
  if (!m || text === '') return null;
  const tens = m[2] ? (m[1] ? (CHINESE_DIGITS[m[1]] ?? 0) : 1) : 0;
  const ones = m[3] ? (CHINESE_DIGITS[m[3]] ?? 0) : m[2] ? 0 : m[1] ? (CHINESE_DIGITS[m[1]] ?? 0) : 0;
  return tens * 10 + ones;
}

const DATE_LINE = /^([\d〇零O一二三四五六七八九]{4})年([\d一二三十]{1,3})月([\d一二三十]{1,3})日$/;

const ISO_DATE = /(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/;

const isoDate = (year: number, month: number, day: number) =>
  month >= 1 && month <= 12 && day >= 1 && day <= 31
    ? `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
    : null;

/** The date a field above the report prints (发布日期：2020-01-31), where it is one; its line index. */
export function publicationField(
  lines: readonly Line[],
  names: readonly string[],
): { date: string; index: number; field: string } | null {
  const field = headerField(lines, names);
  const m = field ? ISO_DATE.exec(fold(field.value)) : null;
  const date = m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  return field && date ? { date, index: field.index, field: field.field } : null;
}

/**
 * The publication date: a 发布日期 / 发布时间 field printed above the report (a web page's or
 * crawler's header), else the signature date at the end, in arabic or Chinese numerals.
 */
export function readPublicationDate(lines: readonly Line[]): string | null {
  const field = publicationField(lines, ['发布日期', '发布时间', '成文日期', '日期', '时间']);
  if (field) return field.date;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (!line || line.cells) continue;
    const m = DATE_LINE.exec(compact(line.text));
    if (!m) continue;
    const year = chineseNumber(m[1] ?? '', true);
    const month = chineseNumber(m[2] ?? '', false);
    const day = chineseNumber(m[3] ?? '', false);
    if (!year || !month || !day) continue;
    const date = isoDate(year, month, day);
    if (date) return date;
  }
  return null;
}

const CONTACT_FIELDS: [keyof Contact, RegExp][] = [
  ['website', /(https?:\/\/[A-Za-z0-9.\-_~:/?#&=%+]+)/],
  ['address', /(?:地址|通讯地址)[:：]\s*([^;；,，。)）\n]+)/],
  ['postcode', /邮编[:：]\s*(\d{6})/],
  ['phone', /(?:电话|联系电话)[:：]\s*([\d\-—()（） ]{7,})/],
  ['fax', /传真[:：]\s*([\d\-—()（） ]{7,})/],
  ['email', /(?:邮箱|电子邮箱|E-?mail)[:：]?\s*([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/i],
];

/** Contact details printed for questions about the report; absent ones are omitted. */
export function readContact(text: string): Contact {
  const folded = fold(text);
  const contact: Contact = {};
  for (const [field, pattern] of CONTACT_FIELDS) {
    const value = pattern
      .exec(folded)?.[1]
      ?.trim()
      .replace(/[)）>]+$/, '');
    if (value) contact[field] = value;
  }
  return contact;
}

/**
 * The statistics period the report states for its figures ("所列数据统计期限自2024年1月1日起至
 * 2024年12月31日止", "统计时限为…", "统计时段为2024年01月01日—…", "时间范围为二〇二四年一月一日…",
 * "统计期限为2024年度", "统计时间为2024年1月至12月", "统计期限：2024.1.1-2024.12.31",
 * "统计截止时间为2024年12月31日", "数据的期限为…"): the year it covers, and its line. Only a
 * period starting on 1 January, ending on 31 December or naming a whole year counts, as every
 * report's does; the first such sentence, which the template puts before the tables.
 * "上年度1月1日至12月31日" names the year before the one the report came out in: `relative`.
 */
const PERIOD_WORD =
  /(?:统计(?:截止)?(?:期限|时限|期间|时间|时段|区间|周期|范围|日期)|时间范围|数据的?(?:期限|时限|期间))/;
const STATED_PERIOD = new RegExp(
  `${PERIOD_WORD.source}[^\\d〇○零一二三四五六七八九。]{0,8}(?:([\\d〇○零O一二三四五六七八九]{4})(?:年(?:0?1月0?1日|一月一日|(?:0?1|一)月(?=[至到起\\-—–~～])|12月31日|十二月三十一日|度)|[-./]0?1[-./]0?1(?!\\d))|(上一?年度?)(?:1月1日|一月一日))`,
);

export function readStatedPeriod(
  lines: readonly Line[],
): { year: number; line: number } | { relative: -1; line: number } | null {
  for (const line of lines) {
    // 统计…, …期限, …时限 and 时间范围 are in every such sentence, and in few other lines: the
    // others are not folded.
    if (line.cells || !/[统限围]/.test(line.text)) continue;
    const m = STATED_PERIOD.exec(compact(line.text));
    if (m?.[2]) return { relative: -1, line: line.number };
    const year = m ? chineseNumber(m[1] ?? '', true) : null;
    if (year !== null) return { year, line: line.number };
  }
  return null;
}
