/**
 * Keeping figure_aggregate and report_fact exact (what they hold: aggregates.ts). Triggers note, per changed
 * report, the state it was counted in (see the figure_aggregates migration); every write path
 * calls flushAggregates() in its transaction before committing, which counts those states out
 * and the reports as they are now in, computing the bases here in TypeScript from the figures.
 * A deferred check in the database refuses to commit a transaction that left a note, so a
 * path that forgets fails loudly instead of leaving the aggregates wrong.
 *
 * Why not triggers that compute the bases in SQL: that was built first, and every import
 * became 6 to 9 times slower (213 against 24 ms per single import), the 277 bases' SQL
 * costing more to plan and evaluate than the rest of the import.
 */

import {
  type BaseTotals,
  type BaseValue,
  countReport,
  type Exact,
  emptyTotals,
  exactText,
  FIGURE_BASES,
  isZeroExact,
  narrowArrays,
  reportBases,
} from './aggregates.ts';
import { type Db, Prisma, type SqlTransaction, withPgTransaction } from './db.ts';
import type { StoredFigures, WrittenFigures } from './figures.ts';

const { sql, raw, join } = Prisma;

const CURRENT_TXID = Prisma.sql`pg_current_xact_id()::text::bigint`;

interface CountedState {
  reportId: number;
  agencyId?: number;
  revisionId: number | null;
  year: number | null;
  regionCode: string | null;
  level: string | null;
  kind: string | null;
}

interface FiguresRow extends StoredFigures {
  revisionId: number;
  version: string;
}

/** The group a report is counted in: year, template version, province, level and kind. */
const groupKey = (state: CountedState, version: string) =>
  [state.year, version, state.regionCode?.slice(0, 2) ?? '', state.level ?? '', state.kind ?? ''].join('|');

/** figure_aggregate's columns of sums and counts, and where each comes from. */
const TOTAL_COLUMNS: { column: string; type: 'int' | 'numeric'; of: (t: BaseTotals) => number | Exact }[] = [
  { column: 'report_count', type: 'int', of: (t) => t.reportCount },
  { column: 'cnt_v', type: 'int', of: (t) => t.cntV },
  { column: 'sum_v', type: 'numeric', of: (t) => t.sumV },
  { column: 'cnt_ok', type: 'int', of: (t) => t.cntOk },
  { column: 'sum_n', type: 'numeric', of: (t) => t.sumN },
  { column: 'sum_d', type: 'numeric', of: (t) => t.sumD },
  { column: 'w_absent', type: 'int', of: (t) => t.wAbsent },
  { column: 'w_not_reported', type: 'int', of: (t) => t.wNotReported },
  { column: 'w_missing', type: 'int', of: (t) => t.wMissing },
  { column: 'w_unreadable', type: 'int', of: (t) => t.wUnreadable },
  { column: 'w_division_by_zero', type: 'int', of: (t) => t.wDivisionByZero },
  { column: 'share_n', type: 'numeric', of: (t) => t.shareN },
  { column: 'share_t', type: 'numeric', of: (t) => t.shareT },
];

/** Per group key, the totals of every base: what a flush or a rebuild adds to figure_aggregate. */
class Deltas {
  readonly groups = new Map<string, BaseTotals[]>();

  add(key: string, bases: readonly BaseValue[], sign: 1 | -1) {
    let totals = this.groups.get(key);
    if (!totals) {
      totals = FIGURE_BASES.map(emptyTotals);
      this.groups.set(key, totals);
    }
    countReport(totals, bases, sign);
  }

