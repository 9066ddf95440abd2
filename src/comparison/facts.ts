/**
 * The SQL every comparison shares: one row per report in scope ("facts"), with each
 * requested metric computed from the current revision's figures (its revision_figures row),
 * per template version, with a null reason whenever there is no value.
 *
 * Column names are generated from list positions (v0, w0 …) and array slots from the
 * catalogue, never from user input; every year, name and bound is a bound parameter.
 */
import type { Formula, MetricNullReason, MetricSpec } from '../catalogue/metrics.ts';
import { TEMPLATE_VERSIONS } from '../catalogue/template.ts';
import { figureBase } from '../store/aggregates.ts';
import { figureStatusSql, figureValueSql } from '../store/figures.ts';
import type { FactsPath } from './aggregates.ts';
import {
  agencyCondition,
  allOf,
  type Bounds,
  type ReportFilter,
  templateCondition,
  yearCondition,
} from './filter.ts';
import { empty, id, join, raw, type SqlFragment, sql } from './sql.ts';
import type { AgencyRow } from './types.ts';

const isRatio = (spec: MetricSpec) => spec.metric.kind === 'RATIO';

/**
 * Per fact row and output metric j:
 *  v{j}  value (null when unknown), w{j} null reason,
 *  an{j}/ad{j} this year's numerator/denominator (denominator null unless a ratio),
 *  bn{j}/bd{j} the previous year's (changes only), ok{j} whether the row counts in pooled totals.
 */
export interface Facts {
  /** `WITH …` defining facts_all (reports in scope) and facts (those meeting the conditions). */
  with: SqlFragment;
  specs: readonly MetricSpec[];
}

interface Base {
  key: string;
  spec: MetricSpec;
}

/**
 * Builds the facts CTEs for the output specs; conditions' metrics are computed after them. With
 * `conditionsAsColumn`, the report conditions (template versions, `where`) keep no report out:
 * facts holds every report in scope, with `passes` saying which meet them (change reads an
 * agency's other year whatever it printed, as compare's CHANGE reads the year before).
 */
