-- AlterTable
ALTER TABLE "Assessment" ADD COLUMN "scorecardId" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Scorecard" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackWorkspaceId" TEXT NOT NULL DEFAULT '',
    "reviewerId" TEXT NOT NULL,
    "questionnaireSid" TEXT NOT NULL,
    "questionnaireName" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "offsetSeconds" REAL NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "notifiedRevision" INTEGER NOT NULL DEFAULT 0,
    "submissionKey" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "slackChannelId" TEXT,
    "slackMessageTs" TEXT,
    "slackThreadTs" TEXT,
    "slackResponseUrl" TEXT,
    "slackViewId" TEXT,
    "callUrl" TEXT,
    "announcedRevision" INTEGER NOT NULL DEFAULT 0,
    "announceAttempts" INTEGER NOT NULL DEFAULT 0,
    "announceNextAttemptAt" DATETIME,
    "announceError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Scorecard_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "Identity" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Scorecard" ("agentId", "callUrl", "createdAt", "id", "notifiedRevision", "offsetSeconds", "questionnaireName", "questionnaireSid", "reviewerId", "revision", "segmentId", "slackChannelId", "slackMessageTs", "slackResponseUrl", "slackTeamId", "slackThreadTs", "slackUserId", "slackViewId", "slackWorkspaceId", "submissionKey", "updatedAt") SELECT "agentId", "callUrl", "createdAt", "id", "notifiedRevision", "offsetSeconds", "questionnaireName", "questionnaireSid", "reviewerId", "revision", "segmentId", "slackChannelId", "slackMessageTs", "slackResponseUrl", "slackTeamId", "slackThreadTs", "slackUserId", "slackViewId", "slackWorkspaceId", "submissionKey", "updatedAt" FROM "Scorecard";
DROP TABLE "Scorecard";
ALTER TABLE "new_Scorecard" RENAME TO "Scorecard";
CREATE INDEX "Scorecard_notifiedRevision_revision_idx" ON "Scorecard"("notifiedRevision", "revision");
CREATE UNIQUE INDEX "Scorecard_slackWorkspaceId_reviewerId_segmentId_questionnaireSid_key" ON "Scorecard"("slackWorkspaceId", "reviewerId", "segmentId", "questionnaireSid");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Assessment_scorecardId_idx" ON "Assessment"("scorecardId");

-- Backfill: scorecards from before announcements are not announced now, long after the fact
UPDATE "Scorecard" SET "announcedRevision" = "revision";
