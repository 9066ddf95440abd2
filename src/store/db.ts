import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './prisma-client/client.ts';

export { Prisma } from './prisma-client/client.ts';
export type Db = PrismaClient;

export interface DbOptions {
  poolSize?: number;
  /** Called with every SQL statement Prisma sends; used to count queries in tests. */
  onQuery?: (sql: string) => void;
}

/** Prisma over node-postgres; no query-engine binary is needed, so this works offline. */
export function createDb(url: string, options: DbOptions = {}): Db {
  const adapter = new PrismaPg({ connectionString: url, max: options.poolSize ?? 10 });
  if (!options.onQuery) return new PrismaClient({ adapter });
  const db = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  const onQuery = options.onQuery;
  db.$on('query', (event) => onQuery(event.query));
  return db;
}
