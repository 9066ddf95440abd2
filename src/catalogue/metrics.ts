/**
 * Metrics for comparisons, derived from the template catalogue: every table-2 and table-4
 * cell, every table-3 row (taken for one applicant column), the table-3 outcome groups,
 * and the ratios evaluators use. Nothing here lists cells by hand except the ratio
 * definitions, whose cell codes are checked against the catalogue when this module loads.
 */
import { cellByCode, TABLE2_CELLS, TABLE3_CELLS, TABLE4_CELLS, table3GroupMetricCode } from './cells.ts';
import {
  APPLICANT_COLUMNS,
  TABLE3_GROUPS,
  TABLE3_ROWS,
  TEMPLATE_VERSIONS,
  type TemplateVersion,
} from './template.ts';

export type MetricKind = 'CELL' | 'GROUP' | 'RATIO';
export type MetricUnit = 'COUNT' | 'WAN_YUAN' | 'RATIO';
export type MetricTransform = 'VALUE' | 'CHANGE' | 'CHANGE_PERCENT';

/** How one report's value of a metric is computed, for one template version. */
export type Formula =
  | { kind: 'ABSENT' }
  | { kind: 'SUM'; cells: readonly string[] }
  | { kind: 'RATIO'; numerator: readonly string[]; denominator: readonly string[] };

export interface MetricDefinition {
  /** Stable name, used as the GraphQL enum value: T2_LICENSING_DECISIONS, T3_GRANTED, DISCLOSURE_RATE … */
  name: string;
  kind: MetricKind;
  table: 'T2' | 'T3' | 'T4' | null;
  labelZh: string;
  en: string;
  description: string;
  unit: MetricUnit;
  /** Table-3 metrics are taken for one applicant column; TOTAL (总计) unless asked otherwise. */
  byApplicant: boolean;
  /** Template versions in which the metric has a value. */
  versions: readonly TemplateVersion[];
  formula(version: TemplateVersion, applicant: string): Formula;
}

/** Why a metric has no value. A missing figure is never 0. */
export const METRIC_NULL_REASONS = {
  NOT_IN_TEMPLATE_VERSION:
    "The report's template version has no such figure (e.g. a V2019-only cell in a V2021 report).",
  NOT_REPORTED: 'The report printed the figure empty or as "/", "-", "—" or "无".',
  MISSING: 'The figure, its row or its table is absent from the stored report.',
  UNREADABLE:
    "The figure was printed run together with its neighbours, and more than one value fits the template (see the cell's candidates).",
  DIVISION_BY_ZERO: 'The denominator of the ratio or change is 0.',
  NO_REPORT:
    "No stored report for the agency and year (for changes: for the previous year), or none of the template versions the filter's `templateVersions` keeps: a report of another version is left out, not shown with NOT_IN_TEMPLATE_VERSION. (`where` conditions leave no year's report out of a series.)",
  NO_VALUES: 'None of the reports aggregated here has a value, for differing reasons.',
} as const;
export type MetricNullReason = keyof typeof METRIC_NULL_REASONS;

export const METRIC_TRANSFORMS: Record<MetricTransform, { suffixZh: string; description: string }> = {
  VALUE: { suffixZh: '', description: "The metric's value for the report year." },
  CHANGE: {
    suffixZh: '同比增减',
    description:
      'Year-over-year change: this year minus the previous year, for the same agency (percentage points for ratios, as a fraction).',
  },
  CHANGE_PERCENT: {
    suffixZh: '同比增减率',
    description:
      'Year-over-year relative change: (this year − previous year) / |previous year|, as a fraction, so a rise is positive even from a negative figure (the signed 本年增/减 columns: −2 to +1 is +1.5).',
  },
};

const ABSENT: Formula = { kind: 'ABSENT' };
const versionNote = (versions: readonly TemplateVersion[]) =>
  versions.length === TEMPLATE_VERSIONS.length
    ? 'Comparable across template versions.'
    : `Only in ${versions.join(', ')} templates; other versions give null (NOT_IN_TEMPLATE_VERSION).`;
const metricName = (code: string) => code.replaceAll('.', '_');

function table2Metrics(): MetricDefinition[] {
  return TABLE2_CELLS.map((cell) => ({
    name: metricName(cell.code),
    kind: 'CELL',
    table: 'T2',
    labelZh: `${cell.row.zh}·${cell.column.zh}`,
    en: cell.en,
    description: `${cell.description} ${versionNote(cell.versions)}`,
    unit: cell.unit,
    byApplicant: false,
    versions: cell.versions,
    formula: (version) => (cell.versions.includes(version) ? { kind: 'SUM', cells: [cell.code] } : ABSENT),
  }));
}

