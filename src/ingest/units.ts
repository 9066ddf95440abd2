/**
 * A unit printed inside a figure's cell (`251000元`, `1742件`) against the unit of its column
 * in the catalogue: money columns hold 万元, every other column a count.
 *
 * A figure printed in 元 in a 万元 column is stored in 万元, converted exactly (251000元 is
 * 25.1 万元): stored as printed, it counted ten thousand times over in every sum and ranking of
 * the column, and the agency's own unit says what the number means, so nothing is guessed. So
 * is an amount printed with a magnitude (2.51亿元 is 25100 万元, 25.1万 is 25.1 万元).
 * The printed text and unit stay as provenance. A money unit on a count, or a count's unit on
 * money, says the figure is not what the column holds (a cell from another column, a slip),
 * and is refused.
 */
import type { Unit } from '../catalogue/template-versions.ts';

/** Units agencies print inside a figure's cell, longest first (万元 before 元). */
export const PRINTED_UNITS = ['万元', '元', '件', '个', '项', '条', '次'] as const;

/**
 * Magnitudes printed after a figure (25.1万, 2.51亿元): the number printed is not the number
 * meant, so it is never read as printed. An amount is converted into 万元 exactly, as from 元; a
 * count is refused (3万 is not 3, and 30000 may be a rounded count). Longest first.
 */
export const PRINTED_MAGNITUDES = ['百万元', '千万元', '亿元', '千元', '亿', '万'] as const;

/**
 * A unit or magnitude printed in brackets after a figure, 251000（元）, 1268（件）: the unit is its
 * first group, and means what it means unbracketed.
 */
export const BRACKETED_UNIT = `[(（][ \\u3000]*(${[...PRINTED_UNITS, ...PRINTED_MAGNITUDES].join('|')})[ \\u3000]*[)）]`;

const MONEY_UNITS: ReadonlySet<string> = new Set(['万元', '元']);

/**
 * How many places the decimal point moves left to turn an amount printed with this unit into
 * 万元 (negative: right). 万 after an amount is 万元.
 */
const WAN_YUAN_PLACES: Readonly<Record<string, number>> = {
  万元: 0,
  万: 0,
  元: 4,
  千元: 1,
  百万元: -2,
  千万元: -3,
  亿元: -4,
  亿: -4,
};
const MAGNITUDES: ReadonlySet<string> = new Set(PRINTED_MAGNITUDES);

export type InColumnUnit = { ok: true; value: string; converted: boolean } | { ok: false; reason: string };

/**
 * `value` (exact decimal text, as read) with `printed` after it, in the unit of a `column`
 * cell: the value to store, or why the unit does not belong in that column.
 */
export function inColumnUnit(value: string, printed: string, column: Unit): InColumnUnit {
  const money = MONEY_UNITS.has(printed);
  const elsewhere = 'check the source for a figure from another column';
  if (column === 'COUNT') {
    if (MAGNITUDES.has(printed)) {
      return {
        ok: false,
        reason: `prints ${printed} after the figure, a magnitude, in a column of counts: a count is printed whole (3万 is not 3, and 30000 may be a rounded count); the source must give the count itself`,
      };
    }
    return money
      ? { ok: false, reason: `prints ${printed}, a unit of money, in a column of counts; ${elsewhere}` }
      : { ok: true, value, converted: false };
  }
  const places = WAN_YUAN_PLACES[printed];
  if (places === undefined) {
    return {
      ok: false,
      reason: `prints ${printed}, a unit of counts, in a column of money (万元); ${elsewhere}`,
    };
  }
  return printed === '万元'
    ? { ok: true, value, converted: false }
    : { ok: true, value: shiftLeft(value, places), converted: true };
}

/**
 * `value` divided by 10^places (multiplied, for negative places), exactly, as decimal text
 * without needless zeros ("251000", 4 → "25.1"; "2.51", -4 → "25100").
 */
