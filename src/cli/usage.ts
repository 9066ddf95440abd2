/** How every command reports a wrong invocation: one "Error: …" line and exit code 2. */

/** A command line the command cannot run: bad arguments, no files, an unknown option value. */
export class UsageError extends Error {}

/** A UsageError, or node:util parseArgs refusing an option (ERR_PARSE_ARGS_*). */
export function isUsageError(error: unknown): error is Error {
  return (
    error instanceof UsageError ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
  );
}

/** Runs a command; a usage error becomes one line on `err` and exit code 2, anything else is thrown. */
export async function reportingUsageErrors(
  run: () => Promise<number>,
  err: (text: string) => void,
): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!isUsageError(error)) throw error;
    err(`Error: ${error.message}\n`);
    return 2;
  }
}

/** Reads `--year`-like values. */
export function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${name} must be a whole number, got "${value}".`);
  return n;
}
