import { cliActor, recordAudit, useRevision } from '../import/index.ts';
import { announceImportsThroughRedis } from '../server/live.ts';
import { openDatabase } from '../store/open-database.ts';
import { log, parseCommandArgs, UsageError } from './usage.ts';

export async function runRevision(args: string[]): Promise<number> {
  // Options are refused, not ignored: `revision use … --dry-run` changed the current revision.
  const { positionals } = parseCommandArgs('revision', { args, options: {}, allowPositionals: true });
  const [action, agencyName, year, number, ...extra] = positionals;
  if (
    action !== 'use' ||
    !agencyName ||
    !/^\d{4}$/.test(year ?? '') ||
    !/^\d{1,9}$/.test(number ?? '') ||
    extra.length > 0
  ) {
    throw new UsageError(
      'Usage: revision use <agency> <year> <n>, e.g. revision use 中卫市科学技术局 2020 1',
    );
  }
  const database = await openDatabase({ log });
  const stopAnnouncing = announceImportsThroughRedis(database.db, process.env.REDIS_URL, (e) =>
    log(`Could not announce the change to the servers: ${(e as Error).message}`),
  );
  try {
    const result = await useRevision(database.db, { agencyName, year: Number(year), number: Number(number) });
    await recordAudit(database.db, cliActor(), {
      action: 'useRevision',
      outcome: result.ok ? (result.changed ? 'CHANGED' : 'UNCHANGED') : 'REJECTED',
      detail: { agency: agencyName, year: Number(year), number: Number(number) },
    });
    if (!result.ok) throw new UsageError(result.message);
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
