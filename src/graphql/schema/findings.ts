/**
 * Auditor queries over findings: a filtered connection, counts per agency and per region
 * by year (SQL aggregates) and the rule catalogue. validateReport lives in validate.ts.
 */
import { queryFromInfo } from '@pothos/plugin-prisma';
import { GraphQLError } from 'graphql';
import { RULES } from '../../catalogue/identities.ts';
import { Prisma } from '../../store/db.ts';
import type { Agency } from '../../store/prisma-client/client.ts';
import { regionCodePrefix } from '../../store/regions.ts';
import { builder } from '../builder.ts';

import { AgencyRef, escapeLike } from './agency.ts';
import { AdministrativeLevelEnum, AgencyKindEnum } from './catalogue.ts';
import {
  FindingRuleEnum,
  FindingRuleInfoRef,
  FindingSeverityEnum,
  FindingStatusEnum,
} from './finding-types.ts';

type Level = 'NATIONAL' | 'PROVINCE' | 'CITY' | 'COUNTY' | 'TOWNSHIP';
type Kind = 'GOVERNMENT' | 'DEPARTMENT' | 'OTHER';

interface FindingFilterInput {
  rules?: string[] | null;
  severity?: 'ERROR' | 'WARNING' | 'INFO' | null;
  status?: 'VIOLATED' | 'INCOMPLETE' | null;
  regionCode?: string | null;
  level?: Level | null;
  kind?: Kind | null;
  years?: number[] | null;
  agencyId?: { id: string } | null;
  includeSuperseded?: boolean | null;
}

const FindingFilter = builder.inputType('FindingFilter', {
  description: 'Narrows findings. All given conditions must hold; omitted ones do not filter.',
  fields: (t) => ({
    rules: t.field({
      type: [FindingRuleEnum],
      required: false,
      description:
        'Any of these rules, e.g. [T3_BALANCE, T3_OUTCOMES_SUM, T3_TOTAL_COLUMN] for "table 3 does not add up".',
    }),
    severity: t.field({ type: FindingSeverityEnum, required: false, description: 'Only this severity.' }),
    status: t.field({
      type: FindingStatusEnum,
      required: false,
      description: 'VIOLATED (does not add up) or INCOMPLETE (could not be checked).',
    }),
    regionCode: t.string({
      required: false,
      description:
        'GB/T 2260 code of the agency region; matches the division and every division under it (640500 includes 640502).',
    }),
    level: t.field({
      type: AdministrativeLevelEnum,
      required: false,
      description: 'Level of the agency, e.g. COUNTY.',
    }),
    kind: t.field({
      type: AgencyKindEnum,
      required: false,
      description: 'Kind of agency, e.g. DEPARTMENT.',
    }),
    years: t.intList({ required: false, description: 'Report years, e.g. [2022].' }),
    agencyId: t.globalID({ required: false, description: 'Global id of one agency.' }),
    includeSuperseded: t.boolean({
      required: false,
      description:
        'Also return findings of revisions that a later import replaced. Default false: only the current figures of each report count.',
    }),
  }),
});

