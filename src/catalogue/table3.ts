/**
 * Table 3 of the template (requests, 依申请公开): the applicant columns, the rows and their
 * groups in each version, and how a row's label is printed.
 */
import {
  BOTH,
  type Label,
  type TemplateVersion,
  TOTAL_SPELLINGS,
  V2019_ONLY,
  V2021_ONLY,
} from './template-versions.ts';

// ---------------------------------------------------------------------------
// Table 3: requests. Rows × applicant columns; every row has all seven columns.
// ---------------------------------------------------------------------------

export interface ApplicantColumn extends Label {
  code: string;
  /** camelCase name used for typed GraphQL fields. */
  field: string;
  /** Legal persons and other organisations (法人或其他组织) sit under one header. */
  organisation: boolean;
  isTotal: boolean;
}

export const APPLICANT_COLUMNS: readonly ApplicantColumn[] = [
  {
    code: 'NATURAL_PERSON',
    field: 'naturalPerson',
    zh: '自然人',
    en: 'Natural persons',
    description: 'Requests from individuals.',
    organisation: false,
    isTotal: false,
  },
  {
    code: 'COMMERCIAL_ENTERPRISE',
    field: 'commercialEnterprise',
    zh: '商业企业',
    en: 'Commercial enterprises',
    description: 'Requests from businesses.',
    organisation: true,
    isTotal: false,
  },
  {
    code: 'RESEARCH_INSTITUTION',
    field: 'researchInstitution',
    zh: '科研机构',
    // Rewordings that can only mean research bodies; 研究机构 is no other column's. Never 院所 or
    // 单位 alone, nor 企业 or 公司 for 商业企业: a word that may name another column is refused.
    variants: ['科研院所', '科研单位', '科学研究机构', '研究机构'],
    en: 'Research institutions',
    description: 'Requests from research institutions.',
    organisation: true,
    isTotal: false,
  },
  {
    code: 'SOCIAL_ORGANISATION',
    field: 'socialOrganisation',
    zh: '社会公益组织',
    // 社会团体 is one legal form of 社会组织, and 非营利组织 its general term: agencies print either
    // in this column's place, and no other column's body is one.
    variants: ['社会组织', '公益组织', '社会公益机构', '社会团体', '非营利组织'],
    en: 'Social / public-interest organisations',
    description: 'Requests from social or public-interest organisations.',
    organisation: true,
    isTotal: false,
  },
  {
    code: 'LEGAL_SERVICE',
    field: 'legalService',
    zh: '法律服务机构',
    en: 'Legal service providers',
    description: 'Requests from law firms and other legal service providers.',
    organisation: true,
    isTotal: false,
  },
  {
    code: 'OTHER_ORGANISATION',
    field: 'otherOrganisation',
    zh: '其他',
    variants: ['其他组织', '其它', '其余'],
    en: 'Other organisations',
    description: 'Requests from other legal persons or organisations.',
    organisation: true,
    isTotal: false,
  },
  {
    code: 'TOTAL',
    field: 'total',
    ...TOTAL_SPELLINGS,
    en: 'Total',
    description: 'All applicant types together.',
    organisation: false,
    isTotal: true,
  },
];

/**
 * The header printed over the five organisation columns, between 自然人 and 总计 in the
 * template's header (a second header row names the five under it).
 */
export const ORGANISATION_HEADER: Label = {
  zh: '法人或其他组织',
  variants: ['法人或者其他组织', '法人和其他组织', '法人及其他组织'],
  en: 'Legal persons and other organisations',
  description: 'The header over the five organisation columns of table 3.',
};

export interface Table3Group extends Label {
  code: string;
  /** Printed ordinal, e.g. （三）. */
  ordinal: string;
  /** Versions in which the group is split into numbered sub-rows. */
  versions: readonly TemplateVersion[];
}

export interface Table3Row extends Label {
  code: string;
  /** The note the template prints in brackets after the label: （二）部分公开（区分处理的，…）. */
  note?: string;
  /** Printed ordinal: 一, 二, 四 for top rows; （一）… for outcomes; 1, 2 … inside a group. */
  ordinal: string;
  versions: readonly TemplateVersion[];
  /** Outcome rows sit under 三、本年度办理结果. */
  outcome: boolean;
  group?: string;
  /** The outcome total row (（七）总计), which the other outcome rows add up to. */
  isOutcomeTotal?: boolean;
}

