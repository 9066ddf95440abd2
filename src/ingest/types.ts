import type { TemplateVersion } from '../catalogue/template.ts';

export type ProblemCode =
  | 'EMPTY_FILE'
  | 'BINARY_FILE'
  | 'UNDECODABLE'
  | 'UNSUPPORTED_FORMAT'
  | 'UNREADABLE_DOCUMENT'
  | 'TOO_LARGE'
  | 'NO_TEXT'
  | 'NO_TITLE'
  | 'NO_AGENCY'
  | 'INVALID_NAME'
  | 'NO_YEAR'
  | 'YEAR_OUT_OF_RANGE'
  | 'YEAR_OVERRIDDEN'
  | 'YEAR_CONFLICT'
  | 'AGENCY_CONFLICT'
  /** The report is published and its agency a generated demo one of the same name, or the other way round. */
  | 'AGENCY_KIND_CONFLICT'
  | 'AGENCY_OVERRIDDEN'
  | 'ANOTHER_REPORT'
  | 'SOURCE_URL_NOT_RECORDED'
  | 'UNKNOWN_TEMPLATE'
  | 'CONFLICTING_TEMPLATE'
  | 'MISSING_TABLE'
  | 'MISSING_ROW'
  | 'MISSING_CELL'
  | 'NOT_A_NUMBER'
  | 'OUT_OF_RANGE'
  | 'TOO_MANY_VALUES'
  | 'DUPLICATE_ROW'
  | 'COLUMN_ORDER'
  | 'COLUMN_MISSING'
  | 'NOT_A_COUNT'
  | 'UNIT_MISMATCH'
  | 'UNIT_CONVERTED'
  | 'UNKNOWN_ROW'
  | 'UNKNOWN_COLUMN'
  | 'UNREADABLE_CELL'
  | 'MERGED_CELL'
  | 'BROKEN_IDENTITY'
  | 'SPLIT_BY_TOTALS'
  | 'PAGE_NUMBER'
  | 'INCOMPLETE_REPORT';

/** The three tables of the template. */
export type TableId = 'T2' | 'T3' | 'T4';

/**
 * Something the parser could not read, or could not find. `message` is a full
 * sentence for a person; the other fields locate the problem for tools.
 */
export interface Problem {
  code: ProblemCode;
  /** error: the report cannot be stored as read. gap: something the report lacks. warning: kept, but worth a look. */
  severity: 'error' | 'gap' | 'warning';
  message: string;
  /** 1-based line of the decoded text. */
  line?: number;
  table?: TableId;
  /** Printed row label, e.g. "（三）不予公开 1.属于国家秘密". */
  row?: string;
  /** Printed column label, e.g. "自然人". */
  column?: string;
  cellCode?: string;
  /** The offending text, quoted in the message. */
  text?: string;
}

export interface ParsedCell {
  code: string;
  /**
   * REPORTED: a figure. NOT_REPORTED: printed empty (rawText "") or with a mark such as "/".
   * MISSING: not found in the document. UNREADABLE: printed, but run together with its
   * neighbours so that more than one value fits (see `candidates`).
   */
  status: 'REPORTED' | 'NOT_REPORTED' | 'MISSING' | 'UNREADABLE';
  /** Exact decimal text, e.g. "2", "-417", "12.35"; null unless REPORTED. */
  value: string | null;
  /** The cell exactly as printed (for a digit run, the whole run). */
  rawText: string | null;
  line: number | null;
  /** UNREADABLE only: every value the cell could have, given the template's columns and identities. */
  candidates?: string[];
  /** UNREADABLE only: the cell may also be a blank cell's mark ("—" run into the figures), not a figure at all. */
  orNotReported?: boolean;
  /** The digit run the value was cut from, when it was printed without separators and only one split fits the template. */
  decodedFrom?: string;
  /**
   * A unit printed in the cell (件, 元, 万元), or stated by its column's header when not the
   * column's own (采购总金额（元）). The value is in the column's unit: a money figure
   * printed in 元 is converted exactly to 万元 (251000元 → 25.1); otherwise it is as printed.
   */
  unit?: string;
}

export interface Contact {
  website?: string;
  address?: string;
  postcode?: string;
  phone?: string;
  fax?: string;
  email?: string;
}

export interface NarrativeSection {
  /** 0 is the preamble before section 一; 1–6 the template sections. */
  number: number;
  heading: string;
  text: string;
  line: number;
}

/** A row the template does not have (a local addition), kept verbatim. */
export interface ExtraRow {
  table: TableId;
  label: string;
  cells: string[];
  line: number;
}

export interface ParsedReport {
  templateVersion: TemplateVersion;
  /** Why the version was chosen: the header labels that decided it. */
  templateEvidence: string[];
  agencyName: string;
  year: number;
  title: string;
  /** ISO date (YYYY-MM-DD) printed at the end of the report. */
  publishedOn: string | null;
  contact: Contact;
  narrative: NarrativeSection[];
  /** Every cell of the template version, in catalogue order; absent ones are MISSING. */
  cells: ParsedCell[];
  /** Missing tables, rows and cells. */
  gaps: Problem[];
  warnings: Problem[];
  extras: ExtraRow[];
  /** The text carries the generator's marker (SYNTHETIC_MARK): generated data, not a published report. */
  synthetic: boolean;
}

export type ParseResult =
  | { ok: true; report: ParsedReport }
  | { ok: false; problems: Problem[]; partial?: ParsedReport };
