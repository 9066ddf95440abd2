/** Where `import` writes (stdout, stderr, or a test's lines), and its audit notes. */
import { databaseReason, isDatabaseUnavailable } from '../store/database-errors.ts';

export interface ImportIo {
  /** One line of the per-file report or the summary (stdout). */
  out: (line: string) => void;
  /** Progress and database messages (stderr); written as given, without a newline. */
  err: (text: string) => void;
  stderrIsTTY: boolean;
}

export const processIo: ImportIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (text) => process.stderr.write(text),
  stderrIsTTY: Boolean(process.stderr.isTTY),
};

/**
 * The audit entry of a rejection, awaited: a database that refuses it too (a full disk) is a
 * note beside the rejection, never a crash; one that is gone stops the run as anywhere else.
 */
export async function auditNotes(audited: Promise<unknown>): Promise<string[]> {
  try {
    await audited;
    return [];
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    return [`the audit log does not record this rejection: ${databaseReason(error) ?? String(error)}`];
  }
}
