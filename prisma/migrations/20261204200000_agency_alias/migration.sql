-- `agencies merge` deletes the merged agency; its identity key stays here, pointing at the
-- agency it was merged into, so later reports printed with its name are filed there
-- (src/store/merge-agencies.ts, src/store/agency-identity.ts).
-- CreateTable
CREATE TABLE "agency_alias" (
    "identity_key" TEXT NOT NULL,
    "agency_id" INTEGER NOT NULL,

    CONSTRAINT "agency_alias_pkey" PRIMARY KEY ("identity_key")
);

-- CreateIndex
CREATE INDEX "agency_alias_agency_id_idx" ON "agency_alias"("agency_id");

-- AddForeignKey
ALTER TABLE "agency_alias" ADD CONSTRAINT "agency_alias_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;
