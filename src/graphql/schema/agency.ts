import { type AgencyPage, type AgencyPosition, agencyPage, isNameSearch } from '../../comparison/agencies.ts';
import { type AgencyFilterInput, checkAgencyFilter } from '../../comparison/filter.ts';
import { agencyIdByName } from '../../store/agency-identity.ts';
import { sqlRunner } from '../../store/sql-runner.ts';
import { builder } from '../builder.ts';
import { AdministrativeLevelEnum, AgencyKindEnum } from './catalogue.ts';
import { checkedMaxSize, listCursors, listPage, searchKey } from './cursor.ts';
import { badUserInput, InvalidInputError, invalidInputError } from './errors.ts';
import { rowIdOf } from './ids.ts';

export const RegionRef = builder.prismaObject('Region', {
  description: 'An administrative division (GB/T 2260 code).',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Six-digit GB/T 2260 division code.' }),
    name: t.exposeString('name', { description: 'Official name, e.g. 中卫市.' }),
    level: t.expose('level', { type: AdministrativeLevelEnum, description: 'Level of the division.' }),
    parent: t.relation('parent', { nullable: true, description: 'The division this one belongs to.' }),
  }),
});

export const AgencyRef = builder.prismaNode('Agency', {
  id: { field: 'id' },
  // A well-formed id of a missing (e.g. deleted) object answers null, as Relay expects.
  nullable: true,
  description: 'A government body that publishes annual disclosure reports.',
  fields: (t) => ({
    name: t.exposeString('name', {
      description:
        'Full name the agency was first stored under, e.g. 中卫市科学技术局: as its first imported report printed it, or as given at import (`--agency`, `agencyName`); after a merge, the kept agency’s. Reports printing it with or without the places above it (宁夏回族自治区中卫市科学技术局) are this agency’s too; each revision keeps the name it was imported under (`agencyNameAsPrinted`).',
    }),
    region: t.relation('region', { nullable: true, description: 'Where the agency sits, when known.' }),
    level: t.expose('level', {
      type: AdministrativeLevelEnum,
      nullable: true,
      description: 'Level of government, when known.',
    }),
    kind: t.expose('kind', {
      type: AgencyKindEnum,
      nullable: true,
      description: 'Government or department, inferred from the name at import.',
    }),
    synthetic: t.exposeBoolean('synthetic', {
      description: 'True for generated demo data; such agencies and reports were never published.',
    }),
    reports: t.relation('reports', {
      description: 'Its reports, oldest year first.',
      query: { orderBy: { year: 'asc' } },
    }),
    reportCount: t.relationCount('reports', { description: 'Number of report years stored.' }),
  }),
});

/** The `synthetic` condition of the agency and finding filters. */
export const SYNTHETIC_FILTER_DESCRIPTION =
  'true: only generated demo agencies (`Agency.synthetic`, never published); false: only agencies of published reports. Leave it out for both.';

export const AgencyFilter = builder.inputType('AgencyFilter', {
  description:
    'Narrows an agency list. All conditions given must hold; one left out does not narrow. A list (`ids`, `levels`, `kinds`, `years`) means any of its entries, and an empty list is refused: leave the field out for all.',
  fields: (t) => ({
    ids: t.idList({
      required: false,
      description:
        'Only these agencies (their global `id`s). An id of another type, or one this API never gave out, is refused as InvalidInputError naming its position, e.g. filter.agency.ids[2].',
    }),
    nameContains: t.string({
      required: false,
      description:
        'Part of the agency name, e.g. 科学技术局. In `agencies` this is a search: names containing the text (as typed, without a leading province such as 宁夏回族自治区, or with abbreviations such as 科技局, 人社局, 卫健委, 市监局, 发改委 written out) ranked by similarity; when none contains it, near matches (most of its character pairs, e.g. 中卫科技局 → 中卫市科学技术局). In comparisons, an exact part of the name. Spaces around the text are ignored in both, and text of spaces alone does not narrow.',
    }),
    regionCode: t.string({
      required: false,
      description:
        'GB/T 2260 code of any level (640000 province, 640500 city, 640502 county, nine digits for a township); matches agencies in this division and every division under it.',
    }),
    levels: t.field({
      type: [AdministrativeLevelEnum],
      required: false,
      description: 'Only agencies at one of these levels of government.',
    }),
    kinds: t.field({
      type: [AgencyKindEnum],
      required: false,
      description: 'Only governments, or only departments (or other bodies).',
    }),
    years: t.intList({
      required: false,
      description: 'Only agencies with a stored report for at least one of these years.',
    }),
    synthetic: t.boolean({ required: false, description: SYNTHETIC_FILTER_DESCRIPTION }),
  }),
});

export type AgencyFilterArgs = typeof AgencyFilter.$inferInput;

/**
 * The agency filter with global ids decoded, as the comparison services take it; `argument`
 * is the filter's path, which an id that is not an agency's is refused under
 * (InvalidInputError: every field taking this filter has it in its error union).
 */
