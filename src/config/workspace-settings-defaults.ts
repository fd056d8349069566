import type { WorkspaceSettings } from '../domain/workspace-settings/workspace-settings.js';
import type { Config } from './config.js';

/**
 * A workspace's settings before its QM admin saves any: the environment's. DIGEST_CHANNEL names a channel of
 * the single workspace of SLACK_BOT_TOKEN (config refuses it with OAuth installs), so an installed workspace
 * starts without a digest channel; the schedule, the agents' summaries and NOTIFY_AGENT_DM hold for all.
 */
export function workspaceSettingsDefaults(config: Config): (workspaceKey: string) => WorkspaceSettings {
  const { digests, notifications } = config;
  return () => ({
    feedbackDms: notifications.agentDm,
    digestChannelId: config.slack.oauth ? undefined : digests.channelId,
    digestCron: digests.cron,
    digestTimeZone: digests.timeZone,
    agentSummaries: digests.agentSummaries,
    // DIGEST_TEAM_CHANNELS names channels of the single workspace too.
    digestTeamChannels: config.slack.oauth ? new Map() : digests.teamChannels,
  });
}
