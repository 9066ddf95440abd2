import { FIRST_YEAR, LAST_YEAR, yearOutOfRange } from '../../comparison/filter.ts';
import { unknownAgencyMessage } from '../../comparison/find-agencies.ts';
import { agencyIdByName } from '../../store/agency-identity.ts';
import {
  type Contact,
  type NarrativeSection,
  type Problem,
  REVISION_CELLS_SELECT,
  REVISION_SOURCE_SELECT,
  revisionCells,
  revisionSourceText,
} from '../../store/revision-cells.ts';
import { builder } from '../builder.ts';
import { TemplateVersionEnum } from './catalogue.ts';
import { checkedMaxSize, idsBeyond, listCursors, listPage } from './cursor.ts';
import { badUserInput } from './errors.ts';
import { rowIdOf } from './ids.ts';
import { cellsByCode, Table2Ref, Table3Ref, Table4Ref } from './report-tables.ts';

const ContactRef = builder.objectRef<Contact>('Contact').implement({
  description: 'Contact details the report prints for questions about it.',
  fields: (t) => ({
    website: t.exposeString('website', {
      nullable: true,
      description: 'Website where the report is published.',
    }),
    address: t.exposeString('address', { nullable: true, description: '地址.' }),
    postcode: t.exposeString('postcode', { nullable: true, description: '邮编.' }),
    phone: t.exposeString('phone', { nullable: true, description: '电话.' }),
    fax: t.exposeString('fax', { nullable: true, description: '传真.' }),
    email: t.exposeString('email', { nullable: true, description: '邮箱.' }),
  }),
});

const NarrativeSectionRef = builder.objectRef<NarrativeSection>('NarrativeSection').implement({
  description: 'A narrative section of the report. Number 0 is the preamble before 一、总体情况.',
  fields: (t) => ({
    number: t.exposeInt('number', { description: 'Section number 1–6 (一…六); 0 for the preamble.' }),
    heading: t.exposeString('heading', { description: 'Heading as printed, e.g. 一、总体情况.' }),
    text: t.exposeString('text', {
      description: 'Paragraphs of the section, one per line; tables left out.',
    }),
    line: t.exposeInt('line', { description: "Line of the heading in the revision's `readText`." }),
  }),
});

export const ParseProblemRef = builder.objectRef<Problem>('ParseProblem').implement({
  description:
    'Something in a source that could not be read, or that the report lacks. Located to the line and cell.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Machine-readable kind, e.g. NOT_A_NUMBER, MISSING_ROW.' }),
    severity: t.exposeString('severity', { description: 'error, gap or warning.' }),
    message: t.exposeString('message', { description: 'What is wrong and what to do, for a person.' }),
    line: t.exposeInt('line', {
      nullable: true,
      description:
        "Line of the revision's `readText` (1-based); of the uploaded file as read, for a validation.",
    }),
    table: t.exposeString('table', { nullable: true, description: 'T2, T3 or T4.' }),
    row: t.exposeString('row', { nullable: true, description: 'Row label as printed.' }),
    column: t.exposeString('column', { nullable: true, description: 'Column label as printed.' }),
    cellCode: t.exposeString('cellCode', {
      nullable: true,
      description: 'Catalogue code of the cell concerned.',
    }),
    text: t.exposeString('text', { nullable: true, description: 'The offending text.' }),
  }),
});

const cellsOf = (r: Parameters<typeof revisionCells>[0]) => cellsByCode(revisionCells(r));

