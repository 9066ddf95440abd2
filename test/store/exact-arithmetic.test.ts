import { describe, expect, it } from 'vitest';
import { addExact, exactInt, exactText, isZeroExact, parseExact } from '../../src/store/aggregates.ts';

const exact = (text: string) => {
  const value = parseExact(text);
  if (!value) throw new Error(`not a decimal: ${text}`);
  return value;
};
const sum = (...texts: string[]) => exactText(texts.map(exact).reduce((a, b) => addExact(a, b)));

describe('exact decimals of the pre-aggregations', () => {
  it('adds decimals of different scales without rounding', () => {
    expect(sum('0.1', '0.2')).toBe('0.3');
    expect(sum('1.5', '2', '0.25')).toBe('3.75');
    expect(exactText(addExact(exact('5'), exact('7.25'), -1))).toBe('-2.25');
    expect(exactText(addExact(exact('-0.5'), exact('0.5')))).toBe('0.0');
  });

  it('goes on exactly past 2^53, where a float would round, and comes back below it', () => {
    const max = exactInt(Number.MAX_SAFE_INTEGER);
    const past = addExact(max, exactInt(2));
    expect(typeof past.units).toBe('bigint');
    expect(exactText(past)).toBe('9007199254740993');
    const back = addExact(past, exactInt(2), -1);
    expect(back.units).toBe(Number.MAX_SAFE_INTEGER);
    expect(exactText(addExact(exact('-9007199254740991'), exact('-9007199254740991')))).toBe(
      '-18014398509481982',
    );
  });

  it('keeps long decimal text exact through parse and print', () => {
    for (const text of ['12345678901234567890.5', '-0.000001', '0', '100', '9007199254740993.25']) {
      expect(exactText(exact(text))).toBe(text);
    }
    expect(exactText(addExact(exact('12345678901234567890.5'), exact('0.25')))).toBe(
      '12345678901234567890.75',
    );
  });

  it('tells zero of either representation', () => {
    expect(isZeroExact(exact('0.00'))).toBe(true);
    expect(isZeroExact({ units: 0n, scale: 3 })).toBe(true);
    expect(isZeroExact(exact('0.01'))).toBe(false);
  });

  it('refuses text that is not a plain decimal', () => {
    for (const text of ['1e3', '1,000', '', '.5', '5.', '１２']) expect(parseExact(text)).toBeNull();
  });
});