  /** Adds the totals to figure_aggregate, rows in key order so concurrent writers never wait in a cycle. */
  async write(tx: SqlTransaction): Promise<void> {
    // Rows in (base, year, version, province, level, kind) order: the groups sorted once, then
    // each base's rows in that order.
    const groups = [...this.groups].map(([key, totals]) => {
      const parts = key.split('|');
      return { parts, year: Number(parts[0]), totals };
    });
    groups.sort((a, b) => {
      if (a.year !== b.year) return a.year - b.year;
      for (let i = 1; i < a.parts.length; i++) {
        const p = a.parts[i] as string;
        const q = b.parts[i] as string;
        if (p !== q) return p < q ? -1 : 1;
      }
      return 0;
    });
    // Each column as one array literal: the server parses it, where a JS array parameter is
    // converted element by element on the way (a single import wrote its 277 rows in 7.6 ms, now 3.9).
    // A batch writes tens of thousands of rows, so the literals are built in one pass.
    const keyItems: string[][] = [[], [], [], [], [], []];
    const totalItems: string[][] = TOTAL_COLUMNS.map(() => []);
    const quoted = groups.map(({ parts }) => parts.map((part) => `"${part}"`));
    for (let i = 0; i < FIGURE_BASES.length; i++) {
      const base = String(i + 1);
      groups.forEach(({ totals }, g) => {
        const t = totals[i] as BaseTotals;
        // Nothing to add when every column is zero (report_count first: it rarely is).
        const empty = TOTAL_COLUMNS.every(({ of }) => {
          const value = of(t);
          return typeof value === 'number' ? value === 0 : isZeroExact(value);
        });
        if (empty) return;
        keyItems[0]?.push(base);
        (quoted[g] as string[]).forEach((part, k) => {
          keyItems[k + 1]?.push(part);
        });
        TOTAL_COLUMNS.forEach(({ type, of }, c) => {
          totalItems[c]?.push(type === 'numeric' ? exactText(of(t) as Exact) : String(of(t)));
        });
      });
    }
    if (keyItems[0]?.length === 0) return;
    const literal = (items: string[] | undefined) => `{${(items ?? []).join(',')}}`;
    const keys = [
      sql`${literal(keyItems[0])}::int[]`,
      sql`${literal(keyItems[1])}::int[]`,
      sql`${literal(keyItems[2])}::text[]::"TemplateVersion"[]`,
      ...[3, 4, 5].map((k) => sql`${literal(keyItems[k])}::text[]`),
    ];
    const totals = TOTAL_COLUMNS.map(({ type }, c) => sql`${literal(totalItems[c])}::${raw(type)}[]`);
    await tx.$executeRaw`
      INSERT INTO figure_aggregate AS g (base, year, template_version, province, level, kind,
        ${raw(TOTAL_COLUMNS.map((c) => c.column).join(', '))})
      SELECT * FROM unnest(${join([...keys, ...totals])})
      ON CONFLICT (base, year, template_version, province, level, kind) DO UPDATE SET
        ${raw(TOTAL_COLUMNS.map(({ column }) => `${column} = g.${column} + EXCLUDED.${column}`).join(', '))}`;
  }
}

interface Fact {
  reportId: number;
  agencyId: number;
  revisionId: number;
  year: number;
  version: string;
  /** The report's narrow bases as array literals (narrowArrays), made as soon as its bases are. */
  narrow: { n: string; d: string; w: string };
}

/** Writes the narrow report_fact rows of reports counted now and deletes those of reports that are not. */
async function writeFacts(tx: SqlTransaction, facts: Fact[], gone: number[]): Promise<void> {
  if (gone.length > 0) await tx.$executeRaw`DELETE FROM report_fact WHERE report_id = ANY(${gone}::int[])`;
  if (facts.length === 0) return;
  facts.sort((a, b) => a.reportId - b.reportId);
  const arrays = facts.map((f) => f.narrow);
  await tx.$executeRaw`
    INSERT INTO report_fact AS c (report_id, agency_id, revision_id, year, template_version, n, d, w)
    SELECT r, a, v, y, t::"TemplateVersion", n::numeric[], d::numeric[], w::text[]
    FROM unnest(${facts.map((f) => f.reportId)}::int[], ${facts.map((f) => f.agencyId)}::int[],
                ${facts.map((f) => f.revisionId)}::int[], ${facts.map((f) => f.year)}::int[],
                ${facts.map((f) => f.version)}::text[], ${arrays.map((x) => x.n)}::text[],
                ${arrays.map((x) => x.d)}::text[], ${arrays.map((x) => x.w)}::text[]) AS x(r, a, v, y, t, n, d, w)
    ON CONFLICT (report_id) DO UPDATE SET agency_id = EXCLUDED.agency_id, revision_id = EXCLUDED.revision_id,
      year = EXCLUDED.year, template_version = EXCLUDED.template_version, n = EXCLUDED.n, d = EXCLUDED.d,
      w = EXCLUDED.w`;
}