export const TABLE3_OUTCOMES_LABEL: Label = {
  zh: '本年度办理结果',
  en: 'Outcomes this year',
  description: 'How the requests handled this year were decided.',
};

export const TABLE3_GROUPS: readonly Table3Group[] = [
  {
    code: 'REFUSED',
    ordinal: '（三）',
    zh: '不予公开',
    en: 'Refused',
    description: 'Disclosure refused, by legal ground.',
    versions: BOTH,
  },
  {
    code: 'CANNOT_PROVIDE',
    ordinal: '（四）',
    zh: '无法提供',
    en: 'Cannot provide',
    description: 'The information could not be provided, by reason.',
    versions: BOTH,
  },
  {
    code: 'NOT_HANDLED',
    ordinal: '（五）',
    zh: '不予处理',
    en: 'Not handled',
    description: 'The request was not handled as a disclosure request, by reason.',
    versions: BOTH,
  },
  {
    code: 'OTHER_HANDLING',
    ordinal: '（六）',
    zh: '其他处理',
    en: 'Other handling',
    description: 'Other handling. One row in V2019; three sub-rows in V2021.',
    versions: V2021_ONLY,
  },
];

function groupRows(
  group: string,
  versions: readonly TemplateVersion[],
  rows: readonly [code: string, zh: string, en: string, variants?: readonly string[]][],
): Table3Row[] {
  return rows.map(([code, zh, en, variants], index) => ({
    code,
    ordinal: String(index + 1),
    zh,
    ...(variants ? { variants } : {}),
    en,
    // A sentence of its own: metric descriptions append the template-version note to it.
    description: `${en}.`,
    versions,
    outcome: true,
    group,
  }));
}

