-- Agency name search: a trigram index serves `name LIKE '%…%'` (src/comparison/agencies.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
-- The operator class is named with the schema pg_trgm lives in: a database migrated into a
-- second schema finds the extension already created in the first, outside its search_path.
DO $$
DECLARE
  trgm_schema text;
BEGIN
  SELECT n.nspname INTO trgm_schema
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname = 'pg_trgm';
  EXECUTE format('CREATE INDEX "agency_name_idx" ON "agency" USING GIN ("name" %I.gin_trgm_ops)', trgm_schema);
END $$;
