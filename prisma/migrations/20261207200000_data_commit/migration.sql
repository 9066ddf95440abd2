-- The response cache's data version was the whole database's snapshot, so every commit moved it:
-- a collection run's items, a token's last use, the job queue's upkeep, the audit entry of a
-- refused upload each emptied the cache for every dashboard. Now each transaction that changes
-- what queries read records itself here (a statement trigger on every table but those no cached
-- query reads), and the version is the newest such transaction a snapshot sees (see
-- src/store/data-version.ts).
CREATE TABLE "data_commit" (
    "txid" BIGINT NOT NULL,

    CONSTRAINT "data_commit_pkey" PRIMARY KEY ("txid")
);

CREATE FUNCTION "data_committed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "data_commit" ("txid") VALUES (txid_current()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

-- Every table of this schema but those below, the migrations' own included (a migration may
-- change answers); a test checks that each table has the trigger or is named here.
DO $$
DECLARE
  name text;
BEGIN
  FOR name IN
    SELECT tablename FROM pg_tables
    WHERE schemaname = current_schema()
      AND tablename NOT IN ('data_commit', 'api_token', 'audit_log', 'collection_run',
                            'collection_item', 'collect_host', 'collected_document')
  LOOP
    EXECUTE format(
      'CREATE TRIGGER "data_commit" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION "data_committed"()', name);
  END LOOP;
END
$$;

INSERT INTO "data_commit" ("txid") VALUES (txid_current());
