/**
 * The one spelling, as SQL, of a metric's numerator, denominator and null reason for one
 * report: the comparison facts (src/comparison/facts.ts) and the pre-aggregations
 * (aggregates.ts, computed in the import transaction) both build on it, so the two paths
 * cannot disagree about a figure, a blank, a "/" or a template version.
 */
import type { Formula, MetricDefinition } from '../catalogue/metrics.ts';
import { TEMPLATE_VERSIONS } from '../catalogue/template.ts';
import { Prisma } from './db.ts';

type Sql = Prisma.Sql;

/** How the SQL reads one cell of the report: its value (numeric, null unless reported) and its status. */
export interface CellAccess {
  value(code: string): Sql;
  status(code: string): Sql;
}

/** The cells a formula reads. */
export function formulaCells(formula: Formula): readonly string[] {
  if (formula.kind === 'SUM') return formula.cells;
  if (formula.kind === 'RATIO') return [...formula.numerator, ...formula.denominator];
  return [];
}

/**
 * SQL: numerator n (a count's value, a ratio's numerator), denominator d (ratios only, else
 * null) and null reason w of one metric for one applicant column, chosen by the template
 * version `version` (text) of the report. A version without the metric gives
 * NOT_IN_TEMPLATE_VERSION.
 */
export function metricBaseSql(
  metric: MetricDefinition,
  applicant: string,
  cells: CellAccess,
  version: Sql,
): { n: Sql; d: Sql; w: Sql } {
  const sum = (codes: readonly string[]) =>
    Prisma.sql`(${Prisma.join(
      codes.map((c) => cells.value(c)),
      ' + ',
    )})`;
  const reason = (codes: readonly string[]) => {
    const statuses = Prisma.join(
      codes.map((c) => cells.status(c)),
      ', ',
    );
    return Prisma.sql`CASE WHEN 'MISSING' IN (${statuses}) THEN 'MISSING' WHEN 'UNREADABLE' IN (${statuses}) THEN 'UNREADABLE' WHEN 'NOT_REPORTED' IN (${statuses}) THEN 'NOT_REPORTED' END`;
  };
  const numerator = (f: Formula) =>
    f.kind === 'SUM' ? sum(f.cells) : f.kind === 'RATIO' ? sum(f.numerator) : Prisma.sql`NULL::numeric`;
  const denominator = (f: Formula) => (f.kind === 'RATIO' ? sum(f.denominator) : Prisma.sql`NULL::numeric`);
  const why = (f: Formula) =>
    f.kind === 'SUM'
      ? reason(f.cells)
      : f.kind === 'RATIO'
        ? Prisma.sql`COALESCE(${reason([...f.numerator, ...f.denominator])}, CASE WHEN ${sum(f.denominator)} = 0 THEN 'DIVISION_BY_ZERO' END)`
        : Prisma.sql`'NOT_IN_TEMPLATE_VERSION'`;
  const byVersion = (part: (f: Formula) => Sql, otherwise: Sql) =>
    Prisma.sql`CASE ${version} ${Prisma.join(
      TEMPLATE_VERSIONS.map(
        (v) => Prisma.sql`WHEN ${Prisma.raw(`'${v}'`)} THEN ${part(metric.formula(v, applicant))}`,
      ),
      ' ',
    )} ELSE ${otherwise} END`;
  return {
    n: byVersion(numerator, Prisma.sql`NULL::numeric`),
    d: byVersion(denominator, Prisma.sql`NULL::numeric`),
    w: byVersion(why, Prisma.sql`'NOT_IN_TEMPLATE_VERSION'`),
  };
}
