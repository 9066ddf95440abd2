/**
 * The national report template, as data.
 *
 * Both template versions (国办公开办函〔2019〕60号 and 〔2021〕30号) are described here
 * once. The parser's label matching, the validator's identities, the storage codes,
 * the GraphQL enums and the CSV headers are all derived from these declarations, so a
 * future template revision means adding entries here, not changing code.
 */

export const TEMPLATE_VERSIONS = ['V2019', 'V2021'] as const;
export type TemplateVersion = (typeof TEMPLATE_VERSIONS)[number];

export const TEMPLATE_VERSION_INFO: Record<
  TemplateVersion,
  { issuedBy: string; descriptionEn: string; firstYear: number }
> = {
  V2019: {
    issuedBy: '国办公开办函〔2019〕60号',
    descriptionEn: 'Template issued in 2019, used for report years 2019 and 2020.',
    firstYear: 2019,
  },
  V2021: {
    issuedBy: '国办公开办函〔2021〕30号',
    descriptionEn: 'Template issued in 2021, used for report years 2021 and later.',
    firstYear: 2021,
  },
};

const BOTH: readonly TemplateVersion[] = TEMPLATE_VERSIONS;
const V2019_ONLY: readonly TemplateVersion[] = ['V2019'];
const V2021_ONLY: readonly TemplateVersion[] = ['V2021'];

export type Unit = 'COUNT' | 'WAN_YUAN';

/** A label as printed in the template, with the spellings seen in real reports. */
export interface Label {
  zh: string;
  /** Other spellings published reports use for the same thing. */
  variants?: readonly string[];
  en: string;
  description: string;
}

export interface TableInfo {
  id: 'T2' | 'T3' | 'T4';
  number: 2 | 3 | 4;
  /** The section heading that introduces the table (一…六 numbering stripped). */
  heading: Label;
}

export const TABLES: readonly TableInfo[] = [
  {
    id: 'T2',
    number: 2,
    heading: {
      zh: '主动公开政府信息情况',
      en: 'Proactive disclosure',
      description: 'Table 2: information the agency published on its own initiative (Article 20).',
    },
  },
  {
    id: 'T3',
    number: 3,
    heading: {
      zh: '收到和处理政府信息公开申请情况',
      en: 'Requests received and handled',
      description: 'Table 3: disclosure requests received, by applicant type, and their outcomes.',
    },
  },
  {
    id: 'T4',
    number: 4,
    heading: {
      zh: '政府信息公开行政复议、行政诉讼情况',
      variants: [
        '政府信息公开行政复议和行政诉讼情况',
        '因政府信息公开工作被申请行政复议、提起行政诉讼情况',
        '行政复议、行政诉讼情况',
        '行政复议和行政诉讼情况',
      ],
      en: 'Administrative reviews and lawsuits',
      description: 'Table 4: administrative reviews and lawsuits about disclosure decisions, by result.',
    },
  },
];

// ---------------------------------------------------------------------------
// Table 2: proactive disclosure. Blocks follow Article 20 items; each block is a
// small grid whose rows and columns differ between versions. A cell exists in a
// version when both its row and its column do.
// ---------------------------------------------------------------------------

export interface Table2Axis extends Label {
  code: string;
  versions: readonly TemplateVersion[];
}

export interface Table2Column extends Table2Axis {
  unit: Unit;
  /** Printed with an explicit sign ("+2", "-417"). */
  signed?: boolean;
}

export interface Table2Block {
  code: string;
  /** The Article 20 item, e.g. （一）, as printed in 第二十条第（一）项. */
  item: string;
  versions: readonly TemplateVersion[];
  en: string;
  rows: readonly Table2Axis[];
  columns: readonly Table2Column[];
}

