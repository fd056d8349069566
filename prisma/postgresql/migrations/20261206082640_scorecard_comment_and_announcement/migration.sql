-- AlterTable
ALTER TABLE "Assessment" ADD COLUMN     "scorecardId" TEXT;

-- AlterTable
ALTER TABLE "Scorecard" ADD COLUMN     "announceAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "announceError" TEXT,
ADD COLUMN     "announceNextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "announcedRevision" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Assessment_scorecardId_idx" ON "Assessment"("scorecardId");

-- Backfill: scorecards from before announcements are not announced now, long after the fact
UPDATE "Scorecard" SET "announcedRevision" = "revision";
