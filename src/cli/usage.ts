/** How every command reports a wrong invocation: one "Error: …" line and exit code 2. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FIRST_TEMPLATE_YEAR, latestReportYear } from '../catalogue/template.ts';

/** A status line on stderr: stdout is kept for what a command answers. */
export const log = (message: string) => console.error(message);

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
  // Digits only: Number() also reads "0x7e4" (2020), "1e3" and "" (0).
  if (!/^-?\d{1,15}$/.test(value.trim()))
    throw new UsageError(`${name} must be a whole number, got "${value}".`);
  return Number(value);
}

/**
 * A text option given an empty value (--agency "$AGENCY" with the variable unset): refused as
 * --year "" is, where it was dropped without a word and the run went on as if never given.
 */
export function refuseEmptyOption(name: string, value: string | undefined, example: string): void {
  if (value !== undefined && value.trim() === '')
    throw new UsageError(`${name} is empty; give ${example}, or leave the option out.`);
}

/**
 * --year of import and validate: a year the national template covers (2019 to this year), or a
 * usage error at once, rather than every file refused one by one (--year 1900) or the option
 * dropped (--year 0).
 */
export function reportYearOption(value: string | undefined): number | undefined {
  const year = wholeNumber('--year', value);
  const last = latestReportYear();
  if (year !== undefined && (year < FIRST_TEMPLATE_YEAR || year > last)) {
    throw new UsageError(
      `--year ${year} is not a year the national template covers: ${FIRST_TEMPLATE_YEAR} to ${last}.`,
    );
  }
  return year;
}

/** Edit distance with swapped neighbours as one edit (--prot for --port), for suggestions. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(
        at(i - 1, j) + 1,
        at(i, j - 1) + 1,
        at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  return at(a.length, b.length);
}

/** The name of `names` closest to `given`, when it is close enough to be the one meant. */
export function nearestName(given: string, names: readonly string[]): string | null {
  let best: { name: string; d: number } | null = null;
  for (const name of names) {
    const d = name.startsWith(given) && given.length >= 3 ? 0 : distance(given, name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(1, Math.floor(given.length / 3)) ? best.name : null;
}

/** The option of `names` closest to `given` (--dryrun, --yaer=2020), as --name. */
export function nearestOption(given: string, names: readonly string[]): string | null {
  const meant = nearestName(given.replace(/^-+/, '').split('=')[0] ?? '', names);
  return meant === null ? null : `--${meant}`;
}

/**
 * `npm run cli import DIR --dry-run`, without `--`, hands --dry-run to npm, which keeps it as
 * npm_config_dry_run=true and runs the command without it: a real import where a dry run was
 * asked for (and `--agency NAME` leaves NAME behind as a file to import). Such an option is
 * refused before anything runs, saying how to pass it. Only under the npm script that runs
 * this CLI, and only for the command's own options that its arguments lack.
 */
function refuseOptionsNpmTook(command: string, options: readonly string[], args: readonly string[]) {
  const script = process.env.npm_lifecycle_event;
  if (!script || !process.env.npm_lifecycle_script?.includes('src/cli/main.ts')) return;
  const taken = options.filter(
    (name) =>
      process.env[`npm_config_${name.replaceAll('-', '_')}`] === 'true' &&
      !args.some((a) => a === `--${name}` || a.startsWith(`--${name}=`)),
  );
  if (taken.length === 0) return;
  const flags = taken.map((name) => `--${name}`).join(', ');
  const run =
    script === 'cli'
      ? `npm run cli -- ${command}`
      : `npm ${script === 'start' ? 'start' : `run ${script}`} --`;
  throw new UsageError(
    `npm took ${flags} for itself, so ${command} would run without ${taken.length > 1 ? 'them' : 'it'} (and an option's value would be read as an argument). Nothing was done. Put -- before the command's options: ${run} … ${flags}.`,
  );
}

/**
 * node:util parseArgs for a command, with its refusals said for a person: the option meant
 * when one is misspelt, and where the command's options are listed. Node's own text
 * ("To specify a positional argument starting with a '-', place it at the end of the command
 * after '--'…") answers a question nobody asked.
 */
export function parseCommandArgs<T extends Parameters<typeof parseArgs>[0] & object>(
  command: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  refuseOptionsNpmTook(command, Object.keys(config.options ?? {}), config.args ?? []);
  try {
    return parseArgs(config);
  } catch (error) {
    const code = error instanceof TypeError && 'code' in error ? String(error.code) : '';
    const quoted = /'([^']*)'/.exec((error as Error).message)?.[1] ?? '';
    const help = `The options are listed by: npm run cli -- ${command} --help`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const meant = nearestOption(quoted, Object.keys(config.options ?? {}));
      throw new UsageError(
        `${command} has no option ${quoted}.${meant ? ` Did you mean ${meant}?` : ''} ${help}`,
      );
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw new UsageError(`${command} takes no argument "${quoted}". ${help}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = quoted.replace(/ <value>$/, '');
      const message = (error as Error).message;
      throw new UsageError(
        /argument missing/.test(message)
          ? `${option} needs a value, as in ${option} VALUE. ${help}`
          : /ambiguous/.test(message)
            ? // A value starting with a dash (--jobs -1), or an option where the value was
              // meant to be (--agency $EMPTY --year 2020).
              `${option} needs a value; one that starts with a dash is written ${option}=VALUE. ${help}`
            : `${option} is a switch and takes no value. ${help}`,
      );
    }
    throw error;
  }
}

/** Reads a text file an option names; a missing or unreadable one is a usage error naming it. */
export function readOptionFile(path: string, what: string): string {
  return readOptionBytes(path, what).toString('utf8');
}

/** The bytes of a file an option names, for a caller that decodes them itself (a manifest). */
export function readOptionBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new UsageError(`Cannot read ${what} ${path}: ${reason}.`);
  }
}
