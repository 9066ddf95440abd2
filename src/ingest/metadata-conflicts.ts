import { TEMPLATE_VERSION_INFO, type TemplateVersion } from '../catalogue/template.ts';
import type { Line } from './lines.ts';
import {
  agencyBeforeYear,
  type Heading,
  publicationField,
  readPublicationDate,
  readStatedPeriod,
  titleMarkIn,
  titleYear,
} from './metadata.ts';
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
  if (!given.year && heading.year !== null) {
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
