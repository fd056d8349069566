-- CreateTable
CREATE TABLE "Feedback" (
    "id" TEXT NOT NULL,
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
    "notifiedAt" TIMESTAMP(3),
    "notifyAttempts" INTEGER NOT NULL DEFAULT 0,
    "notifyNextAttemptAt" TIMESTAMP(3),
    "notifyError" TEXT,
    "acknowledgedAt" TIMESTAMP(3),
    "disputedAt" TIMESTAMP(3),
    "disputeReason" TEXT,
    "disputeChannelId" TEXT,
    "disputeMessageTs" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "resolvedBySlackUserId" TEXT,
    "resolution" TEXT,
    "resolutionNote" TEXT,
    "revisedByAssessmentId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeedbackEvent" (
    "id" TEXT NOT NULL,
    "feedbackId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "slackUserId" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FeedbackEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberPreference" (
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "feedbackDmsMuted" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemberPreference_pkey" PRIMARY KEY ("slackTeamId","slackUserId")
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

-- AddForeignKey
ALTER TABLE "FeedbackEvent" ADD CONSTRAINT "FeedbackEvent_feedbackId_fkey" FOREIGN KEY ("feedbackId") REFERENCES "Feedback"("id") ON DELETE CASCADE ON UPDATE CASCADE;
