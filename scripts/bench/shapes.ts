/**
 * The benchmark's question shapes: each asked through GraphQL and answered by hand-written
 * SQL, and both answers brought to one plain form so the bench can check that they agree.
 *
 * The hand SQL is written from the question as the API documents it (schema.graphql, the
 * metric catalogue's definitions), not from the comparison code: a metric's value per
 * template version is the sum of its cells (a ratio Σnumerator / Σdenominator); a missing value
 * says why — MISSING before UNREADABLE before NOT_REPORTED, NOT_IN_TEMPLATE_VERSION where the
 * version lacks the figure, DIVISION_BY_ZERO for a zero denominator, NO_REPORT where an agency
 * has no report; pooled figures sum over the reports that have every figure they need.
 * Cells and layout come from the catalogue and the figure storage (src/store/figures.ts).
 *
 * What is timed on the hand SQL side is what a client of it would run: the statement, built
 * once, and the driver decoding its rows. Bringing them to the plain form is not: the GraphQL
 * side is timed to its decoded answer too, without fromApi.
 */
import { type MetricDefinition, metricByName } from '../../src/catalogue/metrics.ts';
import { TABLE3_GROUPS, TABLE3_ROWS, TEMPLATE_VERSIONS } from '../../src/catalogue/template.ts';
import { type Db, Prisma } from '../../src/store/db.ts';
import { figureStatusSql, figureValueSql } from '../../src/store/figures.ts';

type Answer = unknown;
export interface Shape<Rows = unknown> {
  key: string;
  name: string;
  target: number | null;
  graphql: string;
  /** The GraphQL data brought to the plain form. */
  fromApi: (data: Record<string, unknown>) => Answer;
  /** Runs the hand SQL (the timed part); returns its rows as the driver decodes them. */
  sql: (db: Db) => Promise<Rows>;
  /** The hand SQL's rows brought to the plain form. */
  fromSql: (rows: Rows) => Answer;
}
/** A shape whose hand SQL runs one statement, built once: `rows` has the driver's row type. */
const shape = <Row>(s: Omit<Shape<Row[]>, 'sql'> & { statement: Prisma.Sql }): Shape => {
  const { statement, ...rest } = s;
  return { ...rest, sql: (db) => db.$queryRaw<Row[]>(statement) } as Shape;
};

const metric = (name: string): MetricDefinition => {
  const m = metricByName(name);
  if (!m) throw new Error(`No metric ${name}`);
  return m;
};

/** value, reason, numerator, denominator of one metric on the revision_figures row `f`. */
function metricSql(name: string) {
  const m = metric(name);
  const cells = new Set<string>();
  // Values come from the per-report pivot `c` (see pivot()); statuses only when a value is null.
  const value = (code: string) => {
    cells.add(code);
    return Prisma.raw(`c."${code}"`);
  };
  const add = (cells: readonly string[]) => Prisma.sql`(${Prisma.join(cells.map(value), ' + ')})`;
  const why = (cells: readonly string[]) => {
    const s = Prisma.join(cells.map((c) => figureStatusSql('f', c)));
    return Prisma.sql`CASE WHEN 'MISSING' IN (${s}) THEN 'MISSING' WHEN 'UNREADABLE' IN (${s}) THEN 'UNREADABLE'
      WHEN 'NOT_REPORTED' IN (${s}) THEN 'NOT_REPORTED' END`;
  };
  const perVersion = (part: (v: (typeof TEMPLATE_VERSIONS)[number]) => Prisma.Sql) =>
    Prisma.sql`(CASE f.template_version::text ${Prisma.join(
      TEMPLATE_VERSIONS.map((v) => Prisma.sql`WHEN ${Prisma.raw(`'${v}'`)} THEN ${part(v)}`),
      ' ',
    )} END)`;
  const formula = (v: (typeof TEMPLATE_VERSIONS)[number]) => m.formula(v, 'TOTAL');
  const num = perVersion((v) => {
    const f = formula(v);
    return f.kind === 'SUM'
      ? add(f.cells)
      : f.kind === 'RATIO'
        ? add(f.numerator)
        : Prisma.sql`NULL::numeric`;
  });
  const den = perVersion((v) => {
    const f = formula(v);
    return f.kind === 'RATIO' ? add(f.denominator) : Prisma.sql`NULL::numeric`;
  });
  const reason = perVersion((v) => {
    const f = formula(v);
    if (f.kind === 'SUM') return why(f.cells);
    if (f.kind === 'ABSENT') return Prisma.sql`'NOT_IN_TEMPLATE_VERSION'`;
    return Prisma.sql`COALESCE(${why([...f.numerator, ...f.denominator])},
      CASE WHEN ${add(f.denominator)} = 0 THEN 'DIVISION_BY_ZERO' END)`;
  });
  const ratio = m.kind === 'RATIO';
  const result = ratio ? Prisma.sql`(${num} / NULLIF(${den}, 0))` : num;
  return {
    cells,
    num,
    den,
    reason: Prisma.sql`(CASE WHEN ${result} IS NULL THEN ${reason} END)`,
    value: result,
    /** Whether the report has every figure the metric needs (it is pooled). */
    known: ratio ? Prisma.sql`(${num} IS NOT NULL AND ${den} IS NOT NULL)` : Prisma.sql`(${num} IS NOT NULL)`,
    ratio,
  };
}

