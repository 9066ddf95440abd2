-- A revision's imported_at is when it was written, not when its transaction began: a revision whose
-- import waited for another import's lock on its report was dated before the revision it follows.
-- A trigger, not the column's default: Prisma's schema engine cannot read a clock_timestamp()
-- default, and COPY (the bulk import) fires it too.
CREATE FUNCTION "revision_imported_at_written"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."imported_at" := clock_timestamp();
  RETURN NEW;
END
$$;

CREATE TRIGGER "report_revision_imported_at" BEFORE INSERT ON "report_revision"
  FOR EACH ROW EXECUTE FUNCTION "revision_imported_at_written"();