export function buildFacts(
  specs: readonly MetricSpec[],
  filter: ReportFilter | null | undefined,
  path: FactsPath = 'AUTO',
  options: { conditionsAsColumn?: boolean } = {},
): Facts {
  const conditions = filter?.where ?? [];
  const all = [...specs, ...conditions.map((c) => c.spec)];
  const bases: Base[] = [];
  const baseOf = all.map((spec) => {
    const key = `${spec.metric.name}|${spec.applicant}`;
    let index = bases.findIndex((b) => b.key === key);
    if (index < 0) index = bases.push({ key, spec }) - 1;
    return index;
  });

  const codes: string[] = [];
  const cellIndex = new Map<string, number>();
  for (const base of bases) {
    for (const version of TEMPLATE_VERSIONS) {
      for (const code of formulaCells(base.spec.metric.formula(version, base.spec.applicant))) {
        if (!cellIndex.has(code)) cellIndex.set(code, codes.push(code) - 1);
      }
    }
  }
  const value = (code: string) => id(`p.c${cellIndex.get(code)}v`);
  const status = (code: string) => id(`p.c${cellIndex.get(code)}s`);
  const sum = (cells: readonly string[]) => sql`(${join(cells.map(value), ' + ')})`;
  const reason = (cells: readonly string[]) => {
    const statuses = join(cells.map(status), ', ');
    return sql`CASE WHEN 'MISSING' IN (${statuses}) THEN 'MISSING' WHEN 'UNREADABLE' IN (${statuses}) THEN 'UNREADABLE' WHEN 'NOT_REPORTED' IN (${statuses}) THEN 'NOT_REPORTED' END`;
  };
  const numerator = (f: Formula) =>
    f.kind === 'SUM' ? sum(f.cells) : f.kind === 'RATIO' ? sum(f.numerator) : sql`NULL::numeric`;
  const denominator = (f: Formula) => (f.kind === 'RATIO' ? sum(f.denominator) : sql`NULL::numeric`);
  const why = (f: Formula) =>
    f.kind === 'SUM'
      ? reason(f.cells)
      : f.kind === 'RATIO'
        ? sql`COALESCE(${reason([...f.numerator, ...f.denominator])}, CASE WHEN ${sum(f.denominator)} = 0 THEN 'DIVISION_BY_ZERO' END)`
        : sql`'NOT_IN_TEMPLATE_VERSION'`;
  const byVersion = (base: Base, part: (f: Formula) => SqlFragment, otherwise: SqlFragment) =>
    sql`CASE p.template_version ${join(
      TEMPLATE_VERSIONS.map(
        (v) => sql`WHEN ${v} THEN ${part(base.spec.metric.formula(v, base.spec.applicant))}`,
      ),
      ' ',
    )} ELSE ${otherwise} END`;

  const pivotColumns = codes.map(
    (code, i) =>
      sql`${figureValueSql('f', code)} AS ${id(`c${i}v`)}, ${figureStatusSql('f', code)} AS ${id(`c${i}s`)}`,
  );
  const baseColumns = bases.map(
    (base, k) =>
      sql`${byVersion(base, numerator, sql`NULL::numeric`)} AS ${id(`n${k}`)},
        ${byVersion(base, denominator, sql`NULL::numeric`)} AS ${id(`d${k}`)},
        ${byVersion(base, why, sql`'NOT_IN_TEMPLATE_VERSION'`)} AS ${id(`w${k}`)}`,
  );

  const needsPrevious = all.some((s) => s.transform !== 'VALUE');
  const narrow =
    path === 'ROWS' ? [] : bases.map((b) => figureBase(b.spec.metric.name, b.spec.applicant).narrow);
  const factColumns = all.map((spec, j) => transformColumns(spec, baseOf[j] ?? 0, j));
  const conditionSql = conditions.map((condition, i) => conditionOn(specs.length + i, condition));

  // The agency's columns ride along in base, which has joined agency already: joining it
  // again in facts_all made PostgreSQL hash the whole agency table for a 50-agency compare.
  const agencyColumns = sql`a.id AS agency_id, a.name AS agency_name, a.region_code, a.level::text AS agency_level,
             a.kind::text AS agency_kind, a.synthetic, a.created_at`;
  const statement = sql`WITH
    base AS MATERIALIZED (${
      narrow.length > 0 && narrow.every((position) => position !== null)
        ? sql`
      -- Every metric is one report_fact holds: its narrow rows instead of the figures.
      SELECT ${agencyColumns}, rf.report_id, rf.year, rf.template_version::text AS template_version,
             ${join(
               narrow.map(
                 (position, k) =>
                   sql`rf.n[${id(String(position))}] AS ${id(`n${k}`)}, rf.d[${id(String(position))}] AS ${id(`d${k}`)}, rf.w[${id(String(position))}] AS ${id(`w${k}`)}`,
               ),
               ',\n',
             )}
      FROM agency a
      JOIN report_fact rf ON rf.agency_id = a.id
      WHERE ${agencyCondition(filter?.agency)} AND ${yearCondition(sql`rf.year`, filter, needsPrevious)}`
        : sql`
      SELECT ${agencyColumns}, r.id AS report_id, r.year, p.template_version, ${join(baseColumns, ',\n')}
      FROM agency a
      JOIN report r ON r.agency_id = a.id
      JOIN revision_figures f ON f.revision_id = r.current_revision_id
      -- Each figure once per report: OFFSET 0 keeps PostgreSQL from inlining the figure
      -- expressions into every metric formula that uses them.
      CROSS JOIN LATERAL (
        SELECT f.template_version::text AS template_version, ${join(pivotColumns, ',\n')} OFFSET 0
      ) p
      WHERE ${agencyCondition(filter?.agency)} AND ${yearCondition(sql`r.year`, filter, needsPrevious)}`
    }
    ),
    facts_all AS (
      SELECT cur.agency_id, cur.agency_name, cur.region_code, cur.agency_level, cur.agency_kind,
             cur.synthetic, cur.created_at, ${regionPrefixSql(sql`cur.region_code`)} AS region_prefix,
             cur.report_id, cur.year, cur.template_version, ${join(factColumns, ',\n')}
      FROM base cur
      ${needsPrevious ? sql`LEFT JOIN base prev ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1` : empty}
      WHERE ${yearCondition(sql`cur.year`, filter, false)}
        AND ${options.conditionsAsColumn ? sql`true` : templateCondition(sql`cur.template_version`, filter)}
    ),
    facts AS (${
      options.conditionsAsColumn
        ? sql`SELECT *, (${templateCondition(sql`template_version`, filter)} AND ${allOf(conditionSql)}) AS passes FROM facts_all`
        : sql`SELECT * FROM facts_all WHERE ${allOf(conditionSql)}`
    })`;
  return { with: statement, specs };
}

