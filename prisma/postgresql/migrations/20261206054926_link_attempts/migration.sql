-- CreateTable
CREATE TABLE "LinkAttempt" (
    "id" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LinkAttempt_slackTeamId_slackUserId_createdAt_idx" ON "LinkAttempt"("slackTeamId", "slackUserId", "createdAt");

-- CreateIndex
CREATE INDEX "LinkAttempt_createdAt_idx" ON "LinkAttempt"("createdAt");
