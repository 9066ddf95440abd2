/**
 * PostGraphile v5 + @graphile/pg-aggregates over the same database (schema public), run
 * in-process for the side-by-side figures of scripts/bench.ts. Its generated API offers
 * equality `condition`s on indexed columns, relations and aggregates of a table's own
 * columns, so each shape gets the closest query a PostGraphile user could write; what the
 * client still has to do (filtering, ranking) is done here and timed with it.
 */
import { PgAggregatesPreset } from '@graphile/pg-aggregates';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafast } from 'postgraphile/grafast';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { cellSlot } from '../../src/catalogue/slots.ts';
import type { PostGraphileBench, PostGraphileOptions } from './contract.ts';

// PostGraphile 5.1 targets Node 22 and calls Promise.withResolvers, which Node 20 lacks; without
// it every query fails inside grafast ("reading 'items'"). Only this benchmark process needs it.
if (!('withResolvers' in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export async function createPostGraphileBench(options: PostGraphileOptions): Promise<PostGraphileBench> {
  const pool = new pg.Pool({ connectionString: options.connectionString });
  pool.on('error', () => {});
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset, PgAggregatesPreset],
    // Our own pool, ended on release: PostGraphile does not end a pool it was given, and one it
    // made itself outlived release and logged the database's shutdown as a client error.
    pgServices: [makePgService({ pool, schemas: ['public'] })],
  });
  const { schema, resolvedPreset } = await pgl.getSchemaResult();
  const query = async (source: string) => {
    const result = await grafast({ schema, source, resolvedPreset, requestContext: {} });
    if (!('data' in result) && !('errors' in result)) throw new Error('PostGraphile returned a stream');
    if (result.errors?.length) throw new Error(`PostGraphile error: ${result.errors[0]?.message}`);
    // Serialised like an HTTP response body, as our side is (yoga.fetch → JSON).
    return JSON.parse(JSON.stringify(result.data)) as Record<string, unknown>;
  };
  // A revision's figures are one row of slot-indexed arrays; PostGraphile returns the arrays
  // and the client picks the slots it needs (as a generated client would).
  const figures = 'revisionFigureByRevisionId { intValues decimalValues statuses }';
  const perAgency = (cells: string) =>
    options.agencyIds
      .map(
        (id, i) =>
          `a${i}: agencyByRowId(rowId: ${id}) { name reportsByAgencyId(orderBy: YEAR_ASC) { nodes { year reportRevisionByCurrentRevisionId { ${cells} } } } }`,
      )
      .join('\n');
  const compare = `{ ${perAgency(figures)} }`;
  const series = `{ ${perAgency(figures)} }`;
  // statuses is bytea (base64 in GraphQL): R means the value is in intValues, D in decimalValues.
  const pick = (f: Figures | null | undefined, code: string) => {
    const slot = cellSlot(code);
    const status = f ? String.fromCharCode(Buffer.from(f.statuses, 'base64')[slot - 1] ?? 0) : '';
    if (status === 'R') return f?.intValues?.[slot - 1] ?? null;
    if (status === 'D') return Number(f?.decimalValues?.[String(slot)]);
    return null;
  };
  type Figures = {
    statuses: string;
    intValues: number[] | null;
    decimalValues: Record<string, string> | null;
  };
  type PerAgency = Record<
    string,
    {
      name: string;
      reportsByAgencyId: {
        nodes: {
          year: number;
          reportRevisionByCurrentRevisionId: { revisionFigureByRevisionId: Figures | null } | null;
        }[];
      };
    }
  >;
  const valuesOf = (data: PerAgency, codes: string[]) =>
    Object.values(data).map((a) => ({
      name: a.name,
      years: a.reportsByAgencyId.nodes.map((n) => ({
        year: n.year,
        values: codes.map((c) => pick(n.reportRevisionByCurrentRevisionId?.revisionFigureByRevisionId, c)),
      })),
    }));
  const { year, level, code, limit } = options.ranking;
  const ranking = `{ allReports(condition: {year: ${year}}) { nodes { agencyByAgencyId { name level }
    reportRevisionByCurrentRevisionId { ${figures} } } } }`;

  type RankingRow = {
    agencyByAgencyId: { name: string; level: string | null } | null;
    reportRevisionByCurrentRevisionId: { revisionFigureByRevisionId: Figures | null } | null;
  };
  return {
    shapes: {
      compare: {
        run: async () => valuesOf((await query(compare)) as PerAgency, options.compareCodes),
        note: 'one aliased agencyByRowId per agency; the client picks the cells out of the figure arrays; ratio metrics left to the client',
      },
      series: {
        run: async () => valuesOf((await query(series)) as PerAgency, [options.seriesCode]),
        note: 'per-agency points only; per-year totals left to the client',
      },
      ranking: {
        run: async () => {
          const data = (await query(ranking)) as { allReports: { nodes: RankingRow[] } };
          return data.allReports.nodes
            .filter((n) => n.agencyByAgencyId?.level === level)
            .map((n) => ({
              name: n.agencyByAgencyId?.name,
              value:
                pick(n.reportRevisionByCurrentRevisionId?.revisionFigureByRevisionId, code) ?? Number.NaN,
            }))
            .filter((n) => !Number.isNaN(n.value))
            .sort((a, b) => b.value - a.value)
            .slice(0, limit);
        },
        note: 'agency.level has no condition (not indexed): fetches every report of the year, the client filters and ranks',
      },
      rollup: {
        unsupported:
          'not expressible: pg-aggregates groups a table by its own columns; province (agency) and year (report) are on other tables than the figures, which are array elements',
      },
      outcome: {
        unsupported:
          'not expressible: no prefix filter on region_code and no cross-table grouping or array-element sums; the client would have to download the figures of every report of the province',
      },
    },
    release: async () => {
      await pgl.release();
      await pool.end();
    },
  };
}
