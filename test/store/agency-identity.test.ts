/**
 * One agency under the names it prints: with or without the province and city above it, its
 * reports are one agency's, in both import paths, in lookups by name and after an upgrade.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { bulkImport, importReport } from '../../src/import/index.ts';
import { checkAgainstStored } from '../../src/import/validate.ts';
import { parseReportBytes } from '../../src/ingest/parse-report.ts';
import { ensureIdentityKeys, identityKeyOf } from '../../src/store/agency-identity.ts';
import { useRevision } from '../../src/store/use-revision.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient } from '../support/graphql.ts';

const db = testDb();
afterAll(() => db.$disconnect());

const AGENCY = '中卫市科学技术局';
const LONG = '宁夏回族自治区中卫市科学技术局';

/** The real report, printed under `name` for `year` (its figures unchanged). */
function printed(name: string, year = 2020, extra = '') {
  const text = fixtureText(REAL_V2019)
    .replace(AGENCY, name)
    .replace(/2020 ?年/g, `${year} 年`);
  return { bytes: new TextEncoder().encode(`${text}${extra}`), fileName: `${name}-${year}.txt` };
}

const agencies = () =>
  db.$queryRaw<{ id: number; name: string; identity_key: string | null }[]>`
    SELECT id, name, identity_key FROM agency ORDER BY id`;
const reports = () =>
  db.$queryRaw<{ agency_id: number; year: number; revisions: number; printed: string[] }[]>`
    SELECT r.agency_id, r.year, count(*)::int AS revisions,
           array_agg(rv.agency_name_as_printed ORDER BY rv.number) AS printed
    FROM report r JOIN report_revision rv ON rv.report_id = r.id
    GROUP BY r.id ORDER BY r.year`;

describe('the identity key of a name', () => {
  it.each([
    ['宁夏回族自治区中卫市沙坡头区财政局', '{640502}财政局'],
    ['中卫市沙坡头区财政局', '{640502}财政局'],
    ['沙坡头区财政局', '{640502}财政局'],
    ['宁夏中卫市沙坡头区财政局', '{640502}财政局'],
    ['中卫市财政局', '{640500}财政局'],
    ['国家税务总局宁夏回族自治区中卫市沙坡头区税务局', '国家税务总局{640502}税务局'],
    ['国家税务总局中卫市沙坡头区税务局', '国家税务总局{640502}税务局'],
    ['北京市朝阳区人民政府', '{110105}人民政府'],
    ['长春市朝阳区人民政府', '{220104}人民政府'],
    // 朝阳区 alone could be Beijing's or Changchun's: the name is its own key.
    ['朝阳区人民政府', '朝阳区人民政府'],
    ['宁夏回族自治区财政厅', '{640000}财政厅'],
    ['国家发展和改革委员会', '国家发展和改革委员会'],
    ['中卫市人民政府办公室(中卫市政务公开办公室)', '{640500}人民政府办公室（中卫市政务公开办公室）'],
  ])('%s → %s', (name, key) => {
    expect(identityKeyOf(name)).toBe(key);
  });

  it('keeps apart agencies that differ in more than how they print their place', () => {
    const keys = [
      '中卫市财政局',
      '沙坡头区财政局',
      '中卫市沙坡头区人民政府',
      '中卫市沙坡头区人民政府办公室',
      '宁夏回族自治区财政厅',
      '宁夏回族自治区中卫市财政局',
    ].map(identityKeyOf);
    expect(new Set(keys).size).toBe(5);
  });
});

