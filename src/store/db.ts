import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { MAX_MILLISECONDS } from '../ingest/limits.ts';
import { retryingConflicts } from './database-errors.ts';
import { Prisma, PrismaClient } from './prisma-client/client.ts';

export { Prisma };
export type Db = PrismaClient;

export interface DbOptions {
  poolSize?: number;
  /** PostgreSQL statement_timeout for every connection of the pool, in ms (0 = none). */
  statementTimeoutMs?: number;
  /** PostgreSQL work_mem for every connection of the pool, in MB (default 32). */
  workMemMb?: number;
  /** Called with every SQL statement Prisma sends; used to count queries in tests. */
  onQuery?: (sql: string) => void;
  /**
   * Give up connecting, or waiting for a free connection, after this many ms (0 = wait); a read
   * replica that is down must not hold requests. Defaults to the answer timeout.
   */
  connectTimeoutMs?: number;
  /**
   * Give up on a statement PostgreSQL has not answered after this many ms (0 = wait). Defaults,
   * where a statement timeout is set, to that timeout and ANSWER_GRACE_MS more.
   */
  answerTimeoutMs?: number;
}

/**
 * How much longer than statement_timeout the client waits for an answer. statement_timeout is
 * PostgreSQL's own clock, so it cannot stop a statement on a server that does not run at all (a
 * stopped or frozen process, a network that drops packets without a reset): requests then hung
 * until the server came back, and held every connection of the pool meanwhile. The grace lets
 * PostgreSQL's own timeout speak first for a statement that is merely slow, with its clearer
 * message.
 */
export const ANSWER_GRACE_MS = 5_000;

/** The client's answer timeout for a pool (see ANSWER_GRACE_MS), capped at Node's longest timer. */
export function answerTimeoutOf(options: DbOptions): number {
  if (options.answerTimeoutMs !== undefined) return options.answerTimeoutMs;
  if (!options.statementTimeoutMs) return 0;
  return Math.min(options.statementTimeoutMs + ANSWER_GRACE_MS, MAX_MILLISECONDS);
}

const pools = new WeakMap<Db, pg.Pool>();
const queryListeners = new WeakMap<Db, (sql: string) => void>();

/** Prisma over a node-postgres pool; no query-engine binary is needed, so this works offline. */
export function createDb(url: string, options: DbOptions = {}): Db {
  const answerTimeoutMs = answerTimeoutOf(options);
  const connectTimeoutMs = options.connectTimeoutMs ?? answerTimeoutMs;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    ...(answerTimeoutMs ? { query_timeout: answerTimeoutMs } : {}),
    ...(connectTimeoutMs ? { connectionTimeoutMillis: connectTimeoutMs } : {}),
    // Comparisons sort and hash up to every report in the database; with the 4 MB default a
    // rollup over 120,000 reports spills its sorts to disk. JIT off: it compiled a rollup's
    // per-report expressions for 4.0 s of its 8.4 s at 136,000 reports, and these statements are
    // short and asked again and again, where compiling never pays back.
    options: `-c work_mem=${options.workMemMb ?? 32}MB -c jit=off`,
  });
  // An idle client whose server went away emits 'error'; without a listener that would crash the process.
  pool.on('error', () => {});
  if (answerTimeoutMs) pool.on('connect', closeOnAnswerTimeout);
  const adapter = new PrismaPg(pool);
  // Prisma's defaults (2 s to get a connection, 5 s for the whole transaction) roll back work
  // that a busy machine, or a pool taken by other requests, makes slower than that: in CI on a
  // loaded machine a transaction was cut at 5,022 ms. The store's writes name their own limit
  // (writeTransaction); this is for the rest (identity keys, collection runs). Each statement
  // is still bounded by the pool's statement_timeout where one is set.
  const transactionOptions = { maxWait: 30_000, timeout: 60_000 };
  let db: Db;
  if (options.onQuery) {
    const onQuery = options.onQuery;
    const logging = new PrismaClient({
      adapter,
      transactionOptions,
      log: [{ emit: 'event', level: 'query' }],
    });
    logging.$on('query', (event) => onQuery(event.query));
    db = logging;
  } else {
    db = new PrismaClient({ adapter, transactionOptions });
  }
  pools.set(db, pool);
  if (options.onQuery) queryListeners.set(db, options.onQuery);
  return db;
}

