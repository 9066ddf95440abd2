/**
 * After `agencies merge`: the revisions of a year both agencies had, listed by `revision list`
 * oldest first, and a later import of a report printed under the merged-away name.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ImportIo, runImport } from '../../src/cli/import.ts';
import { runRevision } from '../../src/cli/revision.ts';
import { importReport } from '../../src/import/index.ts';
import { mergeAgencies } from '../../src/store/merge-agencies.ts';
import { runCapturingConsole } from '../support/cli-console.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient } from '../support/graphql.ts';
import { tempDir } from '../support/temp-dir.ts';

const AGENCY = '中卫市科学技术局';
const FORMER = '中卫市科委';
const printedAs = (name: string, extra = '') =>
  new TextEncoder().encode(fixtureText(REAL_V2019).replaceAll(AGENCY, name) + extra);

const db = testDb();
afterAll(() => db.$disconnect());
beforeAll(async () => {
  await resetDatabase(db);
  // The former name's report first: after the merge it is numbered after the agency's own.
  for (const [name, fileName] of [
    [FORMER, 'kewei.txt'],
    [AGENCY, 'kejiju.txt'],
  ] as const) {
    const stored = await importReport(db, { bytes: printedAs(name), fileName });
    if (!stored.ok) throw new Error(stored.problems[0]?.message);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const merged = await mergeAgencies(db, { from: FORMER, into: AGENCY });
  if (!merged.ok) throw new Error(merged.message);
});

describe('after agencies merge', () => {
  it('revision list lists the revisions oldest first, as it says, not by number', async () => {
    const rows: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((text: unknown) => {
      rows.push(String(text));
      return true;
    });
    const { code } = await runCapturingConsole(() => runRevision(['list', AGENCY, '2020']));
    expect(code).toBe(0);
    const listed = rows.slice(1).map((row) => row.split('\t'));
    expect(listed.map((cells) => [cells[1], cells[7]])).toEqual([
      ['2', 'kewei.txt'],
      ['1', 'kejiju.txt'],
    ]);
    const times = listed.map((cells) => cells[2] ?? '');
    expect([...times].sort()).toEqual(times);
    // GraphQL's Report.revisions says oldest first too.
    const { data } = await graphqlClient(db)<{ report: { revisions: { number: number }[] } }>(
      `{ report(agencyName: "${AGENCY}", year: 2020) { revisions { number } } }`,
    );
    expect(data?.report.revisions.map((r) => r.number)).toEqual([2, 1]);
  });

  it.each([[[]], [['--batch', '10']]])(
    'import %j of a report printed under the merged-away name names the agency it is filed under',
    async (options) => {
      const dir = tempDir('after-merge-');
      const file = join(dir, `kewei-${options.length}.txt`);
      writeFileSync(file, printedAs(FORMER, `\n${options.join(' ')}\n`));
      const out: string[] = [];
      const io: ImportIo = { out: (line) => out.push(line), err: () => {}, stderrIsTTY: false };
      const before = process.env.DATABASE_URL;
      process.env.DATABASE_URL = databaseUrl();
      try {
        expect(await runImport([file, ...options], io)).toBe(0);
      } finally {
        if (before === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = before;
      }
      expect(out[0]).toMatch(
        new RegExp(
          `^✔ \\[1/1\\] .*kewei-${options.length}\\.txt: NEW_REVISION ${AGENCY} 2020 \\(V2019, text, revision \\d; printed as ${FORMER}\\)`,
        ),
      );
    },
  );
});
