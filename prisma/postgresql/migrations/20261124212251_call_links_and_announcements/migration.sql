-- AlterTable
ALTER TABLE "Assessment" ADD COLUMN     "agentNotifiedAt" TIMESTAMP(3),
ADD COLUMN     "announceAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "announceError" TEXT,
ADD COLUMN     "announceNextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "announcedAt" TIMESTAMP(3),
ADD COLUMN     "callUrl" TEXT;

-- AlterTable
ALTER TABLE "Category" ADD COLUMN     "notifyChannelId" TEXT;

-- CreateIndex
CREATE INDEX "Assessment_status_announcedAt_idx" ON "Assessment"("status", "announcedAt");
