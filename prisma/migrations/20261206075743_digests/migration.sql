-- AlterTable
ALTER TABLE "Identity" ADD COLUMN "teamName" TEXT;

-- CreateTable
CREATE TABLE "DigestRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackWorkspaceId" TEXT NOT NULL DEFAULT '',
    "audience" TEXT NOT NULL,
    "periodEnd" TEXT NOT NULL,
    "claimedBy" TEXT,
    "claimedUntil" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "channelId" TEXT,
    "messageTs" TEXT,
    "chartFileId" TEXT,
    "chartSharedAt" DATETIME,
    "sentAt" DATETIME,
    "outcome" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "DigestRun_sentAt_claimedUntil_idx" ON "DigestRun"("sentAt", "claimedUntil");

-- CreateIndex
CREATE UNIQUE INDEX "DigestRun_slackWorkspaceId_audience_periodEnd_key" ON "DigestRun"("slackWorkspaceId", "audience", "periodEnd");
