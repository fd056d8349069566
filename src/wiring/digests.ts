import { randomUUID } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import { ChartThread } from '../charts/chart-thread.js';
import { renderDigestChart } from '../charts/digest-chart.js';
import type { Config } from '../config/config.js';
import { DigestRepository } from '../db/repositories/digest-repository.js';
import { DigestRunner } from '../domain/digests/digest-runner.js';
import type { WeekDigest } from '../domain/digests/week-digest.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { slackDigestOutbox } from '../slack/digests/digest-outbox.js';
import { PollingLoop } from '../support/polling-loop.js';

/**
 * The weekly digests and agents' summaries (DIGEST_*): every instance looks for a due week every
 * DIGEST_POLL_MS, and the claim rows in the database make exactly one of them send each message. Used by the
 * app and by `npm run digest`.
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
  const runner = new DigestRunner({
    store: new DigestRepository(deps.prisma),
    outbox: slackDigestOutbox(deps.clients),
    renderChart,
    schedule: settings,
    instance: deps.instance ?? randomUUID(),
    // Digests per OAuth-installed workspace need per-workspace channels, not built yet (config refuses them).
    workspaces: async () => (config.slack.oauth ? [] : ['']),
    onError: (what, error) => deps.logError(what)(error),
  });
  const enabled = settings.channelId !== undefined || settings.teamChannels.size > 0 || settings.agentSummaries;
  const loop = new PollingLoop(
    () => runner.runOnce(),
    settings.pollMs,
    deps.logError('Sending the weekly digests failed'),
  );
  return {
    runner,
    /** The chart of a digest, rendered on the chart thread (undefined: nothing to draw). */
    renderChart,
    enabled,
    start(): void {
      if (enabled) loop.start();
    },
    async stop(deadlineMs: number): Promise<void> {
      await loop.stop(deadlineMs);
      await charts.close();
    },
  };
}
