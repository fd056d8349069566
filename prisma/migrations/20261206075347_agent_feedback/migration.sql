-- CreateTable
CREATE TABLE "Feedback" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackWorkspaceId" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL,
    "assessmentId" TEXT,
    "scorecardId" TEXT,
    "scorecardRevision" INTEGER NOT NULL DEFAULT 0,
    "slackTeamId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "agentSlackUserId" TEXT,
    "reviewerSlackUserId" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'new',
    "dmChannelId" TEXT,
    "dmMessageTs" TEXT,
    "notifiedAt" DATETIME,
    "notifyAttempts" INTEGER NOT NULL DEFAULT 0,
    "notifyNextAttemptAt" DATETIME,
    "notifyError" TEXT,
    "acknowledgedAt" DATETIME,
    "disputedAt" DATETIME,
    "disputeReason" TEXT,
    "disputeChannelId" TEXT,
    "disputeMessageTs" TEXT,
    "resolvedAt" DATETIME,
    "resolvedBySlackUserId" TEXT,
    "resolution" TEXT,
    "resolutionNote" TEXT,
    "revisedByAssessmentId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FeedbackEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "feedbackId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "slackUserId" TEXT,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "FeedbackEvent_feedbackId_fkey" FOREIGN KEY ("feedbackId") REFERENCES "Feedback" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MemberPreference" (
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "feedbackDmsMuted" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("slackTeamId", "slackUserId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Feedback_assessmentId_key" ON "Feedback"("assessmentId");

-- CreateIndex
CREATE UNIQUE INDEX "Feedback_scorecardId_key" ON "Feedback"("scorecardId");

-- CreateIndex
CREATE INDEX "Feedback_slackWorkspaceId_agentSlackUserId_createdAt_idx" ON "Feedback"("slackWorkspaceId", "agentSlackUserId", "createdAt");

-- CreateIndex
CREATE INDEX "Feedback_slackWorkspaceId_state_idx" ON "Feedback"("slackWorkspaceId", "state");

-- CreateIndex
CREATE INDEX "Feedback_notifiedAt_notifyNextAttemptAt_idx" ON "Feedback"("notifiedAt", "notifyNextAttemptAt");

-- CreateIndex
CREATE INDEX "Feedback_createdAt_idx" ON "Feedback"("createdAt");

-- CreateIndex
CREATE INDEX "FeedbackEvent_feedbackId_createdAt_idx" ON "FeedbackEvent"("feedbackId", "createdAt");
