import { mayBeSameBody, oneBodyTwoNames } from './agency-bodies.ts';
import {
  AGENCY_NAME_END,
  GOVERNMENT_NAME,
  jointWhy,
  mayBeNameEnd,
  nameOverName,
  twoAgencies,
  whyNamesNoOne,
} from './agency-name-check.ts';
import { chineseNumber, HEADER_FIELD, headerField, readStatedPeriod } from './header-fields.ts';
import type { Line } from './lines.ts';
import { compact, damagedName } from './text.ts';

export { readContact, readPublicationDate } from './header-fields.ts';

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
  const m = TITLE_YEAR.exec(title);
  // A span of years (2022—2023年, 2022、2023年) names no one year: which the report's is, is not
  // told by the title (the later was taken, and the earlier read as the agency's name).
  if (m && yearSpan(title)) return null;
  const year = m ? chineseNumber(m[1] ?? '', true) : null;
  return m && year !== null ? { year, index: m.index, end: m.index + m[0].length } : null;
}
const TITLE_YEAR = /([\d〇零○O一二三四五六七八九]{4})年度?(?![\d〇○零一二三四五六七八九十]{1,2}月)/;
/**
 * Whether a title's year is the last of a span of years (2022—2023年, 2022、2023年): the earlier
 * has no 年 of its own. Two years each with 年 (2019年、2020年) are two years the title names
 * (YEAR_CONFLICT, metadata-conflicts.ts).
 */
export function yearSpan(title: string): boolean {
  const m = TITLE_YEAR.exec(title);
  return !!m && /[\d〇零○O一二三四五六七八九]{4}\s*[—–\-~～至到、和及]\s*$/.test(title.slice(0, m.index));
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
    /^(?:附件[\d一二三四五六七八九十]*|\d{1,3}[.、．]|[一二三四五六七八九十]+、|[（(][\d一二三四五六七八九十]+[）)])/,
    '',
  );
  // Symbols before the name (★, •) and after it (上海市人民政府办公厅—2019年…). A name holds
  // Chinese characters, digits and letters (上海市12345市民服务热线管理办公室), brackets and 、.
  // Damage (U+FFFD, control and invisible characters) is kept, for the name to be refused.
  name = name.replace(/^[^\u3400-\u9fff\dA-Za-z（(\p{Cc}\p{Cf}\uFFFD]+/u, '');
  const start = printed.length - name.length;
  // Years are no part of a name: a title naming a span of years (2022—2023年) has none before them.
  name = name.replace(/(?:[\d〇零○O一二三四五六七八九]{4}\s*(?:年度?)?\s*[—–\-~～至到、和及]?\s*)+$/, '');
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
  /**
   * Where the agency's name was read: the title (the report's own words), or what a page printed
   * around it (a 发布机构 field, a line above a title naming none), which may be the portal's.
   */
  agencyFrom?: 'title' | 'field' | 'above';
  /** Titles of different reports printed one after another before the text (titleList). */
  rivals?: ListedTitle[];
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
  if (rank < BEST_TITLE) return headingAt(lines, index, title, yearAbove);
  const listed = titleList(lines, index, title);
  if (!listed) return headingAt(lines, index, title, yearAbove);
  const own = listed.own;
  if (own) return headingAt(lines, own.index, own.title, false);
  return { ...headingAt(lines, index, title, yearAbove), rivals: listed.titles };
}

/**
 * Dated titles alone on their lines, printed one after another before the report's text (a
 * sidebar's or a list's entries in a page's text, where no link marks them): the first is no
 * more the page's own than the last. Null where the first title is the only report named there
 * (the title printed again without its agency, a list naming the same report, are no others).
 * Where the report's stated period names one year and one of them alone names it, that one is
 * the report's (`own`): a list of other years' reports over it names years it does not cover.
 * Otherwise the titles, for the report to be refused naming them: which one it is, is a guess.
 */
