/** Which agencies and reports a comparison covers, checked before any SQL runs. */
import { METRICS, type MetricSpec, type MetricTransform, metricByName } from '../catalogue/metrics.ts';
import { type AgencyKind, type AgencyLevel, regionCodePrefix } from '../catalogue/regions.ts';
import { APPLICANT_COLUMNS, TEMPLATE_VERSIONS, type TemplateVersion } from '../catalogue/template.ts';
import { Prisma } from '../store/db.ts';

/** Which agencies: the one agency filter of `agencies` and of every comparison. */
export interface AgencyFilterInput {
  ids?: readonly number[] | null;
  nameContains?: string | null;
  /** GB/T 2260 code of any level; agencies in the division and every division under it. */
  regionCode?: string | null;
  levels?: readonly AgencyLevel[] | null;
  kinds?: readonly AgencyKind[] | null;
  /** Agencies with a stored report for at least one of these years. */
  years?: readonly number[] | null;
  /** true: only generated demo agencies; false: only published ones. */
  synthetic?: boolean | null;
}

/** A numeric condition on one metric; every given bound must hold. */
export interface MetricCondition {
  spec: MetricSpec;
  gt?: number | null;
  gte?: number | null;
  lt?: number | null;
  lte?: number | null;
  eq?: number | null;
  /** true: only reports that did not report the figure (NOT_REPORTED, UNREADABLE or MISSING); false: only reports with a value. */
  notReported?: boolean | null;
}

export interface ReportFilter {
  agency?: AgencyFilterInput | null;
  years?: readonly number[] | null;
  fromYear?: number | null;
  toYear?: number | null;
  templateVersions?: readonly TemplateVersion[] | null;
  where?: readonly MetricCondition[] | null;
}

export interface InputIssue {
  message: string;
  /** Path of the offending argument, e.g. filter.agency.regionCode. */
  argument: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; issue: InputIssue };
export const fail = (message: string, argument: string): { ok: false; issue: InputIssue } => ({
  ok: false,
  issue: { message, argument },
});

export const MAX_METRICS = 40;
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

/** A metric as asked for, checked against the catalogue: applicants only for table-3 metrics. */
export function metricSpec(
  input: { metric: string; applicant?: string | null; transform?: MetricTransform | null },
  argument: string,
): Result<MetricSpec> {
  const metric = metricByName(input.metric);
  if (!metric) {
    return fail(`Unknown metric ${input.metric}; see the Metric enum (${METRICS.length} metrics).`, argument);
  }
  if (input.applicant && !APPLICANT_COLUMNS.some((c) => c.code === input.applicant)) {
    return fail(`Unknown applicant type ${input.applicant}.`, `${argument}.applicant`);
  }
  if (input.applicant && input.applicant !== 'TOTAL' && !metric.byApplicant) {
    return fail(
      `${metric.name} is not counted by applicant type; leave applicant out (it applies to table-3 metrics and the ratios built on them).`,
      `${argument}.applicant`,
    );
  }
  return {
    ok: true,
    value: { metric, applicant: input.applicant ?? 'TOTAL', transform: input.transform ?? 'VALUE' },
  };
}

export const yearOutOfRange = (years: readonly (number | null | undefined)[], argument: string) => {
  for (const year of years) {
    if (year != null && (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR)) {
      return { message: `Year ${year} is out of range ${FIRST_YEAR}–${LAST_YEAR}.`, argument };
    }
  }
  return null;
};

const badRegionCode = (regionCode: string | null | undefined, argument: string) =>
  regionCode != null && !regionCodePrefix(regionCode)
    ? {
        message: `"${regionCode}" is not a GB/T 2260 code; give six digits (640000 province, 640500 city, 640502 county) or nine for a township.`,
        argument,
      }
    : null;

/**
 * An empty "any of these" list is refused. A dashboard's cleared selector sends `[]` meaning
 * "all" as often as "none", and the two readings had both crept in (`ids: []` matched no
 * agency while `years: []` matched every year), so neither is guessed: leaving the argument
 * out means all.
 */
export const emptyList = (
  list: readonly unknown[] | null | undefined,
  argument: string,
  omitted: string,
): InputIssue | null =>
  list?.length === 0
    ? {
        message: `${argument} is an empty list, which could mean all or none; leave it out for ${omitted}, or give at least one.`,
        argument,
      }
    : null;

