import type { Line } from './lines.ts';
import { compact, fold } from './text.ts';
import type { Contact } from './types.ts';

/** Every report title contains this. */
export const TITLE_MARK = '政府信息公开工作年度报告';

export interface Heading {
  title: string;
  agencyName: string | null;
  year: number | null;
  /** Index of the title line. */
  index: number;
}

/**
 * The header names the agency and the year, either on one line
 * ("中卫市科学技术局2020年政府信息公开工作年度报告") or on two (agency above the title).
 */
export function readHeading(lines: readonly Line[]): Heading | null {
  const index = lines.findIndex((l) => !l.cells && compact(l.text).includes(TITLE_MARK));
  if (index < 0) return null;
  const title = compact(lines[index]?.text ?? '');
  const yearMatch = /(\d{4})年度?/.exec(title);
  const year = yearMatch ? Number(yearMatch[1]) : null;
  const before = title.slice(0, yearMatch ? yearMatch.index : title.indexOf(TITLE_MARK)).trim();
  let agencyName: string | null = before.length >= 2 ? before : null;
  if (!agencyName) {
    for (let i = index - 1; i >= 0; i--) {
      const text = compact(lines[i]?.text ?? '');
      if (text) {
        agencyName = text;
        break;
      }
    }
  }
  return { title, agencyName, year, index };
}

const CHINESE_DIGITS: Record<string, number> = {
  〇: 0,
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
    const digits = [...text].map((c) => CHINESE_DIGITS[c]);
    return digits.every((d) => d !== undefined) ? Number(digits.join('')) : null;
  }
  const m = /^([一二三]?)(十?)([一二三四五六七八九]?)$/.exec(text);
  if (!m || text === '') return null;
  const tens = m[2] ? (m[1] ? (CHINESE_DIGITS[m[1]] ?? 0) : 1) : 0;
  const ones = m[3] ? (CHINESE_DIGITS[m[3]] ?? 0) : m[2] ? 0 : m[1] ? (CHINESE_DIGITS[m[1]] ?? 0) : 0;
  return tens * 10 + ones;
}

const DATE_LINE = /^([\d〇零O一二三四五六七八九]{4})年([\d一二三十]{1,3})月([\d一二三十]{1,3})日$/;

/** The signature date at the end of the report, in arabic or Chinese numerals. */
export function readPublicationDate(lines: readonly Line[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (!line || line.cells) continue;
    const m = DATE_LINE.exec(compact(line.text));
    if (!m) continue;
    const year = chineseNumber(m[1] ?? '', true);
    const month = chineseNumber(m[2] ?? '', false);
    const day = chineseNumber(m[3] ?? '', false);
    if (!year || !month || !day || month > 12 || day > 31) continue;
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
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
