/**
 * GraphQL types of findings: the rules (from the identities catalogue), stored findings
 * on report revisions, and unsaved findings returned by validateReport and strict imports.
 */
import { cellByCode } from '../../catalogue/cells.ts';
import { describeScope, RULES, type Rule, type RuleId, ruleById } from '../../catalogue/identities.ts';
import type { FindingCell, FindingDraft } from '../../comparison/finding-list.ts';
import { builder } from '../builder.ts';
import { AgencyRef } from './agency.ts';
import { CellStatusEnum } from './catalogue.ts';
import { ErrorInterface } from './errors.ts';

export const FindingRuleEnum = builder.enumType('FindingRule', {
  description: 'A validation rule (勾稽关系). Rule ids are stable; new rules only add values.',
  values: Object.fromEntries(
    RULES.map((r) => [r.id, { description: `${r.severity}: ${r.zh} ${r.en}` }]),
  ) as Record<RuleId, { description: string }>,
});

export const FindingSeverityEnum = builder.enumType('FindingSeverity', {
  description: 'How serious a finding is.',
  values: {
    ERROR: {
      description: 'The report contradicts itself: an identity printed in the template does not hold.',
    },
    WARNING: {
      description: 'Probably wrong, but the cause may lie elsewhere (another year, the wording of the text).',
    },
    INFO: { description: 'Worth knowing; used for identities that could not be checked.' },
  } as const,
});

export const FindingStatusEnum = builder.enumType('FindingStatus', {
  description: 'Whether the identity failed or could not be checked.',
  values: {
    VIOLATED: { description: 'The figures were all printed and do not add up.' },
    INCOMPLETE: {
      description:
        'Some figures were not printed or are missing, so the identity could not be checked; blanks are never counted as 0. An identity none of whose cells the source has (a table or row it lacks, stored with allowPartial) has no finding: the revision’s `gaps` name what is missing, and `reconciliation` counts it UNKNOWN.',
    },
  } as const,
});

const FindingSideEnum = builder.enumType('FindingSide', {
  description: 'Which side of an identity a figure is on.',
  values: {
    EXPECTED: { description: 'Summed into `expected` (e.g. 一 + 二, or the parts of a total).' },
    ACTUAL: { description: 'Summed into `actual` (e.g. the printed total).' },
  } as const,
});

export const FindingRuleInfoRef = builder.objectRef<Rule>('FindingRuleInfo').implement({
  description: 'A validation rule and what it checks.',
  fields: (t) => ({
    rule: t.field({ type: FindingRuleEnum, description: 'Stable rule id.', resolve: (r) => r.id as RuleId }),
    severity: t.expose('severity', {
      type: FindingSeverityEnum,
      description: 'Severity of a finding when the identity fails.',
    }),
    category: t.exposeString('category', {
      description: 'WITHIN_REPORT, CROSS_YEAR or NARRATIVE.',
    }),
    explanationZh: t.exposeString('zh', { description: 'What the rule checks, in Chinese.' }),
    explanationEn: t.exposeString('en', { description: 'What the rule checks, in English.' }),
  }),
});

export const FindingCellRef = builder.objectRef<FindingCell>('FindingCell').implement({
  description: 'A figure involved in a finding, as it stood when the finding was computed.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Catalogue cell code, e.g. T3.NEW_REQUESTS.TOTAL.' }),
    labelZh: t.stringList({
      description: 'Chinese label path of the cell, as printed in the template.',
      resolve: (c) => [...(cellByCode(c.code)?.labelZh ?? [])],
    }),
    nameEn: t.string({
      description: 'English name of the cell.',
      resolve: (c) => cellByCode(c.code)?.en ?? '',
    }),
    side: t.expose('side', { type: FindingSideEnum, description: 'Side of the identity.' }),
    year: t.exposeInt('year', {
      description: 'Report year the figure belongs to; the other year for cross-year rules.',
    }),
    status: t.expose('status', {
      type: CellStatusEnum,
      description: 'Printed, printed empty, or missing.',
    }),
    value: t.float({
      nullable: true,
      description: 'The figure, when printed.',
      resolve: (c) => (c.value === null ? null : Number(c.value)),
    }),
    exactValue: t.string({
      nullable: true,
      description: 'The figure as an exact decimal string.',
      resolve: (c) => c.value,
    }),
  }),
});

