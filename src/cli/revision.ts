import { unknownAgencyMessage } from '../comparison/find-agencies.ts';
import { cliActor, listRevisions, useRevision, useRevisionAudit } from '../import/index.ts';
import { announceImportsThroughRedis } from '../server/live.ts';
import { agencyIdByName } from '../store/agency-identity.ts';
import type { Db } from '../store/db.ts';
import { openDatabase } from '../store/open-database.ts';
import { log, parseCommandArgs, UsageError } from './usage.ts';

export async function runRevision(args: string[]): Promise<number> {
  // Options are refused, not ignored: `revision use … --dry-run` changed the current revision.
  // A negative number (-1) is a wrong argument, said as such, not an option the command lacks.
  const numberLike = (a: string) => /^-[\d.]/.test(a);
  parseCommandArgs('revision', {
    args: args.filter((a) => !numberLike(a)),
    options: {},
    allowPositionals: true,
  });
  // Every option having been refused, the arguments are the positionals (but for a first --).
  const end = args.indexOf('--');
  const positionals = end < 0 ? args : [...args.slice(0, end), ...args.slice(end + 1)];
  const [action, agencyName, year, number, ...extra] = positionals;
  if (action === 'list')
    return list(
      agencyName,
      year,
      [number, ...extra].filter((a) => a !== undefined),
    );
  if (action === 'use' && agencyName && year !== undefined && number !== undefined && extra.length === 0) {
    refuseBadYear(year);
    // Digits only, from 1: Number() also reads "2e0" and "1.5" was refused with the bare usage line.
    if (!/^0*[1-9]\d{0,8}$/.test(number))
      throw new UsageError(
        `"${number}" is not a revision number (a whole number from 1; revision list ${agencyName} ${year} lists them).`,
      );
  }
  if (action !== 'use' || !agencyName || year === undefined || number === undefined || extra.length > 0) {
    throw new UsageError(
      action === 'use'
        ? 'Usage: revision use <agency> <year> <n>, e.g. revision use 中卫市科学技术局 2020 1'
        : 'Usage: revision list <agency> <year>, or revision use <agency> <year> <n>, e.g. revision use 中卫市科学技术局 2020 1',
    );
  }
  const database = await openDatabase({ log });
  const stopAnnouncing = announceImportsThroughRedis(database.db, process.env.REDIS_URL, (e) =>
    log(`Could not announce the change to the servers: ${(e as Error).message}`),
  );
  try {
    const target = { agencyName, year: Number(year), number: Number(number) };
    const result = await useRevision(database.db, target, useRevisionAudit(cliActor(), target));
    if (!result.ok) throw new UsageError(await refusal(database.db, agencyName, result.message));
    log(
      result.changed
        ? `${agencyName} ${year}: revision ${number} is current (was ${result.previousNumber ?? 'none'}); findings recomputed.`
        : `${agencyName} ${year}: revision ${number} was already current.`,
    );
    return 0;
  } finally {
    await stopAnnouncing();
    await database.close();
  }
}

/**
 * Prints a report's revisions, oldest first, one a line (tab-separated, the current one marked):
 * the numbers `revision use` takes, with what each was imported from.
 */
async function list(
  agencyName: string | undefined,
  year: string | undefined,
  extra: string[],
): Promise<number> {
  if (!agencyName || year === undefined || extra.length > 0) {
    throw new UsageError('Usage: revision list <agency> <year>, e.g. revision list 中卫市科学技术局 2020');
  }
  refuseBadYear(year);
  const database = await openDatabase({ log });
  try {
    const result = await listRevisions(database.db, { agencyName, year: Number(year) });
    if (!result.ok) throw new UsageError(await refusal(database.db, agencyName, result.message));
    log(
      `${result.agencyName} ${year}: ${result.revisions.length === 1 ? '1 revision' : `${result.revisions.length} revisions`}`,
    );
    process.stdout.write(
      `${['', 'revision', 'imported at', 'template', 'format', 'errors', 'sha256', 'file', 'source address'].join('\t')}\n`,
    );
    for (const r of result.revisions) {
      const cells = [
        r.current ? 'current' : '',
        String(r.number),
        r.importedAt.toISOString(),
        r.templateVersion,
        r.format,
        String(r.errors),
        r.sha256.slice(0, 12),
        r.fileName ?? '',
        r.sourceUrl ?? '',
      ];
      process.stdout.write(`${cells.join('\t')}\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

/** A year argument that is not four digits, named: the bare usage line left it to be guessed. */
function refuseBadYear(year: string) {
  if (!/^\d{4}$/.test(year))
    throw new UsageError(`"${year}" is not a year (a report's year in four digits, such as 2020).`);
}

/** A refusal's message, or, where the name is no stored agency's, that and the names the search finds. */
async function refusal(db: Db, agencyName: string, message: string): Promise<string> {
  if ((await agencyIdByName(db, agencyName)) !== null) return message;
  return unknownAgencyMessage(db, agencyName, `agencies find ${agencyName}`);
}
