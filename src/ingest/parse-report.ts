import { compactAgencyName } from '../catalogue/agency-names.ts';
import { cellsOfVersion } from '../catalogue/cells.ts';
import {
  FIRST_TEMPLATE_YEAR,
  latestReportYear,
  TABLES,
  TEMPLATE_VERSIONS,
  type TemplateVersion,
} from '../catalogue/template.ts';
import { decodeReport, type Encoding } from './decode.ts';
import type { InputLimits } from './limits.ts';
import { type Line, toLines } from './lines.ts';
import {
  laterReportTitle,
  readContact,
  readHeading,
  readPublicationDate,
  SYNTHETIC_MARK,
  yearSpan,
} from './metadata.ts';
import {
  crawledPageTitle,
  fullerAgencyOnPage,
  headingConflict,
  templateYearConflict,
} from './metadata-conflicts.ts';
import { printsSeparatedFigures, readRunningTable, runningEvidence } from './running-text.ts';
import { locateSections, splitInlineHeadings } from './sections.ts';
import { emptyReading, readTable2, readTable3, readTable4, type TableReading } from './tables.ts';
import { damagedName } from './text.ts';
import type { NarrativeSection, ParsedCell, ParsedReport, ParseResult, Problem, TableId } from './types.ts';

export interface ParseOptions {
  /** Limits on what one file may make the parser do (defaults in limits.ts). */
  limits?: Partial<InputLimits>;
  /** Store what was read even when tables, rows or cells are missing (they are recorded as gaps). */
  allowPartial?: boolean;
  /** Overrides for documents whose header does not name them clearly. */
  agencyName?: string;
  year?: number;
  /**
   * Where agencyName and year came from, as a warning that they override the title names it
   * ("the manifest urls.csv"); unset, the warning names --agency/--year and the API's arguments.
   * A manifest's agency was blamed on an --agency nobody gave.
   */
  givenBy?: { agency?: string; year?: string };
  /** Also give the text the result's line numbers refer to (`DocumentParseResult.text`). */
  withText?: boolean;
}

export interface DecodedParseResult {
  encoding: Encoding | null;
  result: ParseResult;
}

/** Parses report bytes (UTF-8 or GBK text). */
export function parseReportBytes(bytes: Uint8Array, options: ParseOptions = {}): DecodedParseResult {
  const decoded = decodeReport(bytes);
  if (!decoded.ok) return { encoding: null, result: { ok: false, problems: [decoded.problem] } };
  return { encoding: decoded.encoding, result: parseReportText(decoded.text, options) };
}

function decideVersion(
  readings: TableReading[],
  hasTableRows: boolean,
): { version: TemplateVersion; evidence: string[] } | { problem: Problem } {
  const evidence = readings.flatMap((r) => r.evidence);
  const candidates = TEMPLATE_VERSIONS.filter((v) => evidence.some((e) => e.versions.includes(v)));
  const describe = (v: TemplateVersion) =>
    evidence.filter((e) => e.versions.includes(v)).map((e) => `"${e.label}" (line ${e.line})`);
  if (candidates.length === 1 && candidates[0]) {
    return { version: candidates[0], evidence: describe(candidates[0]) };
  }
  if (candidates.length === 0 && !hasTableRows) {
    return {
      problem: {
        code: 'UNKNOWN_TEMPLATE',
        severity: 'error',
        message:
          'Cannot tell which national template this report follows: it contains no tables at all. The file may be cut off, its tables may be pictures (a scan), or it is not an annual report in the national template.',
      },
    };
  }
  if (candidates.length === 0) {
    return {
      problem: {
        code: 'UNKNOWN_TEMPLATE',
        severity: 'error',
        message:
          'Cannot tell which national template this report follows: none of the table headers or rows specific to the 2019 template (e.g. 本年新制作数量, 上一年项目数量) or the 2021 template (e.g. 本年制发件数, 本年收费金额) were found. Only reports in the 国办公开办函〔2019〕60号 or 〔2021〕30号 templates can be read.',
      },
    };
  }
  return {
    problem: {
      code: 'CONFLICTING_TEMPLATE',
      severity: 'error',
      message: `The tables mix the two templates: ${TEMPLATE_VERSIONS.map((v) => `${v} by ${describe(v).join(', ')}`).join('; ')}. Fix the labels so that one template is used throughout.`,
    },
  };
}

