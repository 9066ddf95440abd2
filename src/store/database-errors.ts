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
/** node-postgres' words for a statement not answered within the pool's query_timeout (see ANSWER_GRACE_MS). */
const UNANSWERED_MESSAGE = /Query read timeout/;

/** What the store's errors carry along their causes (Prisma's, the driver adapter's, pg's). */
interface ErrorLink {
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: string; message?: string; originalCode?: string } } };
  cause?: unknown;
  originalError?: unknown;
  /** A COPY row's error (copy-rows.ts) wraps PostgreSQL's. */
  pgError?: unknown;
}

/** An error and the errors it wraps (originalError, cause or pgError), at most five deep. */
function* causes(error: unknown): Generator<ErrorLink> {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return;
    const link = current as ErrorLink;
    yield link;
    current = link.originalError ?? link.cause ?? link.pgError;
  }
}

/**
 * Whether an error means PostgreSQL is not there (down, restarting, unreachable), as
 * opposed to a bug or bad data. Such errors are safe to retry: no transaction committed.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const link of causes(error)) {
    if (typeof link.code === 'string' && UNAVAILABLE_CODES.has(link.code)) return true;
    const kind = link.meta?.driverAdapterError?.cause?.kind;
    if (kind && UNAVAILABLE_KINDS.has(kind)) return true;
    if (typeof link.message === 'string' && UNAVAILABLE_MESSAGE.test(link.message)) return true;
  }
  return false;
}

/**
 * Whether PostgreSQL was connected but did not answer a statement within the client's answer
 * timeout. Unlike the rest of isDatabaseUnavailable, the statement may have run: a COMMIT the
 * server took but did not acknowledge is kept when the server comes back.
 */
export function isDatabaseUnanswered(error: unknown): boolean {
  for (const link of causes(error)) {
    if (typeof link.message === 'string' && UNANSWERED_MESSAGE.test(link.message)) return true;
  }
  return false;
}

/**
 * SQLSTATEs of a transaction PostgreSQL aborted so that another could go on: deadlock_detected
 * and serialization_failure. Nothing of it was kept, and PostgreSQL's advice is to run it again.
 */
const CONFLICT_CODES = new Set(['40P01', '40001']);

/**
 * Unique constraints two writers can meet on without either being wrong: two imports storing a
 * new agency of one name, under keys that do not make them wait for each other (a published
 * report and a generated demo one). Run again, the second finds the first's agency by name.
 */
const RACED_CONSTRAINTS = new Set(['agency_name_key']);

/**
 * Whether an error is PostgreSQL aborting a transaction for a deadlock or a serialization
 * failure, or refusing a row another transaction committed meanwhile (RACED_CONSTRAINTS).
 */
export function isTransactionConflict(error: unknown): boolean {
  for (const link of causes(error)) {
    const driver = link.meta?.driverAdapterError?.cause as
      | { originalCode?: string; constraint?: { index?: string } }
      | undefined;
    const code = driver?.originalCode ?? link.code;
    if (typeof code === 'string' && CONFLICT_CODES.has(code)) return true;
    const constraint = driver?.constraint?.index ?? (link as { constraint?: unknown }).constraint;
    if (code === '23505' && typeof constraint === 'string' && RACED_CONSTRAINTS.has(constraint)) return true;
  }
  return false;
}

/** Whether PostgreSQL stopped a statement for running past statement_timeout (SQLSTATE 57014). */
export function isStatementTimeout(error: unknown): boolean {
  for (const link of causes(error)) {
    const code = link.meta?.driverAdapterError?.cause?.originalCode ?? link.code;
    const message = typeof link.message === 'string' ? link.message : '';
    const driver = link.meta?.driverAdapterError?.cause?.message ?? '';
    if (/statement timeout/i.test(message) || /statement timeout/i.test(driver)) return true;
    if (code === '57014' && !/user request/i.test(message + driver)) return true;
  }
  return false;
}

/**
 * SQLSTATE classes of PostgreSQL refusing a request for what it has room for or was told to
 * refuse, the operator's to fix: insufficient resources such as a full disk (53), system errors
 * (58) and exceptions a trigger raises (P0). Constraints (23), program limits (54) and data
 * exceptions (22) are left out: with the API checking its input, they are this server's bugs
 * (or a request's size), masked and logged as unexpected.
 */
const REFUSAL_CLASSES = new Set(['53', '58', 'P0']);

/** The SQLSTATE of a PostgreSQL refusal (REFUSAL_CLASSES) along an error's causes, or undefined. */
export function databaseRefusalCode(error: unknown): string | undefined {
  for (const link of causes(error)) {
    const code = link.meta?.driverAdapterError?.cause?.originalCode ?? link.code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && REFUSAL_CLASSES.has(code.slice(0, 2)))
      return code;
  }
  return undefined;
}

/**
 * Whether no connection could be had within the pool's connect timeout: a new one PostgreSQL did
 * not accept in time, or a wait for a pool connection that none of the busy ones freed (the two
 * are one error in node-postgres' pool). One of isDatabaseUnavailable's: nothing was sent.
 */
export function isConnectionWaitTimeout(error: unknown): boolean {
  for (const link of causes(error)) {
    if (typeof link.message === 'string' && /timeout exceeded when trying to connect/i.test(link.message))
      return true;
  }
  return false;
}

/** What a client is told when no connection could be had in time (isConnectionWaitTimeout). */
export function connectionWaitMessage(timeoutMs: number): string {
  return `No database connection could be had within ${timeoutMs} ms: every connection of this server was busy, or PostgreSQL did not accept a new one. The request was not carried out and nothing was written. Retry in a few seconds; if it persists, check PostgreSQL and the load on this server.`;
}

