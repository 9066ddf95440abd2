/**
 * Tables 2, 3 and 4 of one revision in the report's own printed shape. Every type here
 * is laid out from the catalogue, so a new template version needs no change here.
 */
import {
  type CellDefinition,
  cellByCode,
  table2CellCode,
  table3CellCode,
  table4CellCode,
} from '../../catalogue/cells.ts';
import {
  APPLICANT_COLUMNS,
  TABLE2_BLOCKS,
  TABLE3_GROUPS,
  TABLE3_ROWS,
  TABLE4_PROCEEDINGS,
  TABLE4_RESULTS,
  type Table2Axis,
  type Table2Block,
  type Table2Column,
  type Table3Group,
  type Table3Row,
  type Table4Proceeding,
  type TemplateVersion,
} from '../../catalogue/template.ts';
import type { StoredCell } from '../../store/revision-cells.ts';
import { builder } from '../builder.ts';
import {
  ApplicantColumnRef,
  CellStatusEnum,
  Table3GroupCodeEnum,
  Table3RowCodeEnum,
  TemplateVersionEnum,
  UnitEnum,
} from './catalogue.ts';

interface CellView {
  definition: CellDefinition;
  stored: StoredCell | undefined;
}

interface RevisionCells {
  templateVersion: TemplateVersion;
  byCode: Map<string, StoredCell>;
}

export function cellsByCode(revision: {
  templateVersion: TemplateVersion;
  cells: readonly StoredCell[];
}): RevisionCells {
  return {
    templateVersion: revision.templateVersion,
    byCode: new Map(revision.cells.map((c) => [c.code, c])),
  };
}

function view(cells: RevisionCells, code: string): CellView {
  const definition = cellByCode(code);
  if (!definition) throw new Error(`Catalogue has no cell ${code}`);
  return { definition, stored: cells.byCode.get(code) };
}

export const CellRef = builder.objectRef<CellView>('Cell').implement({
  description:
    'One printed figure of a report, with where it came from. `value` is null unless `status` is REPORTED: "not reported" is never 0.',
  fields: (t) => ({
    code: t.string({
      description: 'Stable catalogue code, e.g. T3.GRANTED.NATURAL_PERSON.',
      resolve: (c) => c.definition.code,
    }),
    labelZh: t.stringList({
      description: 'Chinese label path as printed: table block or row group, row, column.',
      resolve: (c) => [...c.definition.labelZh],
    }),
    nameEn: t.string({ description: 'English name.', resolve: (c) => c.definition.en }),
    unit: t.field({
      type: UnitEnum,
      description: 'Count or money (万元).',
      resolve: (c) => c.definition.unit,
    }),
    status: t.field({
      type: CellStatusEnum,
      description: 'Printed, printed empty, absent from the source, or printed but unreadable.',
      resolve: (c) => c.stored?.status ?? 'MISSING',
    }),
    candidates: t.stringList({
      nullable: true,
      description:
        "UNREADABLE cells only: every value the cell could have, given the printed digits, the row's columns and the template's identities (exact decimal strings).",
      resolve: (c) => c.stored?.candidates ?? null,
    }),
    orNotReported: t.boolean({
      nullable: true,
      description:
        'UNREADABLE cells only: true when the cell may also be a blank cell\'s mark rather than any of `candidates` (a dash run into the figures, as in "88—11", is a blank cell or the next figure\'s minus sign).',
      resolve: (c) => (c.stored?.status === 'UNREADABLE' ? (c.stored.orNotReported ?? false) : null),
    }),
    decodedFrom: t.string({
      nullable: true,
      description:
        "When the figure was printed run together with its neighbours (e.g. \"640020470\") and only one split fits the template's columns and identities: the printed run it was decoded from. Where only the row's own totals decided the split, no identity across rows checking it (table 4 printed as one run), the revision's `parseWarnings` name the row (SPLIT_BY_TOTALS): a total the agency misprinted would have decided another split.",
      resolve: (c) => c.stored?.decodedFrom ?? null,
    }),
    printedUnit: t.string({
      nullable: true,
      description:
        "A unit printed inside the cell (件, 元, 万元), or stated by its column's header when not the column's own (采购总金额（元）). The value is in the column's unit: an amount in 元 is converted exactly to 万元 (251000元 → 25.1, with the parse warning UNIT_CONVERTED); any other figure is the number as printed.",
      resolve: (c) => c.stored?.unit ?? null,
    }),
    value: t.float({
      nullable: true,
      description: 'The number, when one was printed.',
      resolve: (c) => (c.stored?.value == null ? null : Number(c.stored.value)),
    }),
    exactValue: t.string({
      nullable: true,
      description: 'The number as an exact decimal string (money amounts keep their decimals exactly).',
      resolve: (c) => c.stored?.value ?? null,
    }),
    printedText: t.string({
      nullable: true,
      description: 'The cell exactly as printed in the source, e.g. "+2", "/", "1,234".',
      resolve: (c) => c.stored?.rawText ?? null,
    }),
    sourceLine: t.int({
      nullable: true,
      description:
        "Line of the revision's `readText` the figure was read from (1-based): for a text file, the line of the source.",
      resolve: (c) => c.stored?.line ?? null,
    }),
  }),
});