/** What every finding has, stored or not. Decimals arrive as strings or Prisma Decimals. */
interface FindingShape {
  ruleId: string;
  severity: 'ERROR' | 'WARNING' | 'INFO';
  status: 'VIOLATED' | 'INCOMPLETE';
  scope: string;
  cells: unknown;
  expected: { toString(): string } | null;
  actual: { toString(): string } | null;
  difference: { toString(): string } | null;
  messageZh: string;
  messageEn: string;
  evidence: string | null;
}

const exact = (value: { toString(): string } | null) => (value === null ? null : value.toString());
const float = (value: { toString(): string } | null) => (value === null ? null : Number(value.toString()));

export const AuditFindingInterface = builder.interfaceRef<FindingShape>('AuditFinding').implement({
  description:
    'What a finding says: which rule failed (or could not be checked), on which cells, and by how much. `difference` = `actual` − `expected`.',
  fields: (t) => ({
    rule: t.field({
      type: FindingRuleEnum,
      description: 'The rule checked.',
      resolve: (f) => f.ruleId as RuleId,
    }),
    ruleInfo: t.field({
      type: FindingRuleInfoRef,
      description: 'The rule with its explanation.',
      resolve: (f) => {
        const rule = ruleById(f.ruleId);
        if (!rule) throw new Error(`Stored finding has unknown rule ${f.ruleId}`);
        return rule;
      },
    }),
    severity: t.expose('severity', { type: FindingSeverityEnum, description: 'How serious.' }),
    status: t.expose('status', {
      type: FindingStatusEnum,
      description: 'Failed, or could not be checked.',
    }),
    scope: t.exposeString('scope', {
      description:
        'What the rule was checked for: an applicant column (NATURAL_PERSON…), a table-3 row (GRANTED…) or a proceeding (REVIEW…).',
    }),
    scopeLabelZh: t.string({
      description: 'The scope as printed, e.g. 自然人, （一）予以公开.',
      resolve: (f) => describeScope(f.ruleId, f.scope)?.zh ?? f.scope,
    }),
    scopeNameEn: t.string({
      description: 'The scope in English.',
      resolve: (f) => describeScope(f.ruleId, f.scope)?.en ?? f.scope,
    }),
    cells: t.field({
      type: [FindingCellRef],
      description: 'Every figure involved, with its side and value.',
      resolve: (f) => f.cells as FindingCell[],
    }),
    expected: t.float({
      nullable: true,
      description: 'Sum of the EXPECTED side (0 for narrative rules); null when INCOMPLETE.',
      resolve: (f) => float(f.expected),
    }),
    actual: t.float({
      nullable: true,
      description: 'Sum of the ACTUAL side; null when INCOMPLETE.',
      resolve: (f) => float(f.actual),
    }),
    difference: t.float({
      nullable: true,
      description: 'actual − expected: how far off the report is; null when INCOMPLETE.',
      resolve: (f) => float(f.difference),
    }),
    exactExpected: t.string({
      nullable: true,
      description: '`expected` as an exact decimal string.',
      resolve: (f) => exact(f.expected),
    }),
    exactActual: t.string({
      nullable: true,
      description: '`actual` as an exact decimal string.',
      resolve: (f) => exact(f.actual),
    }),
    exactDifference: t.string({
      nullable: true,
      description: '`difference` as an exact decimal string.',
      resolve: (f) => exact(f.difference),
    }),
    messageZh: t.exposeString('messageZh', {
      description: 'The finding in one Chinese sentence, with figures.',
    }),
    messageEn: t.exposeString('messageEn', {
      description: 'The finding in one English sentence, with figures.',
    }),
    evidence: t.exposeString('evidence', {
      nullable: true,
      description: 'Narrative rules: the sentence of the report that makes the claim.',
    }),
  }),
});

