import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './prisma-client/client.ts';

export { Prisma } from './prisma-client/client.ts';
export type Db = PrismaClient;

export interface DbOptions {
  poolSize?: number;
  /** PostgreSQL statement_timeout for every connection of the pool, in ms (0 = none). */
  statementTimeoutMs?: number;
  /** Called with every SQL statement Prisma sends; used to count queries in tests. */
  onQuery?: (sql: string) => void;
}

const pools = new WeakMap<Db, pg.Pool>();

/** Prisma over a node-postgres pool; no query-engine binary is needed, so this works offline. */
export function createDb(url: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // An idle client whose server went away emits 'error'; without a listener that would crash the process.
  pool.on('error', () => {});
  const adapter = new PrismaPg(pool);
  let db: Db;
  if (options.onQuery) {
    const onQuery = options.onQuery;
    const logging = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
    logging.$on('query', (event) => onQuery(event.query));
    db = logging;
  } else {
    db = new PrismaClient({ adapter });
  }
  pools.set(db, pool);
  return db;
}

/** The node-postgres pool under a client, for the few hot-path statements that skip Prisma. */
export function poolOf(db: Db): pg.Pool | undefined {
  return pools.get(db);
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
