/**
 * The administrative hierarchy of the national standard GB/T 2260: the levels and kinds of
 * agencies, the rules of division codes, and placing an agency in a division by its name.
 * Pure data and functions; loading the division list and storing it is store/regions.ts.
 */

import { leadingShortProvince, provinceNamed } from './agency-names.ts';

export interface AgencyLevelInfo {
  zh: string;
  en: string;
  description: string;
  /** Digits of a division code its descendants share: 64 ⊃ 6405 ⊃ 640502 ⊃ 640502001. */
  prefixLength: number;
}

/** Levels of government, top down; every level but NATIONAL is a level of divisions. */
export const AGENCY_LEVEL_INFO = {
  NATIONAL: {
    zh: '国家级',
    en: 'National',
    description: 'Central government (国务院 and its ministries).',
    prefixLength: 0,
  },
  PROVINCE: {
    zh: '省级',
    en: 'Province',
    description: 'Province, autonomous region or municipality (省级).',
    prefixLength: 2,
  },
  CITY: { zh: '市级', en: 'City', description: 'Prefecture-level city (地市级).', prefixLength: 4 },
  COUNTY: {
    zh: '县级',
    en: 'County',
    description: 'County, district or county-level city (县级).',
    prefixLength: 6,
  },
  TOWNSHIP: {
    zh: '乡镇级',
    en: 'Township',
    description: 'Township, town or sub-district (乡镇、街道).',
    prefixLength: 9,
  },
} as const satisfies Record<string, AgencyLevelInfo>;

export type AgencyLevel = keyof typeof AGENCY_LEVEL_INFO;
export const AGENCY_LEVELS = Object.keys(AGENCY_LEVEL_INFO) as AgencyLevel[];

export type RegionLevel = Exclude<AgencyLevel, 'NATIONAL'>;
export const REGION_LEVELS = AGENCY_LEVELS.filter((l): l is RegionLevel => l !== 'NATIONAL');

export const AGENCY_KIND_INFO = {
  GOVERNMENT: {
    zh: '人民政府',
    description:
      "A people's government (人民政府), a sub-district office (街道办事处), or a zone that governs a division under its own name (平潭综合实验区).",
  },
  DEPARTMENT: { zh: '政府部门', description: 'A department of a government (局, 委, 办…).' },
  OTHER: { zh: '其他机关', description: 'Any other body that publishes a report.' },
} as const satisfies Record<string, { zh: string; description: string }>;

export type AgencyKind = keyof typeof AGENCY_KIND_INFO;
export const AGENCY_KINDS = Object.keys(AGENCY_KIND_INFO) as AgencyKind[];

/**
 * Places that publish under a name the division list does not carry: a special zone whose
 * management committee (管理委员会) governs a division. Its reports are titled by the zone's name
 * alone (平潭综合实验区2021年政府信息公开工作年度报告), its departments by the name and theirs
 * (平潭综合实验区财政金融局).
 */
export const REGION_ALIASES: readonly { name: string; code: string }[] = [
  // 平潭县 (Fuzhou), governed by the 平潭综合实验区管理委员会 since 2011.
  { name: '平潭综合实验区', code: '350128' },
];

/** The aliases whose names occur in an agency's name. */
export const aliasesIn = (agencyName: string) => REGION_ALIASES.filter((a) => agencyName.includes(a.name));

/**
 * A people's government (…人民政府, …街道办事处, or a zone that governs a division under its own
 * name: 平潭综合实验区, …管理委员会) or one of its departments (…局, …人民政府办公室).
 */
export function agencyKindOf(name: string): Exclude<AgencyKind, 'OTHER'> {
  if (/(人民政府|街道办事处)$/.test(name)) return 'GOVERNMENT';
  // A place's name alone is its government's: 北京市2023年政府信息公开工作年度报告 is the report of
  // 北京市人民政府, as provinces and cities title theirs.
  if (PLACE_ONLY.test(name)) return 'GOVERNMENT';
  const zone = aliasesIn(name).some((a) => new RegExp(`${a.name}(?:管理委员会|管委会)?$`).test(name));
  return zone ? 'GOVERNMENT' : 'DEPARTMENT';
}

/** A name that is a division's name and nothing more: ends as divisions end, in no agency's word. */
const PLACE_ONLY =
  /^[\u4E00-\u9FFF]{1,20}(?:省|市|自治区|特别行政区|自治州|地区|盟|县|自治县|旗|自治旗|(?<!社|园|开发|景|保护|试验|实验)区)$/;

/** Digits of a code that its descendants share, by level. */
export const REGION_PREFIX_LENGTH = Object.fromEntries(
  REGION_LEVELS.map((l) => [l, AGENCY_LEVEL_INFO[l].prefixLength]),
) as Record<RegionLevel, number>;

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

/** Whether `code` is the division `divisionCode` or lies under it (640502 is in 640500). */
export function isInRegion(code: string, divisionCode: string): boolean {
  const prefix = regionCodePrefix(divisionCode);
  return prefix !== null && code.startsWith(prefix);
}

