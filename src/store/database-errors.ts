/** Prisma codes for "cannot reach", "timed out reaching" and "server closed the connection". */
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1017']);
const UNAVAILABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
const UNAVAILABLE_MESSAGE =
  /Can't reach database server|Connection terminated|ECONNREFUSED|ECONNRESET|terminating connection|the database system is (starting up|shutting down|in recovery mode)|Connection ended unexpectedly|timeout exceeded when trying to connect/i;

/**
 * Whether an error means PostgreSQL is not there (down, restarting, unreachable), as
 * opposed to a bug or bad data. Such errors are safe to retry: no transaction committed.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') break;
    const candidate = current as {
      code?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: { cause?: { kind?: string } } };
      cause?: unknown;
      originalError?: unknown;
    };
    if (typeof candidate.code === 'string' && UNAVAILABLE_CODES.has(candidate.code)) return true;
    const kind = candidate.meta?.driverAdapterError?.cause?.kind;
    if (kind && UNAVAILABLE_KINDS.has(kind)) return true;
    if (typeof candidate.message === 'string' && UNAVAILABLE_MESSAGE.test(candidate.message)) return true;
    current = candidate.originalError ?? candidate.cause;
  }
  return false;
}

export const DATABASE_UNAVAILABLE_MESSAGE =
  'The database is unavailable right now, so the request was not carried out and nothing was written. Retry in a few seconds; if it persists, check that PostgreSQL is running and DATABASE_URL is right.';

/** PostgreSQL's refusals of a connection that a person fixes in DATABASE_URL or on the server. */
const CONNECTION_REFUSALS: Record<string, (name: string) => string> = {
  '3D000': (db) => `Create the database (createdb ${db}) or point DATABASE_URL at one that exists.`,
  '28000': () => 'Name a role the server knows in DATABASE_URL, or create it (createuser).',
  '28P01': () => 'Check the user name and password in DATABASE_URL.',
  '42501': () =>
    'The role in DATABASE_URL may not connect to or change this database; grant it or use another.',
  '53300': () => 'The server has no free connections; retry later or raise max_connections.',
};

/**
 * What a person should read when a command could not use the database: PostgreSQL not running
 * or not reachable, or refusing the connection (no such database, role or password), with what
 * to do; null for any other error. `where` names the server without its password.
 */
export function databaseFailureMessage(error: unknown, where: string): string | null {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') break;
    const candidate = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      originalError?: unknown;
    };
    const advice = typeof candidate.code === 'string' ? CONNECTION_REFUSALS[candidate.code] : undefined;
    if (advice)
      return `PostgreSQL at ${where} refused the connection: ${String(candidate.message)}. ${advice(where.split('/').at(-1) ?? '')}`;
    current = candidate.originalError ?? candidate.cause;
  }
  if (!isDatabaseUnavailable(error)) return null;
  const detail = unavailableReason(error);
  return `PostgreSQL at ${where} cannot be reached (${detail}). Nothing was half-written: what a command stores is stored whole or not at all. Start PostgreSQL or correct DATABASE_URL (unset, the embedded PostgreSQL is used), then run the command again.`;
}

/**
 * Why the database could not be used, in a few words: what PostgreSQL or the driver said
 * ("terminating connection due to administrator command"), found along the error's causes.
 * Prisma wraps it in lines about the invocation ("Invalid `prisma.$queryRaw()` invocation:"),
 * and a connection closed under the driver adapter comes with no message at all.
 */
function unavailableReason(error: unknown): string {
  const kinds: string[] = [];
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') break;
    const candidate = current as {
      code?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: { cause?: { kind?: string; message?: string } } };
      cause?: unknown;
      originalError?: unknown;
    };
    const driver = candidate.meta?.driverAdapterError?.cause;
    if (driver?.message) return driver.message;
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    const said = /Message: `([^`]*)`/.exec(message)?.[1];
    if (said) return said;
    const lines = message
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const line = /^Invalid `/.test(lines[0] ?? '') ? (lines.length > 1 ? lines.at(-1) : undefined) : lines[0];
    if (line) return line;
    if (driver?.kind) kinds.push(driver.kind);
    if (typeof candidate.code === 'string') kinds.push(candidate.code);
    current = candidate.originalError ?? candidate.cause;
  }
  return kinds[0] ?? 'the connection was lost';
}
