-- CreateTable
CREATE TABLE "LinkAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "LinkAttempt_slackTeamId_slackUserId_createdAt_idx" ON "LinkAttempt"("slackTeamId", "slackUserId", "createdAt");

-- CreateIndex
CREATE INDEX "LinkAttempt_createdAt_idx" ON "LinkAttempt"("createdAt");
