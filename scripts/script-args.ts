/**
 * The command line of a script under scripts/, read the way the CLI reads its own
 * (src/cli/usage.ts): `--help` prints the usage; an unknown option or a value the script cannot
 * use is one "Error: …" line and the usage on stderr, exit code 2. Before, `npm run bench --
 * --help` ended in parseArgs' stack trace, and `--runs ten` ran with NaN runs.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isUsageError, UsageError, wholeNumber } from '../src/cli/usage.ts';

/**
 * Parses process.argv with `config` (strict: unknown options are refused), then `read` checks
 * and converts the values; a UsageError it throws is reported like an unknown option.
 */
export function scriptArgs<const T extends ParseArgsConfig, R>(
  usage: string,
  config: T,
  read: (parsed: ReturnType<typeof parseArgs<T>>) => R,
): R {
  const args = process.argv.slice(2);
  const end = args.indexOf('--');
  const options = end === -1 ? args : args.slice(0, end);
  if (options.includes('--help') || options.includes('-h')) {
    process.stdout.write(`${usage.trim()}\n`);
    process.exit(0);
  }
  try {
    return read(parseArgs(config));
  } catch (error) {
    if (!isUsageError(error)) throw error;
    process.stderr.write(`Error: ${error.message}\n\n${usage.trim()}\n`);
    process.exit(2);
  }
}

/** A whole-number option of at least `min` (--runs, --agencies). */
export function countOption(name: string, value: string, min = 1): number {
  const n = wholeNumber(name, value.replace(/_/g, ''));
  if (n === undefined || n < min)
    throw new UsageError(`${name} must be a whole number of at least ${min}, got "${value}".`);
  return n;
}

/** A list of whole numbers (--scales 300,3000). */
export function countListOption(name: string, value: string, min = 1): number[] {
  return value.split(',').map((part) => countOption(name, part.trim(), min));
}
