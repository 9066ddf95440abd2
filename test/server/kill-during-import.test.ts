import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

const root = fileURLToPath(new URL('../..', import.meta.url));
const FILES = 60;

/**
 * Runs the CLI import of a folder. With `killMidTransaction`, once `afterStored` reports
 * are stored the test takes a SHARE lock on revision_figures, which blocks the next
 * report's figure insert: the child is then inside its transaction, its revision row
 * written and its figures not, and it is killed there, at that known point.
 */
async function runImport(
  folder: string,
  killMidTransaction?: { afterStored: number },
): Promise<{ code: number | null; signal: string | null; stored: number; killedHolding?: string[] }> {
  const blocker = killMidTransaction ? new pg.Client({ connectionString: databaseUrl() }) : null;
  await blocker?.connect();
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'import', folder, '--jobs', '0'],
        {
          cwd: root,
          env: { ...process.env, DATABASE_URL: databaseUrl() },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stored = 0;
      let killedHolding: string[] | undefined;
      let blocking = false;
      const killWhenBlocked = async () => {
        if (!blocker) return;
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE revision_figures IN SHARE MODE');
        // The import's backend waiting for that lock is the signal that it is mid-transaction.
        let waiting: number | undefined;
        while (waiting === undefined) {
          const { rows } = await blocker.query<{ pid: number }>(
            `SELECT pid FROM pg_locks WHERE relation = 'revision_figures'::regclass AND NOT granted`,
          );
          waiting = rows[0]?.pid;
        }
        const { rows: held } = await blocker.query<{ name: string }>(
          `SELECT relation::regclass::text AS name FROM pg_locks
           WHERE pid = $1 AND granted AND mode = 'RowExclusiveLock' ORDER BY 1`,
          [waiting],
        );
        killedHolding = held.map((r) => r.name);
        child.kill('SIGKILL');
        await new Promise((done) => child.once('exit', done));
        await blocker.query('ROLLBACK');
        // Its backend then finds the client gone and rolls the transaction back.
        let alive = true;
        while (alive) {
          const { rows } = await blocker.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [waiting]);
          alive = rows.length > 0;
        }
      };
      child.stdout.on('data', (chunk: Buffer) => {
        stored += (chunk.toString().match(/✔/g) ?? []).length;
        if (killMidTransaction && !blocking && stored >= killMidTransaction.afterStored) {
          blocking = true;
          killWhenBlocked().then(
            () => resolve({ code: null, signal: 'SIGKILL', stored, killedHolding }),
            reject,
          );
        }
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (!blocking) resolve({ code, signal, stored });
      });
    });
  } finally {
    await blocker?.end();
  }
}

it('a batch import killed with SIGKILL leaves no half-written report, and re-running it completes the batch', async () => {
  const folder = tempDir('kill-import-');
  for (let i = 0; i < FILES; i++) {
    const text = fixtureText(REAL_V2019).replaceAll(
      '中卫市科学技术局',
      `中卫市第${String(i).padStart(2, '0')}测试局`,
    );
    writeFileSync(join(folder, `${String(i).padStart(2, '0')}.txt`), text);
  }
  const killed = await runImport(folder, { afterStored: 5 });
  expect(killed.signal).toBe('SIGKILL');
  // Killed mid-transaction: it had written a revision row that its figures never joined.
  expect(killed.killedHolding).toContain('report_revision');

  // Every stored revision is complete: all its figures, and its report points at it.
  const incomplete = await db.$queryRaw<{ id: number }[]>`
    SELECT rr.id FROM report_revision rr LEFT JOIN revision_figures f ON f.revision_id = rr.id
    WHERE f.statuses IS NULL OR length(replace(convert_from(f.statuses, 'UTF8'), '.', '')) <> 198
       OR jsonb_array_length(rr.cell_sources->'lines') = 0`;
  expect(incomplete).toEqual([]);
  const orphans = await db.report.count({ where: { currentRevisionId: null } });
  expect(orphans).toBe(0);
  const afterKill = await db.report.count();
  expect(afterKill).toBeGreaterThanOrEqual(5);
  expect(afterKill).toBeLessThan(FILES);

  const rerun = await runImport(folder);
  expect(rerun.code).toBe(0);
  expect(await db.report.count()).toBe(FILES);
  expect(await db.reportRevision.count()).toBe(FILES);
}, 120_000);
