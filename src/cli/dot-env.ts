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

/** The refusal for a .env with such lines, or null. */
export function dotEnvProblem(file: string, text: string): string | null {
  const misread = misreadDotEnvLines(text);
  if (misread.length === 0) return null;
  const lines = misread.map(
    (m) => `line ${m.line}: "${m.text.length > 60 ? `${m.text.slice(0, 60)}…` : m.text}"`,
  );
  return `${file} has lines that are not NAME=value (${lines.join(', ')}). Node would read each into the name of the setting on the next line, which would then be lost without a word. Make each NAME=value or a comment (# …), or remove it.`;
}
