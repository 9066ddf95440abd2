-- CreateTable
CREATE TABLE "figure_aggregate" (
    "base" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "template_version" "TemplateVersion" NOT NULL,
    "province" VARCHAR(2) NOT NULL,
    "level" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "report_count" INTEGER NOT NULL,
    "cnt_v" INTEGER NOT NULL,
    "sum_v" DECIMAL NOT NULL,
    "cnt_ok" INTEGER NOT NULL,
    "sum_n" DECIMAL NOT NULL,
    "sum_d" DECIMAL NOT NULL,
    "w_absent" INTEGER NOT NULL,
    "w_not_reported" INTEGER NOT NULL,
    "w_missing" INTEGER NOT NULL,
    "w_unreadable" INTEGER NOT NULL,
    "w_division_by_zero" INTEGER NOT NULL,
    "share_n" DECIMAL NOT NULL,
    "share_t" DECIMAL NOT NULL,

    CONSTRAINT "figure_aggregate_pkey" PRIMARY KEY ("base","year","template_version","province","level","kind")
);

-- CreateTable
CREATE TABLE "aggregate_change" (
    "id" BIGSERIAL NOT NULL,
    "txid" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint,
    "report_id" INTEGER NOT NULL,
    "old_revision_id" INTEGER,
    "old_year" INTEGER,
    "old_region_code" VARCHAR(12),
    "old_level" TEXT,
    "old_kind" TEXT,

    CONSTRAINT "aggregate_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "aggregate_change_figures" (
    "txid" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint,
    "revision_id" INTEGER NOT NULL,
    "template_version" "TemplateVersion" NOT NULL,
    "statuses" BYTEA NOT NULL,
    "int_values" INTEGER[],
    "decimal_values" JSONB NOT NULL,

    CONSTRAINT "aggregate_change_figures_pkey" PRIMARY KEY ("txid","revision_id")
);

-- CreateTable
CREATE TABLE "aggregate_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "built" BOOLEAN NOT NULL,

    CONSTRAINT "aggregate_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "aggregate_change_txid_idx" ON "aggregate_change"("txid");

-- Maintenance of figure_aggregate (src/store/aggregate-maintenance.ts). The bases are computed
-- in TypeScript, where the figures already are, so these triggers only note what changed: per
-- report, the state it was counted in before the change (its revision, year and agency's
-- region, level and kind). flushAggregates() takes the notes of its own transaction, counts
-- the before-states out and the reports as they are now in, and deletes the notes; a deferred
-- check refuses to commit a transaction that left one, so no write path can skip the count.
-- Statement-level triggers with transition tables: a bulk statement adds one set of notes.

CREATE FUNCTION aggregate_change_on_report() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO aggregate_change (report_id) SELECT n.id FROM new_rows n;
  ELSIF TG_OP = 'UPDATE' THEN
    -- An import's upsert touches its report every time; only real changes are noted.
    INSERT INTO aggregate_change (report_id, old_revision_id, old_year, old_region_code, old_level, old_kind)
    SELECT o.id, o.current_revision_id, o.year, a.region_code, a.level::text, a.kind::text
    FROM old_rows o
    JOIN new_rows n ON n.id = o.id
    LEFT JOIN agency a ON a.id = o.agency_id
    WHERE (o.current_revision_id, o.agency_id, o.year) IS DISTINCT FROM (n.current_revision_id, n.agency_id, n.year);
  ELSE
    INSERT INTO aggregate_change (report_id, old_revision_id, old_year, old_region_code, old_level, old_kind)
    SELECT o.id, o.current_revision_id, o.year, a.region_code, a.level::text, a.kind::text
    FROM old_rows o LEFT JOIN agency a ON a.id = o.agency_id;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER aggregate_change_report_insert AFTER INSERT ON report
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION aggregate_change_on_report();
CREATE TRIGGER aggregate_change_report_update AFTER UPDATE ON report
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION aggregate_change_on_report();
CREATE TRIGGER aggregate_change_report_delete AFTER DELETE ON report
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION aggregate_change_on_report();

-- An agency's region, level or kind moves all its reports to other groups.
CREATE FUNCTION aggregate_change_on_agency() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO aggregate_change (report_id, old_revision_id, old_year, old_region_code, old_level, old_kind)
  SELECT r.id, r.current_revision_id, r.year, o.region_code, o.level::text, o.kind::text
  FROM old_rows o
  JOIN new_rows n ON n.id = o.id
  JOIN report r ON r.agency_id = o.id
  WHERE (o.region_code, o.level, o.kind) IS DISTINCT FROM (n.region_code, n.level, n.kind);
  RETURN NULL;
END
$fn$;

CREATE TRIGGER aggregate_change_agency_update AFTER UPDATE ON agency
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION aggregate_change_on_agency();

-- Figures written for a revision that is current already (counted from now on), or changed or
-- deleted under one: the figures it was counted with are kept until the change is counted out.
CREATE FUNCTION aggregate_change_on_figures() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO aggregate_change (report_id, old_year)
    SELECT r.id, r.year FROM new_rows n JOIN report r ON r.current_revision_id = n.revision_id;
    RETURN NULL;
  END IF;
  INSERT INTO aggregate_change_figures (revision_id, template_version, statuses, int_values, decimal_values)
  SELECT o.revision_id, o.template_version, o.statuses, o.int_values, o.decimal_values FROM old_rows o
  ON CONFLICT DO NOTHING;
  INSERT INTO aggregate_change (report_id, old_revision_id, old_year, old_region_code, old_level, old_kind)
  SELECT r.id, r.current_revision_id, r.year, a.region_code, a.level::text, a.kind::text
  FROM old_rows o
  JOIN report r ON r.current_revision_id = o.revision_id
  LEFT JOIN agency a ON a.id = r.agency_id;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER aggregate_change_figures_insert AFTER INSERT ON revision_figures
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION aggregate_change_on_figures();
CREATE TRIGGER aggregate_change_figures_update AFTER UPDATE ON revision_figures
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION aggregate_change_on_figures();
CREATE TRIGGER aggregate_change_figures_delete AFTER DELETE ON revision_figures
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION aggregate_change_on_figures();

-- TRUNCATE leaves nothing to count. DELETE, not TRUNCATE: the statement that fired this may be
-- truncating figure_aggregate itself (a test resetting every table).
CREATE FUNCTION aggregate_change_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM figure_aggregate;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER aggregate_change_report_truncate AFTER TRUNCATE ON report
  FOR EACH STATEMENT EXECUTE FUNCTION aggregate_change_on_truncate();

CREATE FUNCTION aggregate_change_left() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM aggregate_change WHERE id = NEW.id) THEN
    RAISE EXCEPTION 'report % changed but figure_aggregate was not brought up to date in the same transaction', NEW.report_id
      USING HINT = 'Write reports through the store (src/store/), which calls flushAggregates() before it commits. '
        'After changing reports by hand, run in the same transaction: DELETE FROM aggregate_change; '
        'INSERT INTO aggregate_state (id, built) VALUES (1, false) ON CONFLICT (id) DO UPDATE SET built = false; '
        'the next start of the server or the CLI rebuilds the aggregates.';
  END IF;
  RETURN NULL;
END
$fn$;

CREATE CONSTRAINT TRIGGER aggregate_change_counted AFTER INSERT ON aggregate_change
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION aggregate_change_left();

-- Reports stored before this migration are counted by the first start (built = false).
INSERT INTO aggregate_state (id, built) SELECT 1, NOT EXISTS (SELECT 1 FROM report);
