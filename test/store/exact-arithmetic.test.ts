import { describe, expect, it } from 'vitest';
import { CELL_CODES_BY_SLOT, cellSlot } from '../../src/catalogue/slots.ts';
import {
  addExact,
  type Exact,
  exactInt,
  exactText,
  FIGURE_BASES,
  isZeroExact,
  parseExact,
  reportBases,
} from '../../src/store/aggregates.ts';

const sumCells = (b: (typeof FIGURE_BASES)[number]): readonly string[] => {
  const f = b.metric.formula('V2021', b.applicant);
  return f.kind === 'SUM' ? f.cells : [];
};

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

describe("a report's bases (reportBases)", () => {
  // A SUM base of several cells, and the slots of its cells in V2021.
  const index = FIGURE_BASES.findIndex(
    (b) => b.metric.formula('V2021', b.applicant).kind === 'SUM' && sumCells(b).length >= 3,
  );
  const base = FIGURE_BASES[index] as (typeof FIGURE_BASES)[number];
  const cells = sumCells(base);
  const slots = cells.map(cellSlot);

  const basesWith = (printed: string[]) => {
    const statuses = Array.from({ length: CELL_CODES_BY_SLOT.length }, () => '.');
    const intValues = Array.from({ length: CELL_CODES_BY_SLOT.length }, () => 0);
    const decimalValues: Record<string, string> = {};
    printed.forEach((text, i) => {
      const slot = slots[i] as number;
      if (/^\d{1,9}$/.test(text)) {
        statuses[slot - 1] = 'R';
        intValues[slot - 1] = Number(text);
      } else {
        statuses[slot - 1] = 'D';
        decimalValues[String(slot)] = text;
      }
    });
    return reportBases('V2021', { statuses: statuses.join(''), intValues, decimalValues }, 1)[index];
  };

  it('adds whole numbers, decimals and numbers past 2^53 in any order, exactly', () => {
    const cases = [
      ['1', '2', '3'],
      ['9007199254740991', '1', '1'],
      ['1', '9007199254740991', '9007199254740991'],
      ['0.5', '9007199254740993', '2'],
      ['123456789', '0.00000001', '7'],
      ['12345678901234567890', '-1', '1'],
    ];
    for (const printed of cases) {
      const padded = [...printed, ...cells.slice(printed.length).map(() => '0')];
      const expected = padded.map((t) => parseExact(t) as Exact).reduce((a, b) => addExact(a, b));
      const got = basesWith(padded);
      expect(got?.w).toBe(null);
      expect(exactText(got?.n as Exact)).toBe(exactText(expected));
    }
  });

  it('has no value, with its reason, when a cell is not printed', () => {
    const statuses = Array.from({ length: CELL_CODES_BY_SLOT.length }, () => 'R');
    statuses[(slots[0] as number) - 1] = 'N';
    const intValues = Array.from({ length: CELL_CODES_BY_SLOT.length }, () => 1);
    const got = reportBases('V2021', { statuses: statuses.join(''), intValues, decimalValues: {} }, 1)[index];
    expect(got).toEqual({ n: null, d: null, w: 'NOT_REPORTED' });
  });
});
