/**
 * Report.reconciliation: each identity and cross-year rule of a report as HOLDS, VIOLATED or
 * UNKNOWN, derived in src/comparison/reconciliation.ts from the catalogue, the current
 * revision's stored findings and its figures (loaded with the report: no extra query).
 */
import { describeScope, type RuleId } from '../../catalogue/identities.ts';
import { emptyList } from '../../comparison/filter.ts';
import {
  overallStatus,
  type ReconciliationCheck,
  type ReconciliationStatus,
  reconcile,
} from '../../comparison/reconciliation.ts';
import { REVISION_CELLS_SELECT, revisionCells } from '../../store/revision-cells.ts';
import { builder } from '../builder.ts';
import { badUserInput } from './errors.ts';
import { FindingCellRef, FindingRuleEnum } from './finding-types.ts';

const ReconciliationStatusEnum = builder.enumType('ReconciliationStatus', {
  description: 'Whether an identity of the template holds in a report.',
  values: {
    HOLDS: {
      description:
        'Every figure involved is printed and the identity adds up (a table-2 bound: is within it).',
    },
    VIOLATED: { description: 'Every figure involved is printed and the identity does not add up.' },
    UNKNOWN: {
      description:
        'It could not be checked: figures not printed (blank, "/", missing), or no stored report for the year before. Never read as holding.',
    },
  } as const,
});

const UnknownReasonEnum = builder.enumType('ReconciliationUnknownReason', {
  description: 'Why a check is UNKNOWN.',
  values: {
    NOT_PRINTED: {
      description: 'Some figures involved were not printed (blank, a mark such as "/", or missing).',
    },
    NO_PREVIOUS_YEAR: {
      description: 'Cross-year rules: no stored report of the agency for the year before.',
    },
  } as const,
});

const exactToFloat = (value: string | null) => (value === null ? null : Number(value));

const ReconciliationCheckRef = builder.objectRef<ReconciliationCheck>('ReconciliationCheck').implement({
  description:
    'One identity (per applicant column, row or proceeding) or cross-year link of a report, with its figures. `difference` = `actual` − `expected`.',
  fields: (t) => ({
    rule: t.expose('rule', { type: FindingRuleEnum, description: 'The rule.' }),
    scope: t.exposeString('scope', {
      description:
        'What it is checked for: an applicant column, a table-3 row, a proceeding code or a table-2 row.',
    }),
    scopeLabelZh: t.string({
      description: 'The scope as printed, e.g. 自然人.',
      resolve: (c) => describeScope(c.rule, c.scope)?.zh ?? c.scope,
    }),
    scopeNameEn: t.string({
      description: 'The scope in English.',
      resolve: (c) => describeScope(c.rule, c.scope)?.en ?? c.scope,
    }),
    status: t.expose('status', {
      type: ReconciliationStatusEnum,
      description: 'HOLDS, VIOLATED or UNKNOWN.',
    }),
    unknownReason: t.expose('unknownReason', {
      type: UnknownReasonEnum,
      nullable: true,
      description: 'Why it is UNKNOWN; null otherwise.',
    }),
    otherYear: t.exposeInt('otherYear', {
      nullable: true,
      description: 'Cross-year rules: the year compared with (the year before).',
    }),
    cells: t.expose('cells', {
      type: [FindingCellRef],
      description: 'Every figure involved, with its side, year, status and value.',
    }),
    expected: t.float({
      nullable: true,
      description: 'Sum of the EXPECTED side; null when UNKNOWN.',
      resolve: (c) => exactToFloat(c.expected),
    }),
    actual: t.float({
      nullable: true,
      description: 'Sum of the ACTUAL side; null when UNKNOWN.',
      resolve: (c) => exactToFloat(c.actual),
    }),
    difference: t.float({
      nullable: true,
      description:
        'actual − expected (0 when an identity HOLDS; what a table-2 bound holds by, e.g. −5 for 1 published of 6); null when UNKNOWN.',
      resolve: (c) => exactToFloat(c.difference),
    }),
    exactDifference: t.exposeString('difference', {
      nullable: true,
      description: '`difference` as an exact decimal string.',
    }),
    holdsIfBlanksAreZero: t.exposeBoolean('holdsIfBlanksAreZero', {
      nullable: true,
      description:
        'UNKNOWN only because cells were printed blank: whether it would hold if the blanks were 0 (they are never stored as 0); true when every cell of the check is blank (0 = 0). Null otherwise: a cell not printed for another reason (a mark such as "/", missing, unreadable), or a status other than UNKNOWN.',
    }),
  }),
});

