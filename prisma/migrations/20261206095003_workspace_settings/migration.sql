-- CreateTable
CREATE TABLE "WorkspaceSettings" (
    "workspaceKey" TEXT NOT NULL PRIMARY KEY,
    "feedbackDms" BOOLEAN,
    "digestChannelId" TEXT,
    "digestCron" TEXT,
    "digestTimeZone" TEXT,
    "agentSummaries" BOOLEAN,
    "updatedBy" TEXT,
    "updatedAt" DATETIME NOT NULL
);
