-- CreateTable
CREATE TABLE "Identity" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "flexUserName" TEXT NOT NULL,
    "slackTeamId" TEXT,
    "slackUserId" TEXT,
    "agentId" TEXT,
    "role" TEXT NOT NULL DEFAULT 'reviewer',
    "flexAuthorizationSealed" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Identity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Category" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "sort" INTEGER NOT NULL DEFAULT 0,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Category_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Assessment" (
    "id" TEXT NOT NULL,
    "submissionKey" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "categoryId" TEXT NOT NULL,
    "categoryName" TEXT NOT NULL,
    "comment" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "offsetSeconds" DOUBLE PRECISION NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcomeUnknown" BOOLEAN NOT NULL DEFAULT false,
    "claimedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "flexAssessmentSid" TEXT,
    "flexResponse" TEXT,
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "slackChannelId" TEXT,
    "slackMessageTs" TEXT,
    "slackThreadTs" TEXT,
    "slackResponseUrl" TEXT,
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "postedAt" TIMESTAMP(3),
    "reviewerNotifiedAt" TIMESTAMP(3),

    CONSTRAINT "Assessment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Identity_email_key" ON "Identity"("email");

-- CreateIndex
CREATE INDEX "Identity_agentId_idx" ON "Identity"("agentId");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_slackTeamId_slackUserId_key" ON "Identity"("slackTeamId", "slackUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Assessment_submissionKey_key" ON "Assessment"("submissionKey");

-- CreateIndex
CREATE INDEX "Assessment_status_nextAttemptAt_idx" ON "Assessment"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Assessment_segmentId_agentId_idx" ON "Assessment"("segmentId", "agentId");

-- AddForeignKey
ALTER TABLE "Assessment" ADD CONSTRAINT "Assessment_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "Identity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