/** Level of a division from its code alone; null when the text is not a code. */
export function regionLevelOfCode(code: string): RegionLevel | null {
  const prefix = regionCodePrefix(code);
  if (prefix === null) return null;
  return REGION_LEVELS.find((l) => REGION_PREFIX_LENGTH[l] === prefix.length) ?? null;
}

/**
 * The code of the division at `level` that contains `code` (640502 at CITY → 640500), or null
 * when `code` is not a code or lies above that level. Six-digit levels pad with zeros.
 */
export function regionCodeAt(code: string, level: RegionLevel): string | null {
  const prefix = regionCodePrefix(code);
  const length = REGION_PREFIX_LENGTH[level];
  if (prefix === null || prefix.length < length) return null;
  return length > 6 ? prefix.slice(0, length) : prefix.slice(0, length).padEnd(6, '0');
}

/** A division of GB/T 2260: six-digit code (nine for townships), name, level and parent. */
export interface RegionRow {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
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

/** Where an agency name names its region: the region, and the run of region names ending in it. */
export interface RegionSpan {
  region: RegionRow;
  /** The run of names down to the region, written one after another (宁夏回族自治区中卫市沙坡头区). */
  start: number;
  end: number;
}

/**
 * Picks the region an agency name refers to among the regions whose names occur in it.
 * Names are read as a chain down the hierarchy (宁夏回族自治区 → 中卫市 → 沙坡头区), in order and
 * without overlap; the chain covering the most characters wins, so 沙坡头区 beats 坡头区.
 * Equal best chains ending in different regions (朝阳区 alone: Beijing's or Changchun's?) give null.
 * The span is the chain's last names that are written without a gap, ending in the region.
 */
export function regionSpan(agencyName: string, candidates: readonly RegionRow[]): RegionSpan | null {
  const occurrences: { region: RegionRow; start: number; end: number }[] = [];
  for (const region of candidates.filter(matchable)) {
    for (let at = agencyName.indexOf(region.name); at >= 0; at = agencyName.indexOf(region.name, at + 1)) {
      occurrences.push({ region, start: at, end: at + region.name.length });
    }
  }
  occurrences.sort((a, b) => a.start - b.start || b.end - a.end);
  const score = occurrences.map(() => 0);
  // The occurrence the best chain reaching each one came through, to walk the chain back.
  const through = occurrences.map(() => -1);
  for (const [i, o] of occurrences.entries()) {
    let before = 0;
    for (let j = 0; j < i; j++) {
      const p = occurrences[j];
      if (p && p.end <= o.start && isAncestor(p.region, o.region) && (score[j] ?? 0) > before) {
        before = score[j] ?? 0;
        through[i] = j;
      }
    }
    score[i] = before + (o.end - o.start);
  }
  const best = Math.max(0, ...score);
  const winners = new Set(occurrences.filter((_, i) => score[i] === best).map((o) => o.region.code));
  if (best === 0 || winners.size !== 1) return null;
  let at = score.indexOf(best);
  const last = occurrences[at];
  if (!last) return null;
  let start = last.start;
  for (let j = through[at] ?? -1; j >= 0 && occurrences[j]?.end === start; j = through[at] ?? -1) {
    at = j;
    start = occurrences[j]?.start ?? start;
  }
  return { region: last.region, start, end: last.end };
}

/** The region an agency name refers to (see regionSpan), or null. */
export function pickRegion(agencyName: string, candidates: readonly RegionRow[]): RegionRow | null {
  return regionSpan(agencyName, candidates)?.region ?? null;
}

/**
 * The key under which one agency's reports are kept together whatever its name says of its place:
 * the name with its run of region names written as the code of the region they end in. So
 * 宁夏回族自治区中卫市沙坡头区财政局, 中卫市沙坡头区财政局 and 沙坡头区财政局 are one agency
 * ({640502}财政局), 国家税务总局宁夏回族自治区中卫市沙坡头区税务局 and 国家税务总局中卫市沙坡头区税务局
 * another, while 中卫市财政局 ({640500}财政局) stays apart. A name whose region is unknown or
 * ambiguous (朝阳区人民政府) is its own key; with its province, even written short (北京朝阳区人民政府),
 * it is not. Half-width brackets are read as full-width ones.
 *
 * Only provinces, cities and counties name the place: the township list holds a few hundred
 * entries named like agencies or zones (林业局, 高新区, 社会事务局), which would make 鸡西市林业局
 * and 鸡东县林业局 one agency. A township's name stays in the key (…{640502}文昌镇人民政府).
 */
export function agencyIdentityKey(agencyName: string, candidates: readonly RegionRow[]): string {
  const name = agencyName.replace(/\(/g, '（').replace(/\)/g, '）');
  const places = candidates.filter((r) => r.level !== 'TOWNSHIP');
  // A name may start with its province written short (宁夏财政厅, 北京朝阳区人民政府): it stands
  // for the province there, so the chain reads on from it as from the full name.
  const short = leadingShortProvince(name);
  if (short)
    places.push({ code: `${short.code}0000`, name: short.short, level: 'PROVINCE', parentCode: null });
  const span = regionSpan(name, withAliases(name, places));
  if (!span) return name;
  // 宁夏中卫市…: the province written short before its places says nothing more. Another
  // province there (北京市 before a place of Hebei) is part of the name.
  const before = name.slice(0, span.start);
  const ownProvince = provinceNamed(before) === span.region.code.slice(0, 2);
  // The place alone (上海市, 淮安市清江浦区) is its government, whose reports its name with
  // 人民政府 after it titles too: one agency, not two.
  // Not a zone's name (平潭综合实验区, whose 管委会 governs 平潭县), nor a park's.
  const government = (before === '' || ownProvince) && aliasesIn(name).length === 0 && PLACE_ONLY.test(name);
  const after = name.slice(span.end) || (government ? '人民政府' : '');
  return `${ownProvince ? '' : before}{${span.region.code}}${after}`;
}

/** The candidates, with the divisions of the aliases in the name standing in it as their alias. */
function withAliases(agencyName: string, candidates: readonly RegionRow[]): readonly RegionRow[] {
  const aliased = aliasesIn(agencyName).flatMap((alias) => {
    const row = candidates.find((r) => r.code === alias.code);
    return row ? [{ ...row, name: alias.name }] : [];
  });
  return aliased.length > 0 ? [...candidates, ...aliased] : candidates;
}

export interface AgencyPlace {
  regionCode: string | null;
  level: AgencyLevel | null;
}

/**
 * Region and administrative level an agency's name implies; the level is that of its region.
 * `candidates` are the divisions whose names occur in it, and the divisions of the aliases that
 * occur in it (REGION_ALIASES), which stand in the name as their alias.
 */
export function placeAgency(agencyName: string, candidates: readonly RegionRow[]): AgencyPlace {
  const all = withAliases(agencyName, candidates);
  let region = pickRegion(agencyName, all);
  if (region?.level === 'TOWNSHIP') {
    // The township list holds entries named like agencies and zones (林业局, 社会事务局,
    // 经济开发区管理委员会), which outscored the places before them: 鸡西市林业局 was placed in
    // a township of 密山市, 宿迁市沭阳县经济开发区管理委员会 in Heilongjiang. A township counts
    // only under its own county named before it, or alone where its name is a town's.
    const above = pickRegion(
      agencyName,
      all.filter((r) => r.level !== 'TOWNSHIP'),
    );
    const own = above ? region.parentCode === above.code : TOWN_NAME.test(region.name);
    if (!own) region = above;
  }
  if (region) return { regionCode: region.code, level: region.level };
  if (/^(国务院|国家|中华人民共和国)/.test(agencyName)) return { regionCode: null, level: 'NATIONAL' };
  return { regionCode: null, level: null };
}

/** A township-level entry's name as towns and parks are named: …镇, …乡, …街道, …苏木, …园区. */
const TOWN_NAME = /(?:镇|乡|街道|苏木|园区|开发区|农场|林场|牧场)$/;

/**
 * The division list indexed by the first two characters of each name, for placing many
 * agencies at once: an import of thousands of names must not scan 40,000 divisions per name.
 */
export class RegionIndex {
  private readonly byBigram = new Map<string, RegionRow[]>();
  private readonly aliased = new Map<string, RegionRow>();
  // Bulk imports repeat an agency's name once per report year (and ask its key per round too).
  private readonly places = new Map<string, AgencyPlace>();
  private readonly keys = new Map<string, string>();

