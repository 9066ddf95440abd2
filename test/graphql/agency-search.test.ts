/**
 * agencies(filter: { nameContains }) as a search: partial names, a leading province added or
 * left out, abbreviations (中卫科技局 → 中卫市科学技术局), ranked by similarity; an exact part
 * of a name is still found, and near matches only fill in when nothing contains the text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agencyNameVariants,
  characterBigrams,
  expandAbbreviations,
  expandTypedTail,
} from '../../src/catalogue/agency-names.ts';
import { resetDatabase, testDb } from '../support/db.ts';
import { graphqlClient } from '../support/graphql.ts';

const db = testDb();
const gql = graphqlClient(db);
afterAll(() => db.$disconnect());

const NAMES = [
  '中卫市科学技术局',
  '银川市科学技术局',
  '中卫市人力资源和社会保障局',
  '中卫市人民政府',
  '宁夏回族自治区中卫市沙坡头区卫生健康局',
  '中卫市市场监督管理局',
  '中卫市教育局',
];

beforeAll(async () => {
  await resetDatabase(db);
  for (const name of NAMES) await db.$executeRaw`INSERT INTO agency (name) VALUES (${name})`;
});

const SEARCH = /* GraphQL */ `
  query ($text: String!, $first: Int) {
    agencies(first: $first, filter: { nameContains: $text }) {
      ... on QueryAgenciesConnection { totalCount edges { node { name } } }
    }
  }`;

async function search(text: string, first = 20) {
  const { data, errors } = await gql(SEARCH, { text, first });
  expect(errors).toBeUndefined();
  return ((data?.agencies.edges ?? []) as { node: { name: string } }[]).map((e) => e.node.name);
}

describe('agency name variants (catalogue)', () => {
  it('write abbreviations out, longest first, and leave full forms alone', () => {
    expect(expandAbbreviations('中卫科技局')).toBe('中卫科学技术局');
    expect(expandAbbreviations('沙坡头区卫健委')).toBe('沙坡头区卫生健康委员会');
    expect(expandAbbreviations('中卫市市场监管局')).toBe('中卫市市场监督管理局');
    expect(expandAbbreviations('中卫市科学技术局')).toBe('中卫市科学技术局');
  });

  it('write out an abbreviation being typed, as far as its full forms agree', () => {
    expect(expandTypedTail('中卫科技')).toBe('中卫科学技术');
    expect(expandTypedTail('沙坡头区卫健')).toBe('沙坡头区卫生健康');
    expect(expandTypedTail('中卫人社')).toBe('中卫人力资源和社会保障');
    expect(expandTypedTail('中卫市场监管')).toBe('中卫市场监督管理局');
    // Nothing to write out: no abbreviation starts so, one character, or the whole abbreviation.
    expect(expandTypedTail('中卫市')).toBeNull();
    expect(expandTypedTail('中卫科')).toBeNull();
    expect(expandTypedTail('中卫科技局')).toBeNull();
    expect(agencyNameVariants('中卫科技')).toEqual(['中卫科技', '中卫科学技术']);
  });

  it('drop a leading province and whitespace', () => {
    expect(agencyNameVariants(' 宁夏回族自治区中卫市 人社局')).toEqual([
      '宁夏回族自治区中卫市人社局',
      '中卫市人社局',
      '宁夏回族自治区中卫市人力资源和社会保障局',
      '中卫市人力资源和社会保障局',
    ]);
    expect(characterBigrams('中卫市')).toEqual(['中卫', '卫市']);
  });
});

describe('agencies(filter: { nameContains })', () => {
  it('still finds every name containing the text exactly, most similar first', async () => {
    expect(await search('科学技术局')).toEqual(['中卫市科学技术局', '银川市科学技术局']);
    expect(await search('中卫市')).toEqual([
      '中卫市教育局',
      '中卫市人民政府',
      '中卫市科学技术局',
      '中卫市市场监督管理局',
      '中卫市人力资源和社会保障局',
      '宁夏回族自治区中卫市沙坡头区卫生健康局',
    ]);
  });

  it('finds a name written with a leading province the stored name lacks, or without the one it has', async () => {
    expect(await search('宁夏回族自治区中卫市科学技术局')).toEqual(['中卫市科学技术局']);
    expect(await search('宁夏中卫市教育局')).toEqual(['中卫市教育局']);
    expect(await search('中卫市沙坡头区卫生健康局')).toEqual(['宁夏回族自治区中卫市沙坡头区卫生健康局']);
  });

  it('writes common abbreviations out: 中卫科技局 finds 中卫市科学技术局 first', async () => {
    expect(await search('中卫科技局')).toEqual(['中卫市科学技术局', '银川市科学技术局']);
    expect(await search('中卫人社局')).toEqual(['中卫市人力资源和社会保障局']);
    expect(await search('中卫市监局')).toEqual(['中卫市市场监督管理局']);
    expect(await search('沙坡头区卫健局')).toEqual(['宁夏回族自治区中卫市沙坡头区卫生健康局']);
    expect(await search('中卫市政府')).toEqual(['中卫市人民政府']);
  });

  it('finds the agency while its abbreviation is still being typed', async () => {
    expect((await search('中卫科技'))[0]).toBe('中卫市科学技术局');
    expect((await search('中卫人社'))[0]).toBe('中卫市人力资源和社会保障局');
    expect((await search('沙坡头区卫健'))[0]).toBe('宁夏回族自治区中卫市沙坡头区卫生健康局');
  });

  it('tolerates partial names by similarity, and finds nothing for an unrelated name', async () => {
    expect((await search('中卫科学'))[0]).toBe('中卫市科学技术局');
    expect(await search('公安局')).toEqual([]);
  });

  it('pages through a ranked search with cursors, as through the id-ordered list', async () => {
    const PAGE = /* GraphQL */ `
      query ($after: String) {
        agencies(first: 2, after: $after, filter: { nameContains: "中卫市" }) {
          ... on QueryAgenciesConnection { pageInfo { hasNextPage endCursor } edges { node { name } } }
        }
      }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const result: { data?: Record<string, Record<string, never>> } = await gql(PAGE, { after });
      const connection = result.data?.agencies as unknown as {
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: { name: string } }[];
      };
      seen.push(...connection.edges.map((e) => e.node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(await search('中卫市'));
  });
});
