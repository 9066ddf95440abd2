-- CreateEnum
CREATE TYPE "TemplateVersion" AS ENUM ('V2019', 'V2021');

-- CreateEnum
CREATE TYPE "AdministrativeLevel" AS ENUM ('NATIONAL', 'PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP');

-- CreateEnum
CREATE TYPE "AgencyKind" AS ENUM ('GOVERNMENT', 'DEPARTMENT', 'OTHER');

-- CreateEnum
CREATE TYPE "CellStatus" AS ENUM ('REPORTED', 'NOT_REPORTED', 'MISSING');

-- CreateTable
CREATE TABLE "region" (
    "code" VARCHAR(12) NOT NULL,
    "name" TEXT NOT NULL,
    "level" "AdministrativeLevel" NOT NULL,
    "parent_code" VARCHAR(12),

    CONSTRAINT "region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "agency" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "region_code" VARCHAR(12),
    "level" "AdministrativeLevel",
    "kind" "AgencyKind",
    "synthetic" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report" (
    "id" SERIAL NOT NULL,
    "agency_id" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "current_revision_id" INTEGER,

    CONSTRAINT "report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_revision" (
    "id" SERIAL NOT NULL,
    "report_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "template_version" "TemplateVersion" NOT NULL,
    "agency_name_as_printed" TEXT NOT NULL,
    "title" TEXT,
    "published_on" DATE,
    "contact" JSONB NOT NULL DEFAULT '{}',
    "narrative" JSONB NOT NULL DEFAULT '[]',
    "gaps" JSONB NOT NULL DEFAULT '[]',
    "source_bytes" BYTEA NOT NULL,
    "source_sha256" CHAR(64) NOT NULL,
    "source_encoding" TEXT NOT NULL,
    "source_format" TEXT NOT NULL,
    "source_file_name" TEXT,
    "source_url" TEXT,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_revision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cell_value" (
    "revision_id" INTEGER NOT NULL,
    "cell_code" VARCHAR(64) NOT NULL,
    "value" DECIMAL(18,4),
    "status" "CellStatus" NOT NULL,
    "raw_text" TEXT,
    "source_line" INTEGER,

    CONSTRAINT "cell_value_pkey" PRIMARY KEY ("revision_id","cell_code")
);

-- CreateIndex
CREATE INDEX "region_parent_code_idx" ON "region"("parent_code");

-- CreateIndex
CREATE UNIQUE INDEX "agency_name_key" ON "agency"("name");

-- CreateIndex
CREATE INDEX "agency_region_code_idx" ON "agency"("region_code");

-- CreateIndex
CREATE UNIQUE INDEX "report_current_revision_id_key" ON "report"("current_revision_id");

-- CreateIndex
CREATE INDEX "report_year_idx" ON "report"("year");

-- CreateIndex
CREATE UNIQUE INDEX "report_agency_id_year_key" ON "report"("agency_id", "year");

-- CreateIndex
CREATE UNIQUE INDEX "report_revision_report_id_number_key" ON "report_revision"("report_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "report_revision_report_id_source_sha256_key" ON "report_revision"("report_id", "source_sha256");

-- CreateIndex
CREATE INDEX "cell_value_cell_code_idx" ON "cell_value"("cell_code");

-- AddForeignKey
ALTER TABLE "region" ADD CONSTRAINT "region_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "region"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agency" ADD CONSTRAINT "agency_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report" ADD CONSTRAINT "report_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report" ADD CONSTRAINT "report_current_revision_id_fkey" FOREIGN KEY ("current_revision_id") REFERENCES "report_revision"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_revision" ADD CONSTRAINT "report_revision_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "report"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cell_value" ADD CONSTRAINT "cell_value_revision_id_fkey" FOREIGN KEY ("revision_id") REFERENCES "report_revision"("id") ON DELETE CASCADE ON UPDATE CASCADE;
