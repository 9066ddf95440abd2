/**
 * Bar labels cut to a chart's room: each still names its own agency. On a phone four bars read
 * 宁夏回族自治… alike, and a name that is the others' start must not be cut to nothing.
 */
import { describe, expect, it } from 'vitest';
import { distinctLabels } from '../../web/src/labels.ts';

describe('distinctLabels', () => {
  it('drops the start all names share where they are cut', () => {
    expect(
      distinctLabels(
        ['宁夏回族自治区中卫市中宁县人力资源和社会保障局', '宁夏回族自治区中卫市沙坡头区财政局'],
        8,
      ),
    ).toEqual(['…中宁县人力资…', '…沙坡头区财政局']);
  });

  it('keeps at least four characters of a name that is the others’ start, and names that fit whole', () => {
    expect(distinctLabels(['北京市海淀区人民政府', '北京市海淀区人民政府办公室'], 8)).toEqual([
      '…人民政府',
      '…人民政府办公室',
    ]);
    expect(distinctLabels(['海淀区教委', '海淀区卫健委'], 8)).toEqual(['海淀区教委', '海淀区卫健委']);
  });

  it('cuts a single name, or none, as before', () => {
    expect(distinctLabels(['一二三四五六七八九十'], 6)).toEqual(['一二三四五…']);
    expect(distinctLabels([], 6)).toEqual([]);
  });
});
