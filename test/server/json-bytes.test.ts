/**
 * `jsonBytes` writes exactly the bytes of `JSON.stringify`, or declines (null) and leaves the
 * answer to JSON.stringify; never a third answer.
 */
import fc from 'fast-check';
import type { ExecutionResult } from 'graphql';
import { processRegularResult } from 'graphql-yoga';
import { describe, expect, it, vi } from 'vitest';
import { jsonBytes, jsonBytesPlugin } from '../../src/server/json-bytes.ts';

const stringified = (value: unknown) => Buffer.from(JSON.stringify(value) ?? '');

/** Strings as hostile as UTF-16 allows: controls, quotes, backslashes, lone surrogates, CJK. */
const anyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      '"',
      '\\',
      '\n',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u2028',
      '\ud800',
      '\udc00',
      '局',
      'a',
    ),
  }),
  fc.constantFrom('', '宁夏回族自治区中卫市沙坡头区卫生健康局', '😀', '\ud83d', 'NOT_REPORTED'),
);
const anyNumber = fc.oneof(
  fc.integer(),
  fc.integer({ min: -(2 ** 31) - 2, max: -(2 ** 31) + 2 }),
  fc.integer({ min: 2 ** 31 - 2, max: 2 ** 31 + 2 }),
  fc.double(),
  fc.constantFrom(0, -0, 1e21, 1e-7, 0.1 + 0.2, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Infinity, -Infinity),
);
/** What a GraphQL result holds, plus members JSON has no form for (left out, or null in arrays). */
const { value: plain } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyString,
    anyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 5 }),
    fc.dictionary(
      anyString,
      fc.oneof(
        tie('value'),
        fc.constant(undefined),
        fc.constant(() => 1),
      ),
      {
        maxKeys: 5,
      },
    ),
    // graphql-js builds its result objects without a prototype.
    fc
      .dictionary(fc.string(), tie('value'), { maxKeys: 4 })
      .map((d) => Object.assign(Object.create(null) as object, d)),
  ),
}));

describe('jsonBytes', () => {
  it('writes the bytes of JSON.stringify for any plain data', () => {
    fc.assert(
      fc.property(plain, (value) => {
        const bytes = jsonBytes(value);
        expect(bytes).not.toBeNull();
        expect(bytes?.equals(stringified(value))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes a GraphQL answer: Chinese names, nulls with reasons, ratios, integer keys', () => {
    const answer = {
      data: {
        compare: {
          rowCount: 2,
          rows: [
            {
              year: 2023,
              agency: { name: '宁夏回族自治区中卫市沙坡头区卫生健康局' },
              values: [
                { value: 1268, nullReason: null },
                { value: null, nullReason: 'NOT_REPORTED' },
                { value: 0.5833333333333334, nullReason: null },
                { value: -4, nullReason: null },
              ],
            },
          ],
          byYear: { 2023: 1, 2019: 2 },
        },
      },
    };
    expect(jsonBytes(answer)?.toString('utf8')).toBe(JSON.stringify(answer));
    // A second answer reuses the buffer: the first one's bytes are a copy and stay as they were.
    const first = jsonBytes(answer);
    jsonBytes({ data: { other: 'x'.repeat(200_000) } });
    expect(first?.toString('utf8')).toBe(JSON.stringify(answer));
  });

  it('grows its buffer for long text, ASCII and Chinese, past the size it keeps', () => {
    const long = { a: 'p'.repeat(1000), b: '局'.repeat(100_000), c: 'x'.repeat(300_000) };
    expect(jsonBytes(long)?.equals(stringified(long))).toBe(true);
    const huge = { rows: Array.from({ length: 50_000 }, (_, i) => ({ name: `机构${i}`, value: i * 1.5 })) };
    expect(jsonBytes(huge)?.equals(stringified(huge))).toBe(true);
    expect(jsonBytes(long)?.equals(stringified(long))).toBe(true);
  });

  it('is not confused by a getter that writes JSON while it is writing', () => {
    const inner = { inner: 'x'.repeat(100) };
    const outer = {
      a: 'outer-start',
      get b() {
        return jsonBytes(inner)?.toString('utf8');
      },
      c: 'outer-end',
    };
    expect(jsonBytes(outer)?.toString('utf8')).toBe(JSON.stringify(outer));
  });

  it('declines what only JSON.stringify knows how to write', () => {
    class Row {
      year = 2023;
    }
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    let deep: unknown = 1;
    for (let i = 0; i < 1000; i++) deep = [deep];
    for (const value of [
      { error: new Error('x') },
      { at: new Date(0) },
      { toJSON: () => 'custom' },
      new Row(),
      [new Map([[1, 2]])],
      { boxed: Object(1) },
      { list: Object.assign([1, 2], { toJSON: () => 'list' }) },
      { list: new (class Row2 extends Array {})() },
      10n,
      Symbol('s'),
      cycle,
      deep,
    ]) {
      expect(jsonBytes(value)).toBeNull();
    }
  });

  it('is what yoga sends for answers without errors, and only through the JSON processor', async () => {
    const plugin = jsonBytesPlugin();
    const hook = plugin.onResultProcess as unknown as (payload: object) => void;
    const processed = (result: ExecutionResult, processor: unknown) => {
      const setResult = vi.fn();
      hook({ result, resultProcessor: processor, setResult });
      return setResult.mock.calls[0]?.[0] as
        | (ExecutionResult & { stringify: (r: object) => unknown })
        | undefined;
    };
    const answer = { data: { agency: { name: '宁夏回族自治区卫生健康委员会', count: 3 } } };
    const withBytes = processed(answer, processRegularResult);
    expect(Buffer.isBuffer(withBytes?.stringify(answer))).toBe(true);
    const response = await processRegularResult(
      withBytes as ExecutionResult,
      { Response } as never,
      'application/json',
    );
    expect(await response.text()).toBe(JSON.stringify(answer));
    // Errors are GraphQLErrors with toJSON: written by JSON.stringify, once.
    const failed = { data: null, errors: [{ message: 'x' }] } as unknown as ExecutionResult;
    expect(typeof processed(failed, processRegularResult)?.stringify(failed)).toBe('string');
    // Event streams and multipart answers keep their own writers.
    expect(processed(answer, () => null)).toBeUndefined();
  });
});
