/**
 * One agency under the names it prints: with or without the province and city above it, its
 * reports are one agency's, in both import paths, in lookups by name and after an upgrade.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runAgencies } from '../../src/cli/agencies.ts';
import { runImport } from '../../src/cli/import.ts';
import { bulkImport, importReport } from '../../src/import/index.ts';
import { checkAgainstStored } from '../../src/import/validate.ts';
import { SYNTHETIC_MARK } from '../../src/ingest/metadata.ts';
import { parseReportBytes } from '../../src/ingest/parse-report.ts';
import { agencyIdByName, ensureIdentityKeys, identityKeyOf } from '../../src/store/agency-identity.ts';
import { rebuildAggregates } from '../../src/store/aggregate-maintenance.ts';
import { loadRegionIndex, storeBatch } from '../../src/store/bulk-import.ts';
import { sha256, storeReport } from '../../src/store/import-report.ts';
import { mergeAgencies } from '../../src/store/merge-agencies.ts';
import { loadRegions } from '../../src/store/regions.ts';
import { createToken } from '../../src/store/tokens.ts';
import { useRevision } from '../../src/store/use-revision.ts';
import { runCapturingConsole } from '../support/cli-console.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { fixtureText, REAL_V2019 } from '../support/fixtures.ts';
import { graphqlClient } from '../support/graphql.ts';
import { v2021, v2021Of } from '../validation/variants.ts';

const db = testDb();
afterAll(() => db.$disconnect());

const AGENCY = '中卫市科学技术局';
const LONG = '宁夏回族自治区中卫市科学技术局';
const HINT =
  'Stored names are found with `npm run cli -- agencies find <text>`, or agency(name:) and agencies(filter: { nameContains: … }) in GraphQL.';

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
    // A province written short stands for it.
    ['北京朝阳区人民政府', '{110105}人民政府'],
    ['宁夏财政厅', '{640000}财政厅'],
    ['吉林财政厅', '{220000}财政厅'],
    // …unless a longer place starts with the same characters.
    ['吉林市财政局', '{220200}财政局'],
    ['河南蒙古族自治县人民政府', '{632324}人民政府'],
    ['海南藏族自治州人民政府', '{632500}人民政府'],
    ['宁夏回族自治区财政厅', '{640000}财政厅'],
    ['国家发展和改革委员会', '国家发展和改革委员会'],
    ['中卫市人民政府办公室(中卫市政务公开办公室)', '{640500}人民政府办公室（中卫市政务公开办公室）'],
    // A place's name alone is its government (北京市2023年政府信息公开工作年度报告): before, 上海市
    // and 上海市人民政府 were two agencies, and a government's years split between them.
    ['上海市', '{310000}人民政府'],
    ['上海市人民政府', '{310000}人民政府'],
    ['淮安市清江浦区', '{320812}人民政府'],
    ['江苏省淮安市清江浦区', '{320812}人民政府'],
    ['宁夏中卫市', '{640500}人民政府'],
    ['浦东新区', '{310115}人民政府'],
    // A zone governing a division under its own name is its 管委会, not the county's government.
    ['平潭综合实验区', '{350128}'],
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
    ].map((name) => identityKeyOf(name));
    expect(new Set(keys).size).toBe(5);
  });

  it.each([
    // The township list's entries named like agencies or zones (林业局 under 鸡东县, 高新区 under
    // 武进区, 社会事务局 under a zone of 沧州) never stand for the place.
    [['黑龙江省林业局', '鸡西市林业局', '鸡东县林业局']],
    [['常州市高新区管理委员会', '武进区高新区管理委员会']],
    [['鸡西市经济开发区管理委员会', '密山市经济开发区管理委员会']],
    [['保定市高新技术产业开发区管理委员会', '涿州市高新技术产业开发区管理委员会']],
    // A province is dropped only before its own places.
    [['北京市社会事务局', '天津市社会事务局']],
    [['中卫市沙坡头区财政局', '北京中卫市沙坡头区财政局']],
  ])('keeps apart %j', (names) => {
    expect(new Set(names.map((name) => identityKeyOf(name))).size).toBe(names.length);
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

  it('in a later batch: the stored exact name and another form of it in one round are one agency', async () => {
    expect((await importReport(db, printed(AGENCY, 2020))).ok).toBe(true);
    const result = await bulkImport(
      db,
      [printed(AGENCY, 2021), printed(LONG, 2022), printed('宁夏中卫市科学技术局', 2023)],
      {
        batchSize: 10,
      },
    );
    expect(result.rejections).toEqual([]);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['CREATED', 'CREATED', 'CREATED']);
    expect(await agencies()).toHaveLength(1);
    expect((await reports()).map((r) => r.year)).toEqual([2020, 2021, 2022, 2023]);
  });

  it('concurrent batches naming the same stored agencies in opposite orders both commit', async () => {
    const other = '中卫市沙坡头区卫生健康局';
    await importReport(db, printed(AGENCY, 2020));
    await importReport(db, printed(other, 2020));
    const second = testDb();
    try {
      for (let year = 2021; year <= 2024; year++) {
        const [a, b] = await Promise.all([
          bulkImport(db, [printed(AGENCY, year), printed(LONG.replace(AGENCY, other), year)], {
            batchSize: 10,
          }),
          bulkImport(second, [printed(other, year), printed(LONG, year)], { batchSize: 10 }),
        ]);
        expect([...a.rejections, ...b.rejections]).toEqual([]);
      }
    } finally {
      await second.$disconnect();
    }
    expect((await agencies()).map((a) => a.name)).toEqual([AGENCY, other]);
    expect((await reports()).filter((r) => r.year > 2020).map((r) => r.revisions)).toEqual(Array(8).fill(2));
  });

  it('keeps generated demo data apart from a real agency of the same place, in both directions', async () => {
    await importReport(db, printed(AGENCY, 2020));
    await bulkImport(db, [printed(LONG, 2021), printed('宁夏中卫市沙坡头区科学技术局', 2021)], {
      synthetic: true,
      batchSize: 10,
    });
    await importReport(db, printed('中卫市沙坡头区科学技术局', 2022));
    const rows = await db.$queryRaw<{ name: string; synthetic: boolean; years: number[] }[]>`
      SELECT a.name, a.synthetic, array_agg(r.year ORDER BY r.year) AS years
      FROM agency a JOIN report r ON r.agency_id = a.id GROUP BY a.id ORDER BY a.id`;
    expect(rows).toEqual([
      { name: AGENCY, synthetic: false, years: [2020] },
      { name: LONG, synthetic: true, years: [2021] },
      { name: '宁夏中卫市沙坡头区科学技术局', synthetic: true, years: [2021] },
      { name: '中卫市沙坡头区科学技术局', synthetic: false, years: [2022] },
    ]);
    // A name that is no stored agency's exact name finds the real agency first.
    expect(await agencyIdByName(db, '宁夏中卫市科学技术局')).toBe((await agencies())[0]?.id);
  });

  it('never files a published report under a generated agency of exactly its name, nor the other way round, in either import path', async () => {
    // The demo names real places' departments: a collected report of the real 沙坡头区财政局 was
    // stored as revision 2 of the demo agency's report, marked synthetic.
    const DEMO = '宁夏回族自治区中卫市沙坡头区财政局';
    await bulkImport(db, [printed(DEMO, 2021)], { synthetic: true, batchSize: 10 });
    await importReport(db, printed(AGENCY, 2020));
    const published = await importReport(db, printed(DEMO, 2021));
    expect(published.ok).toBe(false);
    if (published.ok) return;
    expect(published.problems).toEqual([
      expect.objectContaining({
        code: 'AGENCY_KIND_CONFLICT',
        message: expect.stringMatching(
          /^The agency 宁夏回族自治区中卫市沙坡头区财政局 is stored as a generated demo agency \(synthetic\), and this report is a published one: .*Nothing was stored\. Import it into a database without the demo/,
        ),
      }),
    ]);
    const bulk = await bulkImport(db, [printed(DEMO, 2022), printed(AGENCY, 2021)], { batchSize: 10 });
    expect(bulk.stored).toBe(1);
    expect(bulk.rejections.map((r) => [r.fileName, r.problems.map((p) => p.code)])).toEqual([
      [`${DEMO}-2022.txt`, ['AGENCY_KIND_CONFLICT']],
    ]);
    const generated = await bulkImport(db, [printed(AGENCY, 2022)], { synthetic: true, batchSize: 10 });
    expect(generated.rejections[0]?.problems[0]?.message).toMatch(
      /^The agency 中卫市科学技术局 holds published reports, and this report is generated/,
    );
    const rows = await db.$queryRaw<{ name: string; synthetic: boolean; years: number[] }[]>`
      SELECT a.name, a.synthetic, array_agg(r.year ORDER BY r.year) AS years
      FROM agency a JOIN report r ON r.agency_id = a.id GROUP BY a.id ORDER BY a.id`;
    expect(rows).toEqual([
      { name: DEMO, synthetic: true, years: [2021] },
      { name: AGENCY, synthetic: false, years: [2020, 2021] },
    ]);
    expect(await db.reportRevision.count()).toBe(3);
  });

  it('checks the kind again in the storing transaction: a name stored by an import racing it since the check is refused there', async () => {
    // The use case checks before its transaction; a demo load committing the same new name in
    // between would have had a published report filed under the generated agency.
    const DEMO = '宁夏回族自治区中卫市沙坡头区财政局';
    const source = printed(DEMO, 2022);
    const parsed = parseReportBytes(source.bytes).result;
    if (!parsed.ok) throw new Error('fixture does not parse');
    await bulkImport(db, [printed(DEMO, 2021)], { synthetic: true, batchSize: 10 });
    const one = await storeReport(db, {
      report: parsed.report,
      bytes: source.bytes,
      fileName: source.fileName,
      sourceUrl: null,
      format: 'text',
      encoding: 'utf-8',
    });
    expect(one).toEqual({ kindConflict: true });
    const batch = storeBatch(
      db,
      [{ source, report: parsed.report, format: 'text', encoding: 'utf-8', checksum: sha256(source.bytes) }],
      await loadRegionIndex(db),
      false,
    );
    await expect(batch).rejects.toThrow(
      `${DEMO}-2022.txt: the agency ${DEMO} was stored as a generated demo agency by another import while this batch was read, and this report is published; nothing of the batch was kept. Import it again: the file is then refused alone (AGENCY_KIND_CONFLICT).`,
    );
    expect(await db.reportRevision.count()).toBe(1);
  });

  it('two imports storing one new name as both kinds at once: the second is refused as a kind conflict, not a crash', async () => {
    // Their identity keys differ (a demo agency's has its own), so neither waits for the other
    // until both insert the name: the second failed on agency_name_key with a stack trace.
    const NAME = '宁夏回族自治区中卫市沙坡头区财政局';
    const AUDIT_OFFICE = '宁夏回族自治区中卫市沙坡头区审计局';
    const text = new TextDecoder().decode(printed(NAME, 2022).bytes);
    const generated = {
      bytes: new TextEncoder().encode(text.replace('年度报告\n', `年度报告\n${SYNTHETIC_MARK}\n`)),
      fileName: 'generated.txt',
    };
    const other = new pg.Client({ connectionString: databaseUrl() });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        "INSERT INTO agency (name, identity_key, synthetic) VALUES ($1, 'published-first', false)",
        [NAME],
      );
      const racing = importReport(db, generated);
      // The import passed its check and waits on the name the other transaction inserted.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await other.query('COMMIT');
      const result = await racing;
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems.map((p) => p.code)).toEqual(['AGENCY_KIND_CONFLICT']);
      // The bulk path the same way: its batch is refused whole, naming the file.
      await other.query('BEGIN');
      await other.query(
        "INSERT INTO agency (name, identity_key, synthetic) VALUES ($1, 'published-too', false)",
        [AUDIT_OFFICE],
      );
      const renamed = new TextDecoder().decode(generated.bytes).replaceAll(NAME, AUDIT_OFFICE);
      const batch = bulkImport(
        db,
        [{ bytes: new TextEncoder().encode(renamed), fileName: 'generated2.txt' }],
        {
          batchSize: 10,
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      await other.query('COMMIT');
      await expect(batch).rejects.toThrow(
        /^generated2\.txt: the agency 宁夏回族自治区中卫市沙坡头区审计局 was stored as a published one by another import while this batch was read/,
      );
    } finally {
      await other.end();
    }
    expect(await db.reportRevision.count()).toBe(0);
  });

  it('a batch holding a published and a generated report of one new name files them apart: the first keeps it, the other is refused', async () => {
    const NAME = '宁夏回族自治区中卫市沙坡头区财政局';
    const text = new TextDecoder().decode(printed(NAME, 2022).bytes);
    const generated = {
      bytes: new TextEncoder().encode(text.replace('年度报告\n', `年度报告\n${SYNTHETIC_MARK}\n`)),
      fileName: 'generated.txt',
    };
    const result = await bulkImport(db, [printed(NAME, 2021), generated], { batchSize: 10 });
    expect(result.stored).toBe(1);
    expect(result.rejections.map((r) => [r.fileName, r.problems[0]?.code])).toEqual([
      ['generated.txt', 'AGENCY_KIND_CONFLICT'],
    ]);
    expect(await db.agency.findMany({ select: { name: true, synthetic: true } })).toEqual([
      { name: NAME, synthetic: false },
    ]);
  });

  it('reads a name given with spaces as the name without them', async () => {
    await importReport(db, printed(AGENCY, 2020));
    expect((await importReport(db, printed(AGENCY, 2021), { agencyName: ' 中卫市科学技术局 ' })).ok).toBe(
      true,
    );
    expect(
      (await importReport(db, printed(AGENCY, 2022), { agencyName: '宁夏回族自治区 中卫市科学技术局' })).ok,
    ).toBe(true);
    expect((await agencies()).map((a) => a.name)).toEqual([AGENCY]);
    expect(await agencyIdByName(db, ' 中卫市 科学技术局')).toBe((await agencies())[0]?.id);
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
    const unknown = await gql(query, { name: '中卫市财政局' });
    expect(unknown.data?.report).toBeNull();
    expect(unknown.errors?.[0]?.message).toMatch(/^No stored agency is named "中卫市财政局"/);
    const agencyQuery = 'query($name: String!) { agency(name: $name) { name } }';
    expect((await gql(agencyQuery, { name: LONG })).data?.agency).toEqual({ name: AGENCY });
    expect((await gql(agencyQuery, { name: '中卫市财政局' })).data?.agency).toBeNull();

    // A report of the next year printed with the province is checked against the stored 2020.
    const parsed = parseReportBytes(printed(LONG, 2021).bytes).result;
    if (!parsed.ok) throw new Error('the 2021 report did not parse');
    expect((await checkAgainstStored(db, parsed.report)).comparedWithYears).toEqual([2020]);

    const used = await useRevision(db, { agencyName: LONG, year: 2020, number: 1 });
    expect(used).toMatchObject({ ok: true, changed: true });
    expect(await useRevision(db, { agencyName: '中卫市财政局', year: 2020, number: 1 })).toEqual({
      ok: false,
      message: 'No stored report of 中卫市财政局 for 2020.',
      argument: 'agencyName',
    });
  });
});

describe('agencies stored before identity keys', () => {
  beforeEach(() => resetDatabase(db));

  it('are given theirs once when two processes open the database at the same time', async () => {
    await db.$executeRaw`INSERT INTO agency (name) VALUES (${AGENCY}), (${LONG}), ('朝阳区人民政府')`;
    const second = testDb();
    try {
      const said: string[] = [];
      const counts = await Promise.all([
        ensureIdentityKeys(db, (line) => said.push(line)),
        ensureIdentityKeys(second, (line) => said.push(line)),
      ]);
      expect(counts.sort()).toEqual([0, 3]);
      expect(said).toHaveLength(1);
    } finally {
      await second.$disconnect();
    }
    const [first, twin] = await agencies();
    expect(first?.identity_key).toBe('{640500}科学技术局');
    expect(twin?.identity_key).toBe(`{640500}科学技术局#${twin?.id}`);
  });

  it('names a writer that holds the agency table too long instead of waiting for it', async () => {
    await db.$executeRaw`INSERT INTO agency (name) VALUES (${AGENCY})`;
    const writer = new pg.Client({ connectionString: databaseUrl() });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE agency SET kind = NULL WHERE name = '${AGENCY}'`);
      await expect(ensureIdentityKeys(db, () => {}, { lockTimeoutMs: 300 })).rejects.toThrow(
        'Agencies stored before identity keys need theirs, but another process has been writing agencies for over 0.3 s (an import, perhaps by an older version). Run this again when it has finished.',
      );
      await writer.query('ROLLBACK');
    } finally {
      await writer.end();
    }
    expect(await ensureIdentityKeys(db)).toBe(1);
  });

  it("stored under a place's name alone, are given their government's key by the migration that changed it", async () => {
    // As stored before: 上海市's key was {310000}, apart from 上海市人民政府's.
    await db.$executeRaw`INSERT INTO agency (name, identity_key) VALUES
      ('上海市', '{310000}'), ('上海市人民政府', '{310000}人民政府'), ('淮安市清江浦区', '{320812}'), ('中卫市财政局', '{640500}财政局')`;
    const migration = readFileSync(
      new URL('../../prisma/migrations/20261205120000_place_only_agency_keys/migration.sql', import.meta.url),
      'utf8',
    );
    await db.$executeRawUnsafe(migration);
    const said: string[] = [];
    expect(await ensureIdentityKeys(db, (line) => said.push(line))).toBe(2);
    const keys = await db.$queryRaw<{ id: number; name: string; identity_key: string }[]>`
      SELECT id, name, identity_key FROM agency ORDER BY id`;
    const shanghai = keys.find((k) => k.name === '上海市');
    expect(keys.map((k) => [k.name, k.identity_key])).toEqual([
      ['上海市', `{310000}人民政府#${shanghai?.id}`],
      ['上海市人民政府', '{310000}人民政府'],
      ['淮安市清江浦区', '{320812}人民政府'],
      ['中卫市财政局', '{640500}财政局'],
    ]);
    expect(said).toEqual([
      expect.stringContaining("npm run cli -- agencies merge '上海市' --into '上海市人民政府'"),
    ]);
  });

  it('are given theirs when the database is opened; two names of one agency stay apart, said once', async () => {
    await db.$executeRaw`INSERT INTO agency (name) VALUES (${AGENCY}), (${LONG}), ('朝阳区人民政府')`;
    const said: string[] = [];
    expect(await ensureIdentityKeys(db, (line) => said.push(line))).toBe(3);
    const [first, second, third] = await agencies();
    expect(first?.identity_key).toBe('{640500}科学技术局');
    expect(second?.identity_key).toBe(`{640500}科学技术局#${second?.id}`);
    expect(third?.identity_key).toBe('朝阳区人民政府');
    expect(said).toEqual([
      `Agencies "${AGENCY}" and "${LONG}" (id ${second?.id}) look like one agency under two names; they stay apart until merged: npm run cli -- agencies merge '${LONG}' --into '${AGENCY}' (agencies duplicates lists every such pair). Until then reports printed as "${LONG}" go to the second, other forms of the name to the first.`,
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

describe('agencies merge', () => {
  beforeEach(() => resetDatabase(db));

  const aggregates = async () => ({
    sums: await db.$queryRaw`SELECT * FROM figure_aggregate ORDER BY base, year, template_version, province, level, kind`,
    facts: await db.$queryRaw`SELECT * FROM report_fact ORDER BY report_id`,
  });

  it('files the reports of two stored agencies under one: years moved, a shared year combined, same bytes dropped, findings and aggregates exact', async () => {
    // As an upgrade leaves them: one agency stored under two names, each with its own key.
    await db.$executeRaw`INSERT INTO agency (name) VALUES (${AGENCY}), (${LONG})`;
    await ensureIdentityKeys(db);
    const [kept, merged] = await agencies();
    const revised = printed(AGENCY, 2020, '\n');
    await importReport(db, printed(AGENCY, 2020));
    await importReport(db, revised);
    // Printed with the second's exact name, these still go to it.
    await importReport(db, printed(LONG, 2020));
    await importReport(db, printed(LONG, 2021));
    await importReport(db, printed(LONG, 2020, '\n\n'));
    expect((await reports()).map((r) => [r.agency_id, r.year, r.revisions])).toEqual([
      [kept?.id, 2020, 2],
      [merged?.id, 2020, 2],
      [merged?.id, 2021, 1],
    ]);

    const result = await mergeAgencies(db, { from: LONG, into: AGENCY });
    expect(result).toEqual({
      ok: true,
      from: { id: merged?.id, name: LONG },
      into: { id: kept?.id, name: AGENCY },
      years: [
        {
          year: 2020,
          how: 'COMBINED',
          renumbered: [
            { from: 1, to: 3 },
            { from: 2, to: 4 },
          ],
          sameBytes: [],
          mergedCurrent: 4,
        },
        { year: 2021, how: 'MOVED', renumbered: [], sameBytes: [], mergedCurrent: null },
      ],
    });
    expect(await agencies()).toEqual([{ id: kept?.id, name: AGENCY, identity_key: '{640500}科学技术局' }]);
    expect(await reports()).toEqual([
      { agency_id: kept?.id, year: 2020, revisions: 4, printed: [AGENCY, AGENCY, LONG, LONG] },
      { agency_id: kept?.id, year: 2021, revisions: 1, printed: [LONG] },
    ]);
    // The kept report's current revision stays current.
    const [current] = await db.$queryRaw<{ number: number }[]>`
      SELECT rv.number FROM report r JOIN report_revision rv ON rv.id = r.current_revision_id WHERE r.year = 2020`;
    expect(current?.number).toBe(2);
    // The maintained aggregates equal a fresh count.
    const maintained = await aggregates();
    await rebuildAggregates(db);
    expect(await aggregates()).toEqual(maintained);
    // Later reports printed either way go to the one agency.
    expect((await importReport(db, printed(LONG, 2022))).ok).toBe(true);
    expect(await agencies()).toHaveLength(1);
  });

  it('recomputes findings across the years that now neighbour each other', async () => {
    const HEALTH = '宁夏回族自治区中卫市沙坡头区卫生健康局';
    const text2021 = v2021Of(2021).replace(HEALTH, '沙坡头区卫健局');
    await importReport(db, { bytes: new TextEncoder().encode(v2021()), fileName: '2022.txt' });
    await importReport(db, { bytes: new TextEncoder().encode(text2021), fileName: '2021.txt' });
    const carryOver = () =>
      db.$queryRaw<{ rule: string; other: number }[]>`
        SELECT f.rule_id AS rule, o.year AS other FROM finding f
        JOIN report r ON r.current_revision_id = f.revision_id
        JOIN report o ON o.current_revision_id = f.other_revision_id
        WHERE r.year = 2022 ORDER BY f.scope`;
    expect(await carryOver()).toEqual([]);
    expect((await mergeAgencies(db, { from: '沙坡头区卫健局', into: HEALTH })).ok).toBe(true);
    expect(await carryOver()).toEqual([
      { rule: 'T3_CARRY_OVER', other: 2021 },
      { rule: 'T3_CARRY_OVER', other: 2021 },
    ]);
  });

  it('drops a revision whose bytes the kept report holds, and points what collected it at the kept one', async () => {
    await importReport(db, printed(AGENCY, 2020));
    await importReport(
      db,
      { ...printed(AGENCY, 2020), fileName: 'again.txt' },
      { agencyName: '中卫市科技局' },
    );
    const [kept, merged] = await agencies();
    expect(merged?.name).toBe('中卫市科技局');
    const [mergedRevision] = await db.$queryRaw<{ id: number }[]>`
      SELECT rv.id FROM report_revision rv JOIN report r ON r.id = rv.report_id WHERE r.agency_id = ${merged?.id}`;
    await db.$executeRaw`
      INSERT INTO collected_document (url, final_url, fetched_at, status, report_revision_id)
      VALUES ('http://x.gov.cn/a.html', 'http://x.gov.cn/a.html', now(), 'IMPORTED', ${mergedRevision?.id})`;

    const result = await mergeAgencies(db, { from: '中卫市科技局', into: AGENCY });
    expect(result.ok && result.years).toEqual([
      { year: 2020, how: 'COMBINED', renumbered: [], sameBytes: [1], mergedCurrent: 1 },
    ]);
    expect(await reports()).toEqual([{ agency_id: kept?.id, year: 2020, revisions: 1, printed: [AGENCY] }]);
    const [document] = await db.$queryRaw<{ revision: number }[]>`
      SELECT report_revision_id AS revision FROM collected_document`;
    const [keptRevision] = await db.$queryRaw<{ id: number }[]>`SELECT id FROM report_revision`;
    expect(document?.revision).toBe(keptRevision?.id);
  });

  it('mergeAgencies (GraphQL, admin): says what it did, refuses other scopes and unknown names, and is audit-logged', async () => {
    await importReport(db, printed(AGENCY, 2020));
    await importReport(db, printed(AGENCY, 2021), { agencyName: '中卫市科技局' });
    const gql = graphqlClient(db);
    const mutation = `mutation ($from: String!, $into: String!) { mergeAgencies(from: $from, into: $into) {
      __typename ... on MergeAgenciesSuccess { data { agency { name reports { year } } mergedName years { year how renumbered { from to } sameBytes } } }
      ... on Error { message } } }`;
    const importer = await createToken(db, 'loader', ['import']);
    const refused = await gql(mutation, { from: '中卫市科技局', into: AGENCY }, { token: importer.token });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await agencies()).toHaveLength(2);

    const admin = await createToken(db, 'root', ['admin']);
    const done = await gql(mutation, { from: '中卫市科技局', into: AGENCY }, { token: admin.token });
    expect(done.errors).toBeUndefined();
    expect(done.data?.mergeAgencies.data).toEqual({
      agency: { name: AGENCY, reports: [{ year: 2020 }, { year: 2021 }] },
      mergedName: '中卫市科技局',
      years: [{ year: 2021, how: 'MOVED', renumbered: [], sameBytes: [] }],
    });
    const unknown = await gql(
      mutation.replace('... on Error { message }', '... on InvalidInputError { message argument }'),
      { from: AGENCY, into: '中卫市财政局' },
      { token: admin.token },
    );
    expect(unknown.data?.mergeAgencies).toEqual({
      __typename: 'InvalidInputError',
      message: `No agency named 中卫市财政局 is stored. ${HINT}`,
      argument: 'into',
    });
    const audit = await db.auditLog.findMany({ where: { action: 'mergeAgencies' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.outcome)).toEqual(['CHANGED', 'REJECTED']);
  });

  it('sticks: reports printed with the merged name go to the kept agency afterwards, in both import paths and lookups', async () => {
    // Split by --agency: two keys (科技局, 科学技术局); the merged one's key becomes an alias.
    await importReport(db, printed(AGENCY, 2020));
    await importReport(db, printed(AGENCY, 2021), { agencyName: '中卫市科技局' });
    expect((await mergeAgencies(db, { from: '中卫市科技局', into: AGENCY })).ok).toBe(true);
    await importReport(db, printed(AGENCY, 2022), { agencyName: '中卫市科技局' });
    await bulkImport(db, [printed(AGENCY, 2023)], { agencyName: '宁夏中卫市科技局', batchSize: 10 });
    const [kept, ...others] = await agencies();
    expect(others).toEqual([]);
    expect((await reports()).map((r) => [r.agency_id, r.year])).toEqual(
      [2020, 2021, 2022, 2023].map((year) => [kept?.id, year]),
    );
    const gql = graphqlClient(db);
    const { data } = await gql('{ report(agencyName: "中卫市科技局", year: 2022) { agency { name } } }');
    expect(data?.report).toEqual({ agency: { name: AGENCY } });
    // A later merge of the kept agency carries the alias with it.
    await importReport(db, printed('中卫市科学技术委员会', 2024));
    expect((await mergeAgencies(db, { from: AGENCY, into: '中卫市科学技术委员会' })).ok).toBe(true);
    await importReport(db, printed(AGENCY, 2025), { agencyName: '中卫市科技局' });
    expect((await agencies()).map((a) => a.name)).toEqual(['中卫市科学技术委员会']);
  });

  it('sticks the other way round too: merged into the agency an upgrade left apart, the kept one takes the key', async () => {
    await db.$executeRaw`INSERT INTO agency (name) VALUES (${AGENCY}), (${LONG})`;
    await ensureIdentityKeys(db);
    await importReport(db, printed(AGENCY, 2020));
    expect((await mergeAgencies(db, { from: AGENCY, into: LONG })).ok).toBe(true);
    expect(await agencies()).toEqual([{ id: 2, name: LONG, identity_key: '{640500}科学技术局' }]);
    await importReport(db, printed(AGENCY, 2021));
    await bulkImport(db, [printed('宁夏中卫市科学技术局', 2022)], { batchSize: 10 });
    expect((await reports()).map((r) => [r.agency_id, r.year])).toEqual([
      [2, 2020],
      [2, 2021],
      [2, 2022],
    ]);
  });

  it('a dry run says what the merge would do and writes nothing; agencies of different places need saying so', async () => {
    await loadRegions(db, { townships: false });
    await importReport(db, printed(AGENCY, 2020));
    await importReport(db, printed(AGENCY, 2021), { agencyName: '中卫市科委' });
    await importReport(db, printed(AGENCY, 2021), { agencyName: '北京市科学技术委员会' });
    const before = await reports();

    const dry = await mergeAgencies(db, { from: '中卫市科委', into: AGENCY }, { dryRun: true });
    expect(dry.ok && dry.years).toEqual([
      { year: 2021, how: 'MOVED', renumbered: [], sameBytes: [], mergedCurrent: null },
    ]);
    expect(await reports()).toEqual(before);
    expect(await agencies()).toHaveLength(3);

    const elsewhere = await mergeAgencies(db, { from: '北京市科学技术委员会', into: AGENCY });
    expect(elsewhere).toEqual({
      ok: false,
      argument: 'into',
      message:
        '中卫市科学技术局 is placed in 640500 中卫市, 北京市科学技术委员会 is placed in 110000 北京市: agencies of different places are more likely a wrong name than one agency. Check both, and merge them anyway with --different-places (differentPlaces: true).',
    });
    expect(
      (await mergeAgencies(db, { from: '北京市科学技术委员会', into: AGENCY }, { differentPlaces: true })).ok,
    ).toBe(true);
    expect(await agencies()).toHaveLength(2);
  });

  it('refuses what it cannot do, changing nothing', async () => {
    await importReport(db, printed(AGENCY, 2020));
    expect(await mergeAgencies(db, { from: '中卫市财政局', into: AGENCY })).toEqual({
      ok: false,
      argument: 'from',
      message: `No agency named 中卫市财政局 is stored. ${HINT}`,
    });
    expect(await mergeAgencies(db, { from: LONG, into: AGENCY })).toEqual({
      ok: false,
      argument: 'from',
      message: `${LONG} and ${AGENCY} are one stored agency already (${AGENCY}).`,
    });
    expect(await agencies()).toHaveLength(1);
    await db.$executeRaw`INSERT INTO agency (name, synthetic) VALUES ('中卫市演示局', true)`;
    expect(await mergeAgencies(db, { from: '中卫市演示局', into: AGENCY })).toEqual({
      ok: false,
      argument: 'from',
      message: '中卫市演示局 is generated demo data and the other agency is not; they are never one agency.',
    });
    expect(await agencies()).toHaveLength(2);
  });
});

describe('npm run cli -- agencies', () => {
  beforeEach(() => resetDatabase(db));

  const cli = (...args: string[]) => runCapturingConsole(() => runAgencies(args));

  it('import: a file stored before, given again under the merged name, is skipped, and the current revision stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'merged-name-'));
    try {
      writeFileSync(join(dir, 'a.txt'), printed(AGENCY, 2020).bytes);
      const importing = (...args: string[]) =>
        runCapturingConsole(() => runImport(args, { out: () => {}, err: () => {}, stderrIsTTY: false }));
      await importReport(db, printed(AGENCY, 2020, '\n'));
      expect((await importing(dir, '--agency', '中卫市科委', '--jobs', '0')).code).toBe(0);
      expect((await cli('merge', '中卫市科委', '--into', AGENCY)).code).toBe(0);
      const current = () =>
        db.$queryRaw`SELECT rv.number FROM report r JOIN report_revision rv ON rv.id = r.current_revision_id`;
      const before = await current();
      expect((await importing(dir, '--agency', '中卫市科委', '--jobs', '0')).code).toBe(0);
      expect(await current()).toEqual(before);
      const restored = await db.$queryRaw`SELECT 1 FROM audit_log WHERE outcome = 'RESTORED'`;
      expect(restored).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('duplicates lists the agencies an upgrade left apart with the merge to run; merge joins them and is audited', async () => {
    await db.$executeRaw`INSERT INTO agency (name) VALUES (${AGENCY}), (${LONG})`;
    await importReport(db, printed(LONG, 2021));
    const listed = await cli('duplicates');
    expect(listed.code).toBe(0);
    // Opening the database gave the legacy rows their keys, and said so.
    expect(listed.err.join('\n')).toContain(`Agencies "${AGENCY}" and "${LONG}"`);
    expect(listed.err.at(-1)).toBe('1 agency is left apart from the agency it looks like.');
    expect(listed.out).toEqual([`${LONG}\t→ npm run cli -- agencies merge '${LONG}' --into '${AGENCY}'`]);

    const merged = await cli('merge', LONG, '--into', AGENCY);
    expect(merged).toMatchObject({
      code: 0,
      out: [
        `${LONG} merged into ${AGENCY}: 1 report; findings recomputed. Reports printed as ${LONG} are filed under ${AGENCY} from now on.`,
        '  2021: moved',
      ],
    });
    const none = await cli('duplicates');
    expect(none.out).toEqual([]);
    expect(none.err.at(-1)).toBe(
      'No agencies were left apart by an upgrade: every agency stored before identity keys has its own key.',
    );
    const [audit] = await db.$queryRaw<
      { action: string; outcome: string }[]
    >`SELECT action, outcome FROM audit_log`;
    expect(audit).toEqual({ action: 'mergeAgencies', outcome: 'CHANGED' });

    const again = await cli('merge', LONG, '--into', AGENCY);
    expect(again).toMatchObject({
      code: 1,
      err: expect.arrayContaining([`${LONG} and ${AGENCY} are one stored agency already (${AGENCY}).`]),
    });
  });
});