describe('one agency under two printed names', () => {
  beforeEach(() => resetDatabase(db));

  it('one-by-one: another year printed with the province is the same agency; the same year is a new revision', async () => {
    expect((await importReport(db, printed(AGENCY, 2020))).ok).toBe(true);
    const second = await importReport(db, printed(LONG, 2021));
    expect(second.ok && second.value.outcome).toBe('CREATED');
    const third = await importReport(db, printed(LONG, 2020));
    expect(third.ok && third.value.outcome).toBe('NEW_REVISION');

    const [agency, ...others] = await agencies();
    expect(others).toEqual([]);
    expect(agency).toMatchObject({ name: AGENCY, identity_key: '{640500}科学技术局' });
    expect(await reports()).toEqual([
      { agency_id: agency?.id, year: 2020, revisions: 2, printed: [AGENCY, LONG] },
      { agency_id: agency?.id, year: 2021, revisions: 1, printed: [LONG] },
    ]);
  });

  it('in a batch: both names, the same year twice and another year, make one agency', async () => {
    const result = await bulkImport(
      db,
      [printed(LONG, 2020), printed(AGENCY, 2020, '\n'), printed(AGENCY, 2021)],
      {
        batchSize: 10,
      },
    );
    expect(result.rejections).toEqual([]);
    expect(Object.fromEntries(result.outcomes.map((o) => [o.fileName, o.outcome]))).toEqual({
      [`${LONG}-2020.txt`]: 'CREATED',
      [`${AGENCY}-2020.txt`]: 'NEW_REVISION',
      [`${AGENCY}-2021.txt`]: 'CREATED',
    });
    const [agency, ...others] = await agencies();
    expect(others).toEqual([]);
    // Named as the batch first printed it.
    expect(agency).toMatchObject({ name: LONG, identity_key: '{640500}科学技术局' });
    expect(await reports()).toEqual([
      { agency_id: agency?.id, year: 2020, revisions: 2, printed: [LONG, AGENCY] },
      { agency_id: agency?.id, year: 2021, revisions: 1, printed: [AGENCY] },
    ]);
    // And the one-by-one path files the next report under the same agency.
    expect((await importReport(db, printed('中卫市科学技术局', 2022))).ok).toBe(true);
    expect(await agencies()).toHaveLength(1);
  });

  it('is found by either name: report(agencyName:), revision use, and cross-year checks', async () => {
    await importReport(db, printed(AGENCY, 2020));
    await importReport(db, printed(AGENCY, 2020, '\n'));
    const gql = graphqlClient(db);
    const query = 'query($name: String!) { report(agencyName: $name, year: 2020) { agency { name } year } }';
    for (const name of [AGENCY, LONG, '宁夏中卫市科学技术局']) {
      const { data } = await gql(query, { name });
      expect(data?.report, name).toEqual({ agency: { name: AGENCY }, year: 2020 });
    }
    expect((await gql(query, { name: '中卫市财政局' })).data?.report).toBeNull();

    // A report of the next year printed with the province is checked against the stored 2020.
    const parsed = parseReportBytes(printed(LONG, 2021).bytes).result;
    if (!parsed.ok) throw new Error('the 2021 report did not parse');
    expect((await checkAgainstStored(db, parsed.report)).comparedWithYears).toEqual([2020]);

    const used = await useRevision(db, { agencyName: LONG, year: 2020, number: 1 });
    expect(used).toMatchObject({ ok: true, changed: true });
    expect(await useRevision(db, { agencyName: '中卫市财政局', year: 2020, number: 1 })).toEqual({
      ok: false,
      message: 'No stored report of 中卫市财政局 for 2020.',
    });
  });
});

describe('agencies stored before identity keys', () => {
  beforeEach(() => resetDatabase(db));

  it('are given theirs when the database is opened; two names of one agency stay apart, said once', async () => {
    await db.$executeRaw`INSERT INTO agency (name) VALUES (${AGENCY}), (${LONG}), ('朝阳区人民政府')`;
    const said: string[] = [];
    expect(await ensureIdentityKeys(db, (line) => said.push(line))).toBe(3);
    const [first, second, third] = await agencies();
    expect(first?.identity_key).toBe('{640500}科学技术局');
    expect(second?.identity_key).toBe(`{640500}科学技术局#${second?.id}`);
    expect(third?.identity_key).toBe('朝阳区人民政府');
    expect(said).toEqual([
      `Agencies "${AGENCY}" and "${LONG}" (id ${second?.id}) look like one agency under two names; they stay apart. Reports printed as "${LONG}" still go to the second, other forms of the name to the first.`,
    ]);
    expect(await ensureIdentityKeys(db, (line) => said.push(line))).toBe(0);
    expect(said).toHaveLength(1);

    // Each keeps the reports printed with its own name; a third form goes to the first.
    await importReport(db, printed(LONG, 2020));
    await importReport(db, printed('宁夏中卫市科学技术局', 2021));
    expect((await reports()).map((r) => [r.agency_id, r.year])).toEqual([
      [second?.id, 2020],
      [first?.id, 2021],
    ]);
  });
});