export const FindingRef = builder.prismaNode('Finding', {
  id: { field: 'id' },
  // A well-formed id of a missing (e.g. deleted) object answers null, as Relay expects.
  nullable: true,
  interfaces: [AuditFindingInterface],
  description:
    'A stored finding on a report revision. Findings of the current revision are recomputed whenever the report or the year before it is imported.',
  fields: (t) => ({
    revision: t.relation('revision', { description: 'The revision the finding is about.' }),
    otherRevision: t.relation('otherRevision', {
      nullable: true,
      description: 'Cross-year rules: the revision of the year it was compared with.',
    }),
    year: t.int({
      description: 'Report year of the revision.',
      select: { revision: { select: { report: { select: { year: true } } } } },
      resolve: (f) => f.revision.report.year,
    }),
    agency: t.field({
      type: AgencyRef,
      description: 'The agency whose report it is.',
      select: (_args, _ctx, nestedSelection) => ({
        revision: { select: { report: { select: { agency: nestedSelection(true) } } } },
      }),
      resolve: (f) => f.revision.report.agency,
    }),
    current: t.boolean({
      description: 'Whether the revision is still the current one of its report (its figures count).',
      select: { revision: { select: { currentOf: { select: { id: true } } } } },
      resolve: (f) => f.revision.currentOf !== null,
    }),
    computedAt: t.expose('createdAt', {
      type: 'DateTime',
      description:
        'When the finding was first computed: a recheck that finds it again, exactly, keeps it (and its id), so this can be earlier than the last recheck.',
    }),
  }),
});

export const ValidationFindingRef = builder.objectRef<FindingDraft>('ValidationFinding').implement({
  description: 'A finding computed without storing anything (validateReport, rejected strict imports).',
  interfaces: [AuditFindingInterface],
  fields: (t) => ({
    year: t.exposeInt('year', {
      description:
        'Year of the report the finding belongs to: the checked report, or the stored next year whose carried-over figures it contradicts.',
    }),
    otherYear: t.exposeInt('otherYear', {
      nullable: true,
      description: 'Cross-year rules: the year compared with.',
    }),
  }),
});

/** A strict import found error-level findings; nothing was stored. */
export class ReportFailsChecksError extends Error {
  constructor(
    readonly fileName: string,
    readonly findings: FindingDraft[],
  ) {
    super(
      `${fileName} was not imported (strict): ${findings.length} error-level finding(s). ${findings[0]?.messageEn ?? ''} Correct the figures, or import without strict to store the report as published with its findings.`.trim(),
    );
    this.name = 'ReportFailsChecksError';
  }
}

builder.objectType(ReportFailsChecksError, {
  name: 'ReportFailsChecksError',
  interfaces: [ErrorInterface],
  description:
    'A strict import found error-level findings (identities that do not add up); nothing was stored.',
  fields: (t) => ({
    fileName: t.exposeString('fileName', { description: 'The source concerned.' }),
    findings: t.expose('findings', {
      type: [ValidationFindingRef],
      description: 'The error-level findings that caused the rejection.',
    }),
  }),
});

const SEVERITY_ORDER = { ERROR: 0, WARNING: 1, INFO: 2 } as const;

/** Most serious first, as stored findings are ordered. */
export const compareSeverity = (a: { severity: keyof typeof SEVERITY_ORDER }, b: typeof a) =>
  SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];

builder.prismaObjectFields('ReportRevision', (t) => ({
  findings: t.relation('findings', {
    description:
      'Findings of this revision: identities that do not add up or could not be checked, most serious first. A clean report has none.',
    args: {
      severity: t.arg({
        type: FindingSeverityEnum,
        required: false,
        description: 'Only findings of this severity.',
      }),
    },
    query: (args) => ({
      where: args.severity ? { severity: args.severity } : {},
      orderBy: [{ severity: 'asc' }, { id: 'asc' }],
    }),
  }),
  findingCount: t.relationCount('findings', { description: 'Number of findings of any severity.' }),
  report: t.relation('report', { description: 'The report this revision belongs to.' }),
}));
