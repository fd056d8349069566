-- CreateTable
CREATE TABLE "WorkspaceSettings" (
    "workspaceKey" TEXT NOT NULL,
    "feedbackDms" BOOLEAN,
    "digestChannelId" TEXT,
    "digestCron" TEXT,
    "digestTimeZone" TEXT,
    "agentSummaries" BOOLEAN,
    "updatedBy" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkspaceSettings_pkey" PRIMARY KEY ("workspaceKey")
);
