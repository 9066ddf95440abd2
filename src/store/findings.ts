/**
 * Stores the findings of the validation rules. A revision's within-report findings are a
 * function of the revision alone; its cross-year findings also depend on the current
 * revision of the year before, so importing year N rewrites those of year N+1 too.
 */
import { rulesOfCategory } from '../catalogue/identities.ts';
import {
  checkWithNeighbours,
  type FindingDraft,
  figuresOf,
  type ReportUnderCheck,
} from '../validation/check.ts';
import { type Db, Prisma, type SqlTransaction, writeTransaction } from './db.ts';
import { decodeFigures, figureColumnsSql, type StoredFigures } from './figures.ts';
import { loadNeighbours } from './neighbours.ts';

type Tx = SqlTransaction | Db;

export const CROSS_YEAR_RULES: string[] = rulesOfCategory('CROSS_YEAR');

export interface Row {
  revision_id: number;
  other_revision_id: number | null;
  rule_id: string;
  severity: string;
  status: string;
  scope: string;
  cells: FindingDraft['cells'];
  expected: string | null;
  actual: string | null;
  difference: string | null;
  message_zh: string;
  message_en: string;
  evidence: string | null;
}

export const toRow = (revisionId: number, otherRevisionId: number | null, f: FindingDraft): Row => ({
  revision_id: revisionId,
  other_revision_id: otherRevisionId,
  rule_id: f.ruleId,
  severity: f.severity,
  status: f.status,
  scope: f.scope,
  cells: f.cells,
  expected: f.expected,
  actual: f.actual,
  difference: f.difference,
  message_zh: f.messageZh,
  message_en: f.messageEn,
  evidence: f.evidence,
});

/**
 * The columns that make a finding what it is (all but its id and when it was computed), in the
 * order the bulk import copies them.
 */
export const FINDING_COLUMNS = [
  'revision_id',
  'other_revision_id',
  'rule_id',
  'severity',
  'status',
  'scope',
  'cells',
  'expected',
  'actual',
  'difference',
  'message_zh',
  'message_en',
  'evidence',
] as const;

const sameFinding = Prisma.join(
  FINDING_COLUMNS.map((c) => Prisma.raw(`s.${c} IS NOT DISTINCT FROM x.${c}`)),
  ' AND ',
);
const partitionOf = (alias: string) => Prisma.raw(FINDING_COLUMNS.map((c) => `${alias}.${c}`).join(', '));

/**
 * Replaces, in one statement, the findings of the given rules on the given revisions. A stored
 * finding the recheck finds again, exactly, is kept with its id: deleted and inserted afresh,
 * every recheck (`validate --stored`, a merge, the year before imported again) gave every finding
 * a new id, last in the `findings` list's id order, so a dashboard paging through it met the
 * same findings again on later pages, and a finding's id bookmarked an hour earlier answered
 * null. Identical findings are matched pairwise (the nth stored with the nth found), their
 * figures at the precision the table keeps (a finding's 8-decimal difference is stored to 4).
 */
export async function replaceFindings(
  tx: Tx,
  scope: { revisionIds: number[]; rules: string[] | 'ALL' },
  rows: Row[],
) {
  if (scope.revisionIds.length === 0 && rows.length === 0) return;
  const ruleCondition =
    scope.rules === 'ALL' ? Prisma.empty : Prisma.sql`AND f.rule_id = ANY(${scope.rules})`;
  await tx.$executeRaw`
    WITH fresh AS (
      SELECT x.*, row_number() OVER (PARTITION BY ${partitionOf('x')}) AS n
      FROM jsonb_to_recordset(${JSON.stringify(rows.map((row, ord) => ({ ...row, ord })))}::jsonb) AS x(
        ord int, revision_id int, other_revision_id int, rule_id text, severity "FindingSeverity",
        status "FindingStatus", scope text, cells jsonb, expected numeric(18, 4), actual numeric(18, 4),
        difference numeric(18, 4), message_zh text, message_en text, evidence text)),
    stored AS (
      SELECT f.*, row_number() OVER (PARTITION BY ${partitionOf('f')} ORDER BY f.id) AS n
      FROM finding f WHERE f.revision_id = ANY(${scope.revisionIds}) ${ruleCondition}),
    kept AS (SELECT s.id, x.ord FROM stored s JOIN fresh x ON ${sameFinding} AND s.n = x.n),
    gone AS (DELETE FROM finding WHERE id IN (SELECT id FROM stored) AND id NOT IN (SELECT id FROM kept))
    INSERT INTO finding (revision_id, other_revision_id, rule_id, severity, status, scope, cells,
                         expected, actual, difference, message_zh, message_en, evidence)
    SELECT revision_id, other_revision_id, rule_id, severity, status, scope, cells,
           expected, actual, difference, message_zh, message_en, evidence
    FROM fresh x WHERE x.ord NOT IN (SELECT ord FROM kept) ORDER BY x.ord`;
}

/**
 * Recomputes the findings of a revision that has just become current, and the cross-year
 * findings of the next year's current revision, which compare against it. Returns the
 * findings of the revision itself (within-report and against the year before).
 */
