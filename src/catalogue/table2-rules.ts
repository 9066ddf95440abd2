/**
 * The table-2 checks of the template (report-format.md, 勾稽关系), derived from the blocks'
 * rows and columns: a row gets a check in every version that prints all of its columns.
 * Only V2019 prints the columns these checks compare; V2021 reports have none of them.
 */
import { table2CellCode } from './cells.ts';
import type { RuleId, Side } from './identities.ts';
import { TABLE2_BLOCKS, type Table2Axis, type Table2Block, type Table2Column } from './table2.ts';
import { TEMPLATE_VERSIONS, type TemplateVersion } from './template-versions.ts';

/**
 * Within one report: the sum of the `value` cells must be at most (AT_MOST) or at least
 * (AT_LEAST) the sum of the `bound` cells, zero when `bound` has none.
 */
export interface BoundIdentity {
  rule: RuleId;
  scope: string;
  scopeZh: string;
  scopeEn: string;
  versions: readonly TemplateVersion[];
  relation: 'AT_MOST' | 'AT_LEAST';
  value: Side;
  bound: Side;
}

/** Across years: the sum of this year's `thisYear` cells must equal last year's `previousYear` sum. */
export interface SumLink {
  rule: RuleId;
  scope: string;
  scopeZh: string;
  scopeEn: string;
  previousYear: Side;
  thisYear: Side;
}

interface RowWith {
  block: Table2Block;
  row: Table2Axis;
  columns: Table2Column[];
  versions: TemplateVersion[];
}

/** Every row whose block has all the given columns, with the versions printing them all. */
function rowsWith(...codes: string[]): RowWith[] {
  return TABLE2_BLOCKS.flatMap((block) => {
    const columns = codes.map((code) => block.columns.find((c) => c.code === code));
    if (columns.some((c) => c === undefined)) return [];
    const present = columns as Table2Column[];
    return block.rows.flatMap((row) => {
      const versions = TEMPLATE_VERSIONS.filter(
        (v) => row.versions.includes(v) && present.every((c) => c.versions.includes(v)),
      );
      return versions.length === 0 ? [] : [{ block, row, columns: present, versions }];
    });
  });
}

const side = (row: Table2Axis, columns: readonly Table2Column[]): Side => ({
  cells: columns.map((c) => table2CellCode(row.code, c.code)),
  zh: columns.map((c) => c.zh).join(' + '),
  en: columns.map((c) => c.en.toLowerCase()).join(' + '),
});
const NOTHING: Side = { cells: [], zh: '0', en: '0' };
const scopeOf = ({ block, row }: RowWith) => ({
  scope: row.code,
  scopeZh: `第二十条第${block.item}项 ${row.zh}`,
  scopeEn: row.en,
});

export const TABLE2_BOUNDS: readonly BoundIdentity[] = [
  // 本年新公开数量 ≤ 对外公开总数量: this year's newly published are among all published.
  ...rowsWith('PUBLISHED', 'TOTAL_PUBLISHED').map((r) => ({
    rule: 'T2_PUBLISHED_WITHIN_TOTAL' as const,
    ...scopeOf(r),
    versions: r.versions,
    relation: 'AT_MOST' as const,
    value: side(r.row, r.columns.slice(0, 1)),
    bound: side(r.row, r.columns.slice(1)),
  })),
  // A decrease (本年增/减 < 0) takes away at most the items there were: 上一年项目数量 + 本年增/减 ≥ 0.
  ...rowsWith('PREVIOUS_ITEMS', 'CHANGE').map((r) => ({
    rule: 'T2_CHANGE_WITHIN_ITEMS' as const,
    ...scopeOf(r),
    versions: r.versions,
    relation: 'AT_LEAST' as const,
    value: side(r.row, r.columns),
    bound: NOTHING,
  })),
];

/** The bounds of one template version, in table order. */
export const boundsOf = (version: TemplateVersion): readonly BoundIdentity[] =>
  TABLE2_BOUNDS.filter((b) => b.versions.includes(version));

/** 上一年项目数量 of year N = 上一年项目数量 + 本年增/减 of year N−1, where both years print them. */
export const TABLE2_ITEM_LINKS: readonly SumLink[] = rowsWith('PREVIOUS_ITEMS', 'CHANGE').map((r) => ({
  rule: 'T2_ITEMS_CARRY_OVER' as const,
  ...scopeOf(r),
  previousYear: side(r.row, r.columns),
  thisYear: side(r.row, r.columns.slice(0, 1)),
}));