const figureColumns = Prisma.sql`revision_id AS "revisionId", template_version::text AS version, statuses,
  int_values AS "intValues", decimal_values AS "decimalValues"`;

/**
 * Brings figure_aggregate up to date with what this transaction changed so far; call it
 * last, before COMMIT. Returns how many reports it counted again. `written` are figures rows
 * this transaction stored (revision_figures rows never change once written), which are then
 * not read back.
 */
export async function flushAggregates(
  tx: SqlTransaction,
  written: ReadonlyMap<number, WrittenFigures> = new Map(),
): Promise<number> {
  const before = await tx.$queryRaw<CountedState[]>`
    WITH taken AS (DELETE FROM aggregate_change WHERE txid = ${CURRENT_TXID} RETURNING *)
    SELECT DISTINCT ON (report_id) report_id AS "reportId", old_revision_id AS "revisionId", old_year AS year,
           old_region_code AS "regionCode", old_level AS level, old_kind AS kind
    FROM taken ORDER BY report_id, id`;
  if (before.length === 0) return 0;
  const ids = before.map((s) => s.reportId);
  const after = await tx.$queryRaw<CountedState[]>`
    SELECT r.id AS "reportId", r.agency_id AS "agencyId", r.current_revision_id AS "revisionId", r.year,
           a.region_code AS "regionCode", a.level::text AS level, a.kind::text AS kind
    FROM report r JOIN agency a ON a.id = r.agency_id WHERE r.id = ANY(${ids}::int[])`;
  const revisions = (states: CountedState[]) => [
    ...new Set(states.flatMap((s) => (s.revisionId === null ? [] : [s.revisionId]))),
  ];
  // What a report was counted with: the figures as they were, kept by the trigger where this
  // transaction changed or deleted them, else as they are.
  const kept = await tx.$queryRaw<FiguresRow[]>`
    DELETE FROM aggregate_change_figures WHERE txid = ${CURRENT_TXID} RETURNING ${figureColumns}`;
  const oldFigures = new Map(kept.map((f) => [f.revisionId, f]));
  const wanted = [...new Set([...revisions(before), ...revisions(after)])].filter((id) => !written.has(id));
  const stored =
    wanted.length === 0
      ? []
      : await tx.$queryRaw<FiguresRow[]>`
          SELECT ${figureColumns} FROM revision_figures WHERE revision_id = ANY(${wanted}::int[])`;
  const newFigures = new Map<number, FiguresRow>(written);
  for (const f of stored) newFigures.set(f.revisionId, f);

  const figuresOf = (id: number | null | undefined, first: Map<number, FiguresRow>) =>
    id == null ? undefined : (first.get(id) ?? newFigures.get(id));
  const basesOf = (row: FiguresRow) => reportBases(row.version, row, row.revisionId);
  const deltas = new Deltas();
  const afterOf = new Map(after.map((s) => [s.reportId, s]));
  const facts: Fact[] = [];
  const gone: number[] = [];
  // A report's bases are used within its own iteration and dropped: kept for the whole batch,
  // they outlived the young generation and the garbage collector copied them twice.
  for (const state of before) {
    const current = afterOf.get(state.reportId);
    const oldRow = figuresOf(state.revisionId, oldFigures);
    const nowRow = current ? figuresOf(current.revisionId, newFigures) : undefined;
    const oldKey = oldRow ? groupKey(state, oldRow.version) : null;
    const nowKey = current && nowRow ? groupKey(current, nowRow.version) : null;
    const nowBases = nowRow && nowKey !== null ? basesOf(nowRow) : null;
    if (nowRow && nowBases && current?.agencyId !== undefined && current.year !== null) {
      const { agencyId, year } = current;
      facts.push({
        reportId: state.reportId,
        agencyId,
        revisionId: nowRow.revisionId,
        year,
        version: nowRow.version,
        narrow: narrowArrays(nowBases),
      });
    } else gone.push(state.reportId);
    if (oldKey !== null && oldKey === nowKey && oldRow === nowRow) continue;
    // A report moved between groups under the same revision is counted out and in with one computation.
    if (oldRow && oldKey !== null)
      deltas.add(oldKey, oldRow === nowRow && nowBases ? nowBases : basesOf(oldRow), -1);
    if (nowBases && nowKey !== null) deltas.add(nowKey, nowBases, 1);
  }
  await deltas.write(tx);
  await writeFacts(tx, facts, gone);
  return before.length;
}