/**
 * Closes a connection whose statement got no answer in time. node-postgres only stops waiting:
 * the statement stays on the connection, which a transaction then hands back to the pool as if
 * idle. Its ROLLBACK queued behind the statement and timed out too (the request took twice the
 * timeout), and once the server answered again the session was left in the open transaction,
 * where the next request's statements ran and its COMMIT kept the first request's half-done
 * writes. Closed, the connection is dropped by the pool, and the server rolls its transaction
 * back. (A statement sent through pool.query is already released as broken.)
 */
function closeOnAnswerTimeout(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if ((error as Error | undefined)?.message !== 'Query read timeout') return;
        // Closing makes the client emit 'error' whether or not its holder listens.
        client.on('error', () => {});
        (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      });
    }
    return result;
  };
}

/** The node-postgres pool under a client, for the few hot-path statements that skip Prisma. */
export function poolOf(db: Db): pg.Pool | undefined {
  return pools.get(db);
}

/**
 * Distinct statements kept prepared per connection. Comparison SQL depends only on the shape
 * of a question (metrics, filters), not on its values, so a dashboard asks a few dozen; past
 * this many, further shapes run unprepared rather than growing every connection's memory.
 */
const MAX_PREPARED = 500;
const prepared = new Set<string>();

/**
 * Runs a read-only statement as a named prepared statement on the pool, bypassing Prisma.
 * For the comparison SQL this halves the time: PostgreSQL parses and plans the long
 * statement once per connection (and may reuse a generic plan), and results are not
 * converted twice. Rows come back as node-postgres gives them (json parsed, int4 as
 * numbers, numeric and int8 as strings), so callers select json and int columns.
 */
export async function queryPrepared<T>(db: Db, sql: Prisma.Sql): Promise<T[]> {
  const pool = pools.get(db);
  if (!pool) return db.$queryRaw<T[]>(sql);
  queryListeners.get(db)?.(sql.text);
  const name = `q${createHash('sha1').update(sql.text).digest('base64url')}`;
  if (prepared.size < MAX_PREPARED) prepared.add(name);
  const query = prepared.has(name)
    ? { name, text: sql.text, values: sql.values }
    : { text: sql.text, values: sql.values };
  const result = await pool.query(query);
  return result.rows as T[];
}

/** The raw-SQL surface of a Prisma transaction, which is all the store's set-based writes use. */
export type SqlTransaction = Pick<Prisma.TransactionClient, '$queryRaw' | '$executeRaw'>;

/** The raw-SQL surface of a transaction on a connection of its own, and that connection (for COPY). */
export interface PgTransaction extends SqlTransaction {
  client: pg.PoolClient;
}

const INT4_ARRAY_OID = 1007;
/** node-postgres' own parser of a type (array types are not in its TypeId enum). */
const defaultParser = pg.types.getTypeParser as (
  oid: number,
  format: 'text' | 'binary',
) => (text: string) => unknown;
const FLAT_INT_ARRAY = /^\{(?:-?\d+|NULL)(?:,(?:-?\d+|NULL))*\}$/;

/**
 * int4[] as node-postgres would read it (numbers, NULL as null), without its character-by-
 * character array parser: the bulk import reads back a 226-element int_values array per
 * revision and per neighbouring year, and that parser allocated more than any other step of
 * the import. Anything but a flat array of integers goes to the default parser.
 */
