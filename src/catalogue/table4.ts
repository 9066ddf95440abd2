/**
 * Table 4 of the template (administrative review and litigation, 行政复议、行政诉讼): its
 * proceedings and results, which are the same in both versions.
 */
import { type Label, TOTAL_SPELLINGS } from './template-versions.ts';

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
    // Matched whole, never as a part: 复议后起诉 and 直接起诉 share words but not a label.
    variants: ['直接起诉', '未经复议起诉', '未经复议直接提起诉讼'],
    en: 'Lawsuits without prior review',
    description: 'Administrative lawsuits filed directly, without administrative review first.',
  },
  {
    code: 'LITIGATION_AFTER_REVIEW',
    field: 'litigationAfterReview',
    zh: '复议后起诉',
    variants: ['经复议后起诉', '复议后提起诉讼', '经复议后提起诉讼'],
    en: 'Lawsuits after review',
    description: 'Administrative lawsuits filed after an administrative review.',
  },
];

/** The header printed over the two kinds of lawsuit, after 行政复议's five columns. */
export const LITIGATION_HEADER: Label = {
  zh: '行政诉讼',
  en: 'Administrative litigation',
  description: 'The header over the lawsuit columns of table 4 (未经复议直接起诉, 复议后起诉).',
};

export interface Table4Result extends Label {
  code: string;
  field: string;
  isTotal: boolean;
}

/** Agencies print the results short (维持, 纠正, 其他, 未审结), each still one result only. */
export const TABLE4_RESULTS: readonly Table4Result[] = [
  {
    code: 'UPHELD',
    field: 'upheld',
    zh: '结果维持',
    variants: ['维持'],
    en: 'Upheld',
    description: "The agency's decision was upheld.",
    isTotal: false,
  },
  {
    code: 'CORRECTED',
    field: 'corrected',
    zh: '结果纠正',
    variants: ['纠正'],
    en: 'Corrected',
    description: "The agency's decision was corrected.",
    isTotal: false,
  },
  {
    code: 'OTHER',
    field: 'other',
    zh: '其他结果',
    variants: ['其他'],
    en: 'Other result',
    description: 'Closed with another result (e.g. withdrawn).',
    isTotal: false,
  },
  {
    code: 'PENDING',
    field: 'pending',
    zh: '尚未审结',
    variants: ['未审结'],
    en: 'Pending',
    description: 'Not yet concluded at the end of the year.',
    isTotal: false,
  },
  {
    code: 'TOTAL',
    field: 'total',
    ...TOTAL_SPELLINGS,
    en: 'Total',
    description: 'All cases; equals the sum of the four results.',
    isTotal: true,
  },
];