/** Checks the agency filter's lists, years and region code; messages say what to change. */
export function checkAgencyFilter(
  filter: AgencyFilterInput | null | undefined,
  argument = 'filter',
): InputIssue | null {
  return (
    emptyList(filter?.ids, `${argument}.ids`, 'every agency') ??
    emptyList(filter?.levels, `${argument}.levels`, 'every level') ??
    emptyList(filter?.kinds, `${argument}.kinds`, 'every kind') ??
    emptyList(filter?.years, `${argument}.years`, 'agencies with or without reports') ??
    yearOutOfRange(filter?.years ?? [], `${argument}.years`) ??
    badRegionCode(filter?.regionCode, `${argument}.regionCode`)
  );
}

/**
 * The refusal of years in the filter of a shape that takes its years from its own arguments
 * (a ranking's `year`, a change's `fromYear` and `toYear`), or null. Any `years` list is
 * refused, an empty one too: the shape would replace it with its own years, so `years: []`
 * (which refuses elsewhere) or `years: [2019]` would be answered for other years than written.
 */
export function filterYearsIssue(
  filter: ReportFilter | null | undefined,
  yearsFrom: string,
  argument = 'filter',
): InputIssue | null {
  const given =
    filter?.years != null
      ? `${argument}.years`
      : filter?.fromYear != null
        ? `${argument}.fromYear`
        : filter?.toYear != null
          ? `${argument}.toYear`
          : null;
  if (!given) return null;
  const what = filter?.years?.length === 0 ? `${given} is an empty list` : `${given} is given`;
  return { message: `${what}, but ${yearsFrom}: leave ${given} out.`, argument: given };
}

export type Bounds = {
  gt?: number | null;
  gte?: number | null;
  lt?: number | null;
  lte?: number | null;
  eq?: number | null;
};

/**
 * Why no value can meet the bounds together (gt 100 with lt 50, eq 3 with gt 5), or null: such a
 * condition would answer as if nothing qualified, which reads as a finding, not as a typing slip.
 */
export function contradictoryBounds(b: Bounds): string | null {
  const given = (Object.entries(b) as [keyof Bounds, number | null | undefined][]).filter(
    (e): e is [keyof Bounds, number] => e[1] != null,
  );
  const lowers = given.filter(([k]) => k === 'gt' || k === 'gte' || k === 'eq');
  const uppers = given.filter(([k]) => k === 'lt' || k === 'lte' || k === 'eq');
  for (const [lk, lv] of lowers) {
    for (const [uk, uv] of uppers) {
      if (lk === 'eq' && uk === 'eq') {
        if (lv !== uv) return `eq ${lv} and eq ${uv}`;
        continue;
      }
      const strict = lk === 'gt' || uk === 'lt';
      if (lv > uv || (strict && lv === uv)) return `${lk} ${lv} and ${uk} ${uv}`;
    }
  }
  return null;
}

/** The refusal of a condition no value can meet, naming the bounds and what to do. */
export const contradictionMessage = (bounds: string) =>
  `${bounds} can never both hold, so nothing would match; widen or drop one of them.`;

/** Checks the filter's years, region code and conditions; messages say what to change. */
export function checkFilter(filter: ReportFilter | null | undefined, argument = 'filter'): InputIssue | null {
  const listIssue =
    emptyList(filter?.years, `${argument}.years`, 'every year') ??
    emptyList(filter?.templateVersions, `${argument}.templateVersions`, 'both template versions') ??
    yearOutOfRange(filter?.years ?? [], `${argument}.years`) ??
    yearOutOfRange([filter?.fromYear], `${argument}.fromYear`) ??
    yearOutOfRange([filter?.toYear], `${argument}.toYear`) ??
    checkAgencyFilter(filter?.agency, `${argument}.agency`);
  if (listIssue) return listIssue;
  if (filter?.fromYear != null && filter.toYear != null && filter.fromYear > filter.toYear) {
    return {
      message: `fromYear ${filter.fromYear} is after toYear ${filter.toYear}; swap them.`,
      argument: `${argument}.fromYear`,
    };
  }
  if (filter?.years?.length && (filter.fromYear != null || filter.toYear != null)) {
    return { message: 'Give either years or fromYear/toYear, not both.', argument: `${argument}.years` };
  }
  for (const [i, condition] of (filter?.where ?? []).entries()) {
    const bounds = [condition.gt, condition.gte, condition.lt, condition.lte, condition.eq];
    if (bounds.every((b) => b == null) && condition.notReported == null) {
      return {
        message: 'A condition needs at least one of gt, gte, lt, lte, eq or notReported.',
        argument: `${argument}.where[${i}]`,
      };
    }
    if (condition.notReported === true && bounds.some((b) => b != null)) {
      return {
        message:
          'notReported: true keeps reports without a value, which no bound (gt, gte, lt, lte, eq) can hold for, so nothing would match; give the bounds or notReported: true in separate queries.',
        argument: `${argument}.where[${i}]`,
      };
    }
    const contradiction = contradictoryBounds(condition);
    if (contradiction) {
      return { message: contradictionMessage(contradiction), argument: `${argument}.where[${i}]` };
    }
  }
  return null;
}