/** What a client is told when PostgreSQL did not answer in time (isDatabaseUnanswered). */
export function databaseUnansweredMessage(answerTimeoutMs: number): string {
  return `PostgreSQL did not answer within ${answerTimeoutMs} ms, so this server stopped waiting for it. A read can be sent again in a few seconds. A write may or may not have been stored: read it back before sending it again. If it persists, the database server is stopped, overloaded or cut off from this one: check it.`;
}

export const DATABASE_UNAVAILABLE_MESSAGE =
  'The database is unavailable right now, so the request was not carried out and nothing was written. Retry in a few seconds; if it persists, check that PostgreSQL is running and DATABASE_URL is right.';

/** How many times a write transaction is run before a conflict (above) is given up on. */
export const WRITE_ATTEMPTS = 4;

/**
 * Runs `transaction` again when PostgreSQL aborts it for a conflict with another transaction,
 * up to WRITE_ATTEMPTS times in all, after a short wait that grows and is spread at random so
 * that the two do not meet again. The writers take their locks in one order (write-locks.ts),
 * so a deadlock should not happen; where one does, a report was rejected or a command failed
 * with "deadlock detected" that would have gone through a moment later. `transaction` must
 * start a transaction of its own each time (nothing of an aborted one is kept).
 */
export async function retryingConflicts<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= WRITE_ATTEMPTS || !isTransactionConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, (20 + Math.random() * 30) * 2 ** attempt));
    }
  }
}

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
 * The connection to PostgreSQL went away in the middle of a command that can be picked up again;
 * the message says so and how. Not "cannot be reached": the server may well be up.
 */
export class ConnectionLostError extends Error {}

/** DATABASE_URL is not a PostgreSQL URL; said without repeating it (it may hold a password). */
export class DatabaseUrlError extends Error {}

/** Refuses a DATABASE_URL that is not a postgresql:// URL before anything connects with it. */
export function checkDatabaseUrl(url: string): void {
  const example = 'postgresql://user:password@host:5432/database';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUrlError(`DATABASE_URL is not a URL; give one such as ${example}.`);
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new DatabaseUrlError(
      `DATABASE_URL starts with "${parsed.protocol}"; give a PostgreSQL URL such as ${example}.`,
    );
  }
}

/**
 * What a person should read when a command could not use the database: PostgreSQL not running
 * or not reachable, or refusing the connection (no such database, role or password), with what
 * to do; null for any other error. `where` names the server without its password.
 */
export function databaseFailureMessage(error: unknown, where: string): string | null {
  if (error instanceof DatabaseUrlError || error instanceof ConnectionLostError) return error.message;
  for (const link of causes(error)) {
    // The host does not resolve: a typing mistake in DATABASE_URL, or no DNS here.
    if (link.code === 'ENOTFOUND' || link.code === 'EAI_AGAIN') {
      return `The host of DATABASE_URL (${where}) cannot be found (${String(link.message)}). Correct the host name in DATABASE_URL, or unset it to use the embedded PostgreSQL.`;
    }
    const advice = typeof link.code === 'string' ? CONNECTION_REFUSALS[link.code] : undefined;
    if (advice)
      return `PostgreSQL at ${where} refused the connection: ${String(link.message)}. ${advice(where.split('/').at(-1) ?? '')}`;
  }
  if (isTransactionConflict(error)) {
    return `PostgreSQL at ${where} aborted the command's transaction ${WRITE_ATTEMPTS} times over, each time to let another write running at the same time go on (${databaseReason(error) ?? 'a deadlock'}). Nothing of it was written. Run the command again once the other writes (imports, merges, revision use, regions load) are done.`;
  }
  if (!isDatabaseUnavailable(error)) return null;
  const detail = databaseReason(error) ?? 'the connection was lost';
  return `PostgreSQL at ${where} cannot be reached (${detail}). Nothing was half-written: what a command stores is stored whole or not at all. Start PostgreSQL or correct DATABASE_URL (unset, the embedded PostgreSQL is used), then run the command again.`;
}

/** Why the database did not store a report, for the import's output: nothing of it was stored. */
export function reportRefusal(error: unknown): string {
  const said = databaseReason(error) ?? String(error);
  return isTransactionConflict(error)
    ? `PostgreSQL aborted this report's transaction ${WRITE_ATTEMPTS} times over for other writes running at the same time (${said}); nothing of it was stored: import it again once they are done`
    : `The database refused this report (nothing of it was stored): ${said}`;
}

/**
 * What PostgreSQL or the driver said about a failed statement or connection, in its own words
 * ("terminating connection due to administrator command"), found along the error's causes.
 * Prisma wraps it in lines about the invocation ("Invalid `prisma.$queryRaw()` invocation:"),
 * and a connection closed under the driver adapter comes with no message at all (its kind or
 * code is given then); undefined when nothing says.
 */
export function databaseReason(error: unknown): string | undefined {
  const kinds: string[] = [];
  for (const link of causes(error)) {
    const driver = link.meta?.driverAdapterError?.cause;
    if (driver?.message) return driver.message;
    const message = typeof link.message === 'string' ? link.message : '';
    const said = /Message: `([^`]*)`/.exec(message)?.[1];
    if (said) return said;
    const lines = message
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const line = /^Invalid `/.test(lines[0] ?? '') ? (lines.length > 1 ? lines.at(-1) : undefined) : lines[0];
    if (line) return line;
    if (driver?.kind) kinds.push(driver.kind);
    if (typeof link.code === 'string') kinds.push(link.code);
  }
  return kinds[0];
}

/** host:port/database of a connection string, for logs: never the password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
