/**
 * validateReport: checks a source against every rule without storing it, including the
 * cross-year rules against the agency's stored reports of the year before and after.
 */
import { GraphQLError } from 'graphql';
import { checkAgainstStored, type FindingDraft, isBlocking, parseOrRefuse } from '../../import/index.ts';
import { builder, type Context } from '../builder.ts';
import { TemplateVersionEnum } from './catalogue.ts';
import { InvalidInputError, ReportRejectedError } from './errors.ts';
import { compareSeverity, ValidationFindingRef } from './finding-types.ts';
import { checkReportSize, sourceBytes, uploadName } from './import.ts';

const hasImportScope = (ctx: Context) =>
  ctx.auth.kind === 'token' &&
  (ctx.auth.principal.scopes.includes('import') || ctx.auth.principal.scopes.includes('admin'));

const ValidateReportInput = builder.inputType('ValidateReportInput', {
  description:
    'A report source to check, up to 5 MiB (5,242,880 bytes, counted after base64 decoding). Give the text, or the file itself in base64: GBK text, PDF, DOC or DOCX.',
  fields: (t) => ({
    text: t.string({ required: false, description: 'The report text (tables tab- or pipe-separated).' }),
    base64: t.string({
      required: false,
      description: 'The raw file bytes, base64; text in UTF-8, GBK/GB18030 or UTF-16 with a byte-order mark.',
    }),
    fileName: t.string({ required: false, description: 'Name shown in messages.' }),
    agencyName: t.string({ required: false, description: 'Overrides the agency name read from the header.' }),
    year: t.int({ required: false, description: 'Overrides the report year read from the title.' }),
    allowPartial: t.boolean({
      required: false,
      description:
        'Check a report with missing tables, rows or cells instead of rejecting it. Default false.',
    }),
  }),
});

interface ValidationResult {
  agencyName: string;
  year: number;
  templateVersion: 'V2019' | 'V2021';
  findings: FindingDraft[];
  comparedWithYears: number[];
}

const ValidateReportPayload = builder.objectRef<ValidationResult>('ValidateReportPayload').implement({
  description: 'What the rules say about a report that was not stored.',
  fields: (t) => ({
    agencyName: t.exposeString('agencyName', { description: 'Agency name read from the report.' }),
    year: t.exposeInt('year', { description: 'Report year read from the report.' }),
    templateVersion: t.expose('templateVersion', {
      type: TemplateVersionEnum,
      description: 'Template detected from the table headers.',
    }),
    findings: t.expose('findings', {
      type: [ValidationFindingRef],
      description:
        "Findings, most serious first: the report's own, and cross-year ones against the stored reports of the year before and after.",
    }),
    errorCount: t.int({
      description: 'Number of error-level findings.',
      resolve: (r) => r.findings.filter(isBlocking).length,
    }),
    passes: t.boolean({
      description: 'No error-level findings: a strict import would accept the report.',
      resolve: (r) => !r.findings.some(isBlocking),
    }),
    comparedWithYears: t.exposeIntList('comparedWithYears', {
      description: "Years of this agency's stored reports that the cross-year rules compared against.",
    }),
  }),
});

builder.queryFields((t) => ({
  validateReport: t.field({
    type: ValidateReportPayload,
    description:
      "Checks a report against every rule without storing anything. Cross-year rules compare it with the agency's stored reports of the year before and after.",
    errors: {
      types: [ReportRejectedError, InvalidInputError],
      directResult: true,
      union: {
        name: 'ValidateReportResult',
        description: 'The findings, or why the report could not be read.',
      },
    },
    args: {
      input: t.arg({ type: ValidateReportInput, required: true, description: 'The source and options.' }),
    },
    resolve: async (_root, { input }, ctx) => {
      const { db } = ctx;
      if (ctx.validateRequiresToken && !(ctx.auth.kind === 'token' && hasImportScope(ctx))) {
        throw new GraphQLError(
          'validateReport needs an API token with the import scope on this server (VALIDATE_REQUIRES_TOKEN): send "Authorization: Bearer <token>".',
          { extensions: { code: ctx.auth.kind === 'token' ? 'FORBIDDEN' : 'UNAUTHENTICATED' } },
        );
      }
      const bytes = sourceBytes(input);
      await ctx.chargeUpload(bytes.length);
      checkReportSize(bytes);
      const fileName = uploadName(input);
      const { result } = await parseOrRefuse(ctx, bytes, {
        allowPartial: input.allowPartial ?? false,
        ...(input.agencyName ? { agencyName: input.agencyName } : {}),
        ...(input.year ? { year: input.year } : {}),
      });
      if (!result.ok) throw new ReportRejectedError(fileName, result.problems);
      const parsed = result.report;
      const { findings, comparedWithYears } = await checkAgainstStored(db, parsed);
      return {
        agencyName: parsed.agencyName,
        year: parsed.year,
        templateVersion: parsed.templateVersion,
        findings: findings.sort(compareSeverity),
        comparedWithYears,
      };
    },
  }),
}));
