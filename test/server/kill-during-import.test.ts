import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

const root = fileURLToPath(new URL('../..', import.meta.url));
const FILES = 60;

function runImport(
  folder: string,
  killAfterStored?: number,
): Promise<{ code: number | null; signal: string | null; stored: number }> {
  return new Promise((resolve, reject) => {
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
    child.stdout.on('data', (chunk: Buffer) => {
      stored += (chunk.toString().match(/✔/g) ?? []).length;
      if (killAfterStored !== undefined && stored >= killAfterStored) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stored }));
  });
}

it('a batch import killed with SIGKILL leaves no half-written report, and re-running it completes the batch', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'kill-import-'));
  for (let i = 0; i < FILES; i++) {
    const text = fixtureText(REAL_V2019).replaceAll(
      '中卫市科学技术局',
      `中卫市测试局${String(i).padStart(2, '0')}`,
    );
    writeFileSync(join(folder, `${String(i).padStart(2, '0')}.txt`), text);
  }
  const killed = await runImport(folder, 5);
  expect(killed.signal).toBe('SIGKILL');

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
