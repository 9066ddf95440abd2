/** Runs a CLI command in-process against the test database, with what it prints to the console. */
import { vi } from 'vitest';
import { databaseUrl } from './db.ts';

export async function runCapturingConsole(
  run: () => Promise<number>,
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text: unknown) => void out.push(String(text)));
  vi.spyOn(console, 'error').mockImplementation((text: unknown) => void err.push(String(text)));
  const before = process.env.DATABASE_URL;
  process.env.DATABASE_URL = databaseUrl();
  try {
    return { code: await run(), out, err };
  } finally {
    if (before === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = before;
    vi.restoreAllMocks();
  }
}
