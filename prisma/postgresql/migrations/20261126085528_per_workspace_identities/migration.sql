-- DropIndex
DROP INDEX "Identity_agentId_idx";

-- DropIndex
DROP INDEX "Identity_email_key";

-- DropIndex
DROP INDEX "Identity_flexWorkerSid_key";

-- DropIndex
DROP INDEX "Identity_slackTeamId_slackUserId_key";

-- DropIndex
DROP INDEX "IdentitySyncRun_finishedAt_idx";

-- AlterTable
ALTER TABLE "Identity" ADD COLUMN     "slackWorkspaceId" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "IdentitySyncRun" ADD COLUMN     "slackWorkspaceId" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "Identity_slackWorkspaceId_agentId_idx" ON "Identity"("slackWorkspaceId", "agentId");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_slackWorkspaceId_email_key" ON "Identity"("slackWorkspaceId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_slackWorkspaceId_flexWorkerSid_key" ON "Identity"("slackWorkspaceId", "flexWorkerSid");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_slackWorkspaceId_slackTeamId_slackUserId_key" ON "Identity"("slackWorkspaceId", "slackTeamId", "slackUserId");

-- CreateIndex
CREATE INDEX "IdentitySyncRun_slackWorkspaceId_finishedAt_idx" ON "IdentitySyncRun"("slackWorkspaceId", "finishedAt");

-- Backfill (by hand): an identity linked in a workspace that installed the app by OAuth belongs to that
-- workspace, and every other row stays in "" (the single workspace of SLACK_BOT_TOKEN). Emails and worker
-- SIDs were unique across all rows until now, so no workspace can hold a duplicate afterwards.
UPDATE "Identity" SET "slackWorkspaceId" = "slackTeamId"
WHERE "slackTeamId" IS NOT NULL AND "slackTeamId" IN (SELECT "id" FROM "Installation");
