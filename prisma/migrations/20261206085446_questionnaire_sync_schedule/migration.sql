-- CreateTable
CREATE TABLE "QuestionnaireSyncSchedule" (
    "slackWorkspaceId" TEXT NOT NULL PRIMARY KEY,
    "dueAt" DATETIME NOT NULL,
    "lastStartedAt" DATETIME,
    "lastFinishedAt" DATETIME,
    "lastResult" TEXT
);
