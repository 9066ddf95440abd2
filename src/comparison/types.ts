/** Shapes the comparison services return; the GraphQL layer exposes them as they are. */

import type { AgencyKind as AgencyKindCode, AgencyLevel as AgencyLevelCode } from '../catalogue/regions.ts';
import type { TemplateVersion } from '../catalogue/template.ts';
import type { MetricValue } from './facts.ts';

/** An agency as stored, shaped like the Prisma Agency model so GraphQL can expose it as `Agency`. */
export interface AgencyRow {
  id: number;
  name: string;
  regionCode: string | null;
  level: AgencyLevelCode | null;
  kind: AgencyKindCode | null;
  synthetic: boolean;
  createdAt: Date;
}

export interface ComparisonRow {
  agency: AgencyRow;
  year: number;
  templateVersion: TemplateVersion;
  values: MetricValue[];
  /** With a sort: the row's (or its agency's) rank, equal values sharing it; null unsorted. */
  rank: number | null;
  /** With a sort: rows (or agencies) sharing the sort value. */
  tieCount: number | null;
}

export interface YearTotal {
  year: number;
  reportCount: number;
  values: MetricValue[];
}

export interface Comparison {
  rowCount: number;
  /** Agencies with a row in scope (the unit `limit` and `offset` count with `sort.year`). */
  agencyCount: number;
  rows: ComparisonRow[];
  totals: YearTotal[];
}

export interface SeriesPoint {
  year: number;
  value: MetricValue;
}

export interface AgencySeries {
  agency: AgencyRow;
  points: SeriesPoint[];
}

export interface Series {
  years: number[];
  agencyCount: number;
  series: AgencySeries[];
  totals: SeriesPoint[];
}

export interface RankingEntry {
  rank: number;
  /** Agencies sharing this value (1 when not tied). */
  tieCount: number;
  agency: AgencyRow;
  templateVersion: TemplateVersion;
  value: MetricValue;
}

export interface Ranking {
  year: number;
  /** Agencies in scope with a report for the year, ranked or not. */
  populationSize: number;
  rankedCount: number;
  unranked: { reason: string; count: number }[];
  entries: RankingEntry[];
  overall: MetricValue;
}

export type RollupDimension = 'REGION' | 'LEVEL' | 'KIND' | 'YEAR' | 'TEMPLATE_VERSION';

export interface RegionKey {
  code: string;
  name: string | null;
  level: string | null;
  parentCode: string | null;
}

export interface RollupKey {
  region: RegionKey | null;
  level: AgencyLevelCode | null;
  kind: AgencyKindCode | null;
  year: number | null;
  templateVersion: TemplateVersion | null;
}

export interface MetricAggregate {
  value: MetricValue;
  sum: number | null;
  avg: number | null;
  min: number | null;
  max: number | null;
  median: number | null;
  /** sum, min, max and median as exact decimal text for exactable metrics (valueOut); null otherwise. */
  exactSum: string | null;
  exactMin: string | null;
  exactMax: string | null;
  exactMedian: string | null;
  reportingAgencies: number;
  reportingReports: number;
}

export interface RollupGroup {
  key: RollupKey;
  reportCount: number;
  agencyCount: number;
  aggregates: MetricAggregate[];
}

export interface Rollup {
  groupBy: RollupDimension[];
  groups: RollupGroup[];
}

export interface OutcomeShare {
  value: MetricValue;
  /** Σ of the row / Σ （七）总计, over the reports that printed both. */
  share: number | null;
  /** Σ （七）总计 over the reports that printed both: the base of `share`; null when none printed the row. */
  shareBase: number | null;
  reportingReports: number;
}

export interface OutcomeBreakdown {
  /** Null for the line over all years in scope. */
  year: number | null;
  reportCount: number;
  /** （七）总计 itself. */
  total: OutcomeShare;
  rows: OutcomeShare[];
  groups: OutcomeShare[];
}
