/**
 * Two stored agencies that are one (stored under two names before identity keys, or split by
 * an import's --agency) made one, in one transaction: what a person decides after reading
 * the line that named them (agency-identity.ts).
 */
import { agencyIdByName, identityKeyOf, lockIdentityKeys } from './agency-identity.ts';
import { counted } from './aggregate-maintenance.ts';
import { type AuditEntry, type AuditOf, audited } from './audit-log.ts';
import { type Db, type SqlTransaction, writeTransaction } from './db.ts';
import { recomputeAgencyFindings } from './findings.ts';

export interface MergedYear {
  year: number;
  /** MOVED: only the merged agency had that year; COMBINED: both did, the revisions now one report's. */
  how: 'MOVED' | 'COMBINED';
  /** For COMBINED: the numbers the moved revisions got, after the kept report's own. */
  renumbered: { from: number; to: number }[];
  /** For COMBINED: revisions of the same bytes as one the kept report holds, dropped for it. */
  sameBytes: number[];
  /** For COMBINED: the number the merged report's current revision has now (`revision use` chooses it). */
  mergedCurrent: number | null;
}

export type MergeResult =
  | { ok: true; into: { id: number; name: string }; from: { id: number; name: string }; years: MergedYear[] }
  | { ok: false; message: string; argument: 'from' | 'into' };

const SEARCH_HINT =
  'Stored names are found with `npm run cli -- agencies find <text>`, or agency(name:) and agencies(filter: { nameContains: … }) in GraphQL.';

