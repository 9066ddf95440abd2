/**
 * freshReads shares a data-version read among callers without ever handing a caller a read
 * that started before it arrived (which could miss a commit it saw acknowledged).
 */
import { describe, expect, it } from 'vitest';
import { freshReads } from '../../src/server/read-routing.ts';

/** A read whose every call is recorded and ended by hand; it answers the number it started as. */
function manualRead() {
  const calls: { resolve: (n: number) => void; reject: (e: Error) => void }[] = [];
  const read = () =>
    new Promise<number>((resolve, reject) => {
      const started = calls.length + 1;
      calls.push({ resolve: () => resolve(started), reject });
    });
  return { calls, read };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('freshReads', () => {
  it('runs a read at once when none is running', async () => {
    const { calls, read } = manualRead();
    const shared = freshReads(read);
    const first = shared();
    expect(calls).toHaveLength(1);
    calls[0]?.resolve(0);
    expect(await first).toBe(1);
    const second = shared();
    expect(calls).toHaveLength(2);
    calls[1]?.resolve(0);
    expect(await second).toBe(2);
  });

  it('callers arriving while a read runs share the next read, started after they arrived', async () => {
    const { calls, read } = manualRead();
    const shared = freshReads(read);
    const first = shared();
    const waiting = Array.from({ length: 50 }, () => shared());
    await tick();
    // Nobody joined the read already running.
    expect(calls).toHaveLength(1);
    calls[0]?.resolve(0);
    expect(await first).toBe(1);
    await tick();
    expect(calls).toHaveLength(2);
    // A caller arriving now, while the second read runs, waits for a third.
    const late = shared();
    calls[1]?.resolve(0);
    expect(await Promise.all(waiting)).toEqual(Array(50).fill(2));
    await tick();
    expect(calls).toHaveLength(3);
    calls[2]?.resolve(0);
    expect(await late).toBe(3);
  });

  it('a failed read fails only its own callers; the next read still runs', async () => {
    const { calls, read } = manualRead();
    const shared = freshReads(read);
    const first = shared();
    const second = shared();
    calls[0]?.reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]?.resolve(0);
    expect(await second).toBe(2);
    const third = shared();
    calls[2]?.reject(new Error('again'));
    await expect(third).rejects.toThrow('again');
  });
});
