// `npm run digest -- preview|send`: the weekly digest now, for an admin: see it before Monday, or send it.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { webApi } from '@slack/bolt';
import { type Config, loadConfig } from '../config/config.js';
import { InstallationRepository } from '../db/repositories/installation-repository.js';
import { lastScheduledTime, periodEndingAt } from '../domain/digests/period.js';
import { logArgs } from '../flex/errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { createSecretBox } from '../security/secret-box.js';
import { digestMessage, messageAsText, summaryMessage } from '../slack/digests/digest-blocks.js';
import { botTokenOfNamedWorkspace } from '../slack/oauth/installed-workspace-tokens.js';
import { wireDigests } from '../wiring/digests.js';
import { cliCommand, openCliDatabase, runAsProcess, UsageError, workspaceOption } from './cli-support.js';

const USAGE = `Usage:
  npm run digest -- preview [--period-end ISO] [--chart FILE.png]   what would be sent, to whom; nothing is sent
  npm run digest -- send [--period-end ISO]                         send the week's digests now (once: a week
                                                                    already sent, by the schedule or by hand, is not sent again)

  The week is the 7 days before the schedule's last time (the workspace's schedule as its QM admin saved it
  on the Home tab, else DIGEST_CRON in DIGEST_TIME_ZONE), or before --period-end (e.g. 2026-12-07T09:00:00Z).
  Digests go to the workspace of SLACK_BOT_TOKEN. When workspaces install the app by OAuth, name one with
  --workspace T0123ABCD (or the E… id of an org-wide install): its saved settings and its own bot token.`;

/** `digest preview|send …`: in its own process (below) or a test's. */
export const run = cliCommand('digest', USAGE, async (args, cli) => {
  const [command, ...rest] = args;
  if (!command || command === '--help' || command === 'help') {
    cli.out(USAGE);
    return command ? 0 : 2;
  }
  if (command !== 'preview' && command !== 'send') throw new UsageError(`Unknown command "${command}".`);
  const { values } = parseArgs({
    args: rest,
    options: { 'period-end': { type: 'string' }, chart: { type: 'string' }, workspace: { type: 'string' } },
  });
  const workspaceId = workspaceOption(values.workspace);
  const config = loadConfig(cli.env);
  if (config.slack.oauth && !workspaceId) {
    throw new UsageError('Workspaces install this app by OAuth: name one with --workspace T0123ABCD.');
  }
  if (!config.slack.oauth && workspaceId) {
    throw new UsageError(
      '--workspace needs the OAuth settings; without them digests go to SLACK_BOT_TOKEN’s workspace.',
    );
  }
  const givenEnd = values['period-end'] ? new Date(values['period-end']) : undefined;
  if (givenEnd && Number.isNaN(givenEnd.getTime())) {
    throw new UsageError('--period-end must be a date and time, e.g. 2026-12-07T09:00:00Z.');
  }

  const { prisma, secretsKey } = await openCliDatabase(cli);
  let digestsStop: (() => Promise<void>) | undefined;
  try {
    const token = await botTokenOf(config, prisma, secretsKey, workspaceId);
    const client = new webApi.WebClient(token, { slackApiUrl: config.slack.apiUrl });
    const key = workspaceId ?? '';
    const digests = wireDigests({
      config,
      prisma,
      clients: { of: async () => client },
      logError: (what) => (error) => cli.log().error(...logArgs(what, error)),
      instance: `cli:${process.pid}`,
    });
    digestsStop = () => digests.stop(1_000);
    // The workspace's schedule as its QM admin set it on the Home tab (DIGEST_* where they did not).
    const schedule = await digests.scheduleOf(key);
    const end = givenEnd ?? lastScheduledTime(schedule.cron, schedule.timeZone, new Date());
    if (!end) throw new UsageError(`The schedule "${schedule.cron}" has no time before now; give --period-end.`);
    const period = periodEndingAt(end, schedule.timeZone);
    if (command === 'send') {
      const reports = await digests.runner.sendPeriod(key, period, schedule);
      if (reports.length === 0) {
        cli.out(NOTHING('Nothing to send'));
        return 0;
      }
      for (const report of reports) {
        const audience = report.audience.startsWith('agent:') ? 'an agent (DM)' : report.audience;
        const outcome =
          report.outcome === 'done'
            ? 'already sent for this week'
            : report.outcome === 'held'
              ? 'being sent by a running instance'
              : report.outcome;
        cli.out(`${audience}: ${outcome}${report.detail ? ` (${report.detail})` : ''}`);
      }
      return reports.some((r) => r.outcome === 'failed') ? 1 : 0;
    }
    const audiences = await digests.runner.audiences(key, period, schedule);
    if (audiences.length === 0) {
      cli.out(NOTHING('Nothing would be sent'));
    }
    for (const audience of audiences) {
      const to = audience.kind === 'summary' ? `DM to ${audience.to}` : `channel ${audience.to}`;
      cli.out(`\n=== ${audience.audience} → ${to}${audience.skip ? ` (not sent: ${audience.skip})` : ''}`);
      if (audience.skip) continue;
      const message =
        audience.kind === 'summary' && audience.agent
          ? summaryMessage(audience.agent, audience.view.periodLabel)
          : digestMessage(audience.digest, audience.view);
      cli.out(messageAsText(message));
      cli.out(`(${message.blocks.length} blocks)`);
      if (audience.kind === 'digest' && audience.view.withChart) {
        const started = performance.now();
        const chart = await digests.renderChart(audience.digest, schedule.timeZone);
        const ms = Math.round(performance.now() - started);
        if (!chart) cli.out('chart: none (nothing to draw)');
        else {
          cli.out(`chart: ${chart.width}×${chart.height} PNG, ${chart.png.length} bytes, rendered in ${ms} ms`);
          if (values.chart) {
            const file =
              audiences.filter((a) => a.kind === 'digest').length > 1 && audience.audience !== 'workspace'
                ? values.chart.replace(/(\.png)?$/i, `-${audience.audience.replace(/\W+/g, '-')}.png`)
                : values.chart;
            writeFileSync(file, chart.png);
            cli.out(`chart written to ${file}`);
          }
        }
      }
    }
    return 0;
  } finally {
    await digestsStop?.();
    await prisma.$disconnect();
  }
});

const NOTHING = (what: string) =>
  `${what}: pick a digest channel, team channels or agents' summaries in Digest and feedback settings on the app's Home tab (or set DIGEST_CHANNEL, DIGEST_TEAM_CHANNELS or DIGEST_AGENT_SUMMARIES=true for the single workspace).`;

/** SLACK_BOT_TOKEN, or the named workspace's installation's bot token (renewed if it rotates). */
async function botTokenOf(
  config: Config,
  prisma: PrismaClient,
  secretsKey: Buffer | undefined,
  workspaceId: string | undefined,
): Promise<string | undefined> {
  if (!workspaceId || !config.slack.oauth) return config.slack.botToken;
  if (!secretsKey) throw new UsageError('--workspace needs SECRETS_KEY, which seals the installations’ tokens.');
  const installations = new InstallationRepository(prisma, createSecretBox(secretsKey));
  return botTokenOfNamedWorkspace(
    { oauth: config.slack.oauth, installations, slackApiUrl: config.slack.apiUrl },
    workspaceId,
  );
}

await runAsProcess(import.meta.url, run);