const ReconciliationRef = builder.objectRef<{ checks: ReconciliationCheck[] }>('Reconciliation').implement({
  description: "A report's reconciliation (勾稽关系) over the rules asked for.",
  fields: (t) => ({
    status: t.field({
      type: ReconciliationStatusEnum,
      description: 'VIOLATED if any check is, else UNKNOWN if any is (or none was asked for), else HOLDS.',
      resolve: (r) => overallStatus(r.checks),
    }),
    holds: t.int({ description: 'Checks that hold.', resolve: (r) => count(r.checks, 'HOLDS') }),
    violated: t.int({ description: 'Checks violated.', resolve: (r) => count(r.checks, 'VIOLATED') }),
    unknown: t.int({
      description: 'Checks that could not be made.',
      resolve: (r) => count(r.checks, 'UNKNOWN'),
    }),
    checks: t.field({
      type: [ReconciliationCheckRef],
      args: {
        status: t.arg({
          type: ReconciliationStatusEnum,
          required: false,
          description: 'Only checks with this status.',
        }),
      },
      description: 'Every check, in catalogue order (within-report identities, then cross-year links).',
      resolve: (r, args) => (args.status ? r.checks.filter((c) => c.status === args.status) : r.checks),
    }),
  }),
});

const count = (checks: readonly ReconciliationCheck[], status: ReconciliationStatus) =>
  checks.filter((c) => c.status === status).length;

builder.prismaObjectFields('Report', (t) => ({
  reconciliation: t.field({
    type: ReconciliationRef,
    description:
      "Every identity of the report's template (T3_BALANCE, T3_OUTCOMES_SUM, T3_TOTAL_COLUMN, T4_TOTAL, and in the 2019 template table 2's bounds T2_PUBLISHED_WITHIN_TOTAL and T2_CHANGE_WITHIN_ITEMS) and the cross-year T3_CARRY_OVER, per applicant column, row or proceeding: HOLDS, VIOLATED or UNKNOWN, with the figures involved. Derived from the current revision's stored findings and figures: a rule without a finding holds only if it could be checked. Table 2's cross-year T2_ITEMS_CARRY_OVER is in `current.findings` only: whether the year before prints its cells cannot be told here.",
    args: {
      rules: t.arg({
        type: [FindingRuleEnum],
        required: false,
        description:
          'Only these rules, e.g. [T3_CARRY_OVER]; omit for all identities and cross-year rules (an empty list is refused). Narrative rules are not identities and have no checks here (see `current.findings`); BLANKS_AS_ZERO shows as `holdsIfBlanksAreZero`.',
      }),
    },
    select: {
      year: true,
      currentRevision: {
        select: {
          ...REVISION_CELLS_SELECT,
          findings: {
            select: {
              ruleId: true,
              scope: true,
              status: true,
              cells: true,
              expected: true,
              actual: true,
              difference: true,
            },
          },
        },
      },
      agency: { select: { reports: { select: { year: true } } } },
    },
    resolve: (report, args) => {
      const empty = emptyList(args.rules, 'rules', 'every rule');
      if (empty) throw badUserInput(empty.message, empty.argument);
      const revision = report.currentRevision;
      if (!revision) return { checks: [] };
      const stored = revisionCells(revision);
      const text = (d: { toString(): string } | null) => (d === null ? null : d.toString());
      const checks = reconcile({
        year: report.year,
        templateVersion: stored.templateVersion,
        cells: stored.cells,
        previousYearStored: report.agency.reports.some((r) => r.year === report.year - 1),
        findings: revision.findings.map((f) => ({
          ruleId: f.ruleId,
          scope: f.scope,
          status: f.status,
          cells: f.cells as unknown as ReconciliationCheck['cells'],
          expected: text(f.expected),
          actual: text(f.actual),
          difference: text(f.difference),
        })),
      });
      const rules = args.rules as RuleId[] | null | undefined;
      return { checks: rules ? checks.filter((c) => rules.includes(c.rule)) : checks };
    },
  }),
}));
