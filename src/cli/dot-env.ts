/**
 * Checks a `.env` before Node's loader reads it. process.loadEnvFile (Node 20) takes a line
 * without `=` into the name of the setting on the next line: `THIS IS NOT VALID` above
 * `PORT=4104` left PORT unset, and above `READS_REQUIRE_TOKEN=true` would open the reads, with no
 * word said. Such a line is refused, naming it.
 */

/** Lines that are neither NAME=value, a comment nor blank, outside a quoted value spanning lines. */
export function misreadDotEnvLines(text: string): { line: number; text: string }[] {
  const misread: { line: number; text: string }[] = [];
  let openQuote: string | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    if (openQuote !== null) {
      if (raw.includes(openQuote)) openQuote = null;
      return;
    }
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const value = /^(?:export\s+)?[A-Za-z_][\w.-]*\s*=\s*(.*)$/.exec(line)?.[1];
    if (value === undefined) {
      misread.push({ line: index + 1, text: line });
      return;
    }
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && !value.slice(1).includes(quote))
      openQuote = quote;
  });
  return misread;
}

/** The settings a `.env.example` lists, commented out or not (test/server/env-example.test.ts keeps it whole). */
export const settingNames = (example: string): string[] =>
  [...example.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] as string);

/**
 * Names a `.env` sets that are one slip from a setting (a letter wrong, missing, extra or two
 * swapped: REDIS_ULR, PORTT) or a setting without its unit (RESPONSE_CACHE_TTL for
 * RESPONSE_CACHE_TTL_MS), which Node would set and nothing would read. Names further off
 * (PGPORT, TEST_DATABASE_URL, NODE_OPTIONS) are other programs' or the user's own.
 */
export function misspeltSettings(
  text: string,
  settings: readonly string[],
): { name: string; meant: string }[] {
  const known = new Set(settings);
  return text.split(/\r?\n/).flatMap((raw) => {
    const name = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=/.exec(raw)?.[1];
    if (name === undefined || known.has(name)) return [];
    const meant = settings.find((s) => s === `${name}_MS` || oneSlipApart(name.toUpperCase(), s));
    return meant === undefined ? [] : [{ name, meant }];
  });
}

/** Whether two names differ by one letter changed, added or dropped, or two neighbours swapped. */
function oneSlipApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1 || Math.min(a.length, b.length) < 4) return a === b;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const [ra, rb] = [a.slice(i), b.slice(i)];
  return (
    ra.slice(1) === rb.slice(1) || // changed
    ra === rb.slice(1) || // dropped
    ra.slice(1) === rb || // added
    (ra.length > 1 && ra[0] === rb[1] && ra[1] === rb[0] && ra.slice(2) === rb.slice(2)) // swapped
  );
}

/** The refusal for a .env with such lines, or null. */
export function dotEnvProblem(file: string, text: string, settings: readonly string[] = []): string | null {
  const misspelt = misspeltSettings(text, settings);
  if (misspelt.length > 0) {
    return `${file} sets ${misspelt.map((m) => `${m.name} (did you mean ${m.meant}?)`).join(', ')}, which no command reads: the setting would be left at its default without a word. Correct the name (.env.example lists every setting).`;
  }
  const misread = misreadDotEnvLines(text);
  if (misread.length === 0) return null;
  const lines = misread.map(
    (m) => `line ${m.line}: "${m.text.length > 60 ? `${m.text.slice(0, 60)}…` : m.text}"`,
  );
  return `${file} has lines that are not NAME=value (${lines.join(', ')}). Node would read each into the name of the setting on the next line, which would then be lost without a word. Make each NAME=value or a comment (# …), or remove it.`;
}
