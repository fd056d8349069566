-- CreateIndex
CREATE INDEX "Identity_slackWorkspaceId_slackUserId_idx" ON "Identity"("slackWorkspaceId", "slackUserId");
