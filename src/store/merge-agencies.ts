/**
 * Two stored agencies that are one (stored under two names before identity keys, or split by
 * an import's --agency) made one, in one transaction: what a person decides after reading
 * the line that named them (agency-identity.ts).
 */
import { agencyIdByName } from './agency-identity.ts';
import { counted } from './aggregate-maintenance.ts';
import type { Db, SqlTransaction } from './db.ts';
import { recomputeAgencyFindings } from './findings.ts';

export interface MergedYear {
  year: number;
  /** MOVED: only the merged agency had that year; COMBINED: both did, the revisions now one report's. */
  how: 'MOVED' | 'COMBINED';
  /** For COMBINED: the numbers the moved revisions got, after the kept report's own. */
  renumbered: { from: number; to: number }[];
  /** For COMBINED: revisions of the same bytes as one the kept report holds, dropped for it. */
  sameBytes: number[];
}

export type MergeResult =
  | { ok: true; into: { id: number; name: string }; from: { id: number; name: string }; years: MergedYear[] }
  | { ok: false; message: string };

/**
 * Files every report of `from` under `into` and deletes `from`. A year only `from` has moves
 * whole. A year both have keeps `into`'s report and its current revision; `from`'s revisions
 * become its later revisions, except one with the same bytes as one `into` holds, which is
 * dropped (what pointed at it, a collected document, now points at `into`'s). Findings of
 * `into` are recomputed, since its years now neighbour others.
 */
export async function mergeAgencies(db: Db, names: { from: string; into: string }): Promise<MergeResult> {
  return db.$transaction(
    async (tx) =>
      counted(tx, async (): Promise<MergeResult> => {
        const [fromId, intoId] = [await agencyIdByName(tx, names.from), await agencyIdByName(tx, names.into)];
        for (const [name, id] of [
          [names.from, fromId],
          [names.into, intoId],
        ] as const) {
          if (id === null) return { ok: false, message: `No agency named ${name} is stored.` };
        }
        if (fromId === intoId) {
          return {
            ok: false,
            message: `${names.from} and ${names.into} are one stored agency already (id ${fromId}).`,
          };
        }
        const agencies = await tx.$queryRaw<{ id: number; name: string }[]>`
          SELECT id, name FROM agency WHERE id IN (${fromId}, ${intoId}) ORDER BY id FOR UPDATE`;
        const from = agencies.find((a) => a.id === fromId);
        const into = agencies.find((a) => a.id === intoId);
        if (!from || !into) return { ok: false, message: 'An agency was deleted while merging; try again.' };

        const reports = await tx.$queryRaw<{ id: number; agencyId: number; year: number }[]>`
          SELECT id, agency_id AS "agencyId", year FROM report
          WHERE agency_id IN (${from.id}, ${into.id}) ORDER BY id FOR UPDATE`;
        const kept = new Map(reports.filter((r) => r.agencyId === into.id).map((r) => [r.year, r.id]));
        const years: MergedYear[] = [];
        for (const report of reports.filter((r) => r.agencyId === from.id).sort((a, b) => a.year - b.year)) {
          const keptId = kept.get(report.year);
          if (keptId === undefined) {
            await tx.$executeRaw`UPDATE report SET agency_id = ${into.id} WHERE id = ${report.id}`;
            years.push({ year: report.year, how: 'MOVED', renumbered: [], sameBytes: [] });
          } else {
            years.push({ year: report.year, how: 'COMBINED', ...(await combine(tx, report.id, keptId)) });
          }
        }
        await tx.$executeRaw`DELETE FROM agency WHERE id = ${from.id}`;
        await recomputeAgencyFindings(tx, into.id);
        return { ok: true, into, from, years };
      }),
    { timeout: 120_000 },
  );
}

/** Moves the revisions of report `fromId` to report `intoId` (same year) and deletes `fromId`. */
async function combine(
  tx: SqlTransaction,
  fromId: number,
  intoId: number,
): Promise<Omit<MergedYear, 'year' | 'how'>> {
  const revisions = await tx.$queryRaw<{ id: number; reportId: number; number: number; sha: string }[]>`
    SELECT id, report_id AS "reportId", number, source_sha256 AS sha FROM report_revision
    WHERE report_id IN (${fromId}, ${intoId}) ORDER BY report_id = ${intoId} DESC, number`;
  const keptBySha = new Map(revisions.filter((r) => r.reportId === intoId).map((r) => [r.sha, r.id]));
  let last = Math.max(0, ...revisions.filter((r) => r.reportId === intoId).map((r) => r.number));
  // The merged report stops being counted before its revisions leave it.
  await tx.$executeRaw`UPDATE report SET current_revision_id = NULL WHERE id = ${fromId}`;
  const renumbered: MergedYear['renumbered'] = [];
  const sameBytes: number[] = [];
  for (const revision of revisions.filter((r) => r.reportId === fromId)) {
    const same = keptBySha.get(revision.sha);
    if (same !== undefined) {
      await tx.$executeRaw`UPDATE collected_document SET report_revision_id = ${same} WHERE report_revision_id = ${revision.id}`;
      await tx.$executeRaw`UPDATE collection_item SET revision_id = ${same} WHERE revision_id = ${revision.id}`;
      await tx.$executeRaw`DELETE FROM report_revision WHERE id = ${revision.id}`;
      sameBytes.push(revision.number);
    } else {
      last += 1;
      await tx.$executeRaw`UPDATE report_revision SET report_id = ${intoId}, number = ${last} WHERE id = ${revision.id}`;
      renumbered.push({ from: revision.number, to: last });
    }
  }
  await tx.$executeRaw`DELETE FROM report WHERE id = ${fromId}`;
  return { renumbered, sameBytes };
}
