import type { RefreshSchedule } from '../../domain/scorecards/questionnaire-refresh.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

/** The scheduled questionnaire refresh's claims, one row per workspace ("" for SLACK_BOT_TOKEN's). */
export class QuestionnaireSyncScheduleRepository implements RefreshSchedule {
  constructor(
    private readonly prisma: PrismaClient,
    /** The single workspace of SLACK_BOT_TOKEN is refreshed even before its first sync; OAuth workspaces once synced. */
    private readonly singleWorkspace: boolean,
  ) {}

  async workspaces(): Promise<Array<string | null>> {
    const rows = await this.prisma.questionnaire.findMany({
      distinct: ['slackWorkspaceId'],
      select: { slackWorkspaceId: true },
    });
    const keys = new Set(rows.map((row) => row.slackWorkspaceId));
    if (this.singleWorkspace) keys.add('');
    return [...keys].sort().map((key) => key || null);
  }

  async claim(workspaceId: string | null, now: Date, intervalMs: number): Promise<boolean> {
    const key = workspaceId ?? '';
    const next = new Date(now.getTime() + intervalMs);
    // Due: move it on, in one conditional write; of instances racing, one sees count 1.
    const { count } = await this.prisma.questionnaireSyncSchedule.updateMany({
      where: { slackWorkspaceId: key, dueAt: { lte: now } },
      data: { dueAt: next, lastStartedAt: now },
    });
    if (count === 1) return true;
    if (await this.prisma.questionnaireSyncSchedule.findUnique({ where: { slackWorkspaceId: key } })) return false;
    // The first look at this workspace: whoever creates its row syncs now; the primary key refuses the others.
    try {
      await this.prisma.questionnaireSyncSchedule.create({
        data: { slackWorkspaceId: key, dueAt: next, lastStartedAt: now },
      });
      return true;
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'P2002') return false;
      throw error;
    }
  }

  async finished(workspaceId: string | null, now: Date, result: string): Promise<void> {
    await this.prisma.questionnaireSyncSchedule.updateMany({
      where: { slackWorkspaceId: workspaceId ?? '' },
      data: { lastFinishedAt: now, lastResult: result.slice(0, 1000) },
    });
  }
}
