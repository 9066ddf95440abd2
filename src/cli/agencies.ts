import { findAgencies } from '../comparison/find-agencies.ts';
import { agenciesLeftApart, mergeCommand } from '../store/agency-identity.ts';
import { cliActor } from '../store/audit-log.ts';
import { type MergeResult, mergeAgencies, mergeAuditEntry } from '../store/merge-agencies.ts';
import { openDatabase } from '../store/open-database.ts';
import { ensureRegionsLoaded } from '../store/regions.ts';
import { AGENCIES_HELP, MERGE_EXAMPLE } from './help.ts';
import { log, parseCommandArgs, UsageError } from './usage.ts';

/** `agencies find`, `agencies duplicates` and `agencies merge`. */
export async function runAgencies(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseCommandArgs('agencies', {
    args: rest,
    allowPositionals: true,
    options: {
      into: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'different-places': { type: 'boolean', default: false },
      limit: { type: 'string' },
    },
  });
  if (sub === 'find') return find(positionals, values.limit);
  const mergeOnly = values.into !== undefined || values['dry-run'] || values['different-places'];
  if (sub === 'duplicates' ? positionals.length > 0 || mergeOnly : sub !== 'merge') {
    throw new UsageError(
      `agencies needs "find", "duplicates" or "merge" and nothing else.\n\n${AGENCIES_HELP}`,
    );
  }
  if (sub === 'merge' && (positionals.length !== 1 || !values.into)) {
    throw new UsageError(
      `Usage: agencies merge <agency> --into <agency>, e.g. ${MERGE_EXAMPLE} (once a report printed under 中卫市科委, the bureau's former name, is stored)`,
    );
  }
  const database = await openDatabase({ log });
  try {
    if (sub === 'duplicates') {
      const pairs = await agenciesLeftApart(database.db);
      for (const p of pairs) console.log(`${p.name}\t→ ${mergeCommand(p.name, p.twin)}`);
      log(
        pairs.length === 0
          ? 'No agencies were left apart by an upgrade: every agency stored before identity keys has its own key.'
          : pairs.length === 1
            ? '1 agency is left apart from the agency it looks like.'
            : `${pairs.length} agencies are left apart from the agencies they look like.`,
      );
      return 0;
    }
    const from = positionals[0] as string;
    const into = values.into as string;
    const dryRun = values['dry-run'];
    // The check that two agencies are of one place needs the regions (a database only migrated
    // and imported into has none, and merged any two agencies unchecked).
    await ensureRegionsLoaded(database.db);
    const result = await mergeAgencies(
      database.db,
      { from, into },
      {
        dryRun,
        differentPlaces: values['different-places'],
        audit: { actor: cliActor(), entry: (done) => mergeAuditEntry({ from, into }, done) },
      },
    );
    if (!result.ok) {
      console.error(result.message);
      return 1;
    }
    for (const line of describe(result, dryRun)) console.log(line);
    return 0;
  } finally {
    await database.close();
  }
}

/** `agencies find`: the name search behind `agencies(filter: { nameContains })`. */
async function find(positionals: string[], limitText: string | undefined): Promise<number> {
  const text = positionals.join(' ').trim();
  if (!text) throw new UsageError('Usage: agencies find <text> [--limit N], e.g. agencies find 中卫市科技局');
  const limit = limitText === undefined ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new UsageError(`--limit is a whole number from 1 to 1000, not "${limitText}".`);
  }
  const database = await openDatabase({ log });
  try {
    const { agencies, total } = await findAgencies(database.db, text, limit);
    for (const a of agencies) console.log([a.id, a.name, a.regionCode ?? '', a.years.join(',')].join('\t'));
    log(
      total === 0
        ? `No stored agency's name contains ${text} or comes near it.`
        : `${total} ${total === 1 ? 'agency matches' : 'agencies match'}${total > agencies.length ? `; the first ${agencies.length} shown (--limit)` : ''}.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

function describe(result: Extract<MergeResult, { ok: true }>, dryRun: boolean): string[] {
  const { from, into, years } = result;
  const reports = `${years.length} ${years.length === 1 ? 'report' : 'reports'}`;
  const lines = [
    dryRun
      ? `Dry run (nothing written): ${from.name} would be merged into ${into.name}: ${reports}; reports printed as ${from.name} would be filed under ${into.name} from then on.`
      : `${from.name} merged into ${into.name}: ${reports}; findings recomputed. Reports printed as ${from.name} are filed under ${into.name} from now on.`,
  ];
  const numbers = (list: readonly number[]) =>
    `${list.length === 1 ? 'revision' : 'revisions'} ${list.join(', ')}`;
  for (const y of years) {
    if (y.how === 'MOVED') lines.push(`  ${y.year}: moved`);
    else {
      const moved = y.renumbered.map((r) => `${r.from} → ${r.to}`).join(', ');
      const parts = [
        `combined with ${into.name}'s report, whose current revision stays current`,
        ...(moved ? [`${from.name}'s revisions ${moved}`] : []),
        ...(y.sameBytes.length > 0
          ? [`${numbers(y.sameBytes)} dropped (the same bytes as one of ${into.name}'s)`]
          : []),
        ...(y.mergedCurrent !== null
          ? [
              `${from.name}'s current one is revision ${y.mergedCurrent} (revision use ${into.name} ${y.year} ${y.mergedCurrent} makes it current)`,
            ]
          : []),
      ];
      lines.push(`  ${y.year}: ${parts.join('; ')}`);
    }
  }
  return lines;
}
