/**
 * Table 2 of the template (proactive disclosure, 主动公开): its blocks, rows and columns
 * in each version.
 */
import {
  BOTH,
  type Label,
  type TemplateVersion,
  type Unit,
  V2019_ONLY,
  V2021_ONLY,
} from './template-versions.ts';

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
  variants: ['上年项目数量'],
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
  variants: ['本年处理决定数量', '处理决定数', '本年处理决定数'],
  en: 'Decisions',
  // Whether a cell compares across template versions is its block's to say (metric descriptions).
  description: 'Number of decisions made this year.',
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
        variants: ['本年制作数量', '本年新制作件数'],
        en: 'Made this year',
        description: 'Documents newly made this year.',
        versions: V2019_ONLY,
        unit: 'COUNT',
      },
      {
        code: 'PUBLISHED',
        zh: '本年新公开数量',
        variants: ['本年新公开件数'],
        en: 'Published this year',
        description: 'Documents newly published this year.',
        versions: V2019_ONLY,
        unit: 'COUNT',
      },
      {
        code: 'TOTAL_PUBLISHED',
        zh: '对外公开总数量',
        variants: ['对外公开总数', '对外公开总件数'],
        en: 'Total published',
        description: 'All documents published to date.',
        versions: V2019_ONLY,
        unit: 'COUNT',
      },
      {
        code: 'ISSUED',
        zh: '本年制发件数',
        variants: ['本年制发数量', '本年制发数'],
        en: 'Issued this year',
        description: 'Documents issued this year.',
        versions: V2021_ONLY,
        unit: 'COUNT',
      },
      {
        code: 'REPEALED',
        zh: '本年废止件数',
        variants: ['本年废止数量', '本年废止数'],
        en: 'Repealed this year',
        description: 'Documents repealed this year.',
        versions: V2021_ONLY,
        unit: 'COUNT',
      },
      {
        code: 'IN_FORCE',
        zh: '现行有效件数',
        variants: ['现行有效数量', '现行有效数'],
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
