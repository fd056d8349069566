-- AlterTable
ALTER TABLE "Identity" ADD COLUMN     "teamName" TEXT;

-- CreateTable
CREATE TABLE "DigestRun" (
    "id" TEXT NOT NULL,
    "slackWorkspaceId" TEXT NOT NULL DEFAULT '',
    "audience" TEXT NOT NULL,
    "periodEnd" TEXT NOT NULL,
    "claimedBy" TEXT,
    "claimedUntil" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "channelId" TEXT,
    "messageTs" TEXT,
    "chartFileId" TEXT,
    "chartSharedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "outcome" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DigestRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DigestRun_sentAt_claimedUntil_idx" ON "DigestRun"("sentAt", "claimedUntil");

-- CreateIndex
CREATE UNIQUE INDEX "DigestRun_slackWorkspaceId_audience_periodEnd_key" ON "DigestRun"("slackWorkspaceId", "audience", "periodEnd");
