/**
 * The accounting identities (勾稽关系) an auditor checks, as data derived from the
 * template catalogue: which cells must add up to which, for every template version.
 * A new template version or row changes these lists without any change to the checker.
 */
import { table3CellCode, table4CellCode } from './cells.ts';
import { TABLE2_BOUNDS, TABLE2_ITEM_LINKS } from './table2-rules.ts';
import {
  APPLICANT_COLUMNS,
  TABLE3_GROUPS,
  TABLE3_ROWS,
  TABLE4_PROCEEDINGS,
  TABLE4_RESULTS,
  type Table3Row,
  TEMPLATE_VERSIONS,
  type TemplateVersion,
  table3RowLabelZh,
} from './template.ts';

export type Severity = 'ERROR' | 'WARNING' | 'INFO';
export type RuleCategory = 'WITHIN_REPORT' | 'CROSS_YEAR' | 'NARRATIVE';

export interface Rule {
  id: string;
  severity: Severity;
  category: RuleCategory;
  /** One line, for people. */
  zh: string;
  en: string;
}

export const RULES = [
  {
    id: 'T3_BALANCE',
    severity: 'ERROR',
    category: 'WITHIN_REPORT',
    zh: '表三每一申请人列：一、本年新收 + 二、上年结转 = 三、本年度办理结果（七）总计 + 四、结转下年度继续办理。',
    en: 'Table 3, every applicant column: new requests + carried over = total outcomes + carried forward.',
  },
  {
    id: 'T3_OUTCOMES_SUM',
    severity: 'ERROR',
    category: 'WITHIN_REPORT',
    zh: '表三每一申请人列：（七）总计等于（一）至（六）各项办理结果之和。',
    en: 'Table 3, every applicant column: the outcome total (七) equals the sum of the outcome rows (一)–(六).',
  },
  {
    id: 'T3_TOTAL_COLUMN',
    severity: 'ERROR',
    category: 'WITHIN_REPORT',
    zh: '表三每一行：总计列等于六个申请人列之和。',
    en: 'Table 3, every row: the total column equals the sum of the six applicant columns.',
  },
  {
    id: 'T4_TOTAL',
    severity: 'ERROR',
    category: 'WITHIN_REPORT',
    zh: '表四每一类案件：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。',
    en: 'Table 4, each proceeding: total = upheld + corrected + other result + pending.',
  },
  {
    id: 'BLANKS_AS_ZERO',
    severity: 'INFO',
    category: 'WITHIN_REPORT',
    zh: '空白单元格：某项勾稽关系因空白单元格无法核对时，说明若将空白按 0 计算该关系是否成立（空白本身不按 0 存储）。',
    en: 'Blank cells: where an identity cannot be checked because cells were printed blank, whether it would hold if the blanks were 0 (blanks are never stored as 0).',
  },
  {
    id: 'T3_CARRY_OVER',
    severity: 'WARNING',
    category: 'CROSS_YEAR',
    zh: '跨年度：本年表三二、上年结转数等于上一年度报告四、结转下年度继续办理数（按申请人列）。',
    en: "Across years: this year's requests carried over equal last year's requests carried forward, per applicant column.",
  },
  {
    id: 'T2_PUBLISHED_WITHIN_TOTAL',
    severity: 'WARNING',
    category: 'WITHIN_REPORT',
    zh: '表二（2019 版）第二十条第（一）项每一行：本年新公开数量不应超过对外公开总数量。',
    en: 'Table 2 (2019 template), item (1), every row: documents published this year should not exceed all documents published.',
  },
  {
    id: 'T2_CHANGE_WITHIN_ITEMS',
    severity: 'WARNING',
    category: 'WITHIN_REPORT',
    zh: '表二（2019 版）每一有上一年项目数量的行：本年减少数不应超过上一年项目数量，即上一年项目数量 + 本年增/减 ≥ 0。',
    en: 'Table 2 (2019 template), every row with items last year: a decrease should not exceed the items there were (items last year + change this year ≥ 0).',
  },
  {
    id: 'T2_ITEMS_CARRY_OVER',
    severity: 'WARNING',
    category: 'CROSS_YEAR',
    zh: '跨年度（2019 版表二）：本年上一年项目数量等于上一年度报告的上一年项目数量 + 本年增/减（按行）。',
    en: "Across years (2019-template table 2): this year's items last year equal last year's items last year plus its change this year, per row.",
  },
  {
    id: 'NARRATIVE_NO_REQUESTS',
    severity: 'WARNING',
    category: 'NARRATIVE',
    zh: '正文称未收到政府信息公开申请，表三一、本年新收申请数应为零。',
    en: 'The text says no disclosure requests were received, so new requests in table 3 must be zero.',
  },
  {
    id: 'NARRATIVE_NO_REVIEWS',
    severity: 'WARNING',
    category: 'NARRATIVE',
    zh: '正文称未发生行政复议，表四行政复议总计应为零。',
    en: 'The text says there were no administrative reviews, so the table-4 review total must be zero.',
  },
  {
    id: 'NARRATIVE_NO_LAWSUITS',
    severity: 'WARNING',
    category: 'NARRATIVE',
    zh: '正文称未发生行政诉讼，表四行政诉讼总计应为零。',
    en: 'The text says there were no lawsuits, so the table-4 lawsuit totals must be zero.',
  },
] as const satisfies readonly Rule[];

