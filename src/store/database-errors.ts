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
