import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/import-progress.ts';

/** A progress line driven by a hand-moved clock; `lines` is what it wrote to a log (not a terminal). */
function progress(total: number) {
  let now = 0;
  const lines: string[] = [];
  const bar = new Progress(
    { out: () => {}, err: (t) => lines.push(t), stderrIsTTY: false },
    total,
    true,
    () => now,
  );
  return {
    bar,
    lines,
    wait: (ms: number) => {
      now += ms;
    },
  };
}

describe('import progress', () => {
  it('estimates from the recent rate, not from a slow start', () => {
    const { bar, wait } = progress(1000);
    // 20 s to open the database, start parsers and store the first file; then 10 files a second.
    wait(20_000);
    bar.tick();
    for (let i = 0; i < 100; i++) {
      wait(100);
      bar.tick();
    }
    // 101 done, 899 to go at 10 a second: 90 s (counted since the start, 3.3 files/s and 4m32s).
    expect(bar.rate()).toBeCloseTo(10, 5);
    expect(bar.text()).toMatch(/101\/1000 files, 10\.0 files\/s, ETA 1m30s$/);
  });

  it('follows a change of pace within the window', () => {
    const { bar, wait } = progress(10_000);
    for (let i = 0; i < 600; i++) {
      wait(100);
      bar.tick();
    }
    expect(bar.rate()).toBeCloseTo(10, 1);
    for (let i = 0; i < 1200; i++) {
      wait(25);
      bar.tick();
    }
    // 30 s at 40 a second: the window holds the new pace (and at most a second of the old).
    expect(bar.rate()).toBeGreaterThan(38);
    expect(bar.rate()).toBeLessThanOrEqual(40);
  });

  it('does not swing with batches: 500 files at once every 0.8 s read as 625 a second', () => {
    const { bar, wait } = progress(20_000);
    wait(5_000);
    bar.tick();
    // Until the samples span a few seconds the rate is the whole run's, which is slow but finite.
    for (let i = 1; i < 500; i++) bar.tick();
    expect(bar.rate()).toBeCloseTo(100, 5);
    for (let batch = 0; batch < 20; batch++) {
      wait(800);
      for (let i = 0; i < 500; i++) bar.tick();
    }
    expect(bar.rate()).toBeGreaterThan(550);
    expect(bar.rate()).toBeLessThan(700);
  });

  it('writes a plain line at most once a second into a log, and always the last', () => {
    const { bar, lines, wait } = progress(3);
    bar.tick();
    wait(10);
    bar.tick();
    wait(10);
    bar.tick();
    expect(lines).toEqual([
      expect.stringMatching(/^progress: \[#{8}\.{16}\] 1\/3 files, /),
      expect.stringMatching(/^progress: \[#{24}\] 3\/3 files, .*ETA 0s\n$/),
    ]);
  });
});
