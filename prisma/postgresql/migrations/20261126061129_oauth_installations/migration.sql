-- AlterTable
ALTER TABLE "Assessment" ADD COLUMN     "slackWorkspaceId" TEXT;

-- AlterTable
ALTER TABLE "Category" ADD COLUMN     "flexCategoryId" TEXT,
ADD COLUMN     "slackTeamId" TEXT;

-- CreateTable
CREATE TABLE "Installation" (
    "id" TEXT NOT NULL,
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
    "botTokenExpiresAt" TIMESTAMP(3),
    "installerUserId" TEXT NOT NULL,
    "userScopes" TEXT,
    "userTokenSealed" TEXT,
    "userRefreshTokenSealed" TEXT,
    "userTokenExpiresAt" TIMESTAMP(3),
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Installation_pkey" PRIMARY KEY ("id")
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
