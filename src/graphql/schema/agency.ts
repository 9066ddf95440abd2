import { GraphQLError } from 'graphql';
import { builder } from '../builder.ts';
import { AdministrativeLevelEnum, AgencyKindEnum } from './catalogue.ts';

builder.prismaObject('Region', {
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
  description: 'A government body that publishes annual disclosure reports.',
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'Full name as printed on its reports, e.g. 中卫市科学技术局.',
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

const AgencyFilter = builder.inputType('AgencyFilter', {
  description: 'Narrows an agency list. All conditions must hold.',
  fields: (t) => ({
    nameContains: t.string({ required: false, description: 'Part of the agency name, e.g. 科学技术局.' }),
    regionCode: t.string({
      required: false,
      description: 'GB/T 2260 code; matches agencies in this division and every division under it.',
    }),
  }),
});

/** Region codes nest by prefix: 640000 province ⊃ 640500 city ⊃ 640502 county. */
function regionPrefix(code: string): string {
  return code.replace(/(00)+$/, '') || code;
}

/** Prisma's `contains` is a LIKE pattern: a searched "%" or "_" must match itself, not anything. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function agencyWhere(
  filter: { nameContains?: string | null; regionCode?: string | null } | null | undefined,
) {
  return {
    ...(filter?.nameContains ? { name: { contains: escapeLike(filter.nameContains) } } : {}),
    ...(filter?.regionCode ? { regionCode: { startsWith: regionPrefix(filter.regionCode) } } : {}),
  };
}

builder.queryFields((t) => ({
  agencies: t.prismaConnection({
    type: 'Agency',
    cursor: 'id',
    description: 'Agencies by name, filtered by name or region. A Relay connection ordered by id.',
    args: {
      filter: t.arg({
        type: AgencyFilter,
        required: false,
        description: 'Conditions; omit for all agencies.',
      }),
    },
    totalCount: (_connection, { filter }, { db }) => db.agency.count({ where: agencyWhere(filter) }),
    resolve: (query, _root, { filter }, { db }) =>
      db.agency.findMany({ ...query, where: agencyWhere(filter), orderBy: { id: 'asc' } }),
  }),
  agency: t.prismaField({
    type: 'Agency',
    nullable: true,
    description: 'One agency, by its global id or its exact name.',
    args: {
      id: t.arg.globalID({ required: false, for: [AgencyRef], description: 'Global id of the agency.' }),
      name: t.arg.string({ required: false, description: 'Exact name, e.g. 中卫市科学技术局.' }),
    },
    resolve: (query, _root, { id, name }, { db }) => {
      if (!id && !name) {
        throw new GraphQLError('agency() needs either id or name.', {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      return db.agency.findFirst({
        ...query,
        where: { ...(id ? { id: Number(id.id) } : {}), ...(name ? { name } : {}) },
      });
    },
  }),
}));
