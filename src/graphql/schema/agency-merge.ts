import { type MergedYear, mergeAgencies, mergeAuditEntry } from '../../store/merge-agencies.ts';
import { builder } from '../builder.ts';
import { AgencyRef } from './agency.ts';
import { InvalidInputError } from './errors.ts';

const MergeHowEnum = builder.enumType('AgencyMergeHow', {
  description: 'What a merge did to one year of the merged agency.',
  values: {
    MOVED: { description: 'Only the merged agency had a report that year; the report moved whole.' },
    COMBINED: {
      description:
        "Both had one: the kept agency's report and current revision stay, the merged one's revisions follow its own.",
    },
  } as const,
});

const RenumberedRef = builder.objectRef<{ from: number; to: number }>('RenumberedRevision').implement({
  description: 'A revision of the merged report, with the number it has in the kept one.',
  fields: (t) => ({
    from: t.exposeInt('from', { description: 'Its number in the merged agency’s report.' }),
    to: t.exposeInt('to', { description: 'Its number now.' }),
  }),
});

const MergedYearRef = builder.objectRef<MergedYear>('MergedYear').implement({
  description: 'One year of the merged agency, as the merge filed it.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'Report year.' }),
    how: t.expose('how', {
      type: MergeHowEnum,
      description: 'Moved whole, or combined with the kept report.',
    }),
    renumbered: t.expose('renumbered', {
      type: [RenumberedRef],
      description: 'For COMBINED: the revisions moved, with their new numbers.',
    }),
    mergedCurrent: t.exposeInt('mergedCurrent', {
      nullable: true,
      description:
        'For COMBINED: the number the merged agency’s current revision has now (`useRevision` makes it current).',
    }),
    sameBytes: t.exposeIntList('sameBytes', {
      description:
        'For COMBINED: numbers of revisions with the same bytes as one the kept report holds, dropped for it.',
    }),
  }),
});

builder.mutationField('mergeAgencies', (t) =>
  t.field({
    type: builder
      .objectRef<{ agencyId: number; mergedName: string; years: MergedYear[]; dryRun: boolean }>(
        'AgencyMerge',
      )
      .implement({
        description: 'The agency that now holds both agencies’ reports, and what happened to each year.',
        fields: (f) => ({
          agency: f.prismaField({
            type: AgencyRef,
            description: 'The kept agency.',
            resolve: (query, m, _args, { db }) =>
              db.agency.findUniqueOrThrow({ ...query, where: { id: m.agencyId } }),
          }),
          mergedName: f.exposeString('mergedName', {
            description: 'The name of the agency merged (now deleted, unless this was a dry run).',
          }),
          dryRun: f.exposeBoolean('dryRun', {
            description: 'True when nothing was written: what the merge would do.',
          }),
          years: f.field({
            type: [MergedYearRef],
            description: 'The merged agency’s years, in order.',
            resolve: (m) => m.years,
          }),
        }),
      }),
    description:
      'Files every report of one stored agency under another and deletes the first, in one transaction: one agency stored under two names (`agencies duplicates` on the command line lists those an upgrade found). A year only the first has moves; a year both have becomes one report whose current revision stays the kept agency’s. Findings are recomputed; recorded in the audit log. From then on, reports printed with the first agency’s name are filed under the kept one: a merge is not undone (`dryRun` shows it first). Not announced on `importCommitted` (no report’s figures change; the data version does). Needs a token with the admin scope.',
    authScopes: { scope: 'admin' },
    errors: {
      types: [InvalidInputError],
      result: { name: 'MergeAgenciesSuccess', description: 'What the merge did.' },
      dataField: { description: 'The merge.' },
      union: { name: 'MergeAgenciesResult', description: 'What the merge did, or why it cannot be done.' },
    },
    args: {
      from: t.arg.string({
        required: true,
        description:
          'The agency to merge (deleted after): its stored name, or another way it prints it. Reports printed with its name are filed under `into` from then on.',
      }),
      into: t.arg.string({
        required: true,
        description: 'The agency to keep: its stored name, or another way it prints it.',
      }),
      dryRun: t.arg.boolean({
        required: false,
        description: 'Do everything and roll it back: the answer says what the merge would do. Not audited.',
      }),
      differentPlaces: t.arg.boolean({
        required: false,
        description:
          'Merge agencies placed in different regions; refused otherwise, as more likely a wrong name than one agency.',
      }),
    },
    resolve: async (_root, { from, into, dryRun, differentPlaces }, { db, auth }) => {
      const result = await mergeAgencies(
        db,
        { from, into },
        {
          dryRun: dryRun ?? false,
          differentPlaces: differentPlaces ?? false,
          ...(auth.kind === 'token'
            ? { audit: { actor: auth.principal, entry: (done) => mergeAuditEntry({ from, into }, done) } }
            : {}),
        },
      );
      if (!result.ok) throw new InvalidInputError(result.message, result.argument);
      return {
        agencyId: result.into.id,
        mergedName: result.from.name,
        years: result.years,
        dryRun: dryRun ?? false,
      };
    },
  }),
);
