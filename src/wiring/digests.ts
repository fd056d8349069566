import { randomUUID } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import { ChartThread } from '../charts/chart-thread.js';
import { renderDigestChart } from '../charts/digest-chart.js';
import type { Config } from '../config/config.js';
import { workspaceSettingsDefaults } from '../config/workspace-settings-defaults.js';
import { DigestRepository } from '../db/repositories/digest-repository.js';
import { WorkspaceSettingsRepository } from '../db/repositories/workspace-settings-repository.js';
import { DigestRunner, type DigestSchedule } from '../domain/digests/digest-runner.js';
import type { WeekDigest } from '../domain/digests/week-digest.js';
import { WorkspaceSettingsReader } from '../domain/workspace-settings/workspace-settings.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { slackDigestOutbox } from '../slack/digests/digest-outbox.js';
import { PollingLoop } from '../support/polling-loop.js';

/**
 * The weekly digests and agents' summaries, per workspace: every instance looks for a due week every
 * DIGEST_POLL_MS, reading each workspace's channel and schedule from the database (WorkspaceSettings, set on
 * the Home tab; the DIGEST_* settings are the defaults), and the claim rows in the database make exactly one
 * of them send each message, with the workspace's own bot token. Used by the app and by `npm run digest`.
 */
export function wireDigests(deps: {
  config: Config;
  prisma: PrismaClient;
  clients: { of(workspaceId: string | undefined): Promise<webApi.WebClient> };
  logError: (what: string) => (error: unknown) => void;
  /** Names this instance in its claims; a new one per start. */
  instance?: string;
}) {
  const { config } = deps;
  const settings = config.digests;
  // Charts render on their own thread: a chart takes a few hundred milliseconds of CPU.
  const charts = new ChartThread();
  const renderChart = (digest: WeekDigest, timeZone: string) =>
    renderDigestChart(digest, timeZone, (spec) => charts.render(spec));
  const settingsRepository = new WorkspaceSettingsRepository(deps.prisma);
  const reader = new WorkspaceSettingsReader(settingsRepository, workspaceSettingsDefaults(config));
  /** A workspace's schedule as it stands in the database now. */
  async function scheduleOf(workspaceId: string): Promise<DigestSchedule> {
    const own = await reader.of(workspaceId);
    return {
      ...settings,
      channelId: own.digestChannelId,
      cron: own.digestCron,
      timeZone: own.digestTimeZone,
      agentSummaries: own.agentSummaries,
      teamChannels: own.digestTeamChannels,
    };
  }
  /** The single workspace, or each installed one (the Installation table), read on every pass. */
  async function candidates(): Promise<string[]> {
    if (!config.slack.oauth) return [''];
    const rows = await deps.prisma.installation.findMany({ select: { id: true } });
    return rows.map((row) => row.id);
  }
  const runner = new DigestRunner({
    store: new DigestRepository(deps.prisma),
    outbox: slackDigestOutbox(deps.clients),
    renderChart,
    schedule: settings,
    instance: deps.instance ?? randomUUID(),
    workspaces: async () => {
      const due: Array<{ workspaceId: string; schedule: DigestSchedule }> = [];
      for (const workspaceId of await candidates()) {
        const schedule = await scheduleOf(workspaceId);
        if (schedule.channelId || schedule.teamChannels.size > 0 || schedule.agentSummaries) {
          due.push({ workspaceId, schedule });
        }
      }
      return due;
    },
    onError: (what, error) => deps.logError(what)(error),
  });
  // Always on: any workspace's admin may turn its digest on from the Home tab; a pass without one is a query.
  const loop = new PollingLoop(
    () => runner.runOnce(),
    settings.pollMs,
    deps.logError('Sending the weekly digests failed'),
  );
  return {
    runner,
    /** The chart of a digest, rendered on the chart thread (undefined: nothing to draw). */
    renderChart,
    scheduleOf,
    start(): void {
      loop.start();
    },
    async stop(deadlineMs: number): Promise<void> {
      await loop.stop(deadlineMs);
      await charts.close();
    },
  };
}
