-- AlterTable
ALTER TABLE "Identity" ADD COLUMN     "flexWorkerSid" TEXT;

-- CreateTable
CREATE TABLE "IdentitySyncRun" (
    "id" TEXT NOT NULL,
    "startedBy" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "report" TEXT NOT NULL,

    CONSTRAINT "IdentitySyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkRequest" (
    "id" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedBySlackUserId" TEXT,
    "decidedAt" TIMESTAMP(3),
    "adminMessages" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LinkRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IdentitySyncRun_finishedAt_idx" ON "IdentitySyncRun"("finishedAt");

-- CreateIndex
CREATE INDEX "LinkRequest_slackTeamId_slackUserId_status_idx" ON "LinkRequest"("slackTeamId", "slackUserId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_flexWorkerSid_key" ON "Identity"("flexWorkerSid");

-- AddForeignKey
ALTER TABLE "LinkRequest" ADD CONSTRAINT "LinkRequest_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "Identity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
