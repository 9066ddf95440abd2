import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/ingest/document.ts';
import { EXAMPLE_V2021, fixtureText } from '../support/fixtures.ts';

/** The example report with a NUL put into its last line holding 公开, past the first 8 KB. */
function withLateNul(): { text: string; line: number; column: number } {
  const lines = fixtureText(EXAMPLE_V2021).split('\n');
  const line = lines.findLastIndex((l) => l.includes('公开'));
  const column = (lines[line] as string).indexOf('公开') + 1;
  lines[line] = (lines[line] as string).replace('公开', '公\0开');
  const text = lines.join('\n');
  return { text, line: line + 1, column: column + 1 };
}

describe('a NUL character (U+0000), which PostgreSQL cannot store, is refused before anything is stored, naming where', () => {
  it.each([['UTF-8', (text: string) => new TextEncoder().encode(text)]])(
    'in %s text past the 8 KB the binary-file check samples',
    async (_, encode) => {
      const { text, line, column } = withLateNul();
      const bytes = encode(text);
      expect(Buffer.from(bytes).indexOf(0)).toBeGreaterThan(8192);
      const { result } = await parseDocument(bytes);
      expect(result).toEqual({
        ok: false,
        problems: [
          {
            code: 'BINARY_FILE',
            severity: 'error',
            line,
            message: `Line ${line}, column ${column}, holds a NUL character (U+0000), which no report text has: the file is damaged there, or binary data was pasted into it. Remove the character (or save the file again from the program that made it) and send it again.`,
          },
        ],
      });
    },
  );
});
