import { TEMPLATE_VERSION_INFO, type TemplateVersion } from '../catalogue/template.ts';
import { governmentsOwnBody, mayBeSameBody } from './agency-bodies.ts';
import { GOVERNMENT_NAME, mayBeOneAgency } from './agency-name-check.ts';
import { publicationField, readPublicationDate, readStatedPeriod } from './header-fields.ts';
import type { Line } from './lines.ts';
import { agencyBeforeYear, type Heading, titleMarkIn, titleYear } from './metadata.ts';
import { authorInText, selfNamed } from './report-author.ts';
import { compact, fold } from './text.ts';
import type { Problem } from './types.ts';

/**
 * What else a report says of its year and agency that can contradict its title: the statistics
 * period it states, the date it was published, the page's own title under a crawler's 标题 line.
 * Where they disagree, one of them is wrong and which one is the reader's call (--year,
 * --agency): storing the report under the title's year or agency regardless would file its
 * figures with another year's or another agency's.
 */
export function headingConflict(
  lines: readonly Line[],
  heading: Heading | null,
  page: PageTitle | null,
  given: { year: boolean; agency: boolean },
): Problem | null {
  if (!heading) return null;
  const titleLine = lines[heading.index]?.number;
  const theTitle = `The title${titleLine !== undefined ? ` (line ${titleLine})` : ''}`;
  const listed = listConflict(heading, given);
  if (listed) return listed;
  if (!given.year && heading.year !== null) {
    const second = secondYear(heading);
    if (second !== null) {
      return {
        code: 'YEAR_CONFLICT',
        severity: 'error',
        line: titleLine,
        message: `${theTitle} names two years, ${heading.year} and ${second} ("${heading.title}"); a report is one year's. Import it again with the year it is for (--year, year).`,
      };
    }
    const period = readStatedPeriod(lines);
    // 上年度1月1日至12月31日: the year before the one the report came out in, where it says.
    const published = period && 'relative' in period ? readPublicationDate(lines) : null;
    const periodYear =
      period && 'year' in period ? period.year : published ? Number(published.slice(0, 4)) - 1 : null;
    if (period && periodYear !== null && periodYear !== heading.year) {
      const as =
        'year' in period ? `${periodYear}年1月1日` : `上年度, ${periodYear} for a report dated ${published}`;
      return {
        code: 'YEAR_CONFLICT',
        severity: 'error',
        line: period.line,
        message: `${theTitle} names ${heading.year}, but line ${period.line} gives the statistics period as starting on ${as}. Check which is right and import it again with that year (--year, year).`,
      };
    }
    // A report covers a whole calendar year and comes out after it ends: one published in the
    // year its title names (a title copied from the next year's, or a date typed wrong) is not
    // that year's.
    const field = publicationField(lines, ['发布日期', '发布时间', '成文日期']);
    if (field && field.date <= `${heading.year}-12-31`) {
      const line = lines[field.index]?.number;
      return {
        code: 'YEAR_CONFLICT',
        severity: 'error',
        line,
        message: `${theTitle} names ${heading.year}, but the ${field.field} field (line ${line}) dates the report ${field.date}, before ${heading.year} ended; a year's report comes out after the year. Check which is right and import it again with that year (--year, year).`,
      };
    }
  }
  if (!given.agency) {
    const author = authorConflict(lines, heading);
    if (author) return author;
  }
  if (!page) return null;
  if (!given.year && page.year !== heading.year) {
    return {
      code: 'YEAR_CONFLICT',
      severity: 'error',
      line: page.line,
      message: `The crawler's 标题 line (line ${titleLine}) names ${heading.year}, but the page's own title (line ${page.line}) names ${page.year}: "${page.title}". Check which is right and import it again with that year (--year, year).`,
    };
  }
  if (
    !given.agency &&
    page.agency !== null &&
    heading.agencyName &&
    !sameNamed(page.agency, heading.agencyName)
  ) {
    return {
      code: 'AGENCY_CONFLICT',
      severity: 'error',
      line: page.line,
      message: `The crawler's 标题 line (line ${titleLine}) names ${heading.agencyName}, but the page's own title (line ${page.line}) names ${page.agency}: "${page.title}". Check whose report it is and import it again with that agency (--agency NAME, agencyName).`,
    };
  }
  return null;
}

