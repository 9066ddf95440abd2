/**
 * What every comparison query shares: the ReportFilter argument, the translation of
 * arguments into service input (an invalid one becomes InvalidInputError), and the typed
 * error result.
 */
import type { TemplateVersion } from '../../../catalogue/template.ts';
import {
  type MetricCondition,
  metricSpec,
  type ReportFilter,
  type Result,
} from '../../../comparison/filter.ts';
import { errorFindingsOf } from '../../../comparison/finding-counts.ts';
import { MAX_ROWS } from '../../../comparison/pipeline.ts';
import type { SqlRunner } from '../../../comparison/sql.ts';
import type { AgencyRow } from '../../../comparison/types.ts';
import { sqlRunner } from '../../../store/sql-runner.ts';
import { builder, type Context } from '../../builder.ts';
import { perRequest } from '../../per-request.ts';
import { AgencyFilter, AgencyRef, agencyFilterInput } from '../agency.ts';
import { TemplateVersionEnum } from '../catalogue.ts';
import { InvalidInputError } from '../errors.ts';
import { MetricInput, type MetricInputArgs } from './metrics.ts';

const MetricConditionInput = builder.inputType('MetricCondition', {
  description:
    'A condition on one metric of each report; every bound given must hold. Bounds no value can meet together (gt 100 with lt 50, or any bound with notReported: true) are refused, not answered as if nothing qualified. Values are compared as the answers give them (double precision), so a value copied from an answer, such as a ratio 0.037037037037037035, selects the report it came from.',
  fields: (t) => ({
    metric: t.field({ type: MetricInput, required: true, description: 'The metric tested.' }),
    gt: t.float({ required: false, description: 'Value greater than this.' }),
    gte: t.float({ required: false, description: 'Value greater than or equal to this.' }),
    lt: t.float({ required: false, description: 'Value less than this.' }),
    lte: t.float({ required: false, description: 'Value less than or equal to this.' }),
    eq: t.float({ required: false, description: 'Value equal to this.' }),
    notReported: t.boolean({
      required: false,
      description:
        'true: only reports that did not report the figure (NOT_REPORTED, UNREADABLE or MISSING); false: only reports with a value.',
    }),
  }),
});

export const ReportFilterInput = builder.inputType('ReportFilter', {
  description:
    'Which reports a comparison covers: agencies, years, template versions and metric conditions. `years` and `templateVersions` mean any of their entries, and an empty list is refused: leave the field out for all. An empty `where` sets no condition.',
  fields: (t) => ({
    agency: t.field({ type: AgencyFilter, required: false, description: 'Which agencies; omit for all.' }),
    years: t.intList({
      required: false,
      description: 'Report years, e.g. [2019, 2020]. Omit for all years.',
    }),
    fromYear: t.int({ required: false, description: 'First report year (instead of `years`).' }),
    toYear: t.int({ required: false, description: 'Last report year (instead of `years`).' }),
    templateVersions: t.field({
      type: [TemplateVersionEnum],
      required: false,
      description: 'Only reports following these template versions.',
    }),
    where: t.field({
      type: [MetricConditionInput],
      required: false,
      description: 'Numeric conditions on metrics; a report must meet all of them.',
    }),
  }),
});

/** The `filter` argument of every comparison query; `description` says what it picks there. */
export const reportFilterArg = (description = 'Which reports; omit for all.') =>
  builder.args((t) => ({ filter: t.field({ type: ReportFilterInput, required: false, description }) }));

/** `limit` and `offset` of a paged comparison, counted in `unit` ("Rows", "Agencies"). */
export const pageArgs = (unit: string) =>
  builder.args((t) => ({
    limit: t.int({
      required: false,
      defaultValue: 1000,
      description: `${unit} to return (at most ${MAX_ROWS}).`,
    }),
    offset: t.int({ required: false, defaultValue: 0, description: `${unit} to skip.` }),
  }));
type ReportFilterArgs = typeof ReportFilterInput.$inferInput;

/** The value of a service result; an input issue becomes the InvalidInputError the field returns. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new InvalidInputError(result.issue.message, result.issue.argument);
  return result.value;
}

export const toSpec = (input: MetricInputArgs, argument: string) =>
  unwrap(
    metricSpec(
      { metric: input.metric, applicant: input.applicant ?? null, transform: input.transform ?? 'VALUE' },
      argument,
    ),
  );

export function toFilter(filter: ReportFilterArgs | null | undefined): ReportFilter | null {
  if (!filter) return null;
  return {
    agency: agencyFilterInput(filter.agency, 'filter.agency'),
    years: filter.years ?? null,
    fromYear: filter.fromYear ?? null,
    toYear: filter.toYear ?? null,
    templateVersions: (filter.templateVersions ?? null) as TemplateVersion[] | null,
    where: (filter.where ?? []).map(
      (c, i): MetricCondition => ({
        spec: toSpec(c.metric, `filter.where[${i}].metric`),
        gt: c.gt,
        gte: c.gte,
        lt: c.lt,
        lte: c.lte,
        eq: c.eq,
        notReported: c.notReported,
      }),
    ),
  };
}

/** The comparison services' SQL runner over the request's database. */
export const runnerOf = (context: Context): SqlRunner => sqlRunner(context.db);

/**
 * Field extensions of a root field answered from the rows of its own SQL statement, with no
 * Prisma loader below it: the server may run queries of such fields compiled
 * (src/server/compiled-execution.ts).
 */
export const answeredFromSql = { extensions: { answeredFromSql: true } } as const;

/** The `errors` option of a field whose result is its payload or InvalidInputError. */
export const invalidInput = (name: string, what: string) => ({
  types: [InvalidInputError],
  directResult: true,
  union: { name, description: `${what}, or why the arguments cannot be answered.` },
});

/**
 * An agency of a comparison row as the Agency type's parent. Rows come from one SQL statement
 * with the agency's own columns but its identity key, which no field of the type reads (it is
 * how imports find the agency, not something to show).
 */
export const agencyParent = (agency: AgencyRow) => ({ ...agency, identityKey: null });

export const agencyField = {
  type: AgencyRef,
  description: 'The agency.',
  resolve: (r: { agency: AgencyRow }) => agencyParent(r.agency),
} as const;

/** The description of the errorFindings field of a ranking entry, a comparison row and a series point. */
export const ERROR_FINDINGS_DESCRIPTION =
  'ERROR findings of the report the values come from: identities of the template that do not hold there (a ratio above 1 comes from such a report); `findings(filter: { agencyId, years, severity: ERROR })` lists them (without `severity` it lists warnings too).';

/** Per request, the batch of each year still collecting agency ids. */
const pendingOf = perRequest(
  () => new Map<number, { ids: Set<number>; counts: Promise<Map<number, number>> }>(),
);

/**
 * The ERROR findings of an agency's report in a year. The rows of one request asking in the
 * same turn are answered by one statement per year (errorFindingsOf), not one each.
 */
export function errorFindings(context: Context, year: number, agencyId: number): Promise<number> {
  const byYear = pendingOf(context);
  let batch = byYear.get(year);
  if (!batch) {
    const ids = new Set<number>();
    // Collected until the resolvers of this turn have run, then asked for at once.
    const counts = Promise.resolve().then(() => {
      byYear.delete(year);
      return errorFindingsOf(runnerOf(context), year, [...ids]);
    });
    batch = { ids, counts };
    byYear.set(year, batch);
  }
  batch.ids.add(agencyId);
  return batch.counts.then((counts) => counts.get(agencyId) ?? 0);
}
