/** `agencies find`: the stored agencies a name search finds, for the names `agencies merge` and `revision use` take. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgencies } from '../../src/cli/agencies.ts';
import { importReport } from '../../src/import/index.ts';
import { runCapturingConsole } from '../support/cli-console.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeAll(async () => {
  await resetDatabase(db);
  const stored = await importReport(db, {
    bytes: new TextEncoder().encode(fixtureText(REAL_V2019)),
    fileName: 'zw.txt',
  });
  if (!stored.ok) throw new Error(stored.problems[0]?.message);
});

const agencies = async (...args: string[]) => {
  const { code, out, err } = await runCapturingConsole(() => runAgencies(args));
  return { code, out, err: err.join('\n') };
};

describe('agencies find', () => {
  it('finds an agency by an abbreviated name, with its id, region and years', async () => {
    const { id } = await db.agency.findFirstOrThrow({ select: { id: true } });
    const found = await agencies('find', '中卫科技局');
    expect(found.code).toBe(0);
    expect(found.out).toEqual([
      expect.stringMatching(new RegExp(`^${id}\\t中卫市科学技术局\\t(640500)?\\t2020$`)),
    ]);
    expect(found.err).toContain('1 agency matches.');
  });

  it('says so when nothing matches, and merge points to it for a name it does not know', async () => {
    expect(await agencies('find', '不存在的机关')).toMatchObject({
      code: 0,
      out: [],
      err: expect.stringContaining("No stored agency's name contains 不存在的机关 or comes near it."),
    });
    const merge = await agencies('merge', '中卫市科委', '--into', '中卫市科学技术局', '--dry-run');
    expect(merge.code).toBe(1);
    expect(merge.err).toContain(
      'No agency named 中卫市科委 is stored. Stored names are found with `npm run cli -- agencies find <text>`',
    );
  });
});
