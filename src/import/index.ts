/**
 * The import use case, for the GraphQL API and the CLI alike: single import, bulk import,
 * dry run and validate-only. It orchestrates ingest (parsing), validation (rules) and store
 * (transactions); callers import from here, not from those stages.
 */
export { type DocumentParseResult, parseDocument } from '../ingest/document.ts';
export {
  createInlineTextPool,
  createParsePool,
  ParseLimitError,
  type ParsePool,
  parseOrRefuse,
  readParseLimits,
} from '../ingest/parse-pool.ts';
export type { ParseOptions } from '../ingest/parse-report.ts';
export { damagedName } from '../ingest/text.ts';
export type { ParsedReport, Problem } from '../ingest/types.ts';
export {
  type AuditOf,
  cliActor,
  recordAudit,
  recordAudits,
  storedReportEntry,
} from '../store/audit-log.ts';
export {
  findStoredSources,
  type ImportOutcome,
  type StoredRevision,
  type StoredSource,
  sha256,
} from '../store/import-report.ts';
export { baseName } from '../store/revisions.ts';
export { type FindingDraft, isBlocking } from '../validation/check.ts';
export { type BulkImportOptions, type BulkProgress, type BulkResult, bulkImport } from './bulk-import.ts';
export {
  announceCommitted,
  type CommitListener,
  type CommittedImport,
  type ImportAnnouncement,
  onCommitted,
} from './committed.ts';
export {
  type FailedCheckProblem,
  formatProblems,
  type ImportOptions,
  type ImportResult,
  importReport,
  invalidSourceUrl,
  type ReportSource,
  type StoredReport,
  sourceUrlNotRecorded,
} from './import-report.ts';
export {
  listRevisions,
  type RevisionListing,
  type UseRevisionResult,
  useRevision,
  useRevisionAudit,
} from './use-revision.ts';
export {
  checkAgainstStored,
  checkAlone,
  type FileResult,
  type RuleCount,
  recheckStored,
  type SourceFile,
  validateSources,
} from './validate.ts';
