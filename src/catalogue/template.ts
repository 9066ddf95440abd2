/**
 * The national report template, as data.
 *
 * Both template versions (国办公开办函〔2019〕60号 and 〔2021〕30号) are described here
 * once. The parser's label matching, the validator's identities, the storage codes,
 * the GraphQL enums and the CSV headers are all derived from these declarations, so a
 * future template revision means adding entries here, not changing code.
 *
 * This module holds the report's structure (its tables and sections) and is the one the
 * rest of the code imports; each table's rows and columns are declared in table2.ts,
 * table3.ts and table4.ts, and the versions in template-versions.ts.
 */
export * from './table2.ts';
export * from './table3.ts';
export * from './table4.ts';
export {
  FIRST_TEMPLATE_YEAR,
  type Label,
  latestReportYear,
  TEMPLATE_VERSION_INFO,
  TEMPLATE_VERSIONS,
  type TemplateVersion,
  type Unit,
} from './template-versions.ts';

import type { Label } from './template-versions.ts';

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
    // Also 三、收到和处理政府信息公开申请的情况 and …申请 alone. Not 依申请公开: the overview's
    // own (三) 依申请公开政府信息办理情况 would be taken for this section.
    keywords: ['申请情况', '申请的情况', '收到和处理'],
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
