-- One agency printed under several names (宁夏回族自治区中卫市沙坡头区财政局, 中卫市沙坡头区财政局)
-- was stored as several agencies, each with part of its reports. Imports now find an agency by
-- this key (src/catalogue/regions.ts agencyIdentityKey). Rows stored before it are given theirs
-- when the database is next opened (src/store/agency-identity.ts assignIdentityKeys), where a
-- SQL migration cannot compute it.
-- AlterTable
ALTER TABLE "agency" ADD COLUMN     "identity_key" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "agency_identity_key_key" ON "agency"("identity_key");
