import { openDatabase } from '../store/open-database.ts';
import { log, parseCommandArgs } from './usage.ts';

export async function runMigrate(args: string[]): Promise<number> {
  parseCommandArgs('migrate', { args, options: {}, allowPositionals: false });
  const database = await openDatabase({ log });
  await database.close();
  log('Database is up to date.');
  return 0;
}
