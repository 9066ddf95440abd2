/**
 * Every cell of both template versions, derived from the declarations in template.ts.
 * Cell codes are stable storage keys: `T2.<row>.<column>`, `T3.<row>.<applicant>`,
 * `T4.<proceeding>.<result>`.
 */
import {
  APPLICANT_COLUMNS,
  type ApplicantColumn,
  TABLE2_BLOCKS,
  TABLE3_GROUPS,
  TABLE3_OUTCOMES_LABEL,
  TABLE3_ROWS,
  TABLE4_PROCEEDINGS,
  TABLE4_RESULTS,
  type Table2Axis,
  type Table2Block,
  type Table2Column,
  type Table3Row,
  type Table4Proceeding,
  type Table4Result,
  TEMPLATE_VERSIONS,
  type TemplateVersion,
  table3RowLabelParts,
  type Unit,
} from './template.ts';

interface CellBase {
  code: string;
  /** Chinese label path, e.g. ["第二十条第（五）项", "行政许可", "处理决定数量"]. */
  labelZh: readonly string[];
  en: string;
  description: string;
  unit: Unit;
  signed: boolean;
  versions: readonly TemplateVersion[];
  /**
   * The metric this cell feeds when years of different template versions are compared.
   * Its own code when the cell exists in every version; a group metric when the other
   * version splits or merges the row; null when the other version has nothing comparable.
   */
  canonicalMetric: string | null;
}

export interface Table2Cell extends CellBase {
  table: 'T2';
  block: Table2Block;
  row: Table2Axis;
  column: Table2Column;
}
export interface Table3Cell extends CellBase {
  table: 'T3';
  row: Table3Row;
  column: ApplicantColumn;
}
export interface Table4Cell extends CellBase {
  table: 'T4';
  proceeding: Table4Proceeding;
  result: Table4Result;
}
export type CellDefinition = Table2Cell | Table3Cell | Table4Cell;

const intersect = (a: readonly TemplateVersion[], b: readonly TemplateVersion[]) =>
  a.filter((v) => b.includes(v));
const inEveryVersion = (versions: readonly TemplateVersion[]) => versions.length === TEMPLATE_VERSIONS.length;

/**
 * A cell code, the same string each time for the same row and column: the parser keys its
 * cells by code for every cell of every report, and a freshly concatenated key is hashed anew.
 */
function codeMaker(table: string): (row: string, column: string) => string {
  const byRow = new Map<string, Map<string, string>>();
  return (row, column) => {
    let byColumn = byRow.get(row);
    if (!byColumn) {
      byColumn = new Map();
      byRow.set(row, byColumn);
    }
    let code = byColumn.get(column);
    if (code === undefined) {
      code = `${table}.${row}.${column}`;
      byColumn.set(column, code);
    }
    return code;
  };
}
export const table2CellCode = codeMaker('T2');
export const table3CellCode = codeMaker('T3');
export const table4CellCode = codeMaker('T4');
/** Group totals (all refusals, all "other handling", …) are derived metrics, not printed cells. */
export const table3GroupMetricCode = (group: string, column: string) => `T3.${group}.ALL.${column}`;

function buildTable2(): Table2Cell[] {
  const cells: Table2Cell[] = [];
  for (const block of TABLE2_BLOCKS) {
    for (const row of block.rows) {
      for (const column of block.columns) {
        const versions = intersect(intersect(row.versions, column.versions), block.versions);
        if (versions.length === 0) continue;
        const code = table2CellCode(row.code, column.code);
        cells.push({
          table: 'T2',
          code,
          block,
          row,
          column,
          labelZh: [`第二十条第${block.item}项`, row.zh, column.zh],
          en: `${row.en}: ${column.en}`,
          description: `${row.description} ${column.description}`,
          unit: column.unit,
          signed: column.signed ?? false,
          versions,
          canonicalMetric: inEveryVersion(versions) ? code : null,
        });
      }
    }
  }
  return cells;
}

function buildTable3(): Table3Cell[] {
  const cells: Table3Cell[] = [];
  for (const row of TABLE3_ROWS) {
    for (const column of APPLICANT_COLUMNS) {
      const code = table3CellCode(row.code, column.code);
      // A row that one version prints once and the other splits into sub-rows (其他处理)
      // is compared through its group total.
      const splitElsewhere = TABLE3_GROUPS.some((g) => g.code === row.code);
      cells.push({
        table: 'T3',
        code,
        row,
        column,
        labelZh: [
          ...(row.outcome ? [`三、${TABLE3_OUTCOMES_LABEL.zh}`] : []),
          ...table3RowLabelParts(row),
          column.zh,
        ],
        en: `${row.en}: ${column.en}`,
        description: `${row.description} Applicants: ${column.en.toLowerCase()}.`,
        unit: 'COUNT',
        signed: false,
        versions: row.versions,
        canonicalMetric: inEveryVersion(row.versions)
          ? code
          : splitElsewhere || row.group
            ? table3GroupMetricCode(row.group ?? row.code, column.code)
            : null,
      });
    }
  }
  return cells;
}

function buildTable4(): Table4Cell[] {
  return TABLE4_PROCEEDINGS.flatMap((proceeding) =>
    TABLE4_RESULTS.map((result): Table4Cell => {
      const code = table4CellCode(proceeding.code, result.code);
      return {
        table: 'T4',
        code,
        proceeding,
        result,
        labelZh: [proceeding.code === 'REVIEW' ? '行政复议' : '行政诉讼', proceeding.zh, result.zh].filter(
          (label, index, all) => all.indexOf(label) === index,
        ),
        en: `${proceeding.en}: ${result.en}`,
        description: `${proceeding.description} ${result.description}`,
        unit: 'COUNT',
        signed: false,
        versions: TEMPLATE_VERSIONS,
        canonicalMetric: code,
      };
    }),
  );
}

export const TABLE2_CELLS: readonly Table2Cell[] = buildTable2();
export const TABLE3_CELLS: readonly Table3Cell[] = buildTable3();
export const TABLE4_CELLS: readonly Table4Cell[] = buildTable4();
export const CELLS: readonly CellDefinition[] = [...TABLE2_CELLS, ...TABLE3_CELLS, ...TABLE4_CELLS];

const byCode = new Map(CELLS.map((cell) => [cell.code, cell]));
if (byCode.size !== CELLS.length) throw new Error('Template catalogue has duplicate cell codes');

export function cellByCode(code: string): CellDefinition | undefined {
  return byCode.get(code);
}

const CELLS_OF_VERSION = new Map(
  TEMPLATE_VERSIONS.map((version) => [version, CELLS.filter((cell) => cell.versions.includes(version))]),
);

export function cellsOfVersion(version: TemplateVersion): readonly CellDefinition[] {
  return CELLS_OF_VERSION.get(version) ?? [];
}

export function table3RowsOfVersion(version: TemplateVersion): Table3Row[] {
  return TABLE3_ROWS.filter((row) => row.versions.includes(version));
}