function titleList(
  lines: readonly Line[],
  index: number,
  title: string,
): { own?: ListedTitle; titles: ListedTitle[] } | null {
  // A crawler's 标题 line is checked against the page's own title (crawledPageTitle).
  if (/^(?:标题|题名)[:：]/.test(compact(lines[index]?.text ?? ''))) return null;
  const titles = [listed(lines, index, title)];
  for (let j = index + 1; j < lines.length && j <= index + 20; j++) {
    const line = lines[j] as Line;
    if (line.cells) break;
    const text = compact(line.text);
    if (text === '') continue;
    const other = line.linksTitle ? null : titleOn(line);
    if (other !== null && titleAlone(line) && titleYear(other)) {
      titles.push(listed(lines, j, other));
      continue;
    }
    // The report's text has begun: a sentence, a paragraph, a section heading.
    if (text.length > 60 || /[，。；,;]/.test(text) || text.includes('总体情况')) break;
  }
  const first = titles[0] as ListedTitle;
  if (!titles.some((t) => otherReport(t, first))) return null;
  const period = readStatedPeriod(lines);
  const stated = period && 'year' in period ? period.year : null;
  const inPeriod = titles.filter((t) => t.year === stated);
  // The last, nearest the text: a title naming no agency there is the page's own heading, its
  // agency read from around it as any such title's is.
  const own = inPeriod.at(-1);
  if (own && !inPeriod.some((a) => inPeriod.some((b) => otherReport(a, b)))) return { own, titles };
  return { titles };
}

export interface ListedTitle {
  title: string;
  index: number;
  line: number;
  year: number | null;
  /** The agency the title prints, '' where it names none. */
  agency: string;
}

function listed(lines: readonly Line[], index: number, title: string): ListedTitle {
  const year = titleYear(title);
  const mark = titleMarkIn(title)?.index ?? title.length;
  const before = agencyBeforeYear(title.slice(0, Math.min(year?.index ?? mark, mark))).name;
  const after = year ? title.slice(year.end, mark) : '';
  const agency = before.length >= 2 ? before : after.length >= 2 ? after : '';
  return { title, index, line: lines[index]?.number ?? index + 1, year: year?.year ?? null, agency };
}

/**
 * Titles of two reports: other years, or two agencies printed that cannot be one (not one with
 * its places and one without, a short form, a place alone for its government: mayBeSameBody). A
 * title naming no agency may be any agency's, and is the other's printed again.
 */
const otherReport = (a: ListedTitle, b: ListedTitle) =>
  a.year !== b.year || (a.agency !== '' && b.agency !== '' && !mayBeSameBody(a.agency, b.agency));

/**
 * A label a website prints its own details under (主办单位：…, 承办：…, 版权所有：…): the body
 * that runs the site, printed on every page of it, whoever's report the page carries.
 */
const SITE_LABEL =
  /^(?:网站)?(?:主办单位|主办|承办单位|承办|协办|维护单位|技术支持|版权所有|网站标识码|ICP备案)[:：]/;