const and = (parts: Prisma.Sql[]) => (parts.length ? Prisma.join(parts, ' AND ') : Prisma.sql`TRUE`);

/**
 * SQL condition: `column` holds the code of the division `code` or of one under it. The one
 * spelling of the prefix match, so every filter by region agrees (and uses the same index).
 * A `code` that is not a GB/T 2260 code matches nothing; callers check it first to say why.
 */
export function regionCodeUnder(column: Prisma.Sql, code: string): Prisma.Sql {
  const prefix = regionCodePrefix(code);
  return prefix === null ? Prisma.sql`FALSE` : Prisma.sql`${column} LIKE ${`${prefix}%`}`;
}

/** SQL condition on `agency a` for the agency filter. */
export function agencyCondition(filter: AgencyFilterInput | null | undefined): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filter?.ids) parts.push(Prisma.sql`a.id = ANY(${[...filter.ids]}::int[])`);
  // Trimmed as the agencies list's search trims it: with one search box feeding both, the list
  // showed 中卫市's agencies for "中卫市 " while a ranking found none, and all for "  " too.
  const name = filter?.nameContains?.trim();
  if (name) parts.push(Prisma.sql`strpos(a.name, ${name}) > 0`);
  if (filter?.regionCode) parts.push(regionCodeUnder(Prisma.sql`a.region_code`, filter.regionCode));
  // Compared as enums, not text, so the planner uses the column statistics: most agencies
  // are county-level, and a text comparison made it expect 0.5 % and pick nested loops.
  if (filter?.levels)
    parts.push(Prisma.sql`a.level = ANY(${[...filter.levels]}::text[]::"AdministrativeLevel"[])`);
  if (filter?.kinds) parts.push(Prisma.sql`a.kind = ANY(${[...filter.kinds]}::text[]::"AgencyKind"[])`);
  if (filter?.synthetic != null) parts.push(Prisma.sql`a.synthetic = ${filter.synthetic}`);
  if (filter?.years) {
    parts.push(
      Prisma.sql`EXISTS (SELECT 1 FROM report ry WHERE ry.agency_id = a.id AND ry.year = ANY(${[...filter.years]}::int[]))`,
    );
  }
  return and(parts);
}

/** SQL condition on `<column>` for the report years asked for; `withPrevious` adds each year before. */
export function yearCondition(
  column: Prisma.Sql,
  filter: ReportFilter | null | undefined,
  withPrevious: boolean,
) {
  const back = withPrevious ? 1 : 0;
  if (filter?.years?.length) {
    const years = [...new Set(filter.years.flatMap((y) => (withPrevious ? [y, y - 1] : [y])))];
    return Prisma.sql`${column} = ANY(${years}::int[])`;
  }
  const parts: Prisma.Sql[] = [];
  if (filter?.fromYear != null) parts.push(Prisma.sql`${column} >= ${filter.fromYear - back}`);
  if (filter?.toYear != null) parts.push(Prisma.sql`${column} <= ${filter.toYear}`);
  return and(parts);
}

export function templateCondition(column: Prisma.Sql, filter: ReportFilter | null | undefined) {
  const versions = filter?.templateVersions?.filter((v) => TEMPLATE_VERSIONS.includes(v));
  return versions?.length ? Prisma.sql`${column} = ANY(${versions}::text[])` : Prisma.sql`TRUE`;
}

export { and as allOf };
