import { type Db, poolOf } from './db.ts';

/**
 * Where the primary's data stands, read in one statement:
 * - `version`: "<system identifier>/<database>/<newest>:<running>". `newest` is the newest
 *   transaction this snapshot sees among those that changed what queries read (each records
 *   itself in data_commit, by a trigger on every table a query reads); `running` lists the
 *   transactions older than it still running, any of which may be one of those and show when it
 *   commits. Equal versions mean equal data, and a commit that changes it changes them.
 *   Transactions that write nothing a query reads (a collection run's items, a token's last use,
 *   the job queue's upkeep) leave it as it is: the whole snapshot, which every commit moves, kept
 *   no cached answer for long while a collection ran. The largest id alone would not do: a
 *   transaction older than the newest may commit after it.
 *   The system identifier keeps keys apart when one Redis serves several clusters.
 * - `lsn`: the WAL insert position, read after the snapshot was taken, so every commit the
 *   snapshot shows lies before it: a replica that has replayed this far shows all of them.
 */
const POSITION_SQL = `
  WITH newest AS (SELECT coalesce(max(txid), 0) AS txid FROM data_commit)
  SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' || current_database() || '/' ||
         newest.txid::text || ':' ||
         coalesce((SELECT string_agg(x::text, ',' ORDER BY x::text::bigint)
                   FROM pg_snapshot_xip(pg_current_snapshot()) AS x
                   WHERE x::text::bigint < newest.txid), '') AS version,
         pg_current_wal_insert_lsn()::text AS lsn,
         current_setting('wal_block_size') AS block, current_setting('wal_segment_size') AS segment
  FROM newest`;

export interface DataPosition {
  version: string;
  lsn: bigint;
}

/** A pg_lsn ("16/B374D848") as a number, to compare positions. */
export function lsnToBigInt(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

const UNITS: Record<string, bigint> = { B: 1n, kB: 1024n, MB: 1024n ** 2n, GB: 1024n ** 3n };

/**
 * The insert position as a replica reports what it replayed: at the start of a WAL page the
 * insert position points past the page header (24 bytes, 40 at a segment's start), while a
 * replica that replayed the last record reports the page boundary, and would never reach the
 * header's end on an idle primary.
 */
export function lastRecordEnd(insertLsn: bigint, blockSize: bigint, segmentSize: bigint): bigint {
  if (insertLsn % segmentSize === 40n) return insertLsn - 40n;
  if (insertLsn % blockSize === 24n) return insertLsn - 24n;
  return insertLsn;
}

function settingBytes(value: string): bigint {
  const match = /^(\d+)\s*(B|kB|MB|GB)?$/.exec(value.trim());
  if (!match) throw new Error(`Unexpected PostgreSQL size setting ${JSON.stringify(value)}`);
  return BigInt(match[1] as string) * (UNITS[match[2] ?? 'B'] ?? 1n);
}

/** The primary's data version and WAL position (see POSITION_SQL). */
export async function dataPosition(db: Db): Promise<DataPosition> {
  type Row = { version: string; lsn: string; block: string; segment: string };
  // This runs on every cached request, so it goes straight to the pool as a prepared statement.
  const pool = poolOf(db);
  const [row] = pool
    ? (await pool.query<Row>({ name: 'disclosure-data-position', text: POSITION_SQL })).rows
    : await db.$queryRawUnsafe<Row[]>(POSITION_SQL);
  if (!row) throw new Error('The data version query returned no row');
  return {
    version: row.version,
    lsn: lastRecordEnd(lsnToBigInt(row.lsn), settingBytes(row.block), settingBytes(row.segment)),
  };
}

/** The data version alone, for announcements of committed imports. */
export async function dataVersion(db: Db): Promise<string> {
  return (await dataPosition(db)).version;
}
