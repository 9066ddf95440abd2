-- `import` asks, before parsing, which of its files are stored already, by checksum alone
-- (src/store/import-report.ts findStoredSources). Without an index each question read the
-- whole of report_revision: an import of 18,000 files slowed from 214 to 96 files/s as the
-- table grew, and a million-report database would scan gigabytes per question.
-- CreateIndex
CREATE INDEX "report_revision_source_sha256_idx" ON "report_revision"("source_sha256");
