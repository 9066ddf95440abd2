import { agenciesLeftApart, mergeCommand } from '../store/agency-identity.ts';
import { cliActor, recordAudit } from '../store/audit-log.ts';
import { type MergeResult, mergeAgencies, mergeAuditEntry } from '../store/merge-agencies.ts';
import { openDatabase } from '../store/open-database.ts';
import { plural } from './import-summary.ts';
import { parseCommandArgs, UsageError } from './usage.ts';

export const AGENCIES_HELP = `  agencies duplicates
      List stored agencies that look like one agency under two names (stored before
      agencies were matched by their place, and left apart), with the merge that joins them.
  agencies merge <agency> --into <agency>
      File every report of the first agency under the second and delete the first, in one
      transaction. A year both have becomes one report: the second's current revision stays
      current, the first's revisions follow its own (one with the same bytes is dropped).
      Findings are recomputed. Recorded in the audit log.`;

const log = (message: string) => console.error(message);

/** `agencies duplicates` and `agencies merge`. */
export async function runAgencies(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseCommandArgs('agencies', {
    args: rest,
    allowPositionals: true,
    options: { into: { type: 'string' } },
  });
  if (sub === 'duplicates' ? positionals.length > 0 || values.into !== undefined : sub !== 'merge') {
    throw new UsageError(`agencies needs "duplicates" or "merge" and nothing else.\n\n${AGENCIES_HELP}`);
  }
  if (sub === 'merge' && (positionals.length !== 1 || !values.into)) {
    throw new UsageError(
      'Usage: agencies merge <agency> --into <agency>, e.g. agencies merge 宁夏回族自治区中卫市科学技术局 --into 中卫市科学技术局',
    );
  }
  const database = await openDatabase({ log });
  try {
    if (sub === 'duplicates') {
      const pairs = await agenciesLeftApart(database.db);
      for (const p of pairs) console.log(`${p.name}\t→ ${mergeCommand(p.name, p.twin)}`);
      log(
        pairs.length === 0
          ? 'No agencies look like one another.'
          : `${pairs.length} agencies look like another.`,
      );
      return 0;
    }
    const from = positionals[0] as string;
    const into = values.into as string;
    const result = await mergeAgencies(database.db, { from, into });
    await recordAudit(database.db, cliActor(), mergeAuditEntry({ from, into }, result));
    if (!result.ok) {
      console.error(result.message);
      return 1;
    }
    for (const line of describe(result)) console.log(line);
    return 0;
  } finally {
    await database.close();
  }
}

function describe(result: Extract<MergeResult, { ok: true }>): string[] {
  const { from, into, years } = result;
  const lines = [
    `${from.name} merged into ${into.name} (id ${into.id}): ${plural(years.length, 'report')}; findings recomputed. Reports printed as ${from.name} are filed under ${into.name} from now on.`,
  ];
  for (const y of years) {
    if (y.how === 'MOVED') lines.push(`  ${y.year}: moved`);
    else {
      const moved = y.renumbered.map((r) => `${r.from} → ${r.to}`).join(', ');
      const dropped =
        y.sameBytes.length > 0 ? `; revisions ${y.sameBytes.join(', ')} were the same bytes as one kept` : '';
      lines.push(
        `  ${y.year}: combined with ${into.name}'s report, its current revision kept${moved ? `; revisions ${moved}` : ''}${dropped}`,
      );
    }
  }
  return lines;
}
