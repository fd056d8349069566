-- CreateTable
CREATE TABLE "QuestionnaireSyncSchedule" (
    "slackWorkspaceId" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "lastStartedAt" TIMESTAMP(3),
    "lastFinishedAt" TIMESTAMP(3),
    "lastResult" TEXT,

    CONSTRAINT "QuestionnaireSyncSchedule_pkey" PRIMARY KEY ("slackWorkspaceId")
);
