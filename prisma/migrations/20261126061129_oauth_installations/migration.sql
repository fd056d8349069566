-- AlterTable
ALTER TABLE "Assessment" ADD COLUMN "slackWorkspaceId" TEXT;

-- AlterTable
ALTER TABLE "Category" ADD COLUMN "flexCategoryId" TEXT;
ALTER TABLE "Category" ADD COLUMN "slackTeamId" TEXT;

-- CreateTable
CREATE TABLE "Installation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT,
    "teamName" TEXT,
    "enterpriseId" TEXT,
    "enterpriseName" TEXT,
    "enterpriseUrl" TEXT,
    "isEnterpriseInstall" BOOLEAN NOT NULL DEFAULT false,
    "appId" TEXT,
    "authVersion" TEXT NOT NULL DEFAULT 'v2',
    "tokenType" TEXT,
    "botId" TEXT,
    "botUserId" TEXT,
    "botScopes" TEXT,
    "botTokenSealed" TEXT,
    "botRefreshTokenSealed" TEXT,
    "botTokenExpiresAt" DATETIME,
    "installerUserId" TEXT NOT NULL,
    "userScopes" TEXT,
    "userTokenSealed" TEXT,
    "userRefreshTokenSealed" TEXT,
    "userTokenExpiresAt" DATETIME,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Installation_enterpriseId_idx" ON "Installation"("enterpriseId");

-- CreateIndex
CREATE INDEX "Installation_botUserId_idx" ON "Installation"("botUserId");

-- CreateIndex
CREATE INDEX "Installation_installerUserId_idx" ON "Installation"("installerUserId");

-- CreateIndex
CREATE INDEX "Category_slackTeamId_active_idx" ON "Category"("slackTeamId", "active");

-- CreateIndex
CREATE UNIQUE INDEX "Category_slackTeamId_flexCategoryId_key" ON "Category"("slackTeamId", "flexCategoryId");
