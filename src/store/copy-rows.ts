/**
 * COPY … FROM STDIN for the bulk import: rows go to PostgreSQL as one text stream per table
 * instead of megabytes of bind parameters that the server parses as arrays and unnests
 * (measured: the unnest path spent most of a batch there). COPY runs inside the caller's
 * transaction, so a batch stays all-or-nothing, and it fires the tables' triggers like INSERT.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type PgTransaction, withPgTransaction } from './db.ts';

/** One COPY field: text, or null for SQL NULL. */
export type CopyField = string | null;

const SPECIAL = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A value in COPY's text format: NULL as \N, backslash, tab and line breaks escaped. */
export function copyField(value: CopyField): string {
  if (value === null) return '\\N';
  return SPECIAL.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c] as string) : value;
}

/** A bytea value in hex input form; copyField escapes its backslash for COPY. */
export const copyBytea = (bytes: Uint8Array): string => `\\x${Buffer.from(bytes).toString('hex')}`;

/**
 * A COPY row that PostgreSQL refused, with the label the caller gave the row (the file it
 * came from), so a bad report in a batch of hundreds is named rather than found by bisection.
 */
export class CopyRowError extends Error {
  constructor(
    readonly table: string,
    readonly label: string,
    readonly pgError: Error,
  ) {
    super(`${label}: cannot be stored (${table}): ${pgError.message}`);
    this.name = 'CopyRowError';
  }
}

/**
 * Streams `rows` into `table` with COPY FROM STDIN on `client`. `labels[i]` names row i in an
 * error; PostgreSQL reports the failing line as the `where` of its error.
 */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly CopyField[][],
  labels: readonly string[],
): Promise<void> {
  if (rows.length === 0) return;
  const chunks = (function* () {
    // About 1 MB a chunk: few writes to the socket, little memory beyond the rows themselves.
    let chunk = '';
    for (const row of rows) {
      chunk += `${row.map(copyField).join('\t')}\n`;
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  })();
  const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  try {
    await pipeline(Readable.from(chunks), sink);
  } catch (error) {
    const where = (error as { where?: unknown }).where;
    const line = typeof where === 'string' ? /COPY [^,]+, line (\d+)/.exec(where)?.[1] : undefined;
    const label = line === undefined ? undefined : labels[Number(line) - 1];
    if (label !== undefined) throw new CopyRowError(table, label, error as Error);
    throw error;
  }
}

/** The transaction COPY runs in: SQL, and the connection itself. */
export type CopyTransaction = PgTransaction;

/** A transaction for COPY (see withPgTransaction): nothing of a failed batch is kept. */
export const withCopyTransaction = withPgTransaction;