const table3RowLabel = (row: (typeof TABLE3_ROWS)[number]) => {
  const cell = TABLE3_CELLS.find((c) => c.row.code === row.code);
  // Drop the 三、本年度办理结果 heading and the applicant column: "（三）不予公开 1.属于国家秘密".
  return (cell?.labelZh ?? [row.zh])
    .filter((label, i, all) => i < all.length - 1 && !/^三、/.test(label))
    .join(' ');
};

function table3RowMetrics(): MetricDefinition[] {
  return TABLE3_ROWS.map((row) => ({
    name: `T3_${row.code}`,
    kind: 'CELL',
    table: 'T3',
    labelZh: table3RowLabel(row),
    en: row.en,
    // A sub-row's description is its English name, which the metric's description leads with.
    description: `${row.description === `${row.en}.` ? '' : `${row.description} `}${versionNote(row.versions)}`,
    unit: 'COUNT',
    byApplicant: true,
    versions: row.versions,
    formula: (version, applicant) =>
      row.versions.includes(version) ? { kind: 'SUM', cells: [`T3.${row.code}.${applicant}`] } : ABSENT,
  }));
}

/** The printed cells that make up an outcome group in one version (V2019 prints 其他处理 as one row). */
function groupCells(group: string, version: TemplateVersion, applicant: string): string[] {
  return TABLE3_CELLS.filter(
    (cell) =>
      cell.versions.includes(version) &&
      cell.column.code === applicant &&
      (cell.row.group === group || cell.canonicalMetric === table3GroupMetricCode(group, applicant)),
  ).map((cell) => cell.code);
}

function table3GroupMetrics(): MetricDefinition[] {
  return TABLE3_GROUPS.map((group) => {
    const versions = TEMPLATE_VERSIONS.filter((v) => groupCells(group.code, v, 'TOTAL').length > 0);
    return {
      name: metricName(table3GroupMetricCode(group.code, 'TOTAL')).replace(/_TOTAL$/, ''),
      kind: 'GROUP',
      table: 'T3',
      labelZh: `${group.ordinal}${group.zh} 合计`,
      en: `${group.en} (all reasons)`,
      description: `${group.description} Sum of all its sub-rows in each template version. ${versionNote(versions)}`,
      unit: 'COUNT',
      byApplicant: true,
      versions,
      formula: (version, applicant) => {
        const cells = groupCells(group.code, version, applicant);
        return cells.length > 0 ? { kind: 'SUM', cells } : ABSENT;
      },
    } satisfies MetricDefinition;
  });
}

function table4Metrics(): MetricDefinition[] {
  return TABLE4_CELLS.map((cell) => ({
    name: metricName(cell.code),
    kind: 'CELL',
    table: 'T4',
    labelZh: cell.labelZh.join('·'),
    en: cell.en,
    description: `${cell.description} ${versionNote(cell.versions)}`,
    unit: 'COUNT',
    byApplicant: false,
    versions: cell.versions,
    formula: (version) => (cell.versions.includes(version) ? { kind: 'SUM', cells: [cell.code] } : ABSENT),
  }));
}

const BASE_METRICS: readonly MetricDefinition[] = [
  ...table2Metrics(),
  ...table3RowMetrics(),
  ...table3GroupMetrics(),
  ...table4Metrics(),
];

function baseMetric(name: string): MetricDefinition {
  const metric = BASE_METRICS.find((m) => m.name === name);
  if (!metric) throw new Error(`Ratio refers to unknown metric ${name}`);
  return metric;
}

/** The cells of several SUM metrics together, or null when one of them is not in the version. */
function sumCells(names: readonly string[], version: TemplateVersion, applicant: string): string[] | null {
  const cells: string[] = [];
  for (const name of names) {
    const formula = baseMetric(name).formula(version, applicant);
    if (formula.kind !== 'SUM') return null;
    cells.push(...formula.cells);
  }
  return cells;
}

function ratio(definition: {
  name: string;
  labelZh: string;
  en: string;
  description: string;
  numerator: readonly string[];
  denominator: readonly string[];
}): MetricDefinition {
  const parts = [...definition.numerator, ...definition.denominator].map(baseMetric);
  const byApplicant = parts.some((m) => m.byApplicant);
  const versions = TEMPLATE_VERSIONS.filter((v) => parts.every((m) => m.versions.includes(v)));
  // The identity whose failure lets the parts exceed the whole, named in the description.
  const rule = definition.numerator.some((n) => n.startsWith('T4_'))
    ? 'T4_TOTAL'
    : definition.denominator.includes('T3_OUTCOMES_TOTAL')
      ? 'T3_OUTCOMES_SUM'
      : 'T3_BALANCE';
  return {
    name: definition.name,
    kind: 'RATIO',
    table: null,
    labelZh: definition.labelZh,
    en: definition.en,
    description: `${definition.description} A fraction, between 0 and 1 where the report adds up (one whose parts exceed its total can give more than 1: its findings say so, under ${rule}); null (DIVISION_BY_ZERO) when the denominator is 0. ${versionNote(versions)}`,
    unit: 'RATIO',
    byApplicant,
    versions,
    formula: (version, applicant) => {
      const numerator = sumCells(definition.numerator, version, applicant);
      const denominator = sumCells(definition.denominator, version, applicant);
      return numerator && denominator ? { kind: 'RATIO', numerator, denominator } : ABSENT;
    },
  };
}