// ---------------------------------------------------------------------------
// Table 2
// ---------------------------------------------------------------------------

interface Table2BlockView {
  block: Table2Block;
  rows: Table2Axis[];
  columns: Table2Column[];
  cells: RevisionCells;
}

const Table2ColumnRef = builder.objectRef<Table2Column>('Table2Column').implement({
  description: 'A column of a table-2 block, as printed in this template version.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Stable column code, e.g. DECISIONS.' }),
    labelZh: t.exposeString('zh', { description: 'Chinese header as printed.' }),
    nameEn: t.exposeString('en', { description: 'English name.' }),
    unit: t.expose('unit', { type: UnitEnum, description: 'Count or money (万元).' }),
    signed: t.boolean({ description: 'Printed with a sign, e.g. "+2".', resolve: (c) => c.signed ?? false }),
  }),
});

const Table2RowRef = builder
  .objectRef<{ row: Table2Axis; columns: Table2Column[]; cells: RevisionCells }>('Table2Row')
  .implement({
    description: 'A row of a table-2 block; `cells` line up with the block `columns`.',
    fields: (t) => ({
      code: t.string({ description: 'Stable row code, e.g. LICENSING.', resolve: (r) => r.row.code }),
      labelZh: t.string({ description: 'Chinese row label as printed.', resolve: (r) => r.row.zh }),
      nameEn: t.string({ description: 'English name.', resolve: (r) => r.row.en }),
      cells: t.field({
        type: [CellRef],
        description: 'One figure per column of the block.',
        resolve: (r) => r.columns.map((c) => view(r.cells, table2CellCode(r.row.code, c.code))),
      }),
    }),
  });

const Table2BlockRef = builder.objectRef<Table2BlockView>('Table2Block').implement({
  description: 'One block of table 2, headed 第二十条第（N）项.',
  fields: (t) => ({
    code: t.string({ description: 'Stable block code.', resolve: (b) => b.block.code }),
    labelZh: t.string({
      description: 'e.g. 第二十条第（一）项',
      resolve: (b) => `第二十条第${b.block.item}项`,
    }),
    nameEn: t.string({ description: 'English name of the block.', resolve: (b) => b.block.en }),
    columns: t.expose('columns', {
      type: [Table2ColumnRef],
      description: 'Column headers in this version.',
    }),
    rows: t.field({
      type: [Table2RowRef],
      description: 'Rows in this version.',
      resolve: (b) => b.rows.map((row) => ({ row, columns: b.columns, cells: b.cells })),
    }),
  }),
});

export const Table2Ref = builder.objectRef<RevisionCells>('Table2').implement({
  description:
    'Table 2: 主动公开政府信息情况 (proactive disclosure), in the blocks of the report template version.',
  fields: (t) => ({
    templateVersion: t.expose('templateVersion', {
      type: TemplateVersionEnum,
      description: 'Template version; it decides the blocks, rows and columns.',
    }),
    blocks: t.field({
      type: [Table2BlockRef],
      description: 'Blocks in printed order.',
      resolve: (cells) =>
        TABLE2_BLOCKS.filter((b) => b.versions.includes(cells.templateVersion)).map((block) => ({
          block,
          cells,
          rows: block.rows.filter((r) => r.versions.includes(cells.templateVersion)),
          columns: block.columns.filter((c) => c.versions.includes(cells.templateVersion)),
        })),
    }),
  }),
});

// ---------------------------------------------------------------------------
// Table 3
// ---------------------------------------------------------------------------

const Table3GroupRef = builder.objectRef<Table3Group>('Table3Group').implement({
  description: 'An outcome group whose reasons are numbered sub-rows, e.g. （三）不予公开.',
  fields: (t) => ({
    code: t.expose('code', { type: Table3GroupCodeEnum, description: 'Stable group code.' }),
    ordinal: t.exposeString('ordinal', { description: 'Printed ordinal, e.g. （三）.' }),
    labelZh: t.exposeString('zh', { description: 'Chinese label as printed.' }),
    nameEn: t.exposeString('en', { description: 'English name.' }),
  }),
});

