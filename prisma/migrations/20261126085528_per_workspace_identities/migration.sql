-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Identity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackWorkspaceId" TEXT NOT NULL DEFAULT '',
    "email" TEXT NOT NULL,
    "flexUserName" TEXT NOT NULL,
    "slackTeamId" TEXT,
    "slackUserId" TEXT,
    "agentId" TEXT,
    "role" TEXT NOT NULL DEFAULT 'reviewer',
    "flexAuthorizationSealed" TEXT,
    "flexWorkerSid" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Identity" ("active", "agentId", "createdAt", "email", "flexAuthorizationSealed", "flexUserName", "flexWorkerSid", "id", "role", "slackTeamId", "slackUserId", "updatedAt") SELECT "active", "agentId", "createdAt", "email", "flexAuthorizationSealed", "flexUserName", "flexWorkerSid", "id", "role", "slackTeamId", "slackUserId", "updatedAt" FROM "Identity";
DROP TABLE "Identity";
ALTER TABLE "new_Identity" RENAME TO "Identity";
CREATE INDEX "Identity_slackWorkspaceId_agentId_idx" ON "Identity"("slackWorkspaceId", "agentId");
CREATE UNIQUE INDEX "Identity_slackWorkspaceId_email_key" ON "Identity"("slackWorkspaceId", "email");
CREATE UNIQUE INDEX "Identity_slackWorkspaceId_flexWorkerSid_key" ON "Identity"("slackWorkspaceId", "flexWorkerSid");
CREATE UNIQUE INDEX "Identity_slackWorkspaceId_slackTeamId_slackUserId_key" ON "Identity"("slackWorkspaceId", "slackTeamId", "slackUserId");
CREATE TABLE "new_IdentitySyncRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackWorkspaceId" TEXT NOT NULL DEFAULT '',
    "startedBy" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "report" TEXT NOT NULL
);
INSERT INTO "new_IdentitySyncRun" ("finishedAt", "id", "report", "startedAt", "startedBy") SELECT "finishedAt", "id", "report", "startedAt", "startedBy" FROM "IdentitySyncRun";
DROP TABLE "IdentitySyncRun";
ALTER TABLE "new_IdentitySyncRun" RENAME TO "IdentitySyncRun";
CREATE INDEX "IdentitySyncRun_slackWorkspaceId_finishedAt_idx" ON "IdentitySyncRun"("slackWorkspaceId", "finishedAt");
-- Backfill (by hand): an identity linked in a workspace that installed the app by OAuth belongs to that
-- workspace, and every other row stays in "" (the single workspace of SLACK_BOT_TOKEN). Emails and worker
-- SIDs were unique across all rows until now, so no workspace can hold a duplicate afterwards.
UPDATE "Identity" SET "slackWorkspaceId" = "slackTeamId"
WHERE "slackTeamId" IS NOT NULL AND "slackTeamId" IN (SELECT "id" FROM "Installation");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