/** The heading read from the title on line `index`: its year, and its agency where it is printed. */
function headingAt(lines: readonly Line[], index: number, printed: string, yearAbove: boolean): Heading {
  let title = printed;
  const raw = (yearAbove ? `${lines[index - 1]?.text ?? ''}` : '') + (lines[index]?.text ?? '');
  const printedYear = titleYear(title);
  const markAt = titleMarkIn(title)?.index ?? title.length;
  const agencyFirst = agencyBeforeYear(title.slice(0, Math.min(printedYear?.index ?? markAt, markAt)));
  // The title without what a page set before it (附件：, 【年度报告】, a location line).
  title = title.slice(agencyFirst.start);
  const yearMatch = titleYear(title);
  const year = yearMatch?.year ?? null;
  const before = agencyFirst.name;
  const after = yearMatch ? title.slice(yearMatch.end, titleMarkIn(title)?.index ?? title.length).trim() : '';
  let agency: AgencyRead | null =
    before.length >= 2 || after.length >= 2
      ? { name: before.length >= 2 ? before : after, where: 'The title', from: 'title', printed: raw }
      : null;
  // A name wrapped over two lines (淮安市人民政府 over 办公室2024年…): the line above holds its start.
  // Not a short form (区卫生健康局) under the site's name: that is no name's second line. A whole
  // name is, under the first of one body's two (国家税务总局 over 上海市税务局2022年…).
  const above = before.length >= 2 && !yearAbove ? nameLineAbove(lines, index) : null;
  const start = above && (mayBeNameEnd(before) || oneBodyTwoNames(above, before)) ? above : null;
  if (start && !whyNamesNoOne(start + before)) {
    agency = { name: start + before, where: 'The title', from: 'title', printed: `${start}${raw}` };
    title = start + title;
  }
  if (!agency) {
    const publisher = headerField(lines, ['发布机构', '发文机关']);
    if (publisher) {
      const line = lines[publisher.index]?.number;
      agency = {
        name: compact(publisher.value),
        where: `The ${publisher.field} field (line ${line})`,
        from: 'field',
        printed: publisher.value,
      };
    }
  }
  let notAgency: string | undefined;
  let why: string | null = null;
  for (let i = index - 1; i >= 0 && !agency; i--) {
    const text = compact(lines[i]?.text ?? '');
    if (!text || HEADER_FIELD.test(text)) continue;
    const where = `Line ${lines[i]?.number}, above the title,`;
    if (SITE_LABEL.test(text)) {
      agency = { name: text, where, from: 'above', printed: text };
      why = `is the website's own details (主办单位, 承办, 版权所有), printed on every page of the site whoever's report it carries`;
      break;
    }
    const name = agencyLine(text);
    if (!name) {
      notAgency = text.slice(0, 40);
      break;
    }
    // That line may itself be a name's second line (淮安市人民政府 / 办公室 / 2024年…报告), but
    // not a location line's last level (首页 > … > 市财政局), which is as short as the site put it.
    const first = name === text && mayBeNameEnd(name) ? nameLineAbove(lines, i) : null;
    const whole = first && !whyNamesNoOne(first + name) ? first + name : name;
    const upper = whole === name && name === text ? nameAbove(lines, i) : null;
    const read = upper ? nameOverName(upper, whole) : whole;
    agency = { name: read ?? whole, where, from: 'above', printed: lines[i]?.text ?? '' };
    if (upper && !read)
      why = `is printed under another agency's name, "${upper}": a joint report of the two, or a header over the report, so whose it is cannot be told`;
  }
  // A damaged name is given on, to be refused as damaged.
  if (!why && agency && !damagedName(agency.name)) {
    const two = twoAgencies(agency.name, agency.printed);
    why = two ? jointWhy(two) : whyNamesNoOne(agency.name);
  }
  return {
    title,
    agencyName: why ? null : (agency?.name ?? null),
    year,
    index,
    ...(agency && !why ? { agencyFrom: agency.from } : {}),
    ...(notAgency ? { notAgency } : {}),
    ...(why && agency ? { unnamed: { name: agency.name, where: agency.where, why } } : {}),
  };
}

interface AgencyRead {
  name: string;
  where: string;
  from: NonNullable<Heading['agencyFrom']>;
  /** The text it was read from as printed, spaces kept (a space between two agencies' names). */
  printed: string;
}

/**
 * A whole agency's name on the line above line `i` (blank lines and fields aside), where that
 * is not a government's: a department's name over another's (淮安市财政局 / 淮安市国资委 / 2023年…)
 * is a joint report's header or a list; a government's over a department's (淮安市人民政府 /
 * 淮安市财政局) is the site's or the parent's header, and the department's name the report's.
 */
function nameAbove(lines: readonly Line[], i: number): string | null {
  for (let j = i - 1; j >= 0; j--) {
    const line = lines[j] as Line;
    const text = compact(line.text);
    if (!text || HEADER_FIELD.test(text)) continue;
    if (line.cells || line.linksTitle) return null;
    const name = agencyLine(text);
    return name && name === text && !whyNamesNoOne(name) && !GOVERNMENT_NAME.test(name) ? name : null;
  }
  return null;
}

/** The line before line `i` where it prints a name's start alone (淮安市人民政府, 淮安市清江浦区市场监督管), or null. */
function nameLineAbove(lines: readonly Line[], i: number): string | null {
  const line = lines[i - 1];
  if (!line || line.cells || line.linksTitle) return null;
  const text = compact(line.text);
  return /^[\u3400-\u9fff（）()、]{2,30}$/.test(text) ? text : null;
}