const RATIO_METRICS: readonly MetricDefinition[] = [
  ratio({
    name: 'DISCLOSURE_RATE',
    labelZh: '公开率',
    en: 'Disclosure rate',
    description:
      '(予以公开 + 部分公开) / （七）总计: the share of decided requests granted in full or in part.',
    numerator: ['T3_GRANTED', 'T3_PARTLY_GRANTED'],
    denominator: ['T3_OUTCOMES_TOTAL'],
  }),
  ratio({
    name: 'REFUSAL_RATE',
    labelZh: '不予公开率',
    en: 'Refusal rate',
    description: '（三）不予公开 (all grounds) / （七）总计: the share of decided requests refused.',
    numerator: ['T3_REFUSED_ALL'],
    denominator: ['T3_OUTCOMES_TOTAL'],
  }),
  ratio({
    name: 'REVIEW_CORRECTION_RATE',
    labelZh: '行政复议纠正率',
    en: 'Review correction rate',
    description:
      '行政复议 结果纠正 / 行政复议 总计: the share of administrative reviews whose result corrected the agency (pending cases count in the total).',
    numerator: ['T4_REVIEW_CORRECTED'],
    denominator: ['T4_REVIEW_TOTAL'],
  }),
  ratio({
    name: 'LITIGATION_CORRECTION_RATE',
    labelZh: '行政诉讼纠正率',
    en: 'Litigation correction rate',
    description:
      'Lawsuits filed directly and lawsuits filed after review are pooled: (结果纠正 of both) / (总计 of both). Pending cases count in the total.',
    numerator: ['T4_LITIGATION_DIRECT_CORRECTED', 'T4_LITIGATION_AFTER_REVIEW_CORRECTED'],
    denominator: ['T4_LITIGATION_DIRECT_TOTAL', 'T4_LITIGATION_AFTER_REVIEW_TOTAL'],
  }),
  ratio({
    name: 'BACKLOG_RATE',
    labelZh: '结转率',
    en: 'Backlog rate',
    description:
      '四、结转下年度继续办理 / (一、本年新收 + 二、上年结转): the share of the year’s workload still open at its end.',
    numerator: ['T3_CARRIED_FORWARD'],
    denominator: ['T3_NEW_REQUESTS', 'T3_CARRIED_OVER'],
  }),
];

export const METRICS: readonly MetricDefinition[] = [...BASE_METRICS, ...RATIO_METRICS];

const metricsByName = new Map(METRICS.map((m) => [m.name, m]));
if (metricsByName.size !== METRICS.length) throw new Error('Metric catalogue has duplicate names');
for (const metric of METRICS) {
  for (const version of TEMPLATE_VERSIONS) {
    for (const applicant of metric.byApplicant ? APPLICANT_COLUMNS.map((c) => c.code) : ['TOTAL']) {
      const formula = metric.formula(version, applicant);
      const cells =
        formula.kind === 'SUM'
          ? formula.cells
          : formula.kind === 'RATIO'
            ? [...formula.numerator, ...formula.denominator]
            : [];
      for (const code of cells) {
        if (!cellByCode(code)?.versions.includes(version)) {
          throw new Error(`Metric ${metric.name} uses ${code}, which ${version} does not have`);
        }
      }
    }
  }
}

export function metricByName(name: string): MetricDefinition | undefined {
  return metricsByName.get(name);
}

/** One metric as asked for: which applicant column (table 3) and whether as a year-over-year change. */
export interface MetricSpec {
  metric: MetricDefinition;
  /** Applicant column code; always TOTAL for metrics that are not by applicant. */
  applicant: string;
  transform: MetricTransform;
}

/** A column header from the catalogue, e.g. 公开率（总计）, 行政复议·结果纠正同比增减. */
export function metricLabel(spec: MetricSpec): string {
  const applicant = APPLICANT_COLUMNS.find((c) => c.code === spec.applicant);
  return `${spec.metric.labelZh}${spec.metric.byApplicant && applicant ? `（${applicant.zh}）` : ''}${METRIC_TRANSFORMS[spec.transform].suffixZh}`;
}

/** Unit of the value a spec yields: relative changes are fractions whatever the metric. */
export function specUnit(spec: MetricSpec): MetricUnit {
  return spec.transform === 'CHANGE_PERCENT' ? 'RATIO' : spec.metric.unit;
}