/**
 * Every figure the metrics read, once per report: a lateral pivot of the revision_figures row
 * `f` (OFFSET 0 keeps PostgreSQL from inlining it into every formula that uses a figure).
 */
function pivot(metrics: { cells: Set<string> }[]): Prisma.Sql {
  const codes = [...new Set(metrics.flatMap((m) => [...m.cells]))];
  return Prisma.sql`CROSS JOIN LATERAL (SELECT ${Prisma.join(
    codes.map((code) => Prisma.sql`${figureValueSql('f', code)} AS ${Prisma.raw(`"${code}"`)}`),
  )} OFFSET 0) c`;
}

/** Numbers compared to 12 significant digits (GraphQL Float against numeric). */
const n = (x: unknown): number | null =>
  x === null || x === undefined ? null : Number(Number(x).toPrecision(12));
/** A value and its reason: the reason only when there is no value. */
const vr = (value: unknown, reason: unknown) => {
  const v = n(value);
  return v === null ? { value: null, reason: (reason as string | null) ?? null } : { value: v, reason: null };
};
/** The reason a pooled figure is null, as the API documents it. */
const pooledReason = (known: string, reason: string) => Prisma.sql`CASE
  WHEN count(*) FILTER (WHERE ${Prisma.raw(known)}) > 0 THEN 'DIVISION_BY_ZERO'
  WHEN count(*) = 0 THEN 'NO_REPORT'
  WHEN count(DISTINCT ${Prisma.raw(reason)}) = 1 AND count(${Prisma.raw(reason)}) = count(*) THEN min(${Prisma.raw(reason)})
  ELSE 'NO_VALUES' END`;