export function shiftLeft(value: string, places: number): string {
  const negative = value.startsWith('-');
  const [whole = '', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  // value = digits / 10^scale
  let digits = `${whole}${fraction}`;
  let scale = fraction.length + places;
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  digits = digits.padStart(scale + 1, '0');
  const point = digits.length - scale;
  const integer = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const decimals = digits.slice(point).replace(/0+$/, '');
  const shifted = decimals === '' ? integer : `${integer}.${decimals}`;
  return negative && /[1-9]/.test(shifted) ? `-${shifted}` : shifted;
}

/** Every unit and magnitude a header or a note may state, longest first (百万元 before 万元 before 万). */
const STATABLE = [...PRINTED_MAGNITUDES, ...PRINTED_UNITS].sort((a, b) => b.length - a.length).join('|');

const GAP = '[\\s\\u3000]*';
/** The unit itself, with 人民币 before or after it as agencies write it (人民币元, 元人民币). */
const UNIT_WORDS = `(?:人民币${GAP})?(${STATABLE})(?:${GAP}人民币)?`;

/**
 * A unit a column's header states: 采购总金额（元）, 本年收费金额（单位：元）, 件数(单位:件),
 * 金额（单位：千元）, and as agencies also write it: （单位：人民币元）, （元人民币）, （单位/元）,
 * （单位 元）, （金额：元）.
 */
const STATED_UNIT = new RegExp(
  `[(（]${GAP}(?:(?:计量)?单位${GAP}[:：/]?${GAP}|金额${GAP}[:：/]${GAP})?${UNIT_WORDS}${GAP}[)）]`,
);

const STATED_UNITS = new RegExp(STATED_UNIT.source, 'g');

/** A unit of money or a magnitude of one (元, 万元, 千元, 亿 …), not a count's. */
const isMoneyUnit = (unit: string) => MONEY_UNITS.has(unit) || MAGNITUDES.has(unit);

/** Whether a unit is the one a column of this kind holds its figures in (万 after an amount is 万元). */
const ownUnit = (unit: string, column: Unit) =>
  column === 'COUNT' ? !isMoneyUnit(unit) : unit === '万元' || unit === '万';

/**
 * The unit a column's header states for its figures, when it is not the column's own (万元
 * for money, a count's unit for counts): 采购总金额（元） means every figure under it is in 元,
 * 金额（千元） in 千元. Undefined when the header states none, or the column's own.
 */
export function headerUnit(header: string, column: Unit): string | undefined {
  const unit = STATED_UNIT.exec(header)?.[1];
  if (unit === undefined) return undefined;
  return ownUnit(unit, column) ? undefined : unit;
}

/**
 * A line or cell that only states the unit of a table's amounts: 单位：元, （单位：元）, 金额单位：万元,
 * and as agencies also write it: 单位：人民币元, 单位（元）, 注：金额单位为元, 表中金额单位：元,
 * 采购金额单位：元, 注：采购总金额单位为元.
 */
const UNIT_NOTE = new RegExp(
  `^[(（]?${GAP}(?:注${GAP}[:：]?${GAP})?(?:表中|本表|表内)?(?:采购|收费)?总?(?:金额)?单位${GAP}(?:[:：/]|为|是)?${GAP}[(（]?${GAP}${UNIT_WORDS}${GAP}[)）]?${GAP}[)）]?${GAP}[。.]?$`,
);

/** The money unit a note of units states, 万元 included (单位：万元); undefined for a count's (单位：件) or none. */
export function moneyNoteUnit(text: string): string | undefined {
  const unit = UNIT_NOTE.exec(text.trim())?.[1];
  return unit !== undefined && isMoneyUnit(unit) ? unit : undefined;
}

/** Whether a line or cell is a note of units only (单位：元, 单位：万元): words that are no column. */
export const isUnitNote = (text: string) => UNIT_NOTE.test(text.trim());

/** A character every money unit, magnitude or word of money holds (元, 万, 亿, 圆, ￥, 人民币). */
const MAY_NAME_MONEY = /[元圆万亿￥¥]|人民币/;

/** A unit note at the end of a longer text: a block title or a label printed with it (…第（九）项 单位：元). */
const TRAILING_NOTE = new RegExp(
  `(?:金额)?单位${GAP}(?:[:：/]|为|是)?${GAP}[(（]?${GAP}${UNIT_WORDS}${GAP}[)）]?${GAP}[。.]?$`,
);

/**
 * The money unit a title, label or heading states for the amounts it is said of, bracketed
 * (政府集中采购（元）, 二、主动公开政府信息情况（单位：元）) or as a note at its end (第二十条第（九）项
 * 单位：元): the unit, 万元 included; an unread one where it speaks of money otherwise (（圆）);
 * undefined where it states none.
 */
export function statedMoneyUnit(text: string): string | { unread: string } | undefined {
  // Most labels and titles name no money at all: every unit below holds one of these.
  if (!MAY_NAME_MONEY.test(text)) return undefined;
  const units = [...text.matchAll(STATED_UNITS)].map((m) => m[1] ?? '');
  const trailing = TRAILING_NOTE.exec(text.trim())?.[1];
  const money = [...units, ...(trailing ? [trailing] : [])].find(isMoneyUnit);
  if (money !== undefined) return money;
  return unreadMoneyUnit(text) && /[(（]|单位/.test(text) ? { unread: text.trim() } : undefined;
}

/** A text without a unit note at its end (采购总金额 单位：元 is the column 采购总金额). */
export const withoutTrailingNote = (text: string) => text.trim().replace(TRAILING_NOTE, '').trim();

/** Money written in words a unit is read from: 元 (not 万元's), 圆, ￥, 人民币. */
const MONEY_WORD = /(?<!万)[元圆]|[￥¥]|人民币/;

/**
 * Whether a money column's header, or a short note beside the table, speaks of its amounts'
 * unit in words none of the patterns above read (（单位：圆）, （￥）, 采购总金额/元): its figures
 * may be in 元, ten thousand times their 万元, so they are refused rather than read as 万元.
 */
export const unreadMoneyUnit = (text: string) => MONEY_WORD.test(text) && !STATED_UNIT.test(text);

/** A short line beside a table that speaks of a unit of money (注：金额单位为圆): a note, read or not. */
export const speaksOfMoneyUnit = (text: string) => {
  const trimmed = text.trim();
  return trimmed.length <= 24 && /单位/.test(trimmed) && MONEY_WORD.test(trimmed);
};