const Table3RowRef = builder.objectRef<{ row: Table3Row; cells: RevisionCells }>('Table3Row').implement({
  description: 'A row of table 3 with one figure per applicant column.',
  fields: (t) => ({
    code: t.field({ type: Table3RowCodeEnum, description: 'Stable row code.', resolve: (r) => r.row.code }),
    ordinal: t.string({ description: 'Printed ordinal: 一, （三）, 1 …', resolve: (r) => r.row.ordinal }),
    labelZh: t.string({ description: 'Chinese row label as printed.', resolve: (r) => r.row.zh }),
    nameEn: t.string({ description: 'English name.', resolve: (r) => r.row.en }),
    outcome: t.boolean({
      description: 'Whether the row is an outcome under 三、本年度办理结果.',
      resolve: (r) => r.row.outcome,
    }),
    group: t.field({
      type: Table3GroupRef,
      nullable: true,
      description: 'The group a numbered sub-row belongs to, e.g. （三）不予公开.',
      resolve: (r) => TABLE3_GROUPS.find((g) => g.code === r.row.group) ?? null,
    }),
    cells: t.field({
      type: [CellRef],
      description: 'All seven applicant columns, in printed order.',
      resolve: (r) => APPLICANT_COLUMNS.map((c) => view(r.cells, table3CellCode(r.row.code, c.code))),
    }),
    ...Object.fromEntries(
      APPLICANT_COLUMNS.map((column) => [
        column.field,
        t.field({
          type: CellRef,
          description: `${column.zh}: ${column.description}`,
          resolve: (r) => view(r.cells, table3CellCode(r.row.code, column.code)),
        }),
      ]),
    ),
  }),
});

export const Table3Ref = builder.objectRef<RevisionCells>('Table3').implement({
  description: 'Table 3: 收到和处理政府信息公开申请情况 (requests and outcomes), rows × applicant columns.',
  fields: (t) => ({
    templateVersion: t.expose('templateVersion', {
      type: TemplateVersionEnum,
      description: 'Template version; V2021 splits （六）其他处理 into three sub-rows.',
    }),
    columns: t.field({
      type: [ApplicantColumnRef],
      description: 'Applicant columns in printed order.',
      resolve: () => [...APPLICANT_COLUMNS],
    }),
    rows: t.field({
      type: [Table3RowRef],
      description: 'Rows of this template version in printed order.',
      resolve: (cells) =>
        TABLE3_ROWS.filter((r) => r.versions.includes(cells.templateVersion)).map((row) => ({ row, cells })),
    }),
  }),
});

// ---------------------------------------------------------------------------
// Table 4
// ---------------------------------------------------------------------------

const Table4ProceedingRef = builder
  .objectRef<{ proceeding: Table4Proceeding; cells: RevisionCells }>('Table4Proceeding')
  .implement({
    description: 'One proceeding of table 4 with its five results.',
    fields: (t) => ({
      code: t.string({
        description: 'Stable code: REVIEW, LITIGATION_DIRECT or LITIGATION_AFTER_REVIEW.',
        resolve: (p) => p.proceeding.code,
      }),
      labelZh: t.string({ description: 'Chinese label as printed.', resolve: (p) => p.proceeding.zh }),
      nameEn: t.string({ description: 'English name.', resolve: (p) => p.proceeding.en }),
      cells: t.field({
        type: [CellRef],
        description: 'The five results in printed order: 维持, 纠正, 其他, 尚未审结, 总计.',
        resolve: (p) => TABLE4_RESULTS.map((r) => view(p.cells, table4CellCode(p.proceeding.code, r.code))),
      }),
      ...Object.fromEntries(
        TABLE4_RESULTS.map((result) => [
          result.field,
          t.field({
            type: CellRef,
            description: `${result.zh}: ${result.description}`,
            resolve: (p) => view(p.cells, table4CellCode(p.proceeding.code, result.code)),
          }),
        ]),
      ),
    }),
  });

export const Table4Ref = builder.objectRef<RevisionCells>('Table4').implement({
  description: 'Table 4: 行政复议、行政诉讼 (administrative reviews and lawsuits).',
  fields: (t) => ({
    proceedings: t.field({
      type: [Table4ProceedingRef],
      description: 'The three proceedings in printed order.',
      resolve: (cells) => TABLE4_PROCEEDINGS.map((proceeding) => ({ proceeding, cells })),
    }),
    ...Object.fromEntries(
      TABLE4_PROCEEDINGS.map((proceeding) => [
        proceeding.field,
        t.field({
          type: Table4ProceedingRef,
          description: `${proceeding.zh}: ${proceeding.description}`,
          resolve: (cells) => ({ proceeding, cells }),
        }),
      ]),
    ),
  }),
});
