/** GraphQL enums and descriptive types generated from the template catalogue. */
import { AGENCY_KIND_INFO, AGENCY_LEVEL_INFO } from '../../catalogue/regions.ts';
import {
  APPLICANT_COLUMNS,
  type ApplicantColumn,
  TABLE3_GROUPS,
  TABLE3_ROWS,
  TEMPLATE_VERSION_INFO,
  TEMPLATE_VERSIONS,
} from '../../catalogue/template.ts';
import { builder } from '../builder.ts';

export const TemplateVersionEnum = builder.enumType('TemplateVersion', {
  description: 'Which national template a report follows. Detected from its table headers, not its year.',
  values: Object.fromEntries(
    TEMPLATE_VERSIONS.map((v) => [
      v,
      { description: `${TEMPLATE_VERSION_INFO[v].issuedBy}: ${TEMPLATE_VERSION_INFO[v].descriptionEn}` },
    ]),
  ) as Record<(typeof TEMPLATE_VERSIONS)[number], { description: string }>,
});

export const UnitEnum = builder.enumType('Unit', {
  description: 'Unit of a figure.',
  values: {
    COUNT: { description: 'A number of items, requests or cases.' },
    WAN_YUAN: { description: 'Money in 万元 (10,000 yuan); may have decimals.' },
  } as const,
});

export const CellStatusEnum = builder.enumType('CellStatus', {
  description: 'Whether a figure was printed. "Not reported" and "missing" are never the same as 0.',
  values: {
    REPORTED: { description: 'A number was printed.' },
    NOT_REPORTED: { description: 'The cell was printed empty or with a mark such as "/", "-", "—" or "无".' },
    MISSING: { description: 'The cell, its row or its table is absent from the source.' },
    UNREADABLE: {
      description:
        "The cell was printed, but run together with its neighbours (digits without separators) so that more than one value fits the template's columns and identities; `candidates` lists them. Never a value.",
    },
  } as const,
});

const described = <T extends string>(info: Record<T, { description: string }>) =>
  Object.fromEntries(
    Object.entries<{ description: string }>(info).map(([k, v]) => [k, { description: v.description }]),
  ) as Record<T, { description: string }>;

export const AdministrativeLevelEnum = builder.enumType('AdministrativeLevel', {
  description: 'Level of government in the administrative hierarchy (GB/T 2260).',
  values: described(AGENCY_LEVEL_INFO),
});

export const AgencyKindEnum = builder.enumType('AgencyKind', {
  description: "Whether an agency is a people's government or one of its departments.",
  values: described(AGENCY_KIND_INFO),
});

export const ApplicantTypeEnum = builder.enumType('ApplicantType', {
  description: 'Applicant columns of table 3 (申请人情况).',
  values: Object.fromEntries(
    APPLICANT_COLUMNS.map((c) => [c.code, { description: `${c.zh}: ${c.description}` }]),
  ),
});

export const Table3RowCodeEnum = builder.enumType('Table3RowCode', {
  description: 'Rows of table 3 (收到和处理政府信息公开申请情况), across both template versions.',
  values: Object.fromEntries(
    TABLE3_ROWS.map((r) => [
      r.code,
      {
        description: `${r.ordinal} ${r.zh}: ${r.description}${r.versions.length === 1 ? ` (${r.versions[0]} only)` : ''}`,
      },
    ]),
  ),
});

export const Table3GroupCodeEnum = builder.enumType('Table3GroupCode', {
  description: 'Outcome groups of table 3 whose reasons are printed as numbered sub-rows.',
  values: Object.fromEntries(
    TABLE3_GROUPS.map((g) => [g.code, { description: `${g.ordinal}${g.zh}: ${g.description}` }]),
  ),
});

export const ApplicantColumnRef = builder.objectRef<ApplicantColumn>('ApplicantColumn').implement({
  description: 'An applicant column of table 3, as printed.',
  fields: (t) => ({
    code: t.expose('code', {
      type: ApplicantTypeEnum,
      description: 'Stable code of the column.',
    }),
    labelZh: t.exposeString('zh', { description: 'Chinese label as printed in the template.' }),
    nameEn: t.exposeString('en', { description: 'English name.' }),
    description: t.exposeString('description', { description: 'What the column counts.' }),
    organisation: t.exposeBoolean('organisation', {
      description: 'Whether the column sits under 法人或其他组织 (legal persons and other organisations).',
    }),
  }),
});
