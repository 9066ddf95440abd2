import { unknownAgencyMessage } from '../comparison/find-agencies.ts';
import { cliActor, listRevisions, useRevision, useRevisionAudit } from '../import/index.ts';
import { announceImportsThroughRedis } from '../server/live.ts';
import { agencyIdByName } from '../store/agency-identity.ts';
import type { Db } from '../store/db.ts';
import { openDatabase } from '../store/open-database.ts';
import { log, parseCommandArgs, UsageError } from './usage.ts';

export async function runRevision(args: string[]): Promise<number> {
  // Options are refused, not ignored: `revision use … --dry-run` changed the current revision.
  const { positionals } = parseCommandArgs('revision', { args, options: {}, allowPositionals: true });
  const [action, agencyName, year, number, ...extra] = positionals;
  if (action === 'list')
    return list(
      agencyName,
      year,
      [number, ...extra].filter((a) => a !== undefined),
    );
  if (
    action !== 'use' ||
    !agencyName ||
    !/^\d{4}$/.test(year ?? '') ||
    !/^\d{1,9}$/.test(number ?? '') ||
    extra.length > 0
  ) {
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
  if (!agencyName || !/^\d{4}$/.test(year ?? '') || extra.length > 0) {
    throw new UsageError('Usage: revision list <agency> <year>, e.g. revision list 中卫市科学技术局 2020');
  }
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

/** A refusal's message, or, where the name is no stored agency's, that and the names the search finds. */
async function refusal(db: Db, agencyName: string, message: string): Promise<string> {
  if ((await agencyIdByName(db, agencyName)) !== null) return message;
  return unknownAgencyMessage(db, agencyName, `agencies find ${agencyName}`);
}
