import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './prisma-client/client.ts';

export { Prisma } from './prisma-client/client.ts';
export type Db = PrismaClient;

/** Prisma over node-postgres; no query-engine binary is needed, so this works offline. */
export function createDb(url: string, options: { poolSize?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: url, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}