const PREVIOUS_ITEMS: Table2Column = {
  code: 'PREVIOUS_ITEMS',
  zh: '上一年项目数量',
  en: 'Items last year',
  description: 'Number of items at the end of the previous year.',
  versions: V2019_ONLY,
  unit: 'COUNT',
};
const CHANGE: Table2Column = {
  code: 'CHANGE',
  zh: '本年增/减',
  variants: ['本年增减', '本年增/减数量'],
  en: 'Change this year',
  description: 'Net items added (+) or removed (−) this year.',
  versions: V2019_ONLY,
  unit: 'COUNT',
  signed: true,
};
const DECISIONS: Table2Column = {
  code: 'DECISIONS',
  zh: '处理决定数量',
  variants: ['本年处理决定数量'],
  en: 'Decisions',
  description: 'Number of decisions made this year. Comparable across template versions.',
  versions: BOTH,
  unit: 'COUNT',
};

export const TABLE2_BLOCKS: readonly Table2Block[] = [
  {
    code: 'REGULATIONS',
    item: '（一）',
    versions: BOTH,
    en: 'Rules and normative documents',
    rows: [
      {
        code: 'RULES',
        zh: '规章',
        en: 'Rules',
        description: 'Departmental or local government rules (规章).',
        versions: BOTH,
      },
      {
        code: 'NORMATIVE_DOCUMENTS',
        zh: '规范性文件',
        variants: ['行政规范性文件'],
        en: 'Normative documents',
        description: 'Administrative normative documents (规范性文件).',
        versions: BOTH,
      },
    ],
    columns: [
      {
        code: 'MADE',
        zh: '本年新制作数量',
        en: 'Made this year',
        description: 'Documents newly made this year.',
        versions: V2019_ONLY,
        unit: 'COUNT',
      },
      {
        code: 'PUBLISHED',
        zh: '本年新公开数量',
        en: 'Published this year',
        description: 'Documents newly published this year.',
        versions: V2019_ONLY,
        unit: 'COUNT',
      },
      {
        code: 'TOTAL_PUBLISHED',
        zh: '对外公开总数量',
        en: 'Total published',
        description: 'All documents published to date.',
        versions: V2019_ONLY,
        unit: 'COUNT',
      },
      {
        code: 'ISSUED',
        zh: '本年制发件数',
        en: 'Issued this year',
        description: 'Documents issued this year.',
        versions: V2021_ONLY,
        unit: 'COUNT',
      },
      {
        code: 'REPEALED',
        zh: '本年废止件数',
        en: 'Repealed this year',
        description: 'Documents repealed this year.',
        versions: V2021_ONLY,
        unit: 'COUNT',
      },
      {
        code: 'IN_FORCE',
        zh: '现行有效件数',
        en: 'In force',
        description: 'Documents currently in force.',
        versions: V2021_ONLY,
        unit: 'COUNT',
      },
    ],
  },
  {
    code: 'LICENSING_AND_SERVICES',
    item: '（五）',
    versions: BOTH,
    en: 'Administrative licensing and other services',
    rows: [
      {
        code: 'LICENSING',
        zh: '行政许可',
        en: 'Administrative licensing',
        description: 'Administrative licensing (行政许可).',
        versions: BOTH,
      },
      {
        code: 'OTHER_SERVICES',
        zh: '其他对外管理服务事项',
        en: 'Other public management services',
        description: 'Other external management and service items (V2019 only).',
        versions: V2019_ONLY,
      },
    ],
    columns: [PREVIOUS_ITEMS, CHANGE, DECISIONS],
  },
  {
    code: 'PENALTIES_AND_COERCION',
    item: '（六）',
    versions: BOTH,
    en: 'Administrative penalties and coercive measures',
    rows: [
      {
        code: 'PENALTY',
        zh: '行政处罚',
        en: 'Administrative penalties',
        description: 'Administrative penalties (行政处罚).',
        versions: BOTH,
      },
      {
        code: 'COERCION',
        zh: '行政强制',
        en: 'Administrative coercion',
        description: 'Administrative coercive measures (行政强制).',
        versions: BOTH,
      },
    ],
    columns: [PREVIOUS_ITEMS, CHANGE, DECISIONS],
  },
  {
    code: 'FEES',
    item: '（八）',
    versions: BOTH,
    en: 'Administrative fees',
    rows: [
      {
        code: 'FEES',
        zh: '行政事业性收费',
        en: 'Administrative fees',
        description: 'Administrative and institutional fees (行政事业性收费).',
        versions: BOTH,
      },
    ],
    columns: [
      PREVIOUS_ITEMS,
      CHANGE,
      {
        code: 'AMOUNT',
        zh: '本年收费金额（单位：万元）',
        variants: ['本年收费金额', '本年收费金额(万元)'],
        en: 'Fees collected (10,000 yuan)',
        description: 'Fees collected this year, in 万元 (10,000 yuan).',
        versions: V2021_ONLY,
        unit: 'WAN_YUAN',
      },
    ],
  },
  {
    code: 'PROCUREMENT',
    item: '（九）',
    versions: V2019_ONLY,
    en: 'Centralised government procurement',
    rows: [
      {
        code: 'PROCUREMENT',
        zh: '政府集中采购',
        en: 'Centralised procurement',
        description: 'Centralised government procurement (V2019 only).',
        versions: V2019_ONLY,
      },
    ],
    columns: [
      {
        code: 'PROJECTS',
        zh: '采购项目数量',
        en: 'Procurement projects',
        description: 'Number of procurement projects.',
        versions: V2019_ONLY,
        unit: 'COUNT',
      },
      {
        code: 'AMOUNT',
        zh: '采购总金额',
        en: 'Procurement amount (10,000 yuan)',
        description: 'Total procurement amount, in 万元 (10,000 yuan).',
        versions: V2019_ONLY,
        unit: 'WAN_YUAN',
      },
    ],
  },
];

