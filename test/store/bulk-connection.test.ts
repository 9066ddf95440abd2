import { afterAll, expect, it } from 'vitest';
import { copyBytea, copyRows } from '../../src/store/copy-rows.ts';
import { isDatabaseUnavailable } from '../../src/store/database-errors.ts';
import { Prisma, poolOf, withPgTransaction } from '../../src/store/db.ts';
import { testDb } from '../support/db.ts';

const db = testDb();
afterAll(() => db.$disconnect());

it('reads int4[] in a bulk transaction exactly as node-postgres does', async () => {
  const arrays = [
    "'{}'::int[]",
    "'{0}'::int[]",
    'ARRAY[1, -2, NULL, 2147483647, -2147483648]',
    'ARRAY[NULL]::int[]',
    "'{{1,2},{3,4}}'::int[]",
    "'[0:2]={7,8,9}'::int[]",
    'NULL::int[]',
  ];
  const sql = `SELECT ${arrays.map((a, i) => `${a} AS a${i}`).join(', ')}`;
  const pool = poolOf(db);
  if (!pool) throw new Error('no pool');
  const expected = (await pool.query(sql)).rows;
  const read = await withPgTransaction(db, (tx) => tx.$queryRaw(Prisma.raw(sql)));
  expect(read).toEqual(expected);
  expect(expected[0]).toMatchObject({
    a2: [1, -2, null, 2147483647, -2147483648],
    a4: [
      [1, 2],
      [3, 4],
    ],
  });
});

it('sends bytea through COPY byte for byte, beside text with tabs, line breaks, backslashes and Chinese', async () => {
  const bytes = Uint8Array.from({ length: 600 }, (_, i) => (i * 37) % 256);
  const texts = ['政府信息公开\t年度报告', 'a\\b\nc\r', '\\x00', ''];
  const rows = texts.map((text, i) => [
    String(i),
    text,
    copyBytea(bytes.subarray(i * 10)),
    i === 3 ? null : text,
  ]);
  const read = await withPgTransaction(db, async (tx) => {
    await tx.$executeRaw`CREATE TEMP TABLE copied (n int, t text, b bytea, nullable text) ON COMMIT DROP`;
    await copyRows(tx.client, 'copied', ['n', 't', 'b', 'nullable'], rows, texts);
    return tx.$queryRaw<
      { n: number; t: string; b: Buffer; nullable: string | null }[]
    >`SELECT * FROM copied ORDER BY n`;
  });
  expect(read.map((r) => r.t)).toEqual(texts);
  expect(read.map((r) => r.nullable)).toEqual([...texts.slice(0, 3), null]);
  read.forEach((r, i) => {
    expect(Buffer.compare(r.b, Buffer.from(bytes.subarray(i * 10)))).toBe(0);
  });
});

it('a connection lost between statements of a bulk transaction is the error the next statement throws, not a crash', async () => {
  // The pool takes its error listener off a connection it hands out: a server that ended the
  // connection while the batch was between statements (parsing the next rows) made node-postgres
  // emit an 'error' nobody listened to, and the import died with a stack trace and no summary.
  const pool = poolOf(db);
  if (!pool) throw new Error('no pool');
  const attempt = withPgTransaction(db, async (tx) => {
    const [backend] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    const pid = backend?.pid;
    await pool.query('SELECT pg_terminate_backend($1)', [pid]);
    // Between statements, as the batch is while it parses: the socket closes meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await tx.$queryRaw`SELECT 1`;
  });
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isDatabaseUnavailable(error)).toBe(true);
  expect(String((error as Error).message)).toMatch(/terminat/i);
  // The pool goes on with other connections.
  expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
});
