/** `agencies find`: the stored agencies a name search finds, for the names `agencies merge` and `revision use` take. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgencies } from '../../src/cli/agencies.ts';
import { AGENCIES_HELP, MERGE_EXAMPLE } from '../../src/cli/help.ts';
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

describe('agencies merge on a database only migrated and imported into', () => {
  it('loads the regions to check the two agencies are of one place, and refuses two places', async () => {
    // First in the file: the database holds no regions yet, nor its agencies places.
    expect(await db.region.count()).toBe(0);
    const beijing = await importReport(
      db,
      { bytes: new TextEncoder().encode(fixtureText(REAL_V2019)), fileName: 'bj.txt' },
      { agencyName: '北京市科学技术委员会' },
    );
    expect(beijing.ok).toBe(true);
    const merge = await agencies('merge', '北京市科学技术委员会', '--into', '中卫市科学技术局', '--dry-run');
    expect(merge.code).toBe(1);
    expect(merge.err).toContain('agencies of different places are more likely a wrong name than one agency');
  });
});

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

describe('the merge example of the usage line, the help and the README', () => {
  it('merges on the sample data once a report printed under the former name is stored', async () => {
    // Each shows the same example; the usage line's had been two names of one stored agency.
    const usage = await agencies('merge', '中卫市科学技术局').catch((error: Error) => error.message);
    expect(usage).toContain(`e.g. ${MERGE_EXAMPLE}`);
    expect(AGENCIES_HELP).toContain(`e.g. ${MERGE_EXAMPLE}`);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`npm run cli -- ${MERGE_EXAMPLE}`);
    const former = await importReport(db, {
      bytes: new TextEncoder().encode(fixtureText(REAL_V2019).replaceAll('中卫市科学技术局', '中卫市科委')),
      fileName: 'kewei.txt',
    });
    expect(former.ok).toBe(true);
    const [command, ...args] = MERGE_EXAMPLE.split(' ');
    expect(command).toBe('agencies');
    const merged = await agencies(...args);
    expect(merged.code).toBe(0);
    expect(merged.out[0]).toBe(
      'Dry run (nothing written): 中卫市科委 would be merged into 中卫市科学技术局: 1 report; reports printed as 中卫市科委 would be filed under 中卫市科学技术局 from then on.',
    );
  });
});