/** SQL: the prefix every division under an agency's region code starts with (640500 → 6405). */
export const regionPrefixSql = (code: SqlFragment): SqlFragment =>
  sql`CASE WHEN length(${code}) = 9 THEN ${code}
           WHEN ${code} LIKE '__0000' THEN left(${code}, 2)
           WHEN ${code} LIKE '____00' THEN left(${code}, 4)
           ELSE ${code} END`;

function formulaCells(formula: Formula): readonly string[] {
  if (formula.kind === 'SUM') return formula.cells;
  if (formula.kind === 'RATIO') return [...formula.numerator, ...formula.denominator];
  return [];
}

/** v, w, an, ad, bn, bd, ok columns of one output metric, from base columns n/d/w of `cur` and `prev`. */
function transformColumns(spec: MetricSpec, k: number, j: number): SqlFragment {
  const n = (row: string) => id(`${row}.n${k}`);
  const d = (row: string) => id(`${row}.d${k}`);
  const w = (row: string) => id(`${row}.w${k}`);
  const val = (row: string) => (isRatio(spec) ? sql`(${n(row)} / NULLIF(${d(row)}, 0))` : sql`${n(row)}`);
  const known = (row: string) =>
    isRatio(spec) ? sql`(${n(row)} IS NOT NULL AND ${d(row)} IS NOT NULL)` : sql`${n(row)} IS NOT NULL`;
  const as = (name: string) => id(`${name}${j}`);
  if (spec.transform === 'VALUE') {
    return sql`${val('cur')} AS ${as('v')}, ${w('cur')} AS ${as('w')}, ${n('cur')} AS ${as('an')},
      ${d('cur')} AS ${as('ad')}, NULL::numeric AS ${as('bn')}, NULL::numeric AS ${as('bd')}, ${known('cur')} AS ${as('ok')}`;
  }
  const noReport: MetricNullReason = 'NO_REPORT';
  // One order for why a change is null, as change() gives it: no report in either year, then
  // the later year's own reason, then the earlier's, then a division by zero.
  const change =
    spec.transform === 'CHANGE'
      ? sql`(${val('cur')} - ${val('prev')})`
      : // Over the size of the base: from −2 to +1 is a rise (+150 %), not −150 %.
        sql`((${val('cur')} - ${val('prev')}) / NULLIF(abs(${val('prev')}), 0))`;
  const divisionByZero =
    spec.transform === 'CHANGE_PERCENT'
      ? sql`CASE WHEN ${val('prev')} = 0 THEN 'DIVISION_BY_ZERO' END`
      : sql`NULL`;
  return sql`${change} AS ${as('v')},
    COALESCE(CASE WHEN prev.agency_id IS NULL THEN ${noReport} END, ${w('cur')}, ${w('prev')}, ${divisionByZero}) AS ${as('w')},
    ${n('cur')} AS ${as('an')}, ${d('cur')} AS ${as('ad')}, ${n('prev')} AS ${as('bn')}, ${d('prev')} AS ${as('bd')},
    (${known('cur')} AND ${known('prev')}) AS ${as('ok')}`;
}

/**
 * SQL: the given bounds on a value, compared as the answers give the value. Values are exact
 * numerics in PostgreSQL (a ratio 1/27 to 20 digits) but leave as GraphQL Floats, so a bound
 * copied from an answer (0.037037037037037035) must meet the value in double precision too:
 * compared as numeric, `eq` missed the very row the bound was copied from and `lte` dropped it.
 * A stored figure or a sum is a whole number or a short decimal, which both sides read alike.
 */
export function boundsOn(value: SqlFragment, bounds: Bounds): SqlFragment[] {
  const ops = [
    ['>', bounds.gt],
    ['>=', bounds.gte],
    ['<', bounds.lt],
    ['<=', bounds.lte],
    ['=', bounds.eq],
  ] as const;
  return ops.flatMap(([op, x]) => (x == null ? [] : [sql`(${value})::float8 ${raw(op)} ${x}::float8`]));
}

