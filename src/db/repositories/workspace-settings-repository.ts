import { z } from 'zod';
import type {
  SavedWorkspaceSettings,
  WorkspaceSettingsStore,
} from '../../domain/workspace-settings/workspace-settings.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

/** The team channels as stored: a JSON object of team name → channel id, read back only as that. */
const teamChannelsColumn = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.string()));

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
      digestTeamChannels: teamChannelsOf(row.digestTeamChannels),
    };
  }

  async save(workspaceKey: string, settings: Required<SavedWorkspaceSettings>, updatedBy: string): Promise<void> {
    const { digestTeamChannels, ...rest } = settings;
    const data = { ...rest, digestTeamChannels: JSON.stringify(Object.fromEntries(digestTeamChannels)), updatedBy };
    await this.prisma.workspaceSettings.upsert({
      where: { workspaceKey },
      create: { workspaceKey, ...data },
      update: data,
    });
  }
}

/** A stored value this app did not write (edited by hand) counts as not saved: the default holds. */
function teamChannelsOf(column: string | null): ReadonlyMap<string, string> | undefined {
  if (column === null) return undefined;
  const parsed = teamChannelsColumn.safeParse(column);
  return parsed.success ? new Map(Object.entries(parsed.data)) : undefined;
}