export function agencyFilterInput(
  filter: AgencyFilterArgs | null | undefined,
  argument: string,
): AgencyFilterInput | null {
  if (!filter) return null;
  return {
    ids: filter.ids
      ? filter.ids.map((id, i) => rowIdOf(id, 'Agency', `${argument}.ids[${i}]`, invalidInputError))
      : null,
    nameContains: filter.nameContains ?? null,
    regionCode: filter.regionCode ?? null,
    levels: filter.levels ?? null,
    kinds: filter.kinds ?? null,
    years: filter.years ?? null,
    synthetic: filter.synthetic ?? null,
  };
}

/** The page each `agencies` field resolved, keyed by its arguments, for its totalCount. */
const pages = new WeakMap<object, Promise<AgencyPage>>();
/** Each listed agency's place in its list (its search score with it), for its cursor. */
const positions = new WeakMap<object, AgencyPosition>();

/**
 * An agency's cursor: its place in the id order, or in the name search (score, then id) when
 * the page was one. Made when the schema is built, as reportCursors (report.ts) is.
 */
const agencyCursors = () =>
  listCursors<{ id: number }>(
    (agency, args) => ({
      list: isNameSearch(args.filter as AgencyFilterArgs | null) ? 'agencySearch' : 'agencies',
      at: {
        ...(positions.get(agency) ?? { id: agency.id }),
        search: searchKey((args.filter as AgencyFilterArgs | null)?.nameContains ?? ''),
      },
    }),
    'Number of agencies matching the filter, over all pages.',
  );

builder.queryFields((t) => ({
  agencies: t.prismaConnection(
    {
      type: 'Agency',
      cursor: 'id',
      description:
        'Agencies, filtered by name or region. A Relay connection ordered by id; with `filter.nameContains`, a name search ordered by similarity (most similar first, then id), which pages the same way.',
      errors: {
        types: [InvalidInputError],
        directResult: true,
        union: { name: 'AgenciesResult', description: 'The agencies, or why the filter cannot be answered.' },
      },
      args: {
        filter: t.arg({
          type: AgencyFilter,
          required: false,
          description: 'Conditions; omit for all agencies.',
        }),
      },
      maxSize: checkedMaxSize(invalidInputError, (args: { filter?: AgencyFilterArgs | null }) => {
        const issue = checkAgencyFilter(agencyFilterInput(args.filter, 'filter'));
        if (issue) throw new InvalidInputError(issue.message, issue.argument);
      }),
      totalCount: async (_parent, args, { db }) =>
        (
          await (pages.get(args) ??
            agencyPage(sqlRunner(db), agencyFilterInput(args.filter, 'filter'), { from: null, take: 0 }))
        ).total,
      resolve: async (query, _root, args, { db }) => {
        const filter = agencyFilterInput(args.filter, 'filter');
        const list = isNameSearch(filter) ? 'agencySearch' : 'agencies';
        const { load, take, from } = listPage(query, args, list, invalidInputError);
        if (from && list === 'agencySearch' && from.search !== searchKey(filter?.nameContains ?? '')) {
          const argument = args.after != null ? 'after' : 'before';
          throw new InvalidInputError(
            `The cursor in "${argument}" is from a name search for other text: pass back a cursor this search (the same filter.nameContains) returned, or leave "${argument}" out for its first page.`,
            argument,
          );
        }
        const page = agencyPage(sqlRunner(db), filter, {
          from: from && { id: from.id, score: from.score ?? null },
          take,
        });
        pages.set(args, page);
        const { ids, positions: places } = await page;
        if (ids.length === 0) return [];
        const agencies = await db.agency.findMany({ ...load, where: { id: { in: ids } } });
        const order = new Map(ids.map((id, i) => [id, i]));
        for (const agency of agencies) {
          const place = places[order.get(agency.id) ?? -1];
          if (place) positions.set(agency, place);
        }
        return agencies.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      },
    },
    agencyCursors().connection,
    agencyCursors().edge,
  ),
  agency: t.prismaField({
    type: 'Agency',
    nullable: true,
    description:
      'One agency, by its global id or by name (the stored name, or another way it prints it): one of them; both are refused (BAD_USER_INPUT, argument name). Null when no agency has the id or name.',
    args: {
      id: t.arg.id({
        required: false,
        description:
          'Global id of the agency. An id of another type, or one this API never gave out, is refused (BAD_USER_INPUT).',
      }),
      name: t.arg.string({
        required: false,
        description:
          'Name, e.g. 中卫市科学技术局: the stored name, or another way the agency prints it (with or without the province or city above it).',
      }),
    },
    resolve: async (query, _root, { id, name }, { db }) => {
      if (id == null && !name) {
        throw badUserInput('agency() needs either id or name.');
      }
      // Both, naming two agencies, answered null as if neither existed; report() refuses the
      // same pair, so a client learns its mistake here too.
      if (id != null && name) {
        throw badUserInput('Give agency() id or name, not both.', 'name');
      }
      const byId = id != null ? rowIdOf(id, 'Agency', 'id', badUserInput) : null;
      const byName = name ? await agencyIdByName(db, name) : null;
      return db.agency.findFirst({ ...query, where: { id: byId ?? byName ?? 0 } });
    },
  }),
}));
