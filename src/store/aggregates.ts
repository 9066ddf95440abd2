/**
 * The pre-aggregations' catalogue side. Every metric of the catalogue, taken for each of its
 * applicant columns, is a "base" (277 of them): per report a numerator n, a denominator d
 * (ratios only) and a null reason w, computed by the SQL of metric-sql.ts. Two tables hold
 * them, kept exact by triggers in the writing transaction (see the aggregates migration):
 *
 * - figure_aggregate: per year × template version × agency region code × level × kind, for
 *   every base, the sums and counts a rollup, an outcome breakdown or a total pools (arrays
 *   indexed by base number). Sums and counts only: they can be taken back when a report
 *   leaves a group, a minimum or a median cannot.
 * - report_fact: one narrow row per report's current revision with the n/d/w of the NARROW
 *   bases (group totals, table-3 rows and ratios of the 总计 column), so rankings and filters
 *   on them never read the wide revision_figures rows.
 *
 * Per-slot sums would not do: a group metric or a ratio pools only the reports that printed
 * every one of its cells, which sums of single cells cannot tell apart.
 *
 * The base numbering and the SQL function computing a report's bases are generated here
 * and written into the migration; test/store/aggregate-catalogue.test.ts checks the database
 * still holds what the catalogue generates today (a catalogue change needs a new migration).
 */
import { METRICS, type MetricDefinition } from '../catalogue/metrics.ts';
import { CELL_CODES_BY_SLOT } from '../catalogue/slots.ts';
import { APPLICANT_COLUMNS } from '../catalogue/template.ts';
import { Prisma } from './db.ts';
import { figureStatusSql, figureValueSql } from './figures.ts';
import { formulaCells, metricBaseSql } from './metric-sql.ts';

export interface FigureBase {
  /** 1-based position in the arrays of figure_aggregate and of figure_bases(). */
  index: number;
  metric: MetricDefinition;
  applicant: string;
  ratio: boolean;
  /** The base of （七）总计 for the same applicant, whose shares an outcome breakdown gives. */
  shareTotal: number | null;
  /** 1-based position in report_fact's arrays, or null when report_fact does not hold it. */
  narrow: number | null;
}

const OUTCOME_TOTAL = 'T3_OUTCOMES_TOTAL';
const isNarrow = (metric: MetricDefinition, applicant: string) =>
  applicant === 'TOTAL' && (metric.table === 'T3' || metric.kind === 'RATIO');

function buildBases(): FigureBase[] {
  const pairs = METRICS.flatMap((metric) =>
    (metric.byApplicant ? APPLICANT_COLUMNS.map((c) => c.code) : ['TOTAL']).map((applicant) => ({
      metric,
      applicant,
    })),
  );
  const indexOf = (name: string, applicant: string) =>
    pairs.findIndex((p) => p.metric.name === name && p.applicant === applicant) + 1;
  let narrow = 0;
  return pairs.map(({ metric, applicant }, i) => ({
    index: i + 1,
    metric,
    applicant,
    ratio: metric.kind === 'RATIO',
    shareTotal:
      metric.table === 'T3' && metric.byApplicant ? indexOf(OUTCOME_TOTAL, applicant) || null : null,
    narrow: isNarrow(metric, applicant) ? ++narrow : null,
  }));
}

export const FIGURE_BASES: readonly FigureBase[] = buildBases();

const byKey = new Map(FIGURE_BASES.map((b) => [`${b.metric.name}|${b.applicant}`, b]));

/** The base of a metric for an applicant column (TOTAL for metrics not by applicant). */
export function figureBase(metricName: string, applicant: string): FigureBase {
  const base = byKey.get(`${metricName}|${applicant}`);
  if (!base) throw new Error(`No figure base for ${metricName} (${applicant})`);
  return base;
}

const inline = (fragment: Prisma.Sql): string => {
  if (fragment.values.length > 0) throw new Error('generated catalogue SQL must not take parameters');
  return fragment.sql;
};
const arrayLiteral = (values: readonly (number | boolean | null)[]) =>
  `'{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}'`;

/**
 * The catalogue-derived SQL of the aggregates migration: figure_bases(), a report's n, d and
 * w of every base from its revision_figures columns (one row; call it in FROM), and
 * figure_base_meta(): which bases are ratios, which share total each has (a position in
 * share_totals, 0 for none) and the report_fact positions. Both are IMMUTABLE and PARALLEL
 * SAFE, so the rebuild and any query that calls them can run in parallel workers.
 */
export function aggregateCatalogueSql(): string {
  const used = [...new Set(FIGURE_BASES.flatMap((b) => b.metric.versions))];
  const codes = CELL_CODES_BY_SLOT.filter((code) =>
    FIGURE_BASES.some((b) => used.some((v) => formulaCells(b.metric.formula(v, b.applicant)).includes(code))),
  );
  const column = new Map(codes.map((code, i) => [code, i]));
  const cells = {
    value: (code: string) => Prisma.raw(`p.c${column.get(code)}v`),
    status: (code: string) => Prisma.raw(`p.c${column.get(code)}s`),
  };
  const pivot = codes
    .map(
      (code, i) =>
        `${inline(figureValueSql('f', code))} AS c${i}v, ${inline(figureStatusSql('f', code))} AS c${i}s`,
    )
    .join(',\n      ');
  const parts = FIGURE_BASES.map((b) =>
    metricBaseSql(b.metric, b.applicant, cells, Prisma.raw('f.template_version')),
  );
  // Arrays without nulls, so PostgreSQL reads an element by its offset instead of walking them.
  const shareTotals = [
    ...new Set(FIGURE_BASES.flatMap((b) => (b.shareTotal === null ? [] : [b.shareTotal]))),
  ];
  const list = (key: 'n' | 'd' | 'w') => parts.map((p) => inline(p[key])).join(',\n    ');
  // A set-returning SQL function with one SELECT is inlined into the calling query: planned
  // once per statement, not set up again for every report (which cost 25 ms a report).
  return `CREATE OR REPLACE FUNCTION figure_bases(statuses bytea, int_values integer[], decimal_values jsonb,
  template_version text) RETURNS TABLE (n numeric[], d numeric[], w text[])
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT ARRAY[
    ${list('n')}]::numeric[],
  ARRAY[
    ${list('d')}]::numeric[],
  ARRAY[
    ${list('w')}]::text[]
  FROM (SELECT $1 AS statuses, $2 AS int_values, $3 AS decimal_values, $4 AS template_version) f
  CROSS JOIN LATERAL (SELECT
      ${pivot}
    OFFSET 0) p
$fn$;

CREATE OR REPLACE FUNCTION figure_base_meta(OUT ratio boolean[], OUT share_slot integer[],
  OUT share_totals integer[], OUT narrow integer[])
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT ${arrayLiteral(FIGURE_BASES.map((b) => b.ratio))}::boolean[],
         ${arrayLiteral(FIGURE_BASES.map((b) => (b.shareTotal === null ? 0 : shareTotals.indexOf(b.shareTotal) + 1)))}::integer[],
         ${arrayLiteral(shareTotals)}::integer[],
         ${arrayLiteral(FIGURE_BASES.filter((b) => b.narrow !== null).map((b) => b.index))}::integer[]
$fn$;
`;
}