builder.prismaObject('ReportRevision', {
  description:
    'One imported source of a report. Revisions are never changed; a changed source adds a new revision, which becomes current.',
  // The source bytes can be large; only load them when provenance text is asked for.
  select: { id: true },
  fields: (t) => ({
    number: t.exposeInt('number', { description: 'Revision number, 1 for the first import.' }),
    templateVersion: t.expose('templateVersion', {
      type: TemplateVersionEnum,
      description: 'Template detected from the table headers.',
    }),
    agencyNameAsPrinted: t.exposeString('agencyNameAsPrinted', {
      description: 'Agency name as printed in this source.',
    }),
    title: t.exposeString('title', { nullable: true, description: 'Title line as printed.' }),
    publishedOn: t.expose('publishedOn', {
      type: 'Date',
      nullable: true,
      description: 'Date printed at the end.',
    }),
    importedAt: t.expose('importedAt', { type: 'DateTime', description: 'When this revision was stored.' }),
    contact: t.field({
      type: ContactRef,
      description: 'Contact details printed in the report.',
      select: { contact: true },
      resolve: (r) => r.contact as Contact,
    }),
    narrative: t.field({
      type: [NarrativeSectionRef],
      description: 'Narrative sections in printed order.',
      select: { narrative: true },
      resolve: (r) => r.narrative as unknown as NarrativeSection[],
    }),
    gaps: t.field({
      type: [ParseProblemRef],
      description: 'Tables, rows and cells the source lacks (only non-empty for partial imports).',
      select: { gaps: true },
      resolve: (r) => r.gaps as unknown as Problem[],
    }),
    sourceSha256: t.exposeString('sourceSha256', { description: 'SHA-256 of the exact source bytes.' }),
    sourceFileName: t.exposeString('sourceFileName', {
      nullable: true,
      description: 'File name the source was imported from.',
    }),
    sourceUrl: t.exposeString('sourceUrl', {
      nullable: true,
      description: 'Where the source was downloaded from.',
    }),
    sourceEncoding: t.exposeString('sourceEncoding', {
      description: 'utf-8, gb18030, utf-16le or utf-16be (a text or HTML source), binary (PDF, Word).',
    }),
    sourceText: t.string({
      nullable: true,
      description:
        'The stored source decoded as text: a text file or web page as it was published. Null for a PDF or Word file, whose bytes are not text. Line numbers (`Cell.sourceLine`, `ParseProblem.line`) refer to `readText`, not to this.',
      select: REVISION_SOURCE_SELECT,
      resolve: revisionSourceText,
    }),
    readText: t.string({
      description:
        "The text the parser read, whose lines every line number of this revision counts (`Cell.sourceLine`, `ParseProblem.line`, a narrative section's `line`). For a text file it is `sourceText`; for a web page, PDF or Word file, the lines extracted from it, a table row's cells separated by tabs. Read again from the stored bytes when asked for (a PDF takes tens of milliseconds), on the server's parse workers.",
      select: REVISION_SOURCE_SELECT,
      resolve: async (revision, _args, ctx) => {
        if (revision.sourceFormat === 'text') return revisionSourceText(revision) ?? '';
        const { text } = await ctx.parse(revision.sourceBytes, { withText: true, allowPartial: true });
        if (text === undefined)
          throw new Error(`the stored ${revision.sourceFormat} source could not be read again`);
        return text;
      },
    }),
    parseWarnings: t.field({
      type: [ParseProblemRef],
      description:
        "What the parser flags in this revision's source though it read its figures: a run of digits split by its row's own totals alone (SPLIT_BY_TOTALS, naming the row and the cells; those cells have `decodedFrom`), a row or column the template lacks, kept aside (UNKNOWN_ROW, UNKNOWN_COLUMN), a unit converted (UNIT_CONVERTED), and the like. Read again from the stored bytes when asked for, as `readText` is, under the agency name and year the revision is stored with: what the parser of this server says of them.",
      select: { ...REVISION_SOURCE_SELECT, agencyNameAsPrinted: true, report: { select: { year: true } } },
      resolve: async (revision, _args, ctx) => {
        const { result } = await ctx.parse(revision.sourceBytes, {
          allowPartial: true,
          agencyName: revision.agencyNameAsPrinted,
          year: revision.report.year,
        });
        const read = result.ok ? result.report : result.partial;
        if (!read) {
          throw new Error(
            `the stored ${revision.sourceFormat} source could not be read again: ${result.ok ? '' : result.problems[0]?.message}`,
          );
        }
        return read.warnings;
      },
    }),
    table2: t.field({
      type: Table2Ref,
      description: 'Table 2 (主动公开).',
      select: REVISION_CELLS_SELECT,
      resolve: cellsOf,
    }),
    table3: t.field({
      type: Table3Ref,
      description: 'Table 3 (依申请公开), rows × applicant columns.',
      select: REVISION_CELLS_SELECT,
      resolve: cellsOf,
    }),
    table4: t.field({
      type: Table4Ref,
      description: 'Table 4 (行政复议、行政诉讼).',
      select: REVISION_CELLS_SELECT,
      resolve: cellsOf,
    }),
  }),
});

