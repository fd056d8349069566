import type {
  SavedWorkspaceSettings,
  WorkspaceSettingsStore,
} from '../../domain/workspace-settings/workspace-settings.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

/** The WorkspaceSettings table: one row per workspace whose QM admin saved its own settings. */
export class WorkspaceSettingsRepository implements WorkspaceSettingsStore {
  constructor(private readonly prisma: PrismaClient) {}

  async find(workspaceKey: string): Promise<SavedWorkspaceSettings | undefined> {
    const row = await this.prisma.workspaceSettings.findUnique({ where: { workspaceKey } });
    if (!row) return undefined;
    return {
      feedbackDms: row.feedbackDms ?? undefined,
      digestChannelId: row.digestChannelId ?? undefined,
      digestCron: row.digestCron ?? undefined,
      digestTimeZone: row.digestTimeZone ?? undefined,
      agentSummaries: row.agentSummaries ?? undefined,
    };
  }

  async save(workspaceKey: string, settings: Required<SavedWorkspaceSettings>, updatedBy: string): Promise<void> {
    const data = { ...settings, updatedBy };
    await this.prisma.workspaceSettings.upsert({
      where: { workspaceKey },
      create: { workspaceKey, ...data },
      update: data,
    });
  }
}
