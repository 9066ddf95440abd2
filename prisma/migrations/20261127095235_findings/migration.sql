-- CreateEnum
CREATE TYPE "FindingSeverity" AS ENUM ('ERROR', 'WARNING', 'INFO');

-- CreateEnum
CREATE TYPE "FindingStatus" AS ENUM ('VIOLATED', 'INCOMPLETE');

-- CreateTable
CREATE TABLE "finding" (
    "id" SERIAL NOT NULL,
    "revision_id" INTEGER NOT NULL,
    "other_revision_id" INTEGER,
    "rule_id" VARCHAR(64) NOT NULL,
    "severity" "FindingSeverity" NOT NULL,
    "status" "FindingStatus" NOT NULL,
    "scope" VARCHAR(64) NOT NULL,
    "cells" JSONB NOT NULL,
    "expected" DECIMAL(18,4),
    "actual" DECIMAL(18,4),
    "difference" DECIMAL(18,4),
    "message_zh" TEXT NOT NULL,
    "message_en" TEXT NOT NULL,
    "evidence" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "finding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "finding_revision_id_rule_id_idx" ON "finding"("revision_id", "rule_id");

-- CreateIndex
CREATE INDEX "finding_other_revision_id_idx" ON "finding"("other_revision_id");

-- CreateIndex
CREATE INDEX "finding_rule_id_severity_idx" ON "finding"("rule_id", "severity");

-- AddForeignKey
ALTER TABLE "finding" ADD CONSTRAINT "finding_revision_id_fkey" FOREIGN KEY ("revision_id") REFERENCES "report_revision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding" ADD CONSTRAINT "finding_other_revision_id_fkey" FOREIGN KEY ("other_revision_id") REFERENCES "report_revision"("id") ON DELETE CASCADE ON UPDATE CASCADE;
