-- CreateTable
CREATE TABLE "report_fact" (
    "report_id" INTEGER NOT NULL,
    "agency_id" INTEGER NOT NULL,
    "revision_id" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "template_version" "TemplateVersion" NOT NULL,
    "n" DECIMAL[],
    "d" DECIMAL[],
    "w" TEXT[],

    CONSTRAINT "report_fact_pkey" PRIMARY KEY ("report_id")
);

-- CreateIndex
CREATE INDEX "report_fact_year_agency_id_idx" ON "report_fact"("year", "agency_id");

-- CreateIndex
CREATE INDEX "report_fact_agency_id_idx" ON "report_fact"("agency_id");

-- The stored reports' narrow rows are written by the next start's rebuild of the aggregates.
INSERT INTO aggregate_state (id, built) SELECT 1, false WHERE EXISTS (SELECT 1 FROM report)
ON CONFLICT (id) DO UPDATE SET built = false;

-- TRUNCATE of report leaves no narrow rows either.
CREATE OR REPLACE FUNCTION aggregate_change_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM figure_aggregate;
  DELETE FROM report_fact;
  RETURN NULL;
END
$fn$;