export async function refreshFindings(
  tx: Tx,
  target: { agencyId: number; revisionId: number; report: ReportUnderCheck },
): Promise<FindingDraft[]> {
  const { report, revisionId } = target;
  // Concurrent imports of neighbouring years of one agency must each see the other's
  // committed figures, or a cross-year finding could be missed by both.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('finding'), ${target.agencyId})`;
  const neighbours = await loadNeighbours(tx, { id: target.agencyId }, report.year);
  const { own, againstPrevious, ofNext } = checkWithNeighbours(report, neighbours);
  const previousId = neighbours.previous?.revisionId ?? null;
  await replaceFindings(tx, { revisionIds: [revisionId], rules: 'ALL' }, [
    ...own.map((f) => toRow(revisionId, null, f)),
    ...againstPrevious.map((f) => toRow(revisionId, previousId, f)),
  ]);
  const next = neighbours.next;
  if (next) {
    await replaceFindings(
      tx,
      { revisionIds: [next.revisionId], rules: CROSS_YEAR_RULES },
      ofNext.map((f) => toRow(next.revisionId, revisionId, f)),
    );
  }
  return [...own, ...againstPrevious];
}

/** The stored findings of one revision, as drafts. */
export async function storedFindings(
  tx: Prisma.TransactionClient | Db,
  revisionId: number,
): Promise<FindingDraft[]> {
  const rows = await tx.finding.findMany({
    where: { revisionId },
    orderBy: { id: 'asc' },
    include: {
      revision: { select: { report: { select: { year: true } } } },
      otherRevision: { select: { report: { select: { year: true } } } },
    },
  });
  return rows.map((row) => ({
    year: row.revision.report.year,
    ruleId: row.ruleId as FindingDraft['ruleId'],
    severity: row.severity,
    status: row.status,
    scope: row.scope,
    cells: row.cells as unknown as FindingDraft['cells'],
    expected: row.expected?.toString() ?? null,
    actual: row.actual?.toString() ?? null,
    difference: row.difference?.toString() ?? null,
    messageZh: row.messageZh,
    messageEn: row.messageEn,
    evidence: row.evidence,
    otherYear: row.otherRevision?.report.year ?? null,
  }));
}

/**
 * Recomputes the findings of the current revisions of every report, one agency per
 * transaction: for databases that hold reports imported before a rule existed.
 */
export async function recomputeStoredFindings(
  db: Db,
  onAgency?: (done: number, total: number) => void,
): Promise<{ agencies: number; revisions: number; findings: number }> {
  const agencies = await db.$queryRaw<{ id: number }[]>`
    SELECT DISTINCT agency_id AS id FROM report WHERE current_revision_id IS NOT NULL ORDER BY 1`;
  let revisions = 0;
  let findings = 0;
  for (const [index, { id }] of agencies.entries()) {
    const done = await writeTransaction(db, (tx) => recomputeAgencyFindings(tx, id), { timeout: 60_000 });
    revisions += done.revisions;
    findings += done.findings;
    onAgency?.(index + 1, agencies.length);
  }
  return { agencies: agencies.length, revisions, findings };
}

/**
 * Recomputes every finding of one agency's current revisions, each year against the year
 * before, in the caller's transaction (after its years changed, as when two agencies merge).
 */
export async function recomputeAgencyFindings(
  tx: Tx,
  agencyId: number,
): Promise<{ revisions: number; findings: number }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('finding'), ${agencyId})`;
  const rows = await tx.$queryRaw<
    ({
      revisionId: number;
      year: number;
      templateVersion: ReportUnderCheck['templateVersion'];
      narrative: ReportUnderCheck['narrative'];
      sources: unknown;
    } & StoredFigures)[]
  >`
    SELECT rv.id AS "revisionId", r.year, rv.template_version::text AS "templateVersion", rv.narrative,
           rv.cell_sources AS sources, ${figureColumnsSql('f')}
    FROM report r
    JOIN report_revision rv ON rv.id = r.current_revision_id
    LEFT JOIN revision_figures f ON f.revision_id = rv.id
    WHERE r.agency_id = ${agencyId}
    ORDER BY r.year`;
  const byYear = new Map(
    rows.map((row) => [
      row.year,
      // Printed texts tell a blank cell from a mark (the blank-cell rule needs them).
      {
        ...row,
        figures: figuresOf(decodeFigures(row.templateVersion, row, { sources: row.sources })),
      } as const,
    ]),
  );
  const written: Row[] = [];
  for (const row of byYear.values()) {
    const previous = byYear.get(row.year - 1);
    const { own, againstPrevious } = checkWithNeighbours(
      {
        year: row.year,
        figures: row.figures,
        templateVersion: row.templateVersion,
        narrative: row.narrative,
      },
      { previous },
    );
    written.push(
      ...own.map((f) => toRow(row.revisionId, null, f)),
      ...againstPrevious.map((f) => toRow(row.revisionId, previous?.revisionId ?? null, f)),
    );
  }
  await replaceFindings(
    tx,
    { revisionIds: [...byYear.values()].map((r) => r.revisionId), rules: 'ALL' },
    written,
  );
  return { revisions: byYear.size, findings: written.length };
}

export interface RuleCount {
  rule: string;
  severity: string;
  status: string;
  reports: number;
  findings: number;
}

/** The findings of current revisions counted by rule, severity and status, in SQL. */
export function countCurrentFindingsByRule(db: Db): Promise<RuleCount[]> {
  return db.$queryRaw<RuleCount[]>`
    SELECT f.rule_id AS rule, f.severity::text AS severity, f.status::text AS status,
           count(DISTINCT f.revision_id)::int AS reports, count(*)::int AS findings
    FROM finding f JOIN report r ON r.current_revision_id = f.revision_id
    GROUP BY 1, 2, 3 ORDER BY 2, 1, 3`;
}