/** A crawler's field lines between its 标题 line and the page it saved (发布时间:, 原文链接:, ====). */
const CRAWLER_LINE =
  /^(?:(?:标题|题名|发布机构|发文机关|来源|发布日期|发布时间|成文日期|日期|时间|文号|栏目|原文链接|本地目录|索引号)[:：]|页面链接|=+)/;

export interface PageTitle {
  year: number;
  agency: string | null;
  title: string;
  line: number;
}

/**
 * The page's own title where the heading is a crawler's 标题 line: the first title with a year
 * among the page's first lines, as printed alone or after a location line run together with it
 * (当前位置：首页…年报 平潭…2019年度…报告 来源：…). Its year, its agency where it names one.
 */
export function crawledPageTitle(lines: readonly Line[], heading: Heading | null): PageTitle | null {
  if (!heading) return null;
  if (!/^(?:标题|题名)[:：]/.test(fold(lines[heading.index]?.text ?? '').trim())) return null;
  for (let i = heading.index + 1, seen = 0; i < lines.length && seen < 5; i++) {
    const line = lines[i] as Line;
    const raw = fold(line.text).trim();
    if (line.cells || raw === '' || CRAWLER_LINE.test(raw)) continue;
    seen++;
    const text = compact(line.text);
    const mark = titleMarkIn(text);
    if (!mark) continue;
    // The title is what follows the last punctuation before the mark: a sentence naming a
    // notice (…办公室关于明确政府信息公开工作年度报告格式…) names no year there.
    const lead = text.slice(0, mark.index);
    const segment = lead.slice(lead.search(/[^，。；：:、》」”"）)]*$/));
    const year = titleYear(segment);
    if (!year || segment.length - year.end > 20) continue;
    const before = agencyBeforeYear(segment.slice(0, year.index));
    const after = segment.slice(year.end);
    const agency = before.name.length >= 2 ? before.name : after.length >= 2 ? after : null;
    const title = segment.slice(before.start) + text.slice(mark.index, mark.end);
    return { year: year.year, agency, title, line: line.number };
  }
  return null;
}

/**
 * Tables of a template issued after the year the report is for: the 2021 template (its own
 * labels: 本年制发件数, 本年收费金额) was issued in 2021, after the reports for 2020 were out, so
 * a report printing them is not a 2020 report. The 2019 template in a later year's report is a
 * late adopter's and is read (report-format.md).
 */
export function templateYearConflict(
  version: TemplateVersion,
  evidence: readonly string[],
  year: number,
  yearGiven: boolean,
  titleLine: number | undefined,
): Problem | null {
  const { firstYear, issuedBy } = TEMPLATE_VERSION_INFO[version];
  if (year >= firstYear) return null;
  const from = yearGiven
    ? 'as given'
    : `from the title${titleLine !== undefined ? `, line ${titleLine}` : ''}`;
  return {
    code: 'YEAR_CONFLICT',
    severity: 'error',
    message: `The report year is ${year} (${from}), but its tables follow the ${version} template (${evidence.slice(0, 3).join(', ')}), issued by ${issuedBy} for the reports for ${firstYear} and later. Check which is right and import it again with the report's year (--year, year).`,
  };
}

/**
 * The page's own name for the agency where a crawler's 标题 line names it shorter (交通与建设局
 * over 平潭综合实验区交通与建设局): the page's says more, and the short one names no place.
 */
export function fullerAgencyOnPage(page: PageTitle | null, heading: Heading | null): string | null {
  return page?.agency &&
    heading?.agencyName &&
    page.agency.length > heading.agencyName.length &&
    sameNamed(page.agency, heading.agencyName)
    ? page.agency
    : null;
}

/**
 * Whether two titles name one agency: the same name, or one with the places above it printed
 * (宁夏回族自治区中卫市沙坡头区卫生健康局 and 沙坡头区卫生健康局), as a crawler's title and the
 * page's often differ.
 */
const sameNamed = (a: string, b: string) => a === b || a.endsWith(b) || b.endsWith(a);

/**
 * Titles of different reports printed one after another before the text, none of which the
 * report's stated period singles out (readHeading's titleList): which is the page's own is a
 * guess, so the report is refused naming them, and --year / --agency decide.
 */
function listConflict(heading: Heading, given: { year: boolean; agency: boolean }): Problem | null {
  const titles = heading.rivals;
  if (!titles || titles.length < 2) return null;
  const years = new Set(titles.map((t) => t.year));
  // A title naming no agency may be any agency's: beside one naming one, the agency is open too.
  const agencies = titles.some((a) =>
    titles.some((b) => a.agency !== b.agency && !(a.agency && b.agency && mayBeSameBody(a.agency, b.agency))),
  );
  const yearOpen = years.size > 1 && !given.year;
  const agencyOpen = agencies && !given.agency;
  if (!yearOpen && !agencyOpen) return null;
  const listedAs = titles.map((t) => `line ${t.line}: "${t.title}"`).join('; ');
  return {
    code: yearOpen ? 'YEAR_CONFLICT' : 'AGENCY_CONFLICT',
    severity: 'error',
    line: titles[0]?.line,
    message: `Titles of different reports are printed one after another before the report's text (${listedAs}): a list of other reports beside the page's own title, and which one this report is cannot be told from the page. Import it again with its ${yearOpen && agencyOpen ? 'agency and year (--agency NAME, --year)' : yearOpen ? 'year (--year, year)' : 'agency (--agency NAME, agencyName)'}.`,
  };
}

const PUBLISHED_NOTE = /[（(][^（）()]*(?:发布|印发|公布|编制|公开)[^（）()]*[）)]/g;

/** A second year the title names before its mark (2022年、2023年政府信息公开…), or null. */
function secondYear(heading: Heading): number | null {
  const first = titleYear(heading.title);
  if (!first) return null;
  const rest = heading.title
    .slice(first.end, titleMarkIn(heading.title)?.index ?? heading.title.length)
    // A bracketed note of when it came out (2022年度（2023年发布）) names no second report year.
    .replace(PUBLISHED_NOTE, '');
  const second = titleYear(rest);
  return second && second.year !== first.year ? second.year : null;
}

/**
 * The agency read from what a page printed around a title naming none (a 发布机构 field, a
 * header line), where the report's own text says another wrote it (本报告由淮安市财政局编制, 我局):
 * a portal names the government over every department's report it carries. Which one the
 * report is, is the reader's call: a government's report may be compiled by one of its bodies
 * too (本报告由…政务服务管理办公室编制), so the text's name is not taken either.
 */
function authorConflict(lines: readonly Line[], heading: Heading): Problem | null {
  const name = heading.agencyName;
  if (!name) return null;
  // A line above the title is weighed only where it names a government (淮安市人民政府): that is
  // what a portal's header or a parent prints over all its departments' reports. A department's
  // name there is printed by no one but the department, so it stands as the report's header.
  if (heading.agencyFrom !== 'field' && !(heading.agencyFrom === 'above' && GOVERNMENT_NAME.test(name)))
    return null;
  const from = heading.agencyFrom === 'field' ? 'a field the page printed' : 'the line above the title';
  const found = authorInText(lines, heading.index + 1);
  // The government's own office or 政务公开 body compiling its report (本报告由沙坡头区政务服务中心
  // 根据…, 由…人民政府办公室编制本报告) is how governments' reports are written: no other writer.
  // Whether the name is the writer's, not only whether it differs, is what a refusal must be
  // sure of, so one that may be the same body (its places left out, a short form: 沙坡头区卫健局
  // for 中卫市沙坡头区卫生健康局) is none either. A line department (财政局) compiling, or any other
  // body opening 总体情况 as its subject, stays another writer; and the text calling its writer
  // 我局 still says a 局 wrote it where the government's body compiled it.
  const own = found?.compiles === true && governmentsOwnBody(name, found.name);
  const author =
    found && !own && !mayBeOneAgency(found.name, name) && !mayBeSameBody(found.name, name) ? found : null;
  const self = author || (found && !own) ? null : selfNamed(lines, heading.index + 1);
  const other = author
    ? { line: author.line, says: `names "${author.name}" as its writer ("${author.words}…")` }
    : self && !name.includes(self.word)
      ? { line: self.line, says: `calls its writer ${self.words}, a ${self.word}, which "${name}" is not` }
      : null;
  if (!other) return null;
  return {
    code: 'AGENCY_CONFLICT',
    severity: 'error',
    line: other.line,
    message: `The title names no agency, and ${from} names "${name}", but the report's text (line ${other.line}) ${other.says}: a portal prints the government's name over its departments' reports. Check whose report it is and import it again with that agency (--agency NAME, agencyName).`,
  };
}