/** Region codes nest by prefix (640000 ⊃ 640500 ⊃ 640502); a code that is not GB/T 2260 is a user error. */
function regionPrefix(code: string): string {
  const prefix = regionCodePrefix(code);
  if (!prefix) {
    throw new GraphQLError(
      `regionCode "${code}" is not a GB/T 2260 code (six digits, or nine for a township).`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  return prefix;
}

function agencyWhere(filter: FindingFilterInput | null | undefined) {
  return {
    ...(filter?.regionCode ? { regionCode: { startsWith: regionPrefix(filter.regionCode) } } : {}),
    ...(filter?.level ? { level: filter.level } : {}),
    ...(filter?.kind ? { kind: filter.kind } : {}),
    ...(filter?.agencyId ? { id: Number(filter.agencyId.id) } : {}),
  };
}

function findingWhere(filter: FindingFilterInput | null | undefined) {
  const report = {
    ...(filter?.years?.length ? { year: { in: filter.years } } : {}),
    agency: agencyWhere(filter),
  };
  return {
    ...(filter?.rules?.length ? { ruleId: { in: filter.rules } } : {}),
    ...(filter?.severity ? { severity: filter.severity } : {}),
    ...(filter?.status ? { status: filter.status } : {}),
    revision: filter?.includeSuperseded ? { report } : { currentOf: { is: report } },
  };
}

/** The same conditions as SQL over `report r JOIN agency a` and `finding f`. */
function sqlConditions(filter: FindingFilterInput | null | undefined) {
  const report: Prisma.Sql[] = [Prisma.sql`r.current_revision_id IS NOT NULL`];
  if (filter?.years?.length) report.push(Prisma.sql`r.year = ANY(${filter.years})`);
  if (filter?.regionCode) {
    report.push(Prisma.sql`a.region_code LIKE ${`${escapeLike(regionPrefix(filter.regionCode))}%`}`);
  }
  if (filter?.level) report.push(Prisma.sql`a.level = ${filter.level}::"AdministrativeLevel"`);
  if (filter?.kind) report.push(Prisma.sql`a.kind = ${filter.kind}::"AgencyKind"`);
  if (filter?.agencyId) report.push(Prisma.sql`a.id = ${Number(filter.agencyId.id)}`);
  const finding: Prisma.Sql[] = [Prisma.sql`f.revision_id = r.current_revision_id`];
  if (filter?.rules?.length) finding.push(Prisma.sql`f.rule_id = ANY(${filter.rules})`);
  if (filter?.severity) finding.push(Prisma.sql`f.severity = ${filter.severity}::"FindingSeverity"`);
  if (filter?.status) finding.push(Prisma.sql`f.status = ${filter.status}::"FindingStatus"`);
  return { report: Prisma.join(report, ' AND '), finding: Prisma.join(finding, ' AND ') };
}

interface Counts {
  reports: number;
  reportsWithFindings: number;
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
}

const COUNT_COLUMNS = Prisma.sql`
  count(DISTINCT r.id)::int AS reports,
  count(DISTINCT r.id) FILTER (WHERE f.id IS NOT NULL)::int AS "reportsWithFindings",
  count(f.id)::int AS findings,
  count(f.id) FILTER (WHERE f.severity = 'ERROR')::int AS errors,
  count(f.id) FILTER (WHERE f.severity = 'WARNING')::int AS warnings,
  count(f.id) FILTER (WHERE f.severity = 'INFO')::int AS infos`;

const FindingTallyInterface = builder.interfaceRef<Counts>('FindingTally').implement({
  description: 'Counts of the findings matching a filter, over the current revisions of a set of reports.',
  fields: (t) => ({
    reports: t.exposeInt('reports', { description: 'Reports matching the report conditions of the filter.' }),
    reportsWithFindings: t.exposeInt('reportsWithFindings', {
      description: 'Of those, reports with at least one matching finding.',
    }),
    findings: t.exposeInt('findings', { description: 'Matching findings.' }),
    errors: t.exposeInt('errors', { description: 'Matching findings of severity ERROR.' }),
    warnings: t.exposeInt('warnings', { description: 'Matching findings of severity WARNING.' }),
    infos: t.exposeInt('infos', { description: 'Matching findings of severity INFO.' }),
  }),
});

interface AgencyCountRow extends Counts {
  agencyId: number;
  year: number;
}

const AgencyFindingCountRef = builder
  .objectRef<AgencyCountRow & { agency: Agency }>('AgencyFindingCount')
  .implement({
    description: "Findings of one agency's report for one year (its current revision).",
    interfaces: [FindingTallyInterface],
    fields: (t) => ({
      agency: t.field({
        type: AgencyRef,
        description: 'The agency.',
        resolve: (row) => row.agency,
      }),
      year: t.exposeInt('year', { description: 'Report year.' }),
    }),
  });

interface RegionCountRow extends Counts {
  regionCode: string | null;
  regionName: string | null;
  year: number;
}

const RegionFindingCountRef = builder.objectRef<RegionCountRow>('RegionFindingCount').implement({
  description: 'Findings of the reports of every agency in one region, for one year.',
  interfaces: [FindingTallyInterface],
  fields: (t) => ({
    regionCode: t.exposeString('regionCode', {
      nullable: true,
      description:
        'GB/T 2260 code of the region at the level grouped by; null for agencies whose region is unknown (or when grouping by NATIONAL).',
    }),
    regionName: t.exposeString('regionName', {
      nullable: true,
      description: 'Name of the region, when it is in the region table.',
    }),
    year: t.exposeInt('year', { description: 'Report year.' }),
  }),
});

/** Length of the region-code prefix that identifies a division of each level. */
const PREFIX_LENGTH: Record<Level, number> = { NATIONAL: 0, PROVINCE: 2, CITY: 4, COUNTY: 6, TOWNSHIP: 9 };

const MAX_ROWS = 1000;

function checkedLimit(limit: number | null | undefined): number {
  const value = limit ?? 100;
  if (value < 1 || value > MAX_ROWS) {
    throw new GraphQLError(`limit must be between 1 and ${MAX_ROWS}, got ${value}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

builder.queryFields((t) => ({
  findingRules: t.field({
    type: [FindingRuleInfoRef],
    description:
      'Every validation rule, with its severity and a one-line explanation in Chinese and English.',
    resolve: () => [...RULES],
  }),
  findings: t.prismaConnection(
    {
      type: 'Finding',
      cursor: 'id',
      description:
        'Findings across agencies and years, for auditors. Only current revisions unless includeSuperseded. A Relay connection ordered by id.',
      args: {
        filter: t.arg({
          type: FindingFilter,
          required: false,
          description: 'Conditions; omit for all findings.',
        }),
      },
      totalCount: (_connection, { filter }, { db }) => db.finding.count({ where: findingWhere(filter) }),
      resolve: (query, _root, { filter }, { db }) =>
        db.finding.findMany({ ...query, where: findingWhere(filter), orderBy: { id: 'asc' } }),
    },
    {
      fields: (c) => ({
        // Replaces the plugin's own totalCount field only to document it.
        totalCount: c.int({
          description: 'Number of findings matching the filter, over all pages.',
          extensions: { pothosPrismaTotalCount: true },
          resolve: (connection) =>
            (connection as { totalCount?: () => number | Promise<number> }).totalCount?.() ?? 0,
        }),
      }),
    },
  ),
  findingCountsByAgency: t.field({
    type: [AgencyFindingCountRef],
    description:
      'Counts of matching findings per agency and year, computed in PostgreSQL, most findings first. Reports with no matching finding are included with zeros.',
    args: {
      filter: t.arg({
        type: FindingFilter,
        required: false,
        description: 'Conditions (includeSuperseded is ignored: counts are of current revisions).',
      }),
      limit: t.arg.int({ required: false, description: `Rows to return, 1–${MAX_ROWS}; default 100.` }),
    },
    resolve: async (_root, { filter, limit }, context, info) => {
      const { db } = context;
      const where = sqlConditions(filter);
      const rows = await db.$queryRaw<AgencyCountRow[]>`
        SELECT a.id AS "agencyId", r.year, ${COUNT_COLUMNS}
        FROM report r
        JOIN agency a ON a.id = r.agency_id
        LEFT JOIN finding f ON ${where.finding}
        WHERE ${where.report}
        GROUP BY a.id, r.year
        ORDER BY count(f.id) DESC, r.year DESC, a.id
        LIMIT ${checkedLimit(limit)}`;
      const agencies = await db.agency.findMany({
        ...queryFromInfo({ context, info, typeName: 'Agency', path: ['agency'] }),
        where: { id: { in: rows.map((r) => r.agencyId) } },
      });
      const byId = new Map(agencies.map((a) => [a.id, a]));
      return rows.flatMap((row) => {
        const agency = byId.get(row.agencyId);
        return agency ? [{ ...row, agency }] : [];
      });
    },
  }),
  findingCountsByRegion: t.field({
    type: [RegionFindingCountRef],
    description:
      'Counts of matching findings per region and year, computed in PostgreSQL. Agencies are grouped into the division of the chosen level that contains them (a city department stays at its city when grouping by county).',
    args: {
      filter: t.arg({
        type: FindingFilter,
        required: false,
        description: 'Conditions (includeSuperseded is ignored: counts are of current revisions).',
      }),
      groupBy: t.arg({
        type: AdministrativeLevelEnum,
        required: false,
        description: 'Level of the regions to group into; default PROVINCE. NATIONAL gives one row per year.',
      }),
    },
    resolve: (_root, { filter, groupBy }, { db }) => {
      const where = sqlConditions(filter);
      const length = PREFIX_LENGTH[groupBy ?? 'PROVINCE'];
      const group =
        length === 0
          ? Prisma.sql`NULL::text`
          : length <= 6
            ? Prisma.sql`rpad(left(a.region_code, ${length}), 6, '0')`
            : Prisma.sql`left(a.region_code, ${length})`;
      return db.$queryRaw<RegionCountRow[]>`
        SELECT c.*, g.name AS "regionName"
        FROM (
          SELECT ${group} AS "regionCode", r.year, ${COUNT_COLUMNS}
          FROM report r
          JOIN agency a ON a.id = r.agency_id
          LEFT JOIN finding f ON ${where.finding}
          WHERE ${where.report}
          GROUP BY 1, r.year
        ) c
        LEFT JOIN region g ON g.code = c."regionCode"
        ORDER BY c."regionCode" NULLS LAST, c.year`;
    },
  }),
}));
