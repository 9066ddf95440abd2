/** A report's field lines (发布机构：…, 发布日期：…), dates, contact details and stated statistics period. */
import type { Line } from './lines.ts';
import { compact, fold } from './text.ts';
import type { Contact } from './types.ts';

/** A crawler's or CMS's field line before the report: "标题: …", "发布机构：…", "发布时间: …". */
export const HEADER_FIELD =
  /^(标题|题名|发布机构|发文机关|来源|发布日期|发布时间|成文日期|日期|时间)[:：]\s*(.*)$/;

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

export function chineseNumber(text: string, positional: boolean): number | null {
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
