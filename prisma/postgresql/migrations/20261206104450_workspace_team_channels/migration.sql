-- AlterTable
ALTER TABLE "WorkspaceSettings" ADD COLUMN     "digestTeamChannels" TEXT;
