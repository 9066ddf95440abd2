-- What `collect` fetched from agency websites: one row per report page or attachment URL,
-- so a re-run skips what is stored and asks the rest conditionally (ETag, Last-Modified).
-- CreateTable
CREATE TABLE "collected_document" (
    "url" TEXT NOT NULL,
    "final_url" TEXT NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,
    "etag" TEXT,
    "last_modified" TEXT,
    "sha256" CHAR(64),
    "status" TEXT NOT NULL,
    "report_revision_id" INTEGER,
    "failure" TEXT,

    CONSTRAINT "collected_document_pkey" PRIMARY KEY ("url")
);
