/**
 * The facts pipeline as a service: compare, series and ranking called directly on the
 * scenario of pipeline.scenario.ts, in the real test PostgreSQL, through the SqlRunner seam.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetricSpec, metricByName } from '../../src/catalogue/metrics.ts';
import { compare } from '../../src/comparison/compare.ts';
import { ranking } from '../../src/comparison/ranking.ts';
import { series } from '../../src/comparison/series.ts';
import type { SqlRunner } from '../../src/comparison/sql.ts';
import { sqlRunner } from '../../src/store/sql-runner.ts';
import { testDb } from '../support/db.ts';
import { EDUCATION, HAIYUAN, SHAPOTOU, seedPipelineScenario, ZHONGNING } from './pipeline.scenario.ts';

const db = testDb();
const statements: string[] = [];
const runner: SqlRunner = {
  query: (statement) => {
    statements.push(statement.text);
    return sqlRunner(db).query(statement);
  },
};
beforeAll(() => seedPipelineScenario(db), 60_000);
afterAll(() => db.$disconnect());

const spec = (name: string): MetricSpec => {
  const metric = metricByName(name);
  if (!metric) throw new Error(`no metric ${name}`);
  return { metric, applicant: 'TOTAL', transform: 'VALUE' };
};
const GRANTED = spec('T3_GRANTED');
const RATE = spec('DISCLOSURE_RATE');

/** The value of a result, failing the test with the issue when there is none. */
function answered<T>(result: { ok: true; value: T } | { ok: false; issue: { message: string } }): T {
  if (!result.ok) throw new Error(result.issue.message);
  return result.value;
}

describe('compare', () => {
  it('gives one row per report in name order and pooled totals per year, in one statement', async () => {
    statements.length = 0;
    const result = answered(await compare(runner, { specs: [GRANTED, RATE], filter: { years: [2022] } }));
    expect(statements).toHaveLength(1);
    expect(result.rowCount).toBe(4);
    expect(
      result.rows.map((r) => [r.agency.name, r.year, ...r.values.map((v) => v.value ?? v.nullReason)]),
    ).toEqual([
      [ZHONGNING, 2022, 1, 0.25],
      [EDUCATION, 2022, 6, 1],
      [SHAPOTOU, 2022, 6, 0.8],
      [HAIYUAN, 2022, 'NOT_REPORTED', 'NOT_REPORTED'],
    ]);
    expect(result.rows[0]?.values[1]).toMatchObject({ numerator: 1, denominator: 4 });
    expect(result.totals).toEqual([
      {
        year: 2022,
        reportCount: 4,
        values: [
          expect.objectContaining({ value: 13, pooledReports: 3 }),
          expect.objectContaining({ value: 0.75, pooledReports: 3 }),
        ],
      },
    ]);
  });

  it('pages the rows but pools every row', async () => {
    const page = answered(
      await compare(runner, { specs: [GRANTED], filter: { years: [2022] }, limit: 2, offset: 1 }),
    );
    expect(page.rowCount).toBe(4);
    expect(page.rows.map((r) => r.agency.name)).toEqual([EDUCATION, SHAPOTOU]);
    expect(page.totals[0]?.values[0]?.value).toBe(13);
  });

  it('answers a page out of bounds with the argument to change, running no SQL', async () => {
    statements.length = 0;
    expect(await compare(runner, { specs: [GRANTED], limit: 10_001 })).toEqual({
      ok: false,
      issue: { message: 'limit must be between 0 and 10000.', argument: 'limit' },
    });
    expect(await compare(runner, { specs: [GRANTED], offset: -1 })).toMatchObject({
      ok: false,
      issue: { argument: 'offset' },
    });
    expect(statements).toEqual([]);
  });
});

describe('series', () => {
  it('aligns every agency on the years in scope, NO_REPORT where it has none, with the pooled series', async () => {
    statements.length = 0;
    const result = answered(
      await series(runner, { spec: GRANTED, filter: { agency: { kinds: ['GOVERNMENT'] } } }),
    );
    expect(statements).toHaveLength(1);
    expect(result.years).toEqual([2021, 2022]);
    expect(result.agencyCount).toBe(3);
    expect(
      result.series.map((s) => [s.agency.name, ...s.points.map((p) => p.value.value ?? p.value.nullReason)]),
    ).toEqual([
      [ZHONGNING, 'NO_REPORT', 1],
      [SHAPOTOU, 3, 6],
      [HAIYUAN, 'NO_REPORT', 'NOT_REPORTED'],
    ]);
    expect(result.totals.map((p) => [p.year, p.value.value, p.value.pooledReports])).toEqual([
      [2021, 3, 1],
      [2022, 7, 2],
    ]);
  });
});

describe('ranking', () => {
  it('ranks ties together, counts the unranked by reason and pools the population', async () => {
    statements.length = 0;
    const result = answered(await ranking(runner, { spec: GRANTED, year: 2022 }));
    expect(statements).toHaveLength(1);
    expect(result.populationSize).toBe(4);
    expect(result.rankedCount).toBe(3);
    expect(result.entries.map((e) => [e.rank, e.tieCount, e.agency.name, e.value.value])).toEqual([
      [1, 2, EDUCATION, 6],
      [1, 2, SHAPOTOU, 6],
      [3, 1, ZHONGNING, 1],
    ]);
    expect(result.unranked).toEqual([{ reason: 'NOT_REPORTED', count: 1 }]);
    expect(result.overall.value).toBe(13);
  });

  it('keeps the agencies tied with the last one inside limit unless withTies is false', async () => {
    const names = async (withTies: boolean) =>
      answered(await ranking(runner, { spec: GRANTED, year: 2022, limit: 1, withTies })).entries.map(
        (e) => e.agency.name,
      );
    expect(await names(true)).toEqual([EDUCATION, SHAPOTOU]);
    expect(await names(false)).toEqual([EDUCATION]);
  });

  it('ranks the lowest first with ASC', async () => {
    const result = answered(await ranking(runner, { spec: RATE, year: 2022, order: 'ASC' }));
    expect(result.entries.map((e) => [e.rank, e.agency.name])).toEqual([
      [1, ZHONGNING],
      [2, SHAPOTOU],
      [3, EDUCATION],
    ]);
  });

  it('takes its one year as `year`, not from the filter', async () => {
    expect(await ranking(runner, { spec: GRANTED, year: 2022, filter: { years: [2021] } })).toMatchObject({
      ok: false,
      issue: { argument: 'filter.years' },
    });
  });
});
