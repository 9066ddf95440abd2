import { unknownAgencyMessage } from '../../comparison/find-agencies.ts';
import {
  type AuditOf,
  baseName,
  damagedName,
  type ImportOutcome,
  importReport,
  invalidSourceUrl,
  type ParsedReport,
  type Problem,
  parseOrRefuse,
  recordAudit,
  type StoredRevision,
  storedReportEntry,
  useRevision,
  useRevisionAudit,
} from '../../import/index.ts';
import type { Principal } from '../../store/tokens.ts';
import { builder } from '../builder.ts';
import { InvalidInputError, ReportRejectedError } from './errors.ts';
import { ReportFailsChecksError } from './finding-types.ts';
import { ParseProblemRef } from './report.ts';

const ImportOutcomeEnum = builder.enumType('ImportOutcome', {
  description: 'What an import did.',
  values: {
    CREATED: { description: 'First report of this agency and year; stored as revision 1.' },
    NEW_REVISION: {
      description: 'The source differs from every stored one; added as the new current revision.',
    },
    RESTORED: {
      description:
        'The source is that of an earlier revision, which is current again (how a bad import is undone); its findings are recomputed.',
    },
    UNCHANGED: { description: 'The exact same source is the current revision; nothing was written.' },
  } as const,
});

const ImportReportInput = builder.inputType('ImportReportInput', {
  description:
    'A report source, up to 5 MiB (5,242,880 bytes, counted after base64 decoding). Give the text of a text or HTML file, or the file itself in base64: GBK text, PDF, DOC or DOCX.',
  fields: (t) => ({
    text: t.string({ required: false, description: 'The report text (tables tab- or pipe-separated).' }),
    base64: t.string({
      required: false,
      description:
        'The raw file bytes, base64: text or HTML in UTF-8, GBK/GB18030 or UTF-16 with a byte-order mark, PDF, Word (.doc, .docx); the format is read from the bytes.',
    }),
    fileName: t.string({ required: false, description: 'Name shown in messages and kept as provenance.' }),
    sourceUrl: t.string({
      required: false,
      description: 'Where the report was published; kept as provenance.',
    }),
    agencyName: t.string({ required: false, description: 'Overrides the agency name read from the header.' }),
    year: t.int({ required: false, description: 'Overrides the report year read from the title.' }),
    allowPartial: t.boolean({
      required: false,
      description:
        'Store a report with missing tables, rows or cells, recording them as gaps. Default false.',
    }),
    strict: t.boolean({
      required: false,
      description:
        'Reject, storing nothing, a report with error-level findings (table 3 or 4 not adding up). Default false: such a report is stored as published, with its findings.',
    }),
  }),
});

interface ImportPayload {
  outcome: ImportOutcome;
  reportId: number;
  revisionId: number;
  warnings: Problem[];
}

const ImportReportPayload = builder.objectRef<ImportPayload>('ImportReportPayload').implement({
  description: 'The stored report and what the import did.',
  fields: (t) => ({
    outcome: t.expose('outcome', {
      type: ImportOutcomeEnum,
      description: 'What the import did.',
    }),
    report: t.prismaField({
      type: 'Report',
      description: 'The report the source belongs to.',
      resolve: (query, p, _args, { db }) =>
        db.report.findUniqueOrThrow({ ...query, where: { id: p.reportId } }),
    }),
    revision: t.prismaField({
      type: 'ReportRevision',
      description: 'The revision this source is stored as (the existing one when UNCHANGED).',
      resolve: (query, p, _args, { db }) =>
        db.reportRevision.findUniqueOrThrow({ ...query, where: { id: p.revisionId } }),
    }),
    warnings: t.expose('warnings', {
      type: [ParseProblemRef],
      description: 'Things stored but worth a look, e.g. rows not in the template kept as extras.',
    }),
  }),
});

/** Uploads above this size are refused before parsing; real reports are well under 1 MB of text. */
export const MAX_REPORT_BYTES = 5 * 1024 * 1024;

/** Refuses a file over MAX_REPORT_BYTES, saying how to read it anyway. */
export function checkReportSize(bytes: Uint8Array): void {
  if (bytes.length <= MAX_REPORT_BYTES) return;
  throw new InvalidInputError(
    `The file is ${bytes.length.toLocaleString('en')} bytes; the API takes files of up to ${MAX_REPORT_BYTES.toLocaleString('en')} bytes (5 MiB). A disclosure report is far smaller: check that this is the report itself, or read it with the command line (npm run cli -- import FILE), which has no such limit.`,
    'input',
  );
}

export function sourceBytes(input: { text?: string | null; base64?: string | null }): Uint8Array {
  if ((input.text == null) === (input.base64 == null)) {
    throw new InvalidInputError('Give exactly one of input.text or input.base64.', 'input');
  }
  if (input.text != null) return new TextEncoder().encode(input.text);
  const base64 = input.base64 ?? '';
  if (!/^[A-Za-z0-9+/\s]*={0,2}$/.test(base64)) {
    throw new InvalidInputError('input.base64 is not valid base64.', 'input.base64');
  }
  return Buffer.from(base64, 'base64');
}

/** The name an upload is known by (its base name), refused when it is damaged. */
export function uploadName(input: { fileName?: string | null }): string {
  const name = baseName(input.fileName ?? 'upload') ?? 'upload';
  const damaged = damagedName(name);
  if (damaged)
    throw new InvalidInputError(`input.fileName ${JSON.stringify(name)} ${damaged}.`, 'input.fileName');
  return name;
}

/** The audit entry of a stored import through the API. */
const importAudit = (
  actor: Principal,
  fileName: string | null | undefined,
  report: Pick<ParsedReport, 'agencyName' | 'year'>,
): AuditOf<StoredRevision> => ({
  actor,
  entry: (stored) =>
    storedReportEntry('importReport', { fileName, agency: report.agencyName, year: report.year }, stored),
});