function conditionOn(j: number, condition: NonNullable<ReportFilter['where']>[number]): SqlFragment {
  const v = id(`v${j}`);
  const parts = boundsOn(v, condition);
  if (condition.notReported === true) {
    parts.push(sql`${v} IS NULL AND ${id(`w${j}`)} IN ('NOT_REPORTED', 'MISSING', 'UNREADABLE')`);
  }
  if (condition.notReported === false) parts.push(sql`${v} IS NOT NULL`);
  return allOf(parts);
}

/**
 * A value of output metric j on a facts row `f`, as [value, nullReason, numerator, denominator];
 * [value, nullReason] for a metric that is not a ratio, whose parts nobody reads (a compare of 10
 * metrics × 300 rows sent PostgreSQL's JSON a fifth larger with them).
 */
export function valueJson(facts: Pick<Facts, 'specs'>, row = 'f'): SqlFragment {
  return sql`json_build_array(${join(
    facts.specs.map((spec, j) =>
      isRatio(spec)
        ? sql`json_build_array(${id(`${row}.v${j}`)}, ${id(`${row}.w${j}`)}, ${id(`${row}.an${j}`)}, ${id(`${row}.ad${j}`)})`
        : sql`json_build_array(${valueOut(spec, id(`${row}.v${j}`))}, ${id(`${row}.w${j}`)})`,
    ),
  )})`;
}

/**
 * Whether a metric's value is an exact decimal: a figure, a sum of figures or a difference of
 * two (ratios and percentages are quotients whose decimals need not end).
 */
export const exactable = (spec: MetricSpec) =>
  !isRatio(spec) && (spec.transform === 'VALUE' || spec.transform === 'CHANGE');

/**
 * SQL: a value as the answers' JSON carries it. An exact one goes as its decimal text: a JSON
 * number is read as a double, which rounds a stored 99999999999999.99 to …98 (the parser keeps
 * up to 14 digits before the point and 8 after, and sums grow past 2^53); the text is then both
 * the exact value and, read as a number, the same double. trim_scale gives both paths
 * (figures, aggregates) one text for one number.
 */
export const valueOut = (spec: MetricSpec, value: SqlFragment): SqlFragment =>
  exactable(spec) ? sql`trim_scale(${value})::text` : value;

/** A value from the answers' JSON: a number, or exact decimal text (valueOut); null when absent. */
const decodedValue = (json: unknown): { value: number | null; exactValue: string | null } =>
  typeof json === 'number'
    ? { value: json, exactValue: null }
    : typeof json === 'string'
      ? { value: Number(json), exactValue: json }
      : { value: null, exactValue: null };

/**
 * Aggregate: metric j over a group of facts rows as one pooled figure — counts summed,
 * ratios as Σnumerator / Σdenominator, changes between the pooled figures of both years —
 * over the rows whose figures are all known.
 */
export function pooled(facts: Facts, j: number): SqlFragment {
  const spec = facts.specs[j];
  if (!spec) throw new Error(`No metric at position ${j}`);
  const ok = id(`ok${j}`);
  const pool = (num: string, den: string) =>
    isRatio(spec)
      ? sql`(sum(${id(`${num}${j}`)}) FILTER (WHERE ${ok}) / NULLIF(sum(${id(`${den}${j}`)}) FILTER (WHERE ${ok}), 0))`
      : sql`sum(${id(`${num}${j}`)}) FILTER (WHERE ${ok})`;
  if (spec.transform === 'VALUE') return pool('an', 'ad');
  if (spec.transform === 'CHANGE') return sql`(${pool('an', 'ad')} - ${pool('bn', 'bd')})`;
  return sql`((${pool('an', 'ad')} - ${pool('bn', 'bd')}) / NULLIF(abs(${pool('bn', 'bd')}), 0))`;
}

/** Aggregate: why the pooled figure of metric j is null (null when it has a value). */
export function pooledReason(facts: Facts, j: number): SqlFragment {
  const w = id(`w${j}`);
  return sql`CASE WHEN ${pooled(facts, j)} IS NULL THEN
      CASE WHEN count(*) FILTER (WHERE ${id(`ok${j}`)}) > 0 THEN 'DIVISION_BY_ZERO'
           WHEN count(*) = 0 THEN 'NO_REPORT'
           WHEN min(${w}) = max(${w}) AND count(${w}) = count(*) THEN min(${w})
           ELSE 'NO_VALUES' END END`;
}