const byKey = <T>(rows: T[], key: (r: T) => string) =>
  [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

export function benchShapes(ids: number[]): Shape[] {
  const idList = ids.map((id) => JSON.stringify(Buffer.from(`Agency:${id}`).toString('base64'))).join(',');
  const ten = [
    'T3_NEW_REQUESTS',
    'T3_CARRIED_OVER',
    'T3_GRANTED',
    'T3_PARTLY_GRANTED',
    'T3_CANNOT_PROVIDE_ALL',
    'T3_CARRIED_FORWARD',
    'T2_LICENSING_DECISIONS',
    'T2_PENALTY_DECISIONS',
    'DISCLOSURE_RATE',
    'REFUSAL_RATE',
  ];
  const tenSql = ten.map(metricSql);
  const newRequests = metricSql('T3_NEW_REQUESTS');
  const granted = metricSql('T3_GRANTED');
  const outcomeRows = TABLE3_ROWS.filter((r) => r.outcome && !r.isOutcomeTotal).map((r) => `T3_${r.code}`);
  const outcomeGroups = TABLE3_GROUPS.map((g) => `T3_${g.code}_ALL`);
  const outcomeTotal = `T3_${TABLE3_ROWS.find((r) => r.isOutcomeTotal)?.code}`;
  const outcomes = [...outcomeRows, ...outcomeGroups];
  const outcomeSql = outcomes.map(metricSql);
  const totalSql = metricSql(outcomeTotal);
  const province = '510000';
  const outcomeColumns = outcomeSql.map(
    (m, j) => Prisma.sql`${m.value} AS ${Prisma.raw(`v${j}`)}, ${m.reason} AS ${Prisma.raw(`w${j}`)}`,
  );
  const outcomeAggregates = outcomes.map((_, j) => {
    const both = `v${j} IS NOT NULL AND total IS NOT NULL`;
    return Prisma.sql`json_build_array(sum(${Prisma.raw(`v${j}`)}), ${pooledReason(`v${j} IS NOT NULL`, `w${j}`)},
      sum(${Prisma.raw(`v${j}`)}) FILTER (WHERE ${Prisma.raw(both)}) / NULLIF(sum(total) FILTER (WHERE ${Prisma.raw(both)}), 0),
      count(*) FILTER (WHERE ${Prisma.raw(`v${j}`)} IS NOT NULL))`;
  });

  return [
    shape<{ name: string; year: number; version: string; values: unknown[][] }>({
      key: 'compare',
      name: 'compare 50 agencies × 6 years × 10 metrics',
      target: 15,
      graphql: `{ compare(filter: {agency: {ids: [${idList}]}}, metrics: [${ten.map((m) => `{metric: ${m}}`).join(',')}]) {
        ... on Comparison { rowCount rows { year templateVersion agency { name } values { value nullReason } } } } }`,
      fromApi: (d) => {
        const c = d.compare as {
          rowCount: number;
          rows: {
            year: number;
            templateVersion: string;
            agency: { name: string };
            values: { value: number | null; nullReason: string | null }[];
          }[];
        };
        return {
          rowCount: c.rowCount,
          rows: byKey(
            c.rows.map((r) => ({
              name: r.agency.name,
              year: r.year,
              version: r.templateVersion,
              values: r.values.map((v) => vr(v.value, v.nullReason)),
            })),
            (r) => `${r.name}|${r.year}`,
          ),
        };
      },
      statement: Prisma.sql`
          SELECT a.name, r.year, f.template_version::text AS version,
                 json_build_array(${Prisma.join(tenSql.map((m) => Prisma.sql`json_build_array(${m.value}, ${m.reason})`))}) AS values
          FROM report r JOIN agency a ON a.id = r.agency_id
          JOIN revision_figures f ON f.revision_id = r.current_revision_id ${pivot(tenSql)}
          WHERE r.agency_id = ANY(${ids}::int[])`,
      fromSql: (rows) => ({
        rowCount: rows.length,
        rows: byKey(
          rows.map((r) => ({
            name: r.name,
            year: r.year,
            version: r.version,
            values: r.values.map((v) => vr(v[0], v[1])),
          })),
          (r) => `${r.name}|${r.year}`,
        ),
      }),
    }),
    shape<{
      name: string;
      year: number;
      value: unknown;
      reason: string | null;
      total: unknown;
      total_reason: string;
    }>({
      key: 'series',
      name: 'series of one metric, 50 agencies',
      target: null,
      graphql: `{ series(filter: {agency: {ids: [${idList}]}}, metric: {metric: T3_NEW_REQUESTS}) {
        ... on Series { years series { agency { name } points { year value nullReason } } totals { year value nullReason } } } }`,
      fromApi: (d) => {
        const s = d.series as {
          years: number[];
          series: {
            agency: { name: string };
            points: { year: number; value: number | null; nullReason: string | null }[];
          }[];
          totals: { year: number; value: number | null; nullReason: string | null }[];
        };
        return {
          years: s.years,
          series: byKey(
            s.series.map((x) => ({
              name: x.agency.name,
              points: x.points.map((p) => ({ year: p.year, ...vr(p.value, p.nullReason) })),
            })),
            (x) => x.name,
          ),
          totals: s.totals.map((t) => ({ year: t.year, ...vr(t.value, t.nullReason) })),
        };
      },
      // Every agency in scope gets a point for every year any of them reported.
      statement: Prisma.sql`
          WITH facts AS (
            SELECT r.agency_id, r.year, ${newRequests.value} AS value, ${newRequests.reason} AS reason
            FROM report r JOIN revision_figures f ON f.revision_id = r.current_revision_id ${pivot([newRequests])}
            WHERE r.agency_id = ANY(${ids}::int[])),
          totals AS (
            SELECT year, sum(value) AS total, ${pooledReason('value IS NOT NULL', 'reason')} AS total_reason
            FROM facts GROUP BY year)
          SELECT a.name, t.year, x.value, CASE WHEN x.agency_id IS NULL THEN 'NO_REPORT' ELSE x.reason END AS reason,
                 t.total, t.total_reason
          FROM agency a CROSS JOIN totals t
          LEFT JOIN facts x ON x.agency_id = a.id AND x.year = t.year
          WHERE a.id IN (SELECT agency_id FROM facts)
          ORDER BY a.name COLLATE "C", t.year`,
      fromSql: (rows) => {
        const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
        const names = [...new Set(rows.map((r) => r.name))];
        return {
          years,
          series: byKey(
            names.map((name) => ({
              name,
              points: rows
                .filter((r) => r.name === name)
                .map((r) => ({ year: r.year, ...vr(r.value, r.reason) })),
            })),
            (x) => x.name,
          ),
          totals: years.map((year) => {
            const r = rows.find((x) => x.year === year);
            return { year, ...vr(r?.total ?? null, r?.total_reason ?? null) };
          }),
        };
      },
    }),
    shape<{ population: number; ranked: number; unranked: unknown; entries: unknown }>({
      key: 'ranking',
      name: 'ranking over all county agencies, 2023',
      target: 30,
      graphql: `{ ranking(year: 2023, filter: {agency: {levels: [COUNTY]}}, metric: {metric: T3_NEW_REQUESTS}, limit: 20) {
        ... on Ranking { populationSize rankedCount unranked { reason count }
          entries { rank templateVersion agency { name } value { value } } } } }`,
      fromApi: (d) => {
        const r = d.ranking as {
          populationSize: number;
          rankedCount: number;
          unranked: { reason: string; count: number }[];
          entries: {
            rank: number;
            templateVersion: string;
            agency: { name: string };
            value: { value: number };
          }[];
        };
        return {
          population: r.populationSize,
          ranked: r.rankedCount,
          unranked: byKey(r.unranked, (u) => u.reason),
          entries: r.entries.map((e) => ({
            rank: e.rank,
            name: e.agency.name,
            version: e.templateVersion,
            value: n(e.value.value),
          })),
        };
      },
      statement: Prisma.sql`
          WITH facts AS (
            SELECT a.id, a.name, f.template_version::text AS version, ${newRequests.value} AS value,
                   ${newRequests.reason} AS reason
            FROM report r JOIN agency a ON a.id = r.agency_id
            JOIN revision_figures f ON f.revision_id = r.current_revision_id ${pivot([newRequests])}
            WHERE r.year = 2023 AND a.level = 'COUNTY'),
          ranked AS (SELECT *, rank() OVER (ORDER BY value DESC) AS rank FROM facts WHERE value IS NOT NULL)
          SELECT (SELECT count(*)::int FROM facts) AS population,
                 (SELECT count(*)::int FROM ranked) AS ranked,
                 (SELECT COALESCE(json_agg(json_build_object('reason', reason, 'count', c)), '[]')
                    FROM (SELECT reason, count(*)::int AS c FROM facts WHERE value IS NULL GROUP BY reason) u) AS unranked,
                 (SELECT json_agg(json_build_object('rank', rank, 'name', name, 'version', version, 'value', value)
                                  ORDER BY rank, name COLLATE "C", id)
                    FROM ranked WHERE rank <= 20) AS entries`,
      fromSql: ([row]) => {
        return {
          population: row?.population,
          ranked: row?.ranked,
          unranked: byKey((row?.unranked ?? []) as { reason: string; count: number }[], (u) => u.reason),
          entries: (
            (row?.entries ?? []) as { rank: number; name: string; version: string; value: unknown }[]
          ).map((e) => ({ rank: e.rank, name: e.name, version: e.version, value: n(e.value) })),
        };
      },
    }),
    shape<{ region: string | null; year: number; reports: number; aggregates: unknown[][] }>({
      key: 'rollup',
      name: 'rollup by province × year over all reports',
      target: 50,
      graphql: `{ rollup(groupBy: [REGION, YEAR], metrics: [{metric: T3_NEW_REQUESTS}, {metric: T3_GRANTED}]) {
        ... on Rollup { groups { key { regionCode year } reportCount aggregates { pooled pooledNullReason sum } } } } }`,
      fromApi: (d) => {
        const r = d.rollup as {
          groups: {
            key: { regionCode: string | null; year: number };
            reportCount: number;
            aggregates: { pooled: number | null; pooledNullReason: string | null; sum: number | null }[];
          }[];
        };
        return byKey(
          r.groups.map((g) => ({
            region: g.key.regionCode,
            year: g.key.year,
            reports: g.reportCount,
            aggregates: g.aggregates.map((a) => ({ ...vr(a.pooled, a.pooledNullReason), sum: n(a.sum) })),
          })),
          (g) => `${g.region}|${g.year}`,
        );
      },
      statement: Prisma.sql`
          WITH facts AS (
            SELECT CASE WHEN a.region_code IS NOT NULL THEN left(a.region_code, 2) || '0000' END AS region, r.year,
                   ${newRequests.value} AS v0, ${newRequests.reason} AS w0, ${granted.value} AS v1, ${granted.reason} AS w1
            FROM report r JOIN agency a ON a.id = r.agency_id
            JOIN revision_figures f ON f.revision_id = r.current_revision_id ${pivot([newRequests, granted])})
          SELECT region, year, count(*)::int AS reports,
                 json_build_array(json_build_array(sum(v0), ${pooledReason('v0 IS NOT NULL', 'w0')}, sum(v0)),
                                  json_build_array(sum(v1), ${pooledReason('v1 IS NOT NULL', 'w1')}, sum(v1))) AS aggregates
          FROM facts GROUP BY region, year`,
      fromSql: (rows) =>
        byKey(
          rows.map((g) => ({
            region: g.region,
            year: g.year,
            reports: g.reports,
            aggregates: g.aggregates.map((a) => ({ ...vr(a[0], a[1]), sum: n(a[2]) })),
          })),
          (g) => `${g.region}|${g.year}`,
        ),
    }),
    shape<{ year: number; reports: number; shares: unknown[][] }>({
      key: 'outcome',
      name: 'outcome breakdown of a province',
      target: 50,
      graphql: `{ outcomeBreakdown(filter: {agency: {regionCode: "${province}"}}) {
        ... on OutcomeBreakdowns { perYear { year reportCount
          rows { metric count nullReason share reportingReports }
          groups { metric count nullReason share reportingReports } } } } }`,
      fromApi: (d) => {
        type S = {
          metric: string;
          count: number | null;
          nullReason: string | null;
          share: number | null;
          reportingReports: number;
        };
        const o = d.outcomeBreakdown as {
          perYear: { year: number; reportCount: number; rows: S[]; groups: S[] }[];
        };
        return o.perYear.map((y) => ({
          year: y.year,
          reports: y.reportCount,
          shares: [...y.rows, ...y.groups].map((s) => ({
            metric: s.metric,
            ...vr(s.count, s.nullReason),
            share: n(s.share),
            reporting: s.reportingReports,
          })),
        }));
      },
      statement: Prisma.sql`
          WITH facts AS (
            SELECT r.year, ${totalSql.value} AS total, ${Prisma.join(outcomeColumns)}
            FROM report r JOIN agency a ON a.id = r.agency_id
            JOIN revision_figures f ON f.revision_id = r.current_revision_id ${pivot([totalSql, ...outcomeSql])}
            WHERE a.region_code LIKE ${`${province.slice(0, 2)}%`})
          SELECT year, count(*)::int AS reports, json_build_array(${Prisma.join(outcomeAggregates)}) AS shares
          FROM facts GROUP BY year ORDER BY year`,
      fromSql: (rows) =>
        rows.map((y) => ({
          year: y.year,
          reports: y.reports,
          shares: y.shares.map((s, j) => ({
            metric: outcomes[j],
            ...vr(s[0], s[1]),
            share: n(s[2]),
            reporting: s[3],
          })),
        })),
    }),
  ];
}

/** The first difference between two plain answers, as a path and both sides; null when equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (a === b) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${path || '(root)'}: API ${JSON.stringify(a)} ≠ hand SQL ${JSON.stringify(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array ≠ object`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
    return `${path}: API has ${a.length} entries, hand SQL ${b.length}`;
  }
  for (const k of keys) {
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${path}.${k}`,
    );
    if (d) return d;
  }
  return null;
}
