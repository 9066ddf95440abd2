import { describe, expect, it } from 'vitest';
import { table2CellCode, table3CellCode } from '../../src/catalogue/cells.ts';
import {
  APPLICANT_COLUMNS,
  type Label,
  TABLE2_BLOCKS,
  TABLE3_GROUPS,
  TABLE3_ROWS,
} from '../../src/catalogue/template.ts';
import { labelsMatching, matchesLabel } from '../../src/ingest/table-reading.ts';
import { labelKey, readCell, splitLabel } from '../../src/ingest/text.ts';

// The parser looks labels up instead of scanning the catalogue, and remembers what it read of
// texts it met before; these check that both give the answers of the plain computation.

const keysOf = (labels: readonly Label[]) => [
  ...new Set(labels.flatMap((l) => [l.zh, ...(l.variants ?? [])].map(labelKey))),
  '',
  '不存在的标签',
];

describe('labelsMatching', () => {
  const catalogues: [string, readonly Label[]][] = [
    ['table 3 rows', TABLE3_ROWS],
    ['table 3 groups', TABLE3_GROUPS],
    ['applicant columns', APPLICANT_COLUMNS],
    ['table 2 rows', TABLE2_BLOCKS.flatMap((b) => b.rows)],
  ];
  for (const [name, labels] of catalogues) {
    it(`${name}: the labels a key matches, in catalogue order, as a scan finds them`, () => {
      const lookup = labelsMatching(labels);
      for (const key of keysOf(labels)) {
        expect(lookup(key), key).toEqual(labels.filter((l) => matchesLabel(key, l)));
      }
    });
  }

  it('a key shared by several rows (其他) finds all of them', () => {
    expect(labelsMatching(TABLE3_ROWS)(labelKey('其他')).length).toBeGreaterThan(0);
    expect(labelsMatching(APPLICANT_COLUMNS)(labelKey('其他')).map((c) => c.code)).toEqual([
      'OTHER_ORGANISATION',
    ]);
  });
});

describe('cell codes', () => {
  it('are the same string for the same row and column, spelled as the catalogue spells them', () => {
    const code = table3CellCode('GRANTED', 'TOTAL');
    expect(code).toBe('T3.GRANTED.TOTAL');
    expect(table3CellCode('GRANTED', 'TOTAL')).toBe(code);
    expect(table2CellCode('RULES', 'ISSUED')).toBe('T2.RULES.ISSUED');
  });
});

describe('remembered readings', () => {
  it('give the same answer the second time, after thousands of other texts, and for long texts', () => {
    const labels = ['（三）不予公开', '1.属于国家秘密', '总 计', '／', '12.50', '1,234', '无'];
    const first = labels.map((t) => [splitLabel(t), readCell(t)]);
    for (let i = 0; i < 10_000; i++) splitLabel(`标签${i}`) && readCell(`${i}件x`);
    expect(labels.map((t) => [splitLabel(t), readCell(t)])).toEqual(first);
    const long = `（二）${'部分公开'.repeat(100)}`;
    expect(splitLabel(long)).toEqual({ ordinal: '二', bracketed: true, key: '部分公开'.repeat(100) });
    expect(readCell(` ${'1'.repeat(250)}.5 `)).toEqual({ kind: 'number', value: `${'1'.repeat(250)}.5` });
  });
});