/**
 * Aggregate: [pooled value, null reason, rows pooled] of every output metric, and for a ratio
 * its pooled parts, Σnumerator and Σdenominator of this year over the rows pooled.
 */
export function pooledJson(facts: Facts): SqlFragment {
  return sql`json_build_array(${join(
    facts.specs.map((spec, j) => {
      const ok = id(`ok${j}`);
      const parts = isRatio(spec)
        ? sql`, sum(${id(`an${j}`)}) FILTER (WHERE ${ok}), sum(${id(`ad${j}`)}) FILTER (WHERE ${ok})`
        : sql``;
      return sql`json_build_array(${valueOut(spec, pooled(facts, j))}, ${pooledReason(facts, j)}, count(*) FILTER (WHERE ${ok})${parts})`;
    }),
  )})`;
}

/** Agency columns of a facts row as a JSON object, shaped like the Agency model. */
export function agencyJson(row = 'f'): SqlFragment {
  const c = (name: string) => id(`${row}.${name}`);
  return sql`json_build_object('id', ${c('agency_id')}, 'name', ${c('agency_name')}, 'regionCode', ${c('region_code')},
    'level', ${c('agency_level')}, 'kind', ${c('agency_kind')}, 'synthetic', ${c('synthetic')}, 'createdAt', ${c('created_at')})`;
}

/** Stable order of agencies: by name in code-point order (the same on every server), then id. */
export const AGENCY_ORDER = (row = 'f') =>
  sql`${id(`${row}.agency_name`)} COLLATE "C", ${id(`${row}.agency_id`)}`;

/** One metric's value for one report or group. A null value always comes with its reason. */
export interface MetricValue {
  spec: MetricSpec;
  value: number | null;
  /** `value` as exact decimal text, for exactable metrics (valueOut); null otherwise. */
  exactValue: string | null;
  nullReason: MetricNullReason | null;
  /** The ratio's parts (this year's), for ratios only. */
  numerator: number | null;
  denominator: number | null;
  /** For pooled figures: how many reports were pooled. */
  pooledReports?: number;
}

type Json = number | string | boolean | null | Json[] | { [key: string]: Json };

/** Decodes the [value, reason, numerator, denominator] arrays of `valueJson`. */
export function decodeValues(facts: Pick<Facts, 'specs'>, json: Json): MetricValue[] {
  const items = Array.isArray(json) ? json : [];
  return facts.specs.map((spec, j) => {
    const [value, reason, numerator, denominator] = (Array.isArray(items[j]) ? items[j] : []) as (
      | number
      | string
      | null
    )[];
    const decoded = decodedValue(value);
    return {
      spec,
      ...decoded,
      nullReason: decoded.value !== null ? null : ((reason as MetricNullReason | null) ?? 'MISSING'),
      numerator: isRatio(spec) && typeof numerator === 'number' ? numerator : null,
      denominator: isRatio(spec) && typeof denominator === 'number' ? denominator : null,
    };
  });
}

/** Decodes the [value, reason, count, numerator, denominator] arrays of `pooledJson` (and the aggregate path's). */
export function decodePooled(facts: Pick<Facts, 'specs'>, json: Json): MetricValue[] {
  const items = Array.isArray(json) ? json : [];
  return facts.specs.map((spec, j) => {
    const [value, reason, count, numerator, denominator] = (Array.isArray(items[j]) ? items[j] : []) as (
      | number
      | string
      | null
    )[];
    const decoded = decodedValue(value);
    return {
      spec,
      ...decoded,
      nullReason: decoded.value !== null ? null : ((reason as MetricNullReason | null) ?? 'NO_VALUES'),
      numerator: isRatio(spec) && typeof numerator === 'number' ? numerator : null,
      denominator: isRatio(spec) && typeof denominator === 'number' ? denominator : null,
      pooledReports: typeof count === 'number' ? count : 0,
    };
  });
}

export type { Json };

/** An agency as decoded from the JSON `agencyJson` builds. */
export function agencyRow(json: Json): AgencyRow {
  const a = json as unknown as Omit<AgencyRow, 'createdAt'> & { createdAt: string };
  return { ...a, createdAt: new Date(a.createdAt) };
}