/** The row label that heads every table-2 block's column header line. */
export const TABLE2_HEADER_FIRST_CELL = '信息内容';

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
    en: 'Research institutions',
    description: 'Requests from research institutions.',
    organisation: true,
    isTotal: false,
  },
  {
    code: 'SOCIAL_ORGANISATION',
    field: 'socialOrganisation',
    zh: '社会公益组织',
    variants: ['社会组织'],
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
    en: 'Other organisations',
    description: 'Requests from other legal persons or organisations.',
    organisation: true,
    isTotal: false,
  },
  {
    code: 'TOTAL',
    field: 'total',
    zh: '总计',
    variants: ['合计'],
    en: 'Total',
    description: 'All applicant types together.',
    organisation: false,
    isTotal: true,
  },
];

export interface Table3Group extends Label {
  code: string;
  /** Printed ordinal, e.g. （三）. */
  ordinal: string;
  /** Versions in which the group is split into numbered sub-rows. */
  versions: readonly TemplateVersion[];
}

export interface Table3Row extends Label {
  code: string;
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
    description: en,
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
    en: 'New requests',
    description: 'Requests received this year.',
    versions: BOTH,
    outcome: false,
  },
  {
    code: 'CARRIED_OVER',
    ordinal: '二',
    zh: '上年结转政府信息公开申请数量',
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
    ['REFUSED_THIRD_PARTY', '保护第三方合法权益', 'Refused: protects third-party rights'],
    ['REFUSED_INTERNAL_AFFAIRS', '属于三类内部事务信息', 'Refused: internal affairs information'],
    ['REFUSED_PROCESS_INFORMATION', '属于四类过程性信息', 'Refused: process information'],
    ['REFUSED_ENFORCEMENT_FILE', '属于行政执法案卷', 'Refused: law-enforcement case file'],
    ['REFUSED_QUERY_MATTER', '属于行政查询事项', 'Refused: administrative query matter'],
  ]),
  ...groupRows('CANNOT_PROVIDE', BOTH, [
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
    zh: '总计',
    variants: ['合计'],
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
    en: 'Carried forward to next year',
    description: 'Requests still open at the end of the year.',
    versions: BOTH,
    outcome: false,
  },
];

// ---------------------------------------------------------------------------
// Table 4: administrative review and litigation. One printed row of 15 numbers:
// three proceedings × five results, in this order.
// ---------------------------------------------------------------------------

