/**
 * The record of what `collect` fetched: one row per report page or attachment URL, read
 * before fetching (skip what is stored, ask the rest conditionally) and written after.
 */
import type { Db } from './db.ts';

export type CollectedStatus = 'IMPORTED' | 'NOT_REPORT' | 'REFUSED' | 'FAILED';

export interface CollectedDocument {
  url: string;
  finalUrl: string;
  fetchedAt: Date;
  etag: string | null;
  lastModified: string | null;
  sha256: string | null;
  status: CollectedStatus;
  reportRevisionId: number | null;
  failure: string | null;
}

/** The stored records of these URLs, by URL. */
export async function findCollected(
  db: Db,
  urls: readonly string[],
): Promise<Map<string, CollectedDocument>> {
  if (urls.length === 0) return new Map();
  const rows = await db.collectedDocument.findMany({ where: { url: { in: [...urls] } } });
  return new Map(rows.map((row) => [row.url, { ...row, status: row.status as CollectedStatus }]));
}

/**
 * The reports these revisions are of, as `agency|year`: under the agency's name and the name
 * each revision printed.
 */
export async function reportsOfRevisions(
  db: Db,
  revisionIds: readonly (number | null)[],
): Promise<Set<string>> {
  const ids = revisionIds.filter((id): id is number => id !== null);
  if (ids.length === 0) return new Set();
  const rows = await db.$queryRaw<{ name: string; printed: string; year: number }[]>`
    SELECT a.name, rr.agency_name_as_printed AS printed, r.year
    FROM report_revision rr JOIN report r ON r.id = rr.report_id JOIN agency a ON a.id = r.agency_id
    WHERE rr.id = ANY(${ids}::int[])`;
  return new Set(rows.flatMap((r) => [`${r.name}|${r.year}`, `${r.printed}|${r.year}`]));
}

/** Writes the record of one fetch, replacing the previous one. */
export async function recordCollected(db: Db, record: CollectedDocument): Promise<void> {
  const { url, ...rest } = record;
  await db.collectedDocument.upsert({ where: { url }, create: record, update: rest });
}
