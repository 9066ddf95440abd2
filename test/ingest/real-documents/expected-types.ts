/**
 * What a real published document says, transcribed by a person reading it (never taken
 * from the parser's output). One file per document under ./expected/.
 */
import type { TemplateVersion } from '../../../src/catalogue/template.ts';

/**
 * One cell as the document prints it:
 * - a number, normalised: digits, an optional leading "-", an optional decimal part
 *   ("0", "12", "-417", "12.35"); a "+" sign, thousands separators and a unit are dropped,
 *   and an amount printed in 元 is given in its column's 万元 (251000元 is "25.1");
 * - 'BLANK': the cell is printed empty;
 * - 'NOT_REPORTED': printed as "/", "-", "—", "无" or similar instead of a number;
 * - { unreadable: [...] }: the text runs digits together and more than one value of this
 *   cell fits the row's columns and every identity of the template; the candidates listed
 *   are the values that fit (at least two).
 */
export type ExpectedCell = string | 'BLANK' | 'NOT_REPORTED' | { unreadable: string[] };

export interface ExpectedReport {
  /** File names under ../shared/fixtures/real-reports/ this transcription is the truth for. */
  files: string[];
  agencyName: string;
  year: number;
  templateVersion: TemplateVersion;
  /** ISO date the document gives for its publication, or null when it gives none. */
  publishedOn: string | null;
  /** Every cell of the template version, by catalogue code (see `npm run cli -- template`). */
  cells: Record<string, ExpectedCell>;
  /** Anything the transcriber noticed: identities the printed figures break, typos. */
  notes?: string[];
}