export interface Table4Proceeding extends Label {
  code: string;
  field: string;
}

export const TABLE4_PROCEEDINGS: readonly Table4Proceeding[] = [
  {
    code: 'REVIEW',
    field: 'review',
    zh: '行政复议',
    en: 'Administrative review',
    description: 'Administrative reconsideration (行政复议) of disclosure decisions.',
  },
  {
    code: 'LITIGATION_DIRECT',
    field: 'litigationDirect',
    zh: '未经复议直接起诉',
    en: 'Lawsuits without prior review',
    description: 'Administrative lawsuits filed directly, without administrative review first.',
  },
  {
    code: 'LITIGATION_AFTER_REVIEW',
    field: 'litigationAfterReview',
    zh: '复议后起诉',
    en: 'Lawsuits after review',
    description: 'Administrative lawsuits filed after an administrative review.',
  },
];

export interface Table4Result extends Label {
  code: string;
  field: string;
  isTotal: boolean;
}

export const TABLE4_RESULTS: readonly Table4Result[] = [
  {
    code: 'UPHELD',
    field: 'upheld',
    zh: '结果维持',
    en: 'Upheld',
    description: "The agency's decision was upheld.",
    isTotal: false,
  },
  {
    code: 'CORRECTED',
    field: 'corrected',
    zh: '结果纠正',
    en: 'Corrected',
    description: "The agency's decision was corrected.",
    isTotal: false,
  },
  {
    code: 'OTHER',
    field: 'other',
    zh: '其他结果',
    en: 'Other result',
    description: 'Closed with another result (e.g. withdrawn).',
    isTotal: false,
  },
  {
    code: 'PENDING',
    field: 'pending',
    zh: '尚未审结',
    en: 'Pending',
    description: 'Not yet concluded at the end of the year.',
    isTotal: false,
  },
  {
    code: 'TOTAL',
    field: 'total',
    zh: '总计',
    variants: ['合计'],
    en: 'Total',
    description: 'All cases; equals the sum of the four results.',
    isTotal: true,
  },
];

// ---------------------------------------------------------------------------
// Narrative sections. Tables 2–4 sit inside sections 二–四.
// ---------------------------------------------------------------------------

export interface SectionInfo extends Label {
  number: number;
  ordinal: string;
  table?: TableInfo['id'];
  /** Words any heading variant of this section contains. */
  keywords: readonly string[];
}

export const SECTIONS: readonly SectionInfo[] = [
  {
    number: 1,
    ordinal: '一',
    zh: '总体情况',
    en: 'Overview',
    description: 'Narrative overview of the year.',
    keywords: ['总体情况'],
  },
  {
    number: 2,
    ordinal: '二',
    zh: '主动公开政府信息情况',
    en: 'Proactive disclosure',
    description: 'Section containing table 2.',
    table: 'T2',
    keywords: ['主动公开'],
  },
  {
    number: 3,
    ordinal: '三',
    zh: '收到和处理政府信息公开申请情况',
    en: 'Requests received and handled',
    description: 'Section containing table 3.',
    table: 'T3',
    keywords: ['申请情况'],
  },
  {
    number: 4,
    ordinal: '四',
    zh: '政府信息公开行政复议、行政诉讼情况',
    en: 'Administrative reviews and lawsuits',
    description: 'Section containing table 4.',
    table: 'T4',
    keywords: ['行政复议', '行政诉讼'],
  },
  {
    number: 5,
    ordinal: '五',
    zh: '存在的主要问题及改进情况',
    en: 'Problems and improvements',
    description: 'Main problems in the disclosure work and how they are being addressed.',
    keywords: ['问题', '改进'],
  },
  {
    number: 6,
    ordinal: '六',
    zh: '其他需要报告的事项',
    en: 'Other matters',
    description: 'Other matters; V2021 asks for fees charged, NPC/CPPCC proposals and the work plan.',
    keywords: ['其他需要报告'],
  },
];