/** Whether figure_aggregate counts every stored report (no row: nothing was ever stored). */
export async function aggregatesBuilt(tx: SqlTransaction): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ built: boolean }[]>`SELECT built FROM aggregate_state WHERE id = 1`;
  return row?.built ?? true;
}

/**
 * Counts every stored report into figure_aggregate from scratch, in one transaction that holds
 * writers of reports off until it commits. Run on start after the migration that created the
 * aggregates, and by tests to check the maintained rows equal a fresh count.
 */
export async function rebuildAggregates(
  db: Db,
  options: { log?: (message: string) => void; chunk?: number } = {},
): Promise<{ reports: number }> {
  const chunk = options.chunk ?? 5000;
  return withPgTransaction(db, async (tx) => {
    await tx.$executeRaw`LOCK TABLE report IN SHARE MODE`;
    await tx.$executeRaw`DELETE FROM aggregate_change`;
    await tx.$executeRaw`DELETE FROM aggregate_change_figures`;
    await tx.$executeRaw`TRUNCATE figure_aggregate, report_fact`;
    const [total] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM report`;
    const started = performance.now();
    let last = 0;
    let reports = 0;
    for (;;) {
      const rows = await tx.$queryRaw<(CountedState & FiguresRow)[]>`
        SELECT r.id AS "reportId", r.agency_id AS "agencyId", r.current_revision_id AS "revisionId", r.year,
               a.region_code AS "regionCode",
               a.level::text AS level, a.kind::text AS kind, f.template_version::text AS version, f.statuses,
               f.int_values AS "intValues", f.decimal_values AS "decimalValues"
        FROM report r
        JOIN agency a ON a.id = r.agency_id
        JOIN revision_figures f ON f.revision_id = r.current_revision_id
        WHERE r.id > ${last} ORDER BY r.id LIMIT ${chunk}`;
      if (rows.length === 0) break;
      const deltas = new Deltas();
      const facts: Fact[] = [];
      for (const row of rows) {
        const bases = reportBases(row.version, row, row.revisionId);
        deltas.add(groupKey(row, row.version), bases, 1);
        facts.push({
          reportId: row.reportId,
          agencyId: row.agencyId as number,
          revisionId: row.revisionId as number,
          year: row.year as number,
          version: row.version,
          narrow: narrowArrays(bases),
        });
      }
      await deltas.write(tx);
      await writeFacts(tx, facts, []);
      reports += rows.length;
      last = rows[rows.length - 1]?.reportId ?? last;
      const seconds = (performance.now() - started) / 1000;
      options.log?.(
        `Figure aggregates: ${reports} of about ${total?.n ?? '?'} reports counted (${Math.round(reports / seconds)} reports/s)`,
      );
    }
    await tx.$executeRaw`
      INSERT INTO aggregate_state (id, built) VALUES (1, true) ON CONFLICT (id) DO UPDATE SET built = true`;
    return { reports };
  });
}

/** Builds the aggregates if the migration that created them found reports to count. */
export async function ensureAggregatesBuilt(db: Db, log: (message: string) => void): Promise<void> {
  if (await aggregatesBuilt(db)) return;
  log('Figure aggregates: counting the stored reports once (after the migration that added them)…');
  const { reports } = await rebuildAggregates(db, { log });
  // Planner statistics now, not whenever autovacuum gets to a million new rows: the first
  // comparisons after the rebuild are planned with them.
  await db.$executeRawUnsafe('ANALYZE figure_aggregate, report_fact');
  log(`Figure aggregates: built over ${reports} reports.`);
}

/** Runs a transaction's `work`, then brings figure_aggregate up to date with what it changed. */
export async function counted<T>(tx: SqlTransaction, work: () => Promise<T>): Promise<T> {
  const result = await work();
  await flushAggregates(tx);
  return result;
}
