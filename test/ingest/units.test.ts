import { describe, expect, it } from 'vitest';
import { inColumnUnit, shiftLeft } from '../../src/ingest/units.ts';

describe('units printed in a cell', () => {
  it.each([
    ['251000', 4, '25.1'],
    ['10000', 4, '1'],
    ['5', 4, '0.0005'],
    ['0', 4, '0'],
    ['1627.4', 4, '0.16274'],
    ['3601627.45', 4, '360.162745'],
    ['-20000', 4, '-2'],
    ['12.50', 0, '12.5'],
    ['2.51', -4, '25100'],
    ['0.5', 1, '0.05'],
    ['-1.5', -2, '-150'],
    ['0.0001', -4, '1'],
    ['7', -3, '7000'],
  ])('%s moved %i places is %s, exactly', (value, places, shifted) => {
    expect(shiftLeft(value, places)).toBe(shifted);
  });

  it('converts 元 to 万元, keeps a column’s own unit, and refuses the other kind', () => {
    expect(inColumnUnit('251000', '元', 'WAN_YUAN')).toEqual({ ok: true, value: '25.1', converted: true });
    expect(inColumnUnit('12.5', '万元', 'WAN_YUAN')).toEqual({ ok: true, value: '12.5', converted: false });
    expect(inColumnUnit('7', '件', 'COUNT')).toEqual({ ok: true, value: '7', converted: false });
    expect(inColumnUnit('7', '元', 'COUNT')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('column of counts'),
    });
    expect(inColumnUnit('7', '项', 'WAN_YUAN')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('column of money'),
    });
  });
});