export type RuleId = (typeof RULES)[number]['id'];
export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

export const rulesOfCategory = (category: RuleCategory): RuleId[] =>
  RULES.filter((r) => r.category === category).map((r) => r.id);

/** One side of an identity: the cells summed, and how to name that sum in a message. */
export interface Side {
  cells: readonly string[];
  zh: string;
  en: string;
}

/** Within one report: the sum of `expected` cells must equal the sum of `actual` cells. */
export interface SumIdentity {
  rule: RuleId;
  /** What this instance checks: an applicant column, a row or a proceeding code. */
  scope: string;
  scopeZh: string;
  scopeEn: string;
  expected: Side;
  actual: Side;
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Template catalogue has no ${what}`);
  return value;
}

const applicants = APPLICANT_COLUMNS.filter((c) => !c.isTotal);
const totalColumn = must(
  APPLICANT_COLUMNS.find((c) => c.isTotal),
  'table-3 total column',
);
const totalResult = must(
  TABLE4_RESULTS.find((r) => r.isTotal),
  'table-4 total result',
);
const rowByCode = (code: string) =>
  must(
    TABLE3_ROWS.find((r) => r.code === code),
    `table-3 row ${code}`,
  );
const groupOf = (row: Table3Row) => TABLE3_GROUPS.find((g) => g.code === row.group);

/** The ordinal printed in the outcome column: the group's for numbered sub-rows. */
const outcomeOrdinal = (row: Table3Row) => groupOf(row)?.ordinal ?? row.ordinal;

function buildIdentities(version: TemplateVersion): SumIdentity[] {
  const rows = TABLE3_ROWS.filter((r) => r.versions.includes(version));
  const firstOutcome = rows.findIndex((r) => r.outcome);
  const inflow = rows.filter((r, i) => !r.outcome && i < firstOutcome);
  const outflowAfter = rows.filter((r, i) => !r.outcome && i > firstOutcome);
  const outcomeTotal = rows.find((r) => r.isOutcomeTotal);
  if (!outcomeTotal) throw new Error(`Template ${version} has no outcome total row`);
  const outcomes = rows.filter((r) => r.outcome && !r.isOutcomeTotal);
  const ordinals = (list: readonly Table3Row[]) => list.map((r) => r.ordinal).join(' + ');

  const identities: SumIdentity[] = [];
  for (const column of APPLICANT_COLUMNS) {
    identities.push({
      rule: 'T3_BALANCE',
      scope: column.code,
      scopeZh: column.zh,
      scopeEn: column.en,
      expected: {
        cells: inflow.map((r) => table3CellCode(r.code, column.code)),
        zh: ordinals(inflow),
        en: inflow.map((r) => r.en.toLowerCase()).join(' + '),
      },
      actual: {
        cells: [outcomeTotal, ...outflowAfter].map((r) => table3CellCode(r.code, column.code)),
        zh: `三${outcomeTotal.ordinal}${outcomeTotal.zh} + ${ordinals(outflowAfter)}`,
        en: [outcomeTotal, ...outflowAfter].map((r) => r.en.toLowerCase()).join(' + '),
      },
    });
  }
  for (const column of APPLICANT_COLUMNS) {
    identities.push({
      rule: 'T3_OUTCOMES_SUM',
      scope: column.code,
      scopeZh: column.zh,
      scopeEn: column.en,
      expected: {
        cells: outcomes.map((r) => table3CellCode(r.code, column.code)),
        zh: `${outcomeOrdinal(must(outcomes[0], 'outcome row'))}至${outcomeOrdinal(must(outcomes.at(-1), 'outcome row'))}各项之和`,
        en: `the ${outcomes.length} outcome rows`,
      },
      actual: {
        cells: [table3CellCode(outcomeTotal.code, column.code)],
        zh: `${outcomeTotal.ordinal}${outcomeTotal.zh}`,
        en: 'total outcomes',
      },
    });
  }
  for (const row of rows) {
    identities.push({
      rule: 'T3_TOTAL_COLUMN',
      scope: row.code,
      scopeZh: table3RowLabelZh(row),
      scopeEn: row.en,
      expected: {
        cells: applicants.map((c) => table3CellCode(row.code, c.code)),
        zh: '六个申请人列之和',
        en: 'the six applicant columns',
      },
      actual: {
        cells: [table3CellCode(row.code, totalColumn.code)],
        zh: `${totalColumn.zh}列`,
        en: 'the total column',
      },
    });
  }
  const parts = TABLE4_RESULTS.filter((r) => !r.isTotal);
  for (const proceeding of TABLE4_PROCEEDINGS) {
    identities.push({
      rule: 'T4_TOTAL',
      scope: proceeding.code,
      scopeZh: proceeding.zh,
      scopeEn: proceeding.en,
      expected: {
        cells: parts.map((r) => table4CellCode(proceeding.code, r.code)),
        zh: parts.map((r) => r.zh).join(' + '),
        en: parts.map((r) => r.en.toLowerCase()).join(' + '),
      },
      actual: {
        cells: [table4CellCode(proceeding.code, totalResult.code)],
        zh: totalResult.zh,
        en: 'total',
      },
    });
  }
  return identities;
}

const IDENTITIES_BY_VERSION = new Map(TEMPLATE_VERSIONS.map((v) => [v, buildIdentities(v)]));

/** Every within-report identity of a template version, in table order. */
export function identitiesOf(version: TemplateVersion): readonly SumIdentity[] {
  return IDENTITIES_BY_VERSION.get(version) ?? [];
}

/** Across years: this year's `thisYear` cell must equal last year's `previousYear` cell. */
export interface CarryOverLink {
  rule: RuleId;
  scope: string;
  scopeZh: string;
  scopeEn: string;
  previousYear: { cell: string; zh: string; en: string };
  thisYear: { cell: string; zh: string; en: string };
}

const carriedOver = rowByCode('CARRIED_OVER');
const carriedForward = rowByCode('CARRIED_FORWARD');

export const CARRY_OVER_LINKS: readonly CarryOverLink[] = APPLICANT_COLUMNS.map((column) => ({
  rule: 'T3_CARRY_OVER',
  scope: column.code,
  scopeZh: column.zh,
  scopeEn: column.en,
  previousYear: {
    cell: table3CellCode(carriedForward.code, column.code),
    zh: `${carriedForward.ordinal}、${carriedForward.zh}`,
    en: carriedForward.en.toLowerCase(),
  },
  thisYear: {
    cell: table3CellCode(carriedOver.code, column.code),
    zh: `${carriedOver.ordinal}、${carriedOver.zh}`,
    en: carriedOver.en.toLowerCase(),
  },
}));

/**
 * A statement in the narrative that fixes some figures at zero. Patterns are matched
 * against one sentence at a time; the cells' sum must then be zero.
 */
export interface NarrativeClaim {
  rule: RuleId;
  scope: string;
  scopeZh: string;
  scopeEn: string;
  patterns: readonly RegExp[];
  cells: Side;
}

// Sentence fragments never cross a clause boundary.
const CLAUSE = '[^，,；;。！!？?\\n]';
// "未发生行政复议被纠正" and "未发生行政复议、行政诉讼被纠错" say nothing about the number of
// reviews: the result may follow a list of proceedings.
const NOT_ABOUT_RESULT =
  '(?!(?:[、和及与或]?(?:行政)?(?:复议|诉讼))*(?:案件)?(?:被|结果)?(?:(?:复议)?机关)?(?:纠正|纠错|撤销|败诉))';
const negation = (object: string) =>
  new RegExp(
    `(?:(?:未|没有)(?:发生|出现|产生|收到|受理|被申请|被提起|提起|被起诉)过?|没有)${CLAUSE}{0,24}?${object}${NOT_ABOUT_RESULT}`,
  );

/*
 * "No requests at all" is only what the words between the negated verb and 申请 allow: who
 * may apply (an applicant list, "公民、法人或其他组织提出的") and what any request is
 * ("政府信息公开", "依申请公开政府信息的"). Any other qualifier restricts the kind of request
 * ("涉及国家秘密的", "逾期未补正的", "关于…的") or makes 申请 part of another object
 * ("因政府信息公开申请提起的行政复议"), and such a sentence says nothing about the total. A
 * list of allowed words, rather than of forbidden ones, errs towards no finding.
 */
const APPLICANT = '(?:公民|自然人|法人|其他组织|社会组织|社会公众|人民群众|群众|个人|企业|申请人)';
const APPLICANTS = `${APPLICANT}(?:(?:、|和|及|与|以及|或者?)${APPLICANT})*(?:依法)?(?:提出|提交|递交)?的?`;
const ANY_KIND = '(?:任何(?:形式|方式)?的?)';
const DISCLOSURE =
  '(?:(?:有关|关于)?(?:(?:政府)?信息)?公开(?:政府信息)?(?:方面)?的?|依申请公开(?:政府信息)?的?|要求公开政府信息的)';
const REQUEST_OBJECT = `${ANY_KIND}?(?:${APPLICANTS})?${ANY_KIND}?`;
// 申请人 is the applicant; "申请的投诉" or "申请的答复" is about something else than the requests.
const REQUEST = '申请(?!人|的(?!情况))';

const proceedingsTotal = (filter: (code: string) => boolean) =>
  TABLE4_PROCEEDINGS.filter((p) => filter(p.code)).map((p) => table4CellCode(p.code, totalResult.code));
const newRequests = rowByCode('NEW_REQUESTS');

export const NARRATIVE_CLAIMS: readonly NarrativeClaim[] = [
  {
    rule: 'NARRATIVE_NO_REQUESTS',
    scope: newRequests.code,
    scopeZh: `${newRequests.ordinal}、${newRequests.zh}`,
    scopeEn: newRequests.en,
    patterns: [
      new RegExp(`(?:未|没有)(?:收到|接到|受理)过?${REQUEST_OBJECT}${DISCLOSURE}?${REQUEST}`),
      new RegExp(`无${REQUEST_OBJECT}${DISCLOSURE}${REQUEST}`),
      // "未发生依申请公开事项", but not the fees or proceedings it might have led to.
      new RegExp(`(?:未|没有)(?:发生|产生)过?(?:任何|政府信息)?依申请公开(?!${CLAUSE}*(?:费|复议|诉讼))`),
    ],
    cells: {
      cells: [table3CellCode(newRequests.code, totalColumn.code)],
      zh: `表三${newRequests.ordinal}、${newRequests.zh}（${totalColumn.zh}）`,
      en: `table 3 ${newRequests.en.toLowerCase()} (total)`,
    },
  },
  {
    rule: 'NARRATIVE_NO_REVIEWS',
    scope: 'REVIEW',
    scopeZh: '行政复议',
    scopeEn: 'Administrative review',
    patterns: [negation('行政复议')],
    cells: {
      cells: proceedingsTotal((code) => code === 'REVIEW'),
      zh: '表四行政复议总计',
      en: 'the table-4 review total',
    },
  },
  {
    rule: 'NARRATIVE_NO_LAWSUITS',
    scope: 'LITIGATION',
    scopeZh: '行政诉讼',
    scopeEn: 'Lawsuits',
    patterns: [negation('(?:行政诉讼|诉讼案件|被起诉)')],
    cells: {
      cells: proceedingsTotal((code) => code !== 'REVIEW'),
      zh: '表四行政诉讼（未经复议直接起诉、复议后起诉）总计之和',
      en: 'the table-4 lawsuit totals (direct and after review)',
    },
  },
];

/** What a finding's scope code means, e.g. NATURAL_PERSON → 自然人 / Natural persons. */
export function describeScope(rule: string, scope: string): { zh: string; en: string } | null {
  // A blank-cell finding's scope names the identity it is about: "T3_TOTAL_COLUMN:GRANTED".
  if (rule === 'BLANKS_AS_ZERO') {
    const [inner = '', innerScope = ''] = scope.split(':');
    return describeScope(inner, innerScope);
  }
  const all: readonly { rule: string; scope: string; scopeZh: string; scopeEn: string }[] = [
    ...TEMPLATE_VERSIONS.flatMap((v) => identitiesOf(v)),
    ...CARRY_OVER_LINKS,
    ...TABLE2_BOUNDS,
    ...TABLE2_ITEM_LINKS,
    ...NARRATIVE_CLAIMS,
  ];
  const found = all.find((i) => i.rule === rule && i.scope === scope);
  return found ? { zh: found.scopeZh, en: found.scopeEn } : null;
}
