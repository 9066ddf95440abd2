import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createParsePool, type ParsePool, parseOrRefuse } from '../../src/ingest/parse-pool.ts';

const EXITING = new URL('../support/exiting-parse-worker.ts', import.meta.url).href;
const TEXT = readFileSync(fileURLToPath(new URL('../fixtures/formats/report.tab.txt', import.meta.url)));

let pool: ParsePool | undefined;
afterEach(() => pool?.close());

describe('a parse worker that ends without an error', () => {
  it('refuses its file, saying the parser stopped, and a fresh worker parses the next', async () => {
    pool = createParsePool(1, { timeoutMs: 20_000 }, EXITING);
    const refused = await parseOrRefuse(pool, Buffer.from('EXIT and nothing else'), {});
    expect(refused.result).toEqual({
      ok: false,
      problems: [
        {
          code: 'UNREADABLE_DOCUMENT',
          severity: 'error',
          message: expect.stringMatching(
            /^The parser stopped while reading the file \(its worker exited with code 7\), so nothing of it was read or stored\./,
          ),
        },
      ],
    });
    expect((await parseOrRefuse(pool, TEXT, {})).result.ok).toBe(true);
  });
});
