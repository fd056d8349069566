-- AlterTable
ALTER TABLE "Identity" ADD COLUMN "flexWorkerSid" TEXT;

-- CreateTable
CREATE TABLE "IdentitySyncRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "startedBy" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "report" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "LinkRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "identityId" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedBySlackUserId" TEXT,
    "decidedAt" DATETIME,
    "adminMessages" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "LinkRequest_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "IdentitySyncRun_finishedAt_idx" ON "IdentitySyncRun"("finishedAt");

-- CreateIndex
CREATE INDEX "LinkRequest_slackTeamId_slackUserId_status_idx" ON "LinkRequest"("slackTeamId", "slackUserId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_flexWorkerSid_key" ON "Identity"("flexWorkerSid");