builder.mutationField('importReport', (t) =>
  t.field({
    type: ImportReportPayload,
    description:
      'Parses one report and stores it in a single transaction. Re-importing the same source changes nothing; a changed source for the same agency and year adds a new current revision. A report that cannot be read, or is incomplete without allowPartial, is rejected with every problem located and nothing stored. A report whose figures do not add up is stored as published, with its findings (`revision.findings`), unless `strict` is set.',
    errors: {
      types: [ReportRejectedError, ReportFailsChecksError, InvalidInputError],
      directResult: true,
      union: { name: 'ImportReportResult', description: 'The stored report, or why nothing was stored.' },
    },
    args: {
      input: t.arg({ type: ImportReportInput, required: true, description: 'The source and options.' }),
    },
    resolve: async (_root, { input }, ctx) => {
      const { db, auth } = ctx;
      const bytes = sourceBytes(input);
      checkReportSize(bytes);
      await ctx.chargeUpload(bytes.length);
      const fileName = uploadName(input);
      const audit = (outcome: string, detail: Record<string, unknown>) =>
        auth.kind === 'token'
          ? recordAudit(db, auth.principal, {
              action: 'importReport',
              outcome,
              // The name as validated: the client's raw text may not be storable.
              detail: { fileName, ...detail },
            })
          : Promise.resolve();
      const badUrl = input.sourceUrl == null ? null : invalidSourceUrl(input.sourceUrl);
      if (badUrl) throw new InvalidInputError(`input.sourceUrl ${badUrl}.`, 'input.sourceUrl');
      // Refused naming the field, as a damaged file name is: the parser refused it as the
      // report's, and told the caller to pass the name it had just passed.
      const damagedAgency = input.agencyName ? damagedName(input.agencyName) : null;
      if (damagedAgency)
        throw new InvalidInputError(
          `input.agencyName ${JSON.stringify(input.agencyName)} ${damagedAgency}.`,
          'input.agencyName',
        );
      const parseOptions = {
        allowPartial: input.allowPartial ?? false,
        ...(input.agencyName ? { agencyName: input.agencyName } : {}),
        ...(input.year ? { year: input.year } : {}),
      };
      const parsed = await parseOrRefuse(ctx, bytes, parseOptions);
      // A stored report's entry is written in its transaction (no report without one); a
      // rejection stored nothing and is recorded after.
      const result = await importReport(
        db,
        { bytes, fileName, sourceUrl: input.sourceUrl ?? null, parsed },
        {
          ...parseOptions,
          strict: input.strict ?? false,
          ...(auth.kind === 'token' && parsed.result.ok
            ? { audit: importAudit(auth.principal, fileName, parsed.result.report) }
            : {}),
        },
      );
      if (!result.ok) {
        // The first problem's code and words, as the CLI records a rejection's reason: a refusal
        // under load (a parse time limit) is told from a bad file in the log itself.
        const first = result.problems[0];
        await audit('REJECTED', {
          problems: result.problems.length,
          findings: result.findings?.length ?? 0,
          ...(first ? { code: first.code, reason: first.message } : {}),
        });
        if (result.findings) throw new ReportFailsChecksError(fileName, result.findings);
        throw new ReportRejectedError(fileName, result.problems);
      }
      return {
        outcome: result.value.outcome,
        reportId: result.value.reportId,
        revisionId: result.value.revisionId,
        warnings: result.value.parsed.warnings,
      };
    },
  }),
);

builder.mutationField('useRevision', (t) =>
  t.prismaField({
    type: 'Report',
    description:
      'Makes an earlier stored revision of a report current again (undoes a bad import without re-sending a file). Its findings and the next year’s cross-year findings are recomputed; the change is recorded in the audit log. Needs a token with the admin scope. A refusal is InvalidInputError naming the argument at fault: `agencyName` (no stored agency prints that name; the agencies the name search finds are named), `year` (the agency has no report that year) or `number` (the report has no such revision; its revisions are listed).',
    authScopes: { scope: 'admin' },
    errors: {
      types: [InvalidInputError],
      result: { name: 'UseRevisionSuccess', description: 'The report, with the chosen revision current.' },
      dataField: { description: 'The report.' },
      union: { name: 'UseRevisionResult', description: 'The report, or why the revision cannot be chosen.' },
    },
    args: {
      agencyName: t.arg.string({
        required: true,
        description:
          'The agency: its stored name, or another way it prints it (with or without its province).',
      }),
      year: t.arg.int({ required: true, description: 'The report year.' }),
      number: t.arg.int({ required: true, description: 'The revision number to make current.' }),
    },
    resolve: async (query, _root, { agencyName, year, number }, { db, auth }) => {
      const target = { agencyName, year, number };
      const result = await useRevision(
        db,
        target,
        auth.kind === 'token' ? useRevisionAudit(auth.principal, target) : undefined,
      );
      // Every refusal named `number`, also a name no agency has or a year without a report.
      if (!result.ok && result.argument === 'agencyName') {
        const search = 'agencies(filter: {nameContains: …})';
        throw new InvalidInputError(await unknownAgencyMessage(db, agencyName, search), 'agencyName');
      }
      if (!result.ok) throw new InvalidInputError(result.message, result.argument);
      // A selection without `data` (only __typename) leaves the query an empty select, which
      // Prisma refuses; the change is made by then, so the answer must not be an error.
      const select =
        'select' in query && Object.keys(query.select ?? {}).length === 0 ? { select: { id: true } } : query;
      return db.report.findUniqueOrThrow({ ...select, where: { id: result.reportId } });
    },
  }),
);