export const TABLE3_ROWS: readonly Table3Row[] = [
  {
    code: 'NEW_REQUESTS',
    ordinal: '一',
    zh: '本年新收政府信息公开申请数量',
    // The shortened and reworded labels agencies print; none the start of the template's label,
    // which a label cut over two rows would be read as (cut-rows.test.ts).
    variants: [
      '本年新收申请数量',
      '本年新收申请',
      '本年度新收政府信息公开申请数量',
      '本年度新收申请数量',
      '本年新收政府信息公开申请件数',
    ],
    en: 'New requests',
    description: 'Requests received this year.',
    versions: BOTH,
    outcome: false,
  },
  {
    code: 'CARRIED_OVER',
    ordinal: '二',
    zh: '上年结转政府信息公开申请数量',
    // The shortened and reworded labels agencies print.
    variants: [
      '上年结转申请数量',
      '上年结转申请',
      '上年度结转政府信息公开申请数量',
      '上一年度结转政府信息公开申请数量',
      '上年度结转申请数量',
      '上年结转政府信息公开申请件数',
    ],
    en: 'Carried over from last year',
    description: 'Requests still open at the end of the previous year.',
    versions: BOTH,
    outcome: false,
  },
  {
    code: 'GRANTED',
    ordinal: '（一）',
    zh: '予以公开',
    en: 'Granted',
    description: 'The information was disclosed in full.',
    versions: BOTH,
    outcome: true,
  },
  {
    code: 'PARTLY_GRANTED',
    ordinal: '（二）',
    zh: '部分公开',
    note: '区分处理的，只计这一情形，不计其他情形',
    en: 'Partly granted',
    description:
      'Part of the information was disclosed. A request split this way is counted only here (区分处理的，只计这一情形).',
    versions: BOTH,
    outcome: true,
  },
  ...groupRows('REFUSED', BOTH, [
    ['REFUSED_STATE_SECRET', '属于国家秘密', 'Refused: state secret'],
    ['REFUSED_PROHIBITED_BY_LAW', '其他法律行政法规禁止公开', 'Refused: prohibited by other laws'],
    [
      'REFUSED_ENDANGERS_SECURITY',
      '危及"三安全一稳定"',
      'Refused: endangers the "three securities and one stability"',
      ['危及三安全一稳定'],
    ],
    [
      'REFUSED_THIRD_PARTY',
      '保护第三方合法权益',
      'Refused: protects third-party rights',
      ['涉及第三方合法权益', '损害第三方合法权益'],
    ],
    [
      'REFUSED_INTERNAL_AFFAIRS',
      '属于三类内部事务信息',
      'Refused: internal affairs information',
      ['属于内部事务信息', '内部事务信息'],
    ],
    [
      'REFUSED_PROCESS_INFORMATION',
      '属于四类过程性信息',
      'Refused: process information',
      ['属于过程性信息', '过程性信息'],
    ],
    ['REFUSED_ENFORCEMENT_FILE', '属于行政执法案卷', 'Refused: law-enforcement case file'],
    ['REFUSED_QUERY_MATTER', '属于行政查询事项', 'Refused: administrative query matter'],
  ]),
  ...groupRows('CANNOT_PROVIDE', BOTH, [
    // Not 本机关不掌握: the start of the label cut over two lines would read as the whole row.
    ['CANNOT_PROVIDE_NOT_HELD', '本机关不掌握相关政府信息', 'Cannot provide: not held by this agency'],
    ['CANNOT_PROVIDE_NEEDS_CREATION', '没有现成信息需要另行制作', 'Cannot provide: would have to be created'],
    [
      'CANNOT_PROVIDE_STILL_UNCLEAR',
      '补正后申请内容仍不明确',
      'Cannot provide: still unclear after correction',
    ],
  ]),
  ...groupRows('NOT_HANDLED', BOTH, [
    ['NOT_HANDLED_PETITION', '信访举报投诉类申请', 'Not handled: petition, report or complaint'],
    ['NOT_HANDLED_REPEATED', '重复申请', 'Not handled: repeated request'],
    ['NOT_HANDLED_PUBLICATION', '要求提供公开出版物', 'Not handled: asks for published material'],
    ['NOT_HANDLED_EXCESSIVE', '无正当理由大量反复申请', 'Not handled: excessive repeated requests'],
    [
      'NOT_HANDLED_CONFIRMATION',
      '要求行政机关确认或重新出具已获取信息',
      'Not handled: asks to confirm or reissue information already obtained',
    ],
  ]),
  {
    code: 'OTHER_HANDLING',
    ordinal: '（六）',
    zh: '其他处理',
    en: 'Other handling',
    description: 'Other handling (V2019: one row; V2021 splits it into three sub-rows).',
    versions: V2019_ONLY,
    outcome: true,
  },
  ...groupRows('OTHER_HANDLING', V2021_ONLY, [
    [
      'OTHER_NO_CORRECTION',
      '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      'Other: applicant did not correct the request in time',
    ],
    [
      'OTHER_FEE_UNPAID',
      '申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      'Other: applicant did not pay the fee in time',
    ],
    ['OTHER_OTHER', '其他', 'Other: other handling'],
  ]),
  {
    code: 'OUTCOMES_TOTAL',
    ordinal: '（七）',
    ...TOTAL_SPELLINGS,
    en: 'Total outcomes',
    description: 'All requests decided this year; equals the sum of the outcome rows.',
    versions: BOTH,
    outcome: true,
    isOutcomeTotal: true,
  },
  {
    code: 'CARRIED_FORWARD',
    ordinal: '四',
    zh: '结转下年度继续办理',
    // The reworded labels agencies print.
    variants: [
      '结转下一年度继续办理',
      '结转下年度继续办理数量',
      '结转下年度继续办理件数',
      '结转下年度继续办理的申请数量',
      '结转下一年度继续办理数量',
    ],
    en: 'Carried forward to next year',
    description: 'Requests still open at the end of the year.',
    versions: BOTH,
    outcome: false,
  },
];

/**
 * A row's label as printed, in pieces: its group's label for a numbered sub-row, then its
 * own — ["（三）不予公开", "1.属于国家秘密"], ["一、本年新收政府信息公开申请数量"], ["（一）予以公开"].
 * Messages, findings and CSV headers all name rows this way, so a reader can find the row
 * in the printed table.
 */
export function table3RowLabelParts(row: Table3Row): string[] {
  const group = TABLE3_GROUPS.find((g) => g.code === row.group);
  if (group) return [`${group.ordinal}${group.zh}`, `${row.ordinal}.${row.zh}`];
  // Top rows print 一、; outcome rows carry their brackets: （一）予以公开.
  return [`${row.ordinal}${row.outcome ? '' : '、'}${row.zh}`];
}

/** The row's label as printed, on one line: "（三）不予公开 1.属于国家秘密", "一、本年新收…". */
export const table3RowLabelZh = (row: Table3Row): string =>
  ROW_LABELS.get(row) ?? table3RowLabelParts(row).join(' ');
// Built once: the parser names the row of every table-3 line it reads.
const ROW_LABELS = new Map(TABLE3_ROWS.map((row) => [row, table3RowLabelParts(row).join(' ')]));
