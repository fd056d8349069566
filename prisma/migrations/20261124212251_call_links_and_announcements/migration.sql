-- AlterTable
ALTER TABLE "Category" ADD COLUMN "notifyChannelId" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Assessment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "submissionKey" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "categoryId" TEXT NOT NULL,
    "categoryName" TEXT NOT NULL,
    "comment" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "offsetSeconds" REAL NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcomeUnknown" BOOLEAN NOT NULL DEFAULT false,
    "claimedUntil" DATETIME,
    "lastError" TEXT,
    "flexAssessmentSid" TEXT,
    "flexResponse" TEXT,
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "slackChannelId" TEXT,
    "slackMessageTs" TEXT,
    "slackThreadTs" TEXT,
    "slackResponseUrl" TEXT,
    "callUrl" TEXT,
    "source" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "postedAt" DATETIME,
    "reviewerNotifiedAt" DATETIME,
    "announcedAt" DATETIME,
    "announceAttempts" INTEGER NOT NULL DEFAULT 0,
    "announceNextAttemptAt" DATETIME,
    "announceError" TEXT,
    "agentNotifiedAt" DATETIME,
    CONSTRAINT "Assessment_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "Identity" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Assessment" ("agentId", "attempts", "categoryId", "categoryName", "claimedUntil", "comment", "createdAt", "flexAssessmentSid", "flexResponse", "id", "lastError", "nextAttemptAt", "offsetSeconds", "outcomeUnknown", "postedAt", "reviewerId", "reviewerNotifiedAt", "segmentId", "slackChannelId", "slackMessageTs", "slackResponseUrl", "slackTeamId", "slackThreadTs", "slackUserId", "source", "status", "submissionKey", "updatedAt") SELECT "agentId", "attempts", "categoryId", "categoryName", "claimedUntil", "comment", "createdAt", "flexAssessmentSid", "flexResponse", "id", "lastError", "nextAttemptAt", "offsetSeconds", "outcomeUnknown", "postedAt", "reviewerId", "reviewerNotifiedAt", "segmentId", "slackChannelId", "slackMessageTs", "slackResponseUrl", "slackTeamId", "slackThreadTs", "slackUserId", "source", "status", "submissionKey", "updatedAt" FROM "Assessment";
DROP TABLE "Assessment";
ALTER TABLE "new_Assessment" RENAME TO "Assessment";
CREATE UNIQUE INDEX "Assessment_submissionKey_key" ON "Assessment"("submissionKey");
CREATE INDEX "Assessment_status_announcedAt_idx" ON "Assessment"("status", "announcedAt");
CREATE INDEX "Assessment_status_nextAttemptAt_idx" ON "Assessment"("status", "nextAttemptAt");
CREATE INDEX "Assessment_segmentId_agentId_idx" ON "Assessment"("segmentId", "agentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
