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

/** Bytes for a bytea column, sent in hex input form. */
export class CopyBytes {
  constructor(readonly bytes: Uint8Array) {}
}

/** One COPY field: text, bytes, or null for SQL NULL. */
export type CopyField = string | CopyBytes | null;

const SPECIAL = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A text value in COPY's text format: NULL as \N, backslash, tab and line breaks escaped. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return SPECIAL.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c] as string) : value;
}

/** A bytea value; COPY receives it in hex input form (`\\x…`, the backslash escaped for COPY). */
export const copyBytea = (bytes: Uint8Array): CopyBytes => new CopyBytes(bytes);

const BYTEA_PREFIX = Buffer.from('\\\\x', 'latin1');

/**
 * The COPY text of `rows` in chunks of about 1 MB. Each row's text is encoded on its own and
 * bytes go out as hex without passing through a string with the text: a chunk built as one
 * string held the source bytes' hex in a two-byte string (the row's Chinese text makes it so)
 * that V8 flattened and encoded again, 5 to 10 times slower than this (measured on 500 revisions).
 */
export function* copyChunks(rows: readonly CopyField[][]): Generator<Buffer> {
  let pieces: Buffer[] = [];
  let size = 0;
  const push = (piece: Buffer) => {
    pieces.push(piece);
    size += piece.length;
  };
  for (const row of rows) {
    let text = '';
    row.forEach((field, i) => {
      if (i > 0) text += '\t';
      if (field instanceof CopyBytes) {
        push(Buffer.from(text));
        push(BYTEA_PREFIX);
        push(
          Buffer.from(
            Buffer.from(field.bytes.buffer, field.bytes.byteOffset, field.bytes.byteLength).toString('hex'),
            'latin1',
          ),
        );
        text = '';
      } else text += copyField(field);
    });
    push(Buffer.from(`${text}\n`));
    if (size > 1 << 20) {
      yield Buffer.concat(pieces, size);
      pieces = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(pieces, size);
}

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
  const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  try {
    // About 1 MB a chunk: few writes to the socket, little memory beyond the rows themselves.
    await pipeline(Readable.from(copyChunks(rows)), sink);
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