function narrativeOf(lines: readonly Line[], from: number, to: number): string {
  return lines
    .slice(from, to)
    .filter((l) => !l.cells)
    .map((l) => l.text.trim())
    .filter((t) => t !== '')
    .join('\n');
}

/** Turns the text of a published report into a ParsedReport, or says exactly why it cannot. */
export function parseReportText(text: string, options: ParseOptions = {}): ParseResult {
  return parseReportLines(toLines(text), options);
}

/**
 * Reads a report from its lines. Every source format (text, HTML, Word, PDF) is first
 * turned into lines, with table rows as cells, so label matching happens only here.
 */
export function parseReportLines(sourceLines: readonly Line[], options: ParseOptions = {}): ParseResult {
  const errors: Problem[] = [];
  const allLines = splitInlineHeadings(sourceLines);
  const heading = readHeading(allLines);
  const another = heading ? laterReportTitle(allLines, heading) : null;
  const lines = another ? allLines.slice(0, another.index) : allLines;
  // Said with a refusal too: the tables a refusal misses may be those printed after the cut.
  const anotherReport: Problem[] = another
    ? [
        {
          code: 'ANOTHER_REPORT',
          severity: 'warning',
          line: allLines[another.index]?.number,
          message: `Line ${allLines[another.index]?.number}: the file goes on with another report ("${another.title}"); only the report titled on line ${allLines[heading?.index ?? 0]?.number} was read, from the lines before it. Import the other from a file of its own.`,
        },
      ]
    : [];
  // A name given by hand is read as a title's is, without spaces (agency names have none); a
  // blank one stays as given, to be refused as blank below.
  const givenAgency = options.agencyName?.trim() ? compactAgencyName(options.agencyName) : options.agencyName;
  // The page's own title under a crawler's 标题 line, read once for its name and its conflicts.
  const page = crawledPageTitle(lines, heading);
  const agencyName = givenAgency ?? fullerAgencyOnPage(page, heading) ?? heading?.agencyName ?? null;
  const damaged = agencyName ? damagedName(agencyName) : null;
  if (agencyName && damaged) {
    return {
      ok: false,
      problems: [
        {
          code: 'INVALID_NAME',
          severity: 'error',
          ...(heading && !options.agencyName ? { line: lines[heading.index]?.number } : {}),
          text: agencyName,
          message: `The agency name "${agencyName}" ${damaged}. Nothing was stored; fix the file, or pass the agency name explicitly (--agency, agencyName).`,
        },
      ],
    };
  }
  const year = options.year ?? heading?.year ?? null;
  const titleLine = heading ? lines[heading.index]?.number : undefined;
  // The national template starts with the reports for 2019; a year's report comes after it ends.
  const latestYear = latestReportYear();
  if (year !== null && (year < FIRST_TEMPLATE_YEAR || year > latestYear)) {
    errors.push({
      code: 'YEAR_OUT_OF_RANGE',
      severity: 'error',
      ...(options.year === undefined && titleLine !== undefined ? { line: titleLine } : {}),
      message: `The report year ${year} (${options.year === undefined ? `from the title "${heading?.title ?? ''}"` : 'as given'}) is not one the national template covers: ${FIRST_TEMPLATE_YEAR} to ${latestYear}. ${options.year === undefined ? 'If the title is wrong, pass the year explicitly (--year, year).' : 'Give the year the report is for.'}`,
    });
    return { ok: false, problems: errors };
  }
  // A title naming another year than the statistics period it states, or than its publication
  // date allows, or a crawler's 标题 line naming another year or agency than the page: one of
  // them is wrong, and storing the report under the wrong one would put its figures in another
  // year's or agency's comparisons. Which one is right is the reader's call (--year, --agency).
  const conflict = headingConflict(lines, heading, page, {
    year: options.year !== undefined,
    agency: givenAgency !== undefined,
  });
  if (conflict) return { ok: false, problems: [conflict] };
  const overriddenYear =
    options.year !== undefined && heading?.year != null && heading.year !== options.year
      ? { title: heading.year, given: options.year }
      : null;
  // Reports of different agencies given one name are stored as revisions of one report: the
  // last becomes current. Said, as for the year, so that a mistaken --agency is noticed.
  const overriddenAgency =
    givenAgency !== undefined && heading?.agencyName && heading.agencyName !== givenAgency
      ? { title: heading.agencyName, given: givenAgency }
      : null;
  if (!heading && (!options.agencyName || !options.year)) {
    errors.push({
      code: 'NO_TITLE',
      severity: 'error',
      message:
        'No title line containing "政府信息公开工作年度报告" was found, so this does not look like a disclosure annual report. If it is one, pass the agency name and year explicitly (--agency and --year, or agencyName and year in the API).',
    });
    return { ok: false, problems: errors };
  } else {
    if (!agencyName) {
      errors.push({
        code: 'NO_AGENCY',
        severity: 'error',
        line: titleLine,
        message: heading?.unnamed
          ? `${heading.unnamed.where} names "${heading.unnamed.name}", which ${heading.unnamed.why}. Nothing was stored; pass the agency's full name explicitly (--agency NAME, agencyName in the API).`
          : heading?.notAgency
            ? `The title names no agency, and the line above it, "${heading.notAgency}", does not read as an agency's name (one ends …局, …委员会, …人民政府, …办公室, …中心 and the like); pass the agency explicitly (--agency).`
            : 'The agency name is not printed above or in the title line; pass it explicitly (--agency).',
      });
    }
    if (!year) {
      errors.push({
        code: 'NO_YEAR',
        severity: 'error',
        line: titleLine,
        message: `The title "${heading?.title ?? ''}" ${yearSpan(heading?.title ?? '') ? 'names a span of years, not the one year the report is of' : 'has no report year (e.g. 2020年)'}; pass it explicitly (--year).`,
      });
    }
  }

  const sections = locateSections(lines);
  const regionOf = (table: TableId): readonly Line[] => {
    const section = sections.find((s) => s.info.table === table);
    return section ? lines.slice(section.start + 1, section.end) : [];
  };
  /** The source lines a table's section spans, for messages about what it lacks. */
  const where = (table: TableId) => {
    const section = sections.find((s) => s.info.table === table);
    if (!section) return null;
    const first = lines[section.start]?.number ?? 0;
    const last = lines[section.end - 1]?.number ?? first;
    return { first, text: first === last ? `line ${first}` : `lines ${first}–${last}` };
  };
  const tableIds = ['T2', 'T3', 'T4'] as const;
  const regions = { T2: regionOf('T2'), T3: regionOf('T3'), T4: regionOf('T4') };
  // A table printed with separated cells (tabs, pipes, HTML or PDF grids) is read by its
  // cells; one whose cells run together in plain text is read by its labels in template order.
  // Table 2's heading may state its amounts' unit (二、主动公开政府信息情况（单位：元）).
  const table2Heading = sections.find((s) => s.info.table === 'T2')?.heading ?? '';
  const lineReaders = {
    T2: (region: readonly Line[]) => readTable2(region, table2Heading),
    T3: readTable3,
    T4: readTable4,
  };
  const byCells = new Map<TableId, TableReading>();
  const evidence: TableReading[] = [];
  for (const table of tableIds) {
    if (regions[table].some((l) => l.cells && l.cells.filter((c) => c !== '').length > 1)) {
      const reading = lineReaders[table](regions[table]);
      byCells.set(table, reading);
      evidence.push(reading);
    } else if (regions[table].length > 0) {
      evidence.push({ ...emptyReading(), evidence: runningEvidence(regions[table]) });
    }
  }
  const decided = decideVersion(
    evidence,
    lines.some((l) => l.cells && l.cells.length > 1) || sections.some((s) => s.info.table),
  );
  const readAll = (separated: boolean) => {
    const out = {} as Record<TableId, TableReading>;
    for (const table of tableIds) {
      out[table] =
        byCells.get(table) ??
        ('problem' in decided || regions[table].length === 0
          ? emptyReading()
          : readRunningTable(table, regions[table], decided.version, separated, table2Heading));
    }
    return out;
  };
  let readings = readAll(false);
  // Read again, never cutting a run, when the document prints a space between every two figures.
  if (printsSeparatedFigures(tableIds.filter((t) => !byCells.has(t)).map((t) => readings[t]))) {
    readings = readAll(true);
  }
  const all = Object.values(readings);
  errors.push(...all.flatMap((r) => r.errors));
  if ('problem' in decided) errors.push(decided.problem);
  else if (year) {
    const late = templateYearConflict(
      decided.version,
      decided.evidence,
      year,
      options.year !== undefined,
      titleLine,
    );
    if (late) errors.push(late);
  }
  if (errors.length > 0 || 'problem' in decided || !agencyName || !year) {
    return { ok: false, problems: [...errors, ...anotherReport] };
  }

  const gaps: Problem[] = all.flatMap((r) => r.gaps);
  for (const table of TABLES) {
    if (!readings[table.id].found) {
      gaps.push({
        code: 'MISSING_TABLE',
        severity: 'gap',
        table: table.id,
        ...(where(table.id) ? { line: where(table.id)?.first } : {}),
        message: `Table ${table.number} (${table.heading.zh}) was not found${where(table.id) ? ` in its section (${where(table.id)?.text}); expected its rows, e.g. "${table.id === 'T2' ? '第二十条第（一）项' : table.id === 'T3' ? '一、本年新收政府信息公开申请数量' : '行政复议 … 结果维持'}"` : `; no section heading like "${['一', '二', '三', '四'][table.number - 1]}、${table.heading.zh}" precedes it`}.`,
      });
    }
  }
  const definitions = cellsOfVersion(decided.version);
  const rowOf = (definition: (typeof definitions)[number]) => definition.labelZh.slice(0, -1).join(' ');
  // Rows some cell of which was read: a cell missing there is a column not read, not a row.
  // Found only when a cell is missing (most reports miss none, and this is per cell).
  let rowsRead: Set<string> | undefined;
  const wasRead = (table: string, rowLabel: string) => {
    rowsRead ??= new Set(
      definitions
        .filter((d) => readings[d.table].cells.has(d.code))
        .map((d) => `${d.table}\u0000${rowOf(d)}`),
    );
    return rowsRead.has(`${table}\u0000${rowLabel}`);
  };
  const cells: ParsedCell[] = definitions.map((definition) => {
    const read = readings[definition.table].cells.get(definition.code);
    if (read) return read;
    const reading = readings[definition.table];
    const alreadyReported = reading.gaps.some((g) => g.cellCode === definition.code) || !reading.found;
    // Table 4's header alone counts as found: its cells without figures are gaps too, or a table
    // whose row of figures was cut off passed as complete.
    if (!alreadyReported) {
      const rowLabel = rowOf(definition);
      if (wasRead(definition.table, rowLabel)) {
        gaps.push(columnNotRead(definition, rowLabel, reading.warnings, where(definition.table)?.first));
      } else if (!gaps.some((g) => g.code === 'MISSING_ROW' && g.row === rowLabel)) {
        gaps.push({
          code: 'MISSING_ROW',
          severity: 'gap',
          table: definition.table,
          row: rowLabel,
          ...(where(definition.table) ? { line: where(definition.table)?.first } : {}),
          message: `Table ${definition.table.slice(1)}: row "${rowLabel}" of the ${decided.version} template is missing${where(definition.table) ? ` from its section (${where(definition.table)?.text})` : ''}.`,
        });
      }
    }
    return { code: definition.code, status: 'MISSING', value: null, rawText: null, line: null };
  });

  const narrative: NarrativeSection[] = [];
  const firstSection = sections[0]?.start ?? lines.length;
  const preamble = narrativeOf(lines, (heading?.index ?? -1) + 1, firstSection);
  if (preamble) narrative.push({ number: 0, heading: '', text: preamble, line: (heading?.index ?? 0) + 2 });
  for (const section of sections) {
    narrative.push({
      number: section.info.number,
      heading: section.heading,
      text: narrativeOf(lines, section.start + 1, section.end),
      line: section.start + 1,
    });
  }

  const report: ParsedReport = {
    templateVersion: decided.version,
    templateEvidence: decided.evidence,
    agencyName,
    year,
    title: heading?.title ?? '',
    publishedOn: readPublicationDate(lines),
    contact: readContact(preamble || lines.map((l) => l.text).join('\n')),
    narrative,
    cells,
    gaps,
    warnings: [
      ...(overriddenYear
        ? [
            {
              code: 'YEAR_OVERRIDDEN' as const,
              severity: 'warning' as const,
              ...(titleLine !== undefined ? { line: titleLine } : {}),
              message: `The title says ${overriddenYear.title}; the report is taken as ${overriddenYear.given}, ${options.givenBy?.year ? `the year ${options.givenBy.year} gives` : 'the year given (--year, year)'}. Check that the year given is the one meant.`,
            },
          ]
        : []),
      ...(overriddenAgency
        ? [
            {
              code: 'AGENCY_OVERRIDDEN' as const,
              severity: 'warning' as const,
              ...(titleLine !== undefined ? { line: titleLine } : {}),
              message: `The title names ${overriddenAgency.title}; the report is stored as ${overriddenAgency.given}, ${options.givenBy?.agency ? `the agency ${options.givenBy.agency} gives` : 'the agency given (--agency, agencyName)'}. Reports of different agencies given one name become revisions of one report, the last one current: check that the name given is this agency's.`,
            },
          ]
        : []),
      ...anotherReport,
      ...all.flatMap((r) => r.warnings),
    ],
    extras: all.flatMap((r) => r.extras),
    synthetic: preamble.includes(SYNTHETIC_MARK),
  };
  if (gaps.length > 0 && !options.allowPartial) {
    return {
      ok: false,
      partial: report,
      problems: [
        ...gaps.map((g) => ({ ...g, severity: 'error' as const })),
        {
          code: 'INCOMPLETE_REPORT',
          severity: 'error',
          message: `The report is incomplete (${gaps.length} gap${gaps.length === 1 ? '' : 's'} above), so an import stores nothing of it and validate checks none of it. To read what is there, with the gaps recorded as missing, run the import or validate again with --allow-partial (allowPartial: true in the API).`,
        },
        ...anotherReport,
      ],
    };
  }
  return { ok: true, report };
}

/**
 * The gap for a cell of a row that was read, in a column that was not: said with the columns the
 * table's header prints that the template lacks (现行有效文件数 for 现行有效件数), which are
 * the likely cause, and how to fix it.
 */
function columnNotRead(
  definition: { table: TableId; code: string; labelZh: readonly string[] },
  rowLabel: string,
  warnings: readonly Problem[],
  line: number | undefined,
): Problem {
  const column = definition.labelZh.at(-1) ?? definition.code;
  const unknown = warnings.filter((w) => w.code === 'UNKNOWN_COLUMN' && w.column !== undefined);
  const why =
    unknown.length > 0
      ? ` The header prints ${unknown.map((w) => `"${w.column}" (line ${w.line})`).join(', ')}, which the template does not have; if one of them is "${column}", rename it to "${column}" and import again.`
      : ` The table's header prints no column "${column}".`;
  return {
    code: 'MISSING_CELL',
    severity: 'gap',
    table: definition.table,
    row: rowLabel,
    cellCode: definition.code,
    ...(line !== undefined ? { line } : {}),
    message: `Table ${definition.table.slice(1)}: row "${rowLabel}" was read, but not its column "${column}" (cell ${definition.code}).${why}`,
  };
}
