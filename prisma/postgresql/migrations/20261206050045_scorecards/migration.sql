-- CreateTable
CREATE TABLE "Questionnaire" (
    "id" TEXT NOT NULL,
    "slackWorkspaceId" TEXT NOT NULL DEFAULT '',
    "sid" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "version" TEXT NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Questionnaire_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuestionnaireQuestion" (
    "id" TEXT NOT NULL,
    "questionnaireId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "sid" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "description" TEXT,
    "categorySid" TEXT NOT NULL,
    "categoryName" TEXT NOT NULL,
    "answerSetId" TEXT NOT NULL,
    "allowNa" BOOLEAN NOT NULL,

    CONSTRAINT "QuestionnaireQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnswerSet" (
    "id" TEXT NOT NULL,
    "slackWorkspaceId" TEXT NOT NULL DEFAULT '',
    "answerSetId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'select',
    "sort" INTEGER NOT NULL DEFAULT 0,
    "answers" TEXT NOT NULL,

    CONSTRAINT "AnswerSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Scorecard" (
    "id" TEXT NOT NULL,
    "slackWorkspaceId" TEXT NOT NULL DEFAULT '',
    "reviewerId" TEXT NOT NULL,
    "questionnaireSid" TEXT NOT NULL,
    "questionnaireName" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "offsetSeconds" DOUBLE PRECISION NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Scorecard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScorecardAnswer" (
    "id" TEXT NOT NULL,
    "scorecardId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "questionSid" TEXT NOT NULL,
    "questionText" TEXT NOT NULL,
    "categorySid" TEXT NOT NULL,
    "categoryName" TEXT NOT NULL,
    "answerId" TEXT NOT NULL,
    "answerText" TEXT NOT NULL,
    "score" DOUBLE PRECISION,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcomeUnknown" BOOLEAN NOT NULL DEFAULT false,
    "claimedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "flexAssessmentSid" TEXT,
    "flexAnswerId" TEXT,
    "postedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScorecardAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Questionnaire_slackWorkspaceId_sid_key" ON "Questionnaire"("slackWorkspaceId", "sid");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionnaireQuestion_questionnaireId_position_key" ON "QuestionnaireQuestion"("questionnaireId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "AnswerSet_slackWorkspaceId_answerSetId_key" ON "AnswerSet"("slackWorkspaceId", "answerSetId");

-- CreateIndex
CREATE INDEX "Scorecard_notifiedRevision_revision_idx" ON "Scorecard"("notifiedRevision", "revision");

-- CreateIndex
CREATE UNIQUE INDEX "Scorecard_slackWorkspaceId_reviewerId_segmentId_questionnai_key" ON "Scorecard"("slackWorkspaceId", "reviewerId", "segmentId", "questionnaireSid");

-- CreateIndex
CREATE INDEX "ScorecardAnswer_status_nextAttemptAt_idx" ON "ScorecardAnswer"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "ScorecardAnswer_scorecardId_questionSid_key" ON "ScorecardAnswer"("scorecardId", "questionSid");

-- AddForeignKey
ALTER TABLE "QuestionnaireQuestion" ADD CONSTRAINT "QuestionnaireQuestion_questionnaireId_fkey" FOREIGN KEY ("questionnaireId") REFERENCES "Questionnaire"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Scorecard" ADD CONSTRAINT "Scorecard_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "Identity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScorecardAnswer" ADD CONSTRAINT "ScorecardAnswer_scorecardId_fkey" FOREIGN KEY ("scorecardId") REFERENCES "Scorecard"("id") ON DELETE CASCADE ON UPDATE CASCADE;
