/**
 * Where table 2's amounts have their unit stated: the money column's header, and also the
 * header's first cell, a header cell of units, the block's title, the row's label, a note above
 * or under the table, or the section's heading. Table 2 has one money column in each template
 * version, so each statement is said of it wherever it stands. They must agree: a header printing
 * the template's 万元 over a row labelled （元）, or a note of 元 under it, leave the unit unread
 * (the amount is refused, naming them), as a stored 元 amount read in 万元 is ten thousand times
 * over and one read the other way ten thousand times under.
 */
import type { Line } from './lines.ts';
import type { UnreadUnit } from './table-reading.ts';
import { moneyNoteUnit, speaksOfMoneyUnit, statedMoneyUnit, unreadMoneyUnit } from './units.ts';

/** A statement of the amounts' unit and the text that makes it, for a message naming it. */
export interface UnitStatement {
  unit: string | UnreadUnit;
  printed: string;
}

/**
 * Whether a money column's header speaks of its unit in words no pattern reads (采购总金额/元,
 * （单位：圆）): its amounts may be in 元, and are refused.
 */
export const unreadHeader = (header: string) =>
  statedMoneyUnit(header) === undefined && unreadMoneyUnit(header);

/** The statement a text makes (a header, title, label or heading), if it states a money unit. */
export function statementIn(text: string): UnitStatement[] {
  const unit = statedMoneyUnit(text);
  return unit === undefined ? [] : [{ unit, printed: text.trim() }];
}

/** A line shaped as a note (注：…, 单位：…, 金额单位…), not a sentence that names a 单位 (本单位…). */
const NOTE_SHAPED = /^[(（]?[\s\u3000]*(?:注|单位|金额单位|表中|本表|表内|采购|收费)/;

/**
 * The statements of the notes anywhere beside table 2 (单位：元 above it, 注：金额单位为元 under it)
 * and of its section's heading (二、主动公开政府信息情况（单位：元）). A note of a count's unit
 * (单位：件) is said of the counts, and states nothing of the amounts. `isTitle` tells a block's
 * title (第二十条第（九）项 单位：元), which is no note.
 */
export function unitNotes(lines: readonly Line[], heading: string, isTitle: (text: string) => boolean) {
  const notes: UnitStatement[] = [];
  for (const line of lines) {
    const cells = line.cells?.filter((c) => c.trim() !== '') ?? [line.text];
    if (cells.length !== 1 || isTitle(line.text)) continue;
    const text = (cells[0] ?? '').trim();
    const unit = moneyNoteUnit(text);
    if (unit !== undefined) notes.push({ unit, printed: text });
    else if (NOTE_SHAPED.test(text) && speaksOfMoneyUnit(text))
      notes.push({ unit: { unread: text }, printed: text });
  }
  return [...notes, ...statementIn(heading)];
}

const key = (unit: string | UnreadUnit) =>
  typeof unit === 'string' ? (unit === '万' ? '万元' : unit === '亿' ? '亿元' : unit) : `?${unit.unread}`;

/**
 * The unit the statements agree on, in a column's terms (万元, the column's own, is no unit to
 * convert from); unread, naming them, where they disagree; undefined where none is made.
 */
export function agreedUnit(statements: readonly UnitStatement[]): string | UnreadUnit | undefined {
  const distinct = new Set(statements.map((s) => key(s.unit)));
  if (distinct.size > 1) {
    return { unread: [...new Set(statements.map((s) => s.printed))].join('; '), conflicting: true };
  }
  const unit = statements[0]?.unit;
  return unit === '万元' || unit === '万' ? undefined : unit;
}
