/**
 * Auditor queries over findings: a filtered connection, counts per agency and per region
 * by year (SQL aggregates in src/comparison/finding-counts.ts) and the rule catalogue.
 * validateReport lives in validate.ts.
 */
import { queryFromInfo } from '@pothos/plugin-prisma';
import { RULES } from '../../catalogue/identities.ts';
import {
  type AgencyFindingCounts,
  checkFindingFilter,
  type FindingCounts,
  type FindingFilter as FindingFilterSpec,
  findingCountsByAgency,
  findingCountsByRegion,
  MAX_COUNT_ROWS,
  type RegionFindingCounts,
} from '../../comparison/finding-counts.ts';
import { findingWhere } from '../../comparison/finding-list.ts';
import type { AgencyRow } from '../../comparison/types.ts';
import { builder } from '../builder.ts';
import { AgencyRef, SYNTHETIC_FILTER_DESCRIPTION } from './agency.ts';
import { AdministrativeLevelEnum, AgencyKindEnum } from './catalogue.ts';
import { agencyParent, invalidInput, runnerOf, unwrap } from './comparison/shared.ts';
import { checkedMaxSize, idsBeyond, listCursors, listPage } from './cursor.ts';
import { InvalidInputError, invalidInputError } from './errors.ts';
import {
  FindingRuleEnum,
  FindingRuleInfoRef,
  FindingSeverityEnum,
  FindingStatusEnum,
} from './finding-types.ts';
import { rowIdOf } from './ids.ts';

const FindingFilter = builder.inputType('FindingFilter', {
  description:
    'Narrows findings. All given conditions must hold; omitted ones do not filter. A list (`rules`, `years`) means any of its entries, and an empty list is refused: leave the field out for all.',
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
    agencyId: t.id({
      required: false,
      description:
        'Global id of one agency. An id of another type, or one this API never gave out, is refused as InvalidInputError naming filter.agencyId.',
    }),
    synthetic: t.boolean({ required: false, description: SYNTHETIC_FILTER_DESCRIPTION }),
    includeSuperseded: t.boolean({
      required: false,
      description:
        'Also return findings of revisions that a later import replaced. Default false: only the current figures of each report count.',
    }),
  }),
});

type FindingFilterArgs = typeof FindingFilter.$inferInput;

/**
 * The filter as the services take it: its agency conditions become the one agency filter. An
 * agencyId that is not an agency's id is refused as InvalidInputError, which every field
 * taking this filter has in its error union.
 */
function toFindingFilter(filter: FindingFilterArgs | null | undefined): FindingFilterSpec | null {
  if (!filter) return null;
  return {
    rules: filter.rules ?? null,
    severity: filter.severity ?? null,
    status: filter.status ?? null,
    years: filter.years ?? null,
    includeSuperseded: filter.includeSuperseded ?? null,
    agency: {
      regionCode: filter.regionCode ?? null,
      levels: filter.level ? [filter.level] : null,
      kinds: filter.kind ? [filter.kind] : null,
      ids:
        filter.agencyId != null
          ? [rowIdOf(filter.agencyId, 'Agency', 'filter.agencyId', invalidInputError)]
          : null,
      synthetic: filter.synthetic ?? null,
    },
  };
}

const FindingTallyInterface = builder.interfaceRef<FindingCounts>('FindingTally').implement({
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

const AgencyFindingCountRef = builder
  .objectRef<AgencyFindingCounts & { agency: AgencyRow }>('AgencyFindingCount')
  .implement({
    description: "Findings of one agency's report for one year (its current revision).",
    interfaces: [FindingTallyInterface],
    fields: (t) => ({
      agency: t.field({
        type: AgencyRef,
        description: 'The agency.',
        resolve: (row) => agencyParent(row.agency),
      }),
      year: t.exposeInt('year', { description: 'Report year.' }),
    }),
  });

const RegionFindingCountRef = builder.objectRef<RegionFindingCounts>('RegionFindingCount').implement({
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

/**
 * The `errors` option of a count field: a list cannot be a union member itself, so the
 * counts come wrapped in `<name>Success.counts`, or InvalidInputError.
 */
const countErrors = (name: string, counts: string) => ({
  types: [InvalidInputError],
  union: { name: `${name}Result`, description: 'The counts, or why the filter cannot be answered.' },
  result: { name: `${name}Success`, description: 'The counts asked for.' },
  dataField: { name: 'counts', description: counts },
});

/** Made when the schema is built, as reportCursors (report.ts) is. */
const findingCursors = () =>
  listCursors<{ id: number }>(
    (finding) => ({ list: 'findings', at: { id: finding.id } }),
    'Number of findings matching the filter, over all pages.',
  );

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
      errors: invalidInput('FindingsResult', 'The findings'),
      args: {
        filter: t.arg({
          type: FindingFilter,
          required: false,
          description: 'Conditions; omit for all findings.',
        }),
      },
      maxSize: checkedMaxSize(invalidInputError, (args: { filter?: FindingFilterArgs | null }) => {
        const issue = checkFindingFilter(toFindingFilter(args.filter));
        if (issue) throw new InvalidInputError(issue.message, issue.argument);
      }),
      totalCount: (_connection, { filter }, { db }) =>
        db.finding.count({ where: findingWhere(toFindingFilter(filter)) }),
      resolve: (query, _root, args, { db }) => {
        const spec = toFindingFilter(args.filter);
        const page = listPage(query, args, 'findings', invalidInputError);
        return db.finding.findMany({
          ...page.load,
          take: page.take,
          where: { AND: [findingWhere(spec), idsBeyond(page)] },
          orderBy: { id: 'asc' },
        });
      },
    },
    findingCursors().connection,
    findingCursors().edge,
  ),
  findingCountsByAgency: t.field({
    type: [AgencyFindingCountRef],
    description:
      'Counts of matching findings per agency and year, computed in PostgreSQL, most findings first. Reports with no matching finding are included with zeros.',
    errors: countErrors('FindingCountsByAgency', 'One row per agency and year, most findings first.'),
    args: {
      filter: t.arg({
        type: FindingFilter,
        required: false,
        description: 'Conditions (includeSuperseded is ignored: counts are of current revisions).',
      }),
      limit: t.arg.int({
        required: false,
        defaultValue: 100,
        description: `Rows to return, 0–${MAX_COUNT_ROWS}; default 100.`,
      }),
      offset: t.arg.int({
        required: false,
        defaultValue: 0,
        description:
          'Rows to skip first, for the next page: `offset: 1000` after a first page of `limit: 1000`. The order is total (findings, then year, then agency), so pages neither skip nor repeat a row while nothing is imported.',
      }),
    },
    resolve: async (_root, { filter, limit, offset }, context, info) => {
      const rows = unwrap(
        await findingCountsByAgency(runnerOf(context), { filter: toFindingFilter(filter), limit, offset }),
      );
      const agencies = await context.db.agency.findMany({
        ...queryFromInfo({ context, info, typeName: 'Agency', path: ['counts', 'agency'] }),
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
    errors: countErrors(
      'FindingCountsByRegion',
      'One row per region and year, by region code (unknown regions last), then year.',
    ),
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
    resolve: async (_root, { filter, groupBy }, context) =>
      unwrap(await findingCountsByRegion(runnerOf(context), { filter: toFindingFilter(filter), groupBy })),
  }),
}));
