/** Writes schema.graphql from the Pothos schema; `--check` fails when the committed file is stale. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scriptArgs } from './script-args.ts';

const path = fileURLToPath(new URL('../schema.graphql', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = scriptArgs(
    `Usage: npm run schema:print | npm run schema:check
Writes schema.graphql from the Pothos schema; --check instead exits 1 when the committed file differs.`,
    { options: { check: { type: 'boolean', default: false } } },
    ({ values }) => values.check,
  );
  // The schema is loaded once the command line is read: --help answers without building it.
  const { printed } = await import('./schema-text.ts');
  if (check) {
    const current = readFileSync(path, 'utf8');
    if (current !== printed()) {
      console.error('schema.graphql is out of date. Run `npm run schema:print` and commit it.');
      process.exit(1);
    }
    console.log('schema.graphql is up to date.');
  } else {
    writeFileSync(path, printed());
    console.log(`Wrote ${path}`);
  }
}