builder.prismaNode('Report', {
  id: { field: 'id' },
  // A well-formed id of a missing (e.g. deleted) object answers null, as Relay expects.
  nullable: true,
  description: "One agency's annual report for one year. Its figures are those of the current revision.",
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The report year (the year the figures cover).' }),
    agency: t.relation('agency', { description: 'The agency that published the report.' }),
    current: t.relation('currentRevision', {
      description:
        'The revision whose figures count in comparisons: the latest imported, unless `useRevision` chose another.',
      // Set in the same transaction that creates the report, so never null in practice.
      onNull: 'error',
    }),
    revisions: t.relation('revisions', {
      description: 'Every imported revision, oldest first.',
      // By import time, not number: a merge numbers the merged agency's revisions after the other's.
      query: { orderBy: [{ importedAt: 'asc' }, { number: 'asc' }] },
    }),
    revisionCount: t.relationCount('revisions', { description: 'Number of imported revisions.' }),
  }),
});

// Made when the schema is built, not when this module loads: cursor.ts imports errors.ts,
// which imports this module, so cursor.ts can still be loading here.
const reportCursors = () =>
  listCursors<{ id: number }>(
    (report) => ({ list: 'reports', at: { id: report.id } }),
    'Number of reports matching `year` (all reports without it), over all pages.',
  );

/** The reports the `reports` list holds, as its page and its totalCount both read them. */
const reportsOfYear = (year: number | null | undefined) => (year ? { year } : {});

builder.queryFields((t) => ({
  report: t.prismaField({
    type: 'Report',
    nullable: true,
    description:
      "One agency's report for a year, by agency global id or agency name (one of them). Null when the agency has no report that year. A name no stored agency has or prints is refused (BAD_USER_INPUT, argument agencyName), naming the agencies the name search finds for it.",
    args: {
      agencyId: t.arg.id({
        required: false,
        description:
          'Global id of the agency. An id of another type, or one this API never gave out, is refused (BAD_USER_INPUT).',
      }),
      agencyName: t.arg.string({
        required: false,
        description:
          'Agency name, e.g. 中卫市科学技术局: the stored name, or another way the same agency prints it (with or without the province or city above it, as 宁夏回族自治区中卫市科学技术局).',
      }),
      year: t.arg.int({
        required: true,
        description: `Report year, e.g. 2020. A year outside ${FIRST_YEAR}–${LAST_YEAR} is refused (BAD_USER_INPUT, argument year).`,
      }),
    },
    resolve: async (query, _root, { agencyId, agencyName, year }, { db }) => {
      if (agencyId == null && !agencyName) {
        throw badUserInput('report() needs agencyId or agencyName.');
      }
      // Both, naming two agencies, answered null as if the agency had no report that year.
      if (agencyId != null && agencyName) {
        throw badUserInput('Give report() agencyId or agencyName, not both.', 'agencyName');
      }
      // A year no report can be of (20 for 2020) answered null, as if the agency had published
      // nothing that year; `reports(year:)` refuses the same year.
      const yearIssue = yearOutOfRange([year], 'year');
      if (yearIssue) throw badUserInput(yearIssue.message, 'year');
      const id =
        agencyId != null
          ? rowIdOf(agencyId, 'Agency', 'agencyId', badUserInput)
          : await agencyIdByName(db, agencyName ?? '');
      // A name no agency has is not "no report that year": null would say the report was not
      // published, where the name was not recognised.
      if (id === null) {
        const search = 'agencies(filter: {nameContains: …})';
        throw badUserInput(await unknownAgencyMessage(db, agencyName ?? '', search), 'agencyName');
      }
      return db.report.findFirst({ ...query, where: { year, agencyId: id } });
    },
  }),
  reports: t.prismaConnection(
    {
      type: 'Report',
      cursor: 'id',
      description: 'Stored reports, optionally for one year, ordered by id.',
      args: { year: t.arg.int({ required: false, description: 'Only reports for this year.' }) },
      maxSize: checkedMaxSize(badUserInput, (args: { year?: number | null }) => {
        const yearIssue = yearOutOfRange([args.year], 'year');
        if (yearIssue) throw badUserInput(yearIssue.message, 'year');
      }),
      // Without it a dashboard could not say how many reports a year holds, or how many pages
      // to expect, as it can of agencies and findings.
      totalCount: (_parent, args, { db }) => db.report.count({ where: reportsOfYear(args.year) }),
      resolve: (query, _root, args, { db }) => {
        const page = listPage(query, args, 'reports');
        return db.report.findMany({
          ...page.load,
          take: page.take,
          where: { AND: [reportsOfYear(args.year), idsBeyond(page)] },
          orderBy: { id: 'asc' },
        });
      },
    },
    reportCursors().connection,
    reportCursors().edge,
  ),
}));
