-- CreateTable
CREATE TABLE "collect_host" (
    "host" TEXT NOT NULL,
    "next_start" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "collect_host_pkey" PRIMARY KEY ("host")
);
