-- CreateTable
CREATE TABLE "collection_run" (
    "id" SERIAL NOT NULL,
    "seeds" TEXT[],
    "settings" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "max_reports" INTEGER,
    "taken" INTEGER NOT NULL DEFAULT 0,
    "started_by" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "collection_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "collection_item" (
    "run_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT,
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "outcome" TEXT,
    "reason" TEXT,
    "revision_id" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "worker" TEXT,
    "job_id" TEXT,
    "taken_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "collection_item_pkey" PRIMARY KEY ("run_id","kind","url")
);

-- CreateIndex
CREATE INDEX "collection_run_started_at_idx" ON "collection_run"("started_at");

-- CreateIndex
CREATE INDEX "collection_item_run_id_state_idx" ON "collection_item"("run_id", "state");

-- AddForeignKey
ALTER TABLE "collection_item" ADD CONSTRAINT "collection_item_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "collection_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
