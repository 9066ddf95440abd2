/** The `import` command's arguments, read and checked before anything is opened. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { invalidSourceUrl } from '../import/index.ts';
import { collectFiles, describeSkipped, UsageError } from './import-files.ts';
import { manifestLookup, readManifest } from './manifest.ts';
import { parseCommandArgs, refuseEmptyOption, reportYearOption, wholeNumber } from './usage.ts';

/** The options, the files to import and those a folder walk left out; a usage error for anything wrong. */
export function readImportCommand(args: string[]) {
  const { values, positionals } = parseCommandArgs('import', {
    args,
    allowPositionals: true,
    options: {
      'allow-partial': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      'source-url': { type: 'string' },
      manifest: { type: 'string' },
      agency: { type: 'string' },
      year: { type: 'string' },
      jobs: { type: 'string' },
      batch: { type: 'string' },
      progress: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) {
    throw new UsageError('import needs at least one file, folder or glob. See --help.');
  }
  refuseEmptyOption('--manifest', values.manifest, 'the manifest file (--manifest urls.csv)');
  refuseEmptyOption('--agency', values.agency, "the agency's name (--agency 中卫市科学技术局)");
  const year = reportYearOption(values.year);
  const badUrl = values['source-url'] === undefined ? null : invalidSourceUrl(values['source-url']);
  if (badUrl) throw new UsageError(`--source-url ${JSON.stringify(values['source-url'])} ${badUrl}.`);
  const batchSize = wholeNumber('--batch', values.batch);
  // With --batch the storing thread and PostgreSQL keep two cores busy, so parser threads only
  // help beyond those (2 cores, 18,000 files: 604 files/s parsing inline, 500 with 2 threads).
  const cores = availableParallelism();
  const jobs =
    wholeNumber('--jobs', values.jobs) ??
    (batchSize === undefined ? Math.min(cores, 4) : Math.max(0, Math.min(cores - 2, 4)));
  if (jobs < 0) throw new UsageError('--jobs must be 0 (parse on the main thread) or more.');
  if (batchSize !== undefined && batchSize < 1) {
    throw new UsageError('--batch must be 1 or more reports per transaction.');
  }
  if (batchSize !== undefined && values.strict) {
    throw new UsageError(
      '--strict checks each report in a transaction of its own; leave out --batch to use it.',
    );
  }
  const manifestEntries = values.manifest ? readManifest(values.manifest) : [];
  const manifestPath = values.manifest ? resolve(values.manifest) : null;
  const skipped: string[] = [];
  const files = collectFiles(positionals, skipped).filter((f) => resolve(f) !== manifestPath);
  const manifest = values.manifest ? manifestLookup(manifestEntries, values.manifest, files) : null;
  const left = skipped.filter((f) => resolve(f) !== manifestPath);
  if (files.length === 0) {
    throw new UsageError(
      left.length > 0
        ? `No files to import: the folders hold nothing but what is not a report by its name, ${describeSkipped(left)}. Name a file on the command line to import it anyway.`
        : `No files to import: ${positionals.join(', ')} ${positionals.length > 1 ? 'hold' : 'holds'} no files.`,
    );
  }
  return { values, year, batchSize, jobs, manifest, files, left };
}