/** A key without the #id an upgrade gave an agency it left apart (agency-identity.ts). */
const baseKey = (key: string) => key.replace(/#\d+$/, '');

export interface MergeOptions {
  /** Do everything and roll it back: the result says what the merge would do. */
  dryRun?: boolean;
  /** Merge agencies placed in different regions (refused otherwise: more likely a typo than one agency). */
  differentPlaces?: boolean;
  /** Who merges, and the entry (mergeAuditEntry), written in the merge's transaction; a dry run writes none. */
  audit?: AuditOf<MergeResult>;
}

/** Thrown to roll a dry run back, carrying what it did. */
class DryRun extends Error {
  constructor(readonly result: MergeResult) {
    super('dry run');
  }
}

/**
 * Files every report of `from` under `into` and deletes `from`. A year only `from` has moves
 * whole. A year both have keeps `into`'s report and its current revision; `from`'s revisions
 * become its later revisions, except one with the same bytes as one `into` holds, which is
 * dropped (what pointed at it, a collected document, now points at `into`'s). Findings of
 * `into` are recomputed, since its years now neighbour others. `from`'s identity key goes
 * with its reports (as `into`'s own key when `into` was left apart from it, else as an alias),
 * so reports printed with `from`'s name are filed under `into` from now on.
 */
export async function mergeAgencies(
  db: Db,
  names: { from: string; into: string },
  options: MergeOptions = {},
): Promise<MergeResult> {
  try {
    return await merge(db, names, options);
  } catch (error) {
    if (error instanceof DryRun) return error.result;
    throw error;
  }
}

async function merge(
  db: Db,
  names: { from: string; into: string },
  options: MergeOptions,
): Promise<MergeResult> {
  return writeTransaction(
    db,
    async (tx) =>
      counted(tx, async (): Promise<MergeResult> => {
        const fromId = await agencyIdByName(tx, names.from);
        if (fromId === null) {
          return {
            ok: false,
            argument: 'from',
            message: `No agency named ${names.from} is stored. ${SEARCH_HINT}`,
          };
        }
        const intoId = await agencyIdByName(tx, names.into);
        if (intoId === null) {
          return {
            ok: false,
            argument: 'into',
            message: `No agency named ${names.into} is stored. ${SEARCH_HINT}`,
          };
        }
        const described = await tx.$queryRaw<
          {
            id: number;
            name: string;
            key: string | null;
            synthetic: boolean;
            region: string | null;
            place: string | null;
          }[]
        >`
          SELECT a.id, a.name, a.identity_key AS key, a.synthetic, a.region_code AS region, g.name AS place
          FROM agency a LEFT JOIN region g ON g.code = a.region_code
          WHERE a.id IN (${fromId}, ${intoId}) ORDER BY a.id`;
        const seen = described.map(({ region, place, ...a }) => a);
        if (fromId === intoId) {
          return {
            ok: false,
            argument: 'from',
            message: `${names.from} and ${names.into} are one stored agency already (${seen[0]?.name}).`,
          };
        }
        const generated = seen.find((a) => a.synthetic);
        if (generated && seen.some((a) => !a.synthetic)) {
          return {
            ok: false,
            argument: generated.id === fromId ? 'from' : 'into',
            message: `${generated.name} is generated demo data and the other agency is not; they are never one agency.`,
          };
        }
        const [one, other] = described;
        if (!options.differentPlaces && one?.region && other?.region && one.region !== other.region) {
          const where = (a: typeof one) =>
            `${a.name} is placed in ${a.region}${a.place ? ` ${a.place}` : ''}`;
          return {
            ok: false,
            argument: 'into',
            message: `${where(one)}, ${where(other)}: agencies of different places are more likely a wrong name than one agency. Check both, and merge them anyway with --different-places (differentPlaces: true).`,
          };
        }
        // The keys whose agency changes take their turn first (imports of them wait), then the
        // agency rows, in id order, then their report rows, then the agencies' findings: the
        // order of every writer (write-locks.ts).
        const keys = seen.flatMap((a) =>
          a.key ? [a.key, baseKey(a.key)] : [identityKeyOf(a.name, a.synthetic)],
        );
        await lockIdentityKeys(tx, keys);
        const agencies = await tx.$queryRaw<
          { id: number; name: string; key: string | null; synthetic: boolean }[]
        >`
          SELECT id, name, identity_key AS key, synthetic FROM agency WHERE id IN (${fromId}, ${intoId})
          ORDER BY id FOR UPDATE`;
        if (JSON.stringify(agencies) !== JSON.stringify(seen)) {
          return {
            ok: false,
            argument: 'from',
            message: 'An agency changed while merging; run the merge again.',
          };
        }
        const from = agencies.find((a) => a.id === fromId);
        const into = agencies.find((a) => a.id === intoId);
        if (!from || !into)
          return { ok: false, argument: 'from', message: 'An agency was deleted while merging.' };

        const reports = await tx.$queryRaw<{ id: number; agencyId: number; year: number }[]>`
          SELECT id, agency_id AS "agencyId", year FROM report
          WHERE agency_id IN (${from.id}, ${into.id}) ORDER BY id FOR UPDATE`;
        // The agencies' findings after their report rows, as every writer takes them
        // (write-locks.ts): `revision use` holds a report row when it takes its agency's.
        for (const a of agencies)
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('finding'), ${a.id})`;
        const kept = new Map(reports.filter((r) => r.agencyId === into.id).map((r) => [r.year, r.id]));
        const years: MergedYear[] = [];
        for (const report of reports.filter((r) => r.agencyId === from.id).sort((a, b) => a.year - b.year)) {
          const keptId = kept.get(report.year);
          if (keptId === undefined) {
            await tx.$executeRaw`UPDATE report SET agency_id = ${into.id} WHERE id = ${report.id}`;
            years.push({
              year: report.year,
              how: 'MOVED',
              renumbered: [],
              sameBytes: [],
              mergedCurrent: null,
            });
          } else {
            years.push({ year: report.year, how: 'COMBINED', ...(await combine(tx, report.id, keptId)) });
          }
        }
        await tx.$executeRaw`UPDATE agency_alias SET agency_id = ${into.id} WHERE agency_id = ${from.id}`;
        await tx.$executeRaw`DELETE FROM agency WHERE id = ${from.id}`;
        const fromKey = from.key ? baseKey(from.key) : identityKeyOf(from.name, from.synthetic);
        if (into.key === `${fromKey}#${into.id}`) {
          await tx.$executeRaw`UPDATE agency SET identity_key = ${fromKey} WHERE id = ${into.id}`;
        } else if (fromKey !== into.key) {
          await tx.$executeRaw`
            INSERT INTO agency_alias (identity_key, agency_id) VALUES (${fromKey}, ${into.id})
            ON CONFLICT (identity_key) DO UPDATE SET agency_id = EXCLUDED.agency_id`;
        }
        await recomputeAgencyFindings(tx, into.id);
        const result: MergeResult = {
          ok: true,
          into: { id: into.id, name: into.name },
          from: { id: from.id, name: from.name },
          years,
        };
        if (options.dryRun) throw new DryRun(result);
        return result;
      }).then((result) => audited(tx, options.dryRun ? undefined : options.audit, result)),
    { timeout: 120_000 },
  );
}

/** The audit record of a merge: the names as given, and the stored agencies they resolved to. */
export function mergeAuditEntry(names: { from: string; into: string }, result: MergeResult): AuditEntry {
  return {
    action: 'mergeAgencies',
    outcome: result.ok ? 'CHANGED' : 'REJECTED',
    detail: {
      ...names,
      ...(result.ok
        ? { merged: result.from, kept: result.into, years: result.years }
        : { reason: result.message }),
    },
  };
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
  const [current] = await tx.$queryRaw<{ id: number | null }[]>`
    SELECT current_revision_id AS id FROM report WHERE id = ${fromId}`;
  const kept = revisions.filter((r) => r.reportId === intoId);
  const keptBySha = new Map(kept.map((r) => [r.sha, r.id]));
  let mergedCurrent: number | null = null;
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
      if (revision.id === current?.id) mergedCurrent = kept.find((r) => r.id === same)?.number ?? null;
    } else {
      last += 1;
      await tx.$executeRaw`UPDATE report_revision SET report_id = ${intoId}, number = ${last} WHERE id = ${revision.id}`;
      renumbered.push({ from: revision.number, to: last });
      if (revision.id === current?.id) mergedCurrent = last;
    }
  }
  await tx.$executeRaw`DELETE FROM report WHERE id = ${fromId}`;
  return { renumbered, sameBytes, mergedCurrent };
}
