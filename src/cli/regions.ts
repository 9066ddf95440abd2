import { openDatabase } from '../store/open-database.ts';
import { regionName, regionsLoaded } from '../store/region-lookup.ts';
import { inferAgencyPlace, loadRegions } from '../store/regions.ts';
import { REGIONS_HELP } from './help.ts';
import { log, parseCommandArgs } from './usage.ts';

/** `regions load` and `regions find`: the division hierarchy agencies are placed in. */
export async function runRegions(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseCommandArgs('regions', {
    args: rest,
    allowPositionals: true,
    options: { 'no-townships': { type: 'boolean', default: false } },
  });
  if (sub !== 'load' && sub !== 'find') {
    console.error(`regions needs "load" or "find".\n\n${REGIONS_HELP}`);
    return 2;
  }
  if (sub === 'find' && positionals.length === 0) {
    console.error('regions find needs an agency name, e.g. regions find 中卫市科学技术局');
    return 2;
  }
  const database = await openDatabase({ log });
  try {
    if (sub === 'load') {
      const started = performance.now();
      const result = await loadRegions(database.db, { townships: !values['no-townships'] });
      console.log(
        `Regions: ${result.inserted} added, ${result.updated} updated, ${result.unchanged} unchanged; ${result.agenciesPlaced} agencies placed (${Math.round(performance.now() - started)} ms).`,
      );
      return 0;
    }
    const name = positionals.join(' ');
    if (!(await regionsLoaded(database.db))) {
      console.error('The region table is empty; run `regions load` first.');
      return 1;
    }
    const place = await inferAgencyPlace(database.db, name);
    const regionNamed = place.regionCode ? await regionName(database.db, place.regionCode) : undefined;
    console.log(
      place.regionCode
        ? `${name}: ${place.regionCode} ${regionNamed ?? ''} (${place.level})`
        : `${name}: no single region matches (no division name occurs in it, or several fit equally well)${place.level ? `; level ${place.level}` : ''}.`,
    );
    return place.regionCode ? 0 : 1;
  } finally {
    await database.close();
  }
}