  constructor(regions: readonly RegionRow[]) {
    const aliasCodes = new Set(REGION_ALIASES.map((a) => a.code));
    for (const region of regions) if (aliasCodes.has(region.code)) this.aliased.set(region.code, region);
    for (const region of regions.filter(matchable)) {
      const key = region.name.slice(0, 2);
      const list = this.byBigram.get(key) ?? [];
      list.push(region);
      this.byBigram.set(key, list);
    }
  }

  /** The regions whose names occur in `name`, and those of the aliases that occur in it. */
  candidates(name: string): RegionRow[] {
    const found = new Set<RegionRow>();
    for (const alias of aliasesIn(name)) {
      const region = this.aliased.get(alias.code);
      if (region) found.add(region);
    }
    for (let i = 0; i < name.length - 1; i++) {
      for (const region of this.byBigram.get(name.slice(i, i + 2)) ?? []) {
        if (name.startsWith(region.name, i)) found.add(region);
      }
    }
    return [...found];
  }

  /** The key that keeps an agency's reports together under its names (agencyIdentityKey). */
  identityKey(name: string): string {
    let key = this.keys.get(name);
    if (key === undefined) {
      key = agencyIdentityKey(name, this.candidates(name));
      this.keys.set(name, key);
    }
    return key;
  }

  /** Region and level of an agency by its name, as `placeAgency` gives them. */
  place(name: string): AgencyPlace {
    const known = this.places.get(name);
    if (known) return known;
    const place = placeAgency(name, this.candidates(name));
    this.places.set(name, place);
    return place;
  }
}