export function parseInt4Array(text: string): (number | null)[] {
  if (text === '{}') return [];
  if (!FLAT_INT_ARRAY.test(text)) return defaultParser(INT4_ARRAY_OID, 'text')(text) as (number | null)[];
  return text
    .slice(1, -1)
    .split(',')
    .map((item) => (item === 'NULL' ? null : Number(item)));
}

/** node-postgres' type parsers, with parseInt4Array for int4[]. */
const BULK_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT4_ARRAY_OID && format !== 'binary'
      ? parseInt4Array
      : defaultParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Runs `work` in a transaction on a pool connection of its own, through node-postgres
 * rather than Prisma: bulk writes send megabytes of parameters, which Prisma's driver
 * adapter converts once more on the way (about twice as slow here), and COPY needs the
 * connection itself. Commits when `work` resolves and rolls back when it throws, so nothing
 * of a failed batch is kept; runs it again where PostgreSQL aborts it for a deadlock
 * (retryingConflicts), so `work` must not keep anything of a run but what it returns.
 */
export function withPgTransaction<T>(db: Db, work: (tx: PgTransaction) => Promise<T>): Promise<T> {
  return retryingConflicts(() => pgTransaction(db, work));
}

/**
 * A write transaction through Prisma, run again where PostgreSQL aborts it for a deadlock
 * (retryingConflicts).
 */
export function writeTransaction<T>(
  db: Db,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
  options?: { timeout?: number },
): Promise<T> {
  return retryingConflicts(() => db.$transaction(work, options));
}

async function pgTransaction<T>(db: Db, work: (tx: PgTransaction) => Promise<T>): Promise<T> {
  const pool = pools.get(db);
  if (!pool)
    throw new Error('A transaction of its own needs a database opened with createDb (a node-postgres pool)');
  const client = await pool.connect();
  // The pool takes its error listener off a connection it hands out: a connection the server
  // ends between statements (a batch parsing its next rows) emits an 'error' that, unheard,
  // would end the process. Kept here, it is what the transaction throws (the next statement's
  // own error only says the client is not queryable).
  let lost: Error | undefined;
  const onLost = (error: Error) => {
    lost ??= error;
  };
  client.on('error', onLost);
  const listener = queryListeners.get(db);
  const run = async (first: Prisma.Sql | TemplateStringsArray, values: unknown[]) => {
    const sql = Array.isArray(first)
      ? Prisma.sql(first as TemplateStringsArray, ...values)
      : (first as Prisma.Sql);
    listener?.(sql.text);
    return client.query({ text: sql.text, values: sql.values, types: BULK_TYPES });
  };
  const tx = {
    client,
    $queryRaw: async (first: Prisma.Sql | TemplateStringsArray, ...values: unknown[]) =>
      (await run(first, values)).rows,
    $executeRaw: async (first: Prisma.Sql | TemplateStringsArray, ...values: unknown[]) =>
      (await run(first, values)).rowCount ?? 0,
  } as unknown as PgTransaction;
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(tx);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    // An error PostgreSQL reported (a five-character SQLSTATE, also inside an error that names
    // the row it refused) leaves the connection usable once rolled back; anything else (a lost
    // socket, a bug mid-protocol) may not.
    const reported = (error as { pgError?: unknown }).pgError ?? error;
    const code = (reported as { code?: unknown }).code;
    if (lost || !(typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)))
      broken ??= lost ?? (error as Error);
    throw lost ?? error;
  } finally {
    client.removeListener('error', onLost);
    client.release(broken);
  }
}

/** Connection pool figures for the metrics endpoint. */
export function poolStats(db: Db): { total: number; idle: number; waiting: number } | null {
  const pool = pools.get(db);
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null;
}

/** Disconnects Prisma and closes the pool it runs on. */
export async function closeDb(db: Db): Promise<void> {
  await db.$disconnect();
  const pool = pools.get(db);
  if (pool && !pool.ended) await pool.end();
}
