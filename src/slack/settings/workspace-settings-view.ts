import type { types } from '@slack/bolt';
import type { WorkspaceSettings } from '../../domain/workspace-settings/workspace-settings.js';

/** The ids of the Home tab's button and of the settings modal (the listener registry lists them). */
export const WORKSPACE_SETTINGS_IDS = {
  open: 'workspace_settings_open',
  modal: 'workspace_settings',
} as const;

/** The modal's inputs: block id = action id. */
export const SETTINGS_INPUTS = {
  feedbackDms: 'settings_feedback_dms',
  digestChannel: 'settings_digest_channel',
  digestCron: 'settings_digest_cron',
  digestTimeZone: 'settings_digest_time_zone',
  agentSummaries: 'settings_agent_summaries',
} as const;

/** The block (and action) id of the n-th team's channel in the modal. */
export const teamChannelInput = (index: number) => `settings_team_channel_${index}`;

/**
 * A team's name as a label shows it: an input block's label is at most 2000 characters
 * (https://api.slack.com/reference/block-kit/blocks#input); a long name is cut well before, to stay readable.
 */
const teamLabel = (team: string) => `Team ${team.length > 150 ? `${team.slice(0, 149)}…` : team}`;

const plain = (text: string) => ({ type: 'plain_text' as const, text });

function onOff(blockId: string, label: string, on: boolean, hint: string): types.InputBlock {
  const options = [
    { text: plain('On'), value: 'on' },
    { text: plain('Off'), value: 'off' },
  ];
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    hint: plain(hint),
    element: {
      type: 'radio_buttons',
      action_id: blockId,
      options,
      initial_option: on ? options[0] : options[1],
    },
  };
}

/** The Home tab's section for QM admins: the button that opens the modal. */
export function workspaceSettingsHomeBlocks(settings: WorkspaceSettings): types.KnownBlock[] {
  const digest = settings.digestChannelId
    ? `to <#${settings.digestChannelId}> on \`${settings.digestCron}\` (${settings.digestTimeZone})`
    : 'off (no channel)';
  const teams = settings.digestTeamChannels.size;
  const teamDigests = teams === 0 ? '' : ` · team digests: *${teams}*`;
  return [
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          '*Digest and feedback (admin)*',
          `Feedback DMs to agents: *${settings.feedbackDms ? 'on' : 'off'}* · weekly digest: ${digest}${teamDigests} · agents’ weekly summaries: *${settings.agentSummaries ? 'on' : 'off'}*`,
        ].join('\n'),
      },
    },
    {
      type: 'actions',
      block_id: 'workspace_settings_admin',
      elements: [
        {
          type: 'button',
          action_id: WORKSPACE_SETTINGS_IDS.open,
          text: plain('Digest and feedback settings'),
          value: 'open',
        },
      ],
    },
  ];
}

/**
 * The modal: this workspace's settings, filled in with those in force. `teams` are the teams offered a
 * channel of their own (see teamsOffered), `teamCount` how many there are in all, `metadata` what the
 * submission checks the teams against.
 */
export function workspaceSettingsModal(
  settings: WorkspaceSettings,
  teams: { offered: readonly string[]; total: number; metadata: string } = { offered: [], total: 0, metadata: '' },
): types.ModalView {
  const channel: types.InputBlock = {
    type: 'input',
    block_id: SETTINGS_INPUTS.digestChannel,
    optional: true,
    label: plain('Digest channel'),
    hint: plain('Invite the app to the channel first. Leave empty for no weekly digest.'),
    element: {
      type: 'conversations_select',
      action_id: SETTINGS_INPUTS.digestChannel,
      placeholder: plain('Choose a channel'),
      // Only channels: a digest is for a team, not a DM.
      filter: { include: ['public', 'private'], exclude_bot_users: true },
      ...(settings.digestChannelId ? { initial_conversation: settings.digestChannelId } : {}),
    },
  };
  const text = (blockId: string, label: string, value: string, hint: string): types.InputBlock => ({
    type: 'input',
    block_id: blockId,
    label: plain(label),
    hint: plain(hint),
    element: { type: 'plain_text_input', action_id: blockId, initial_value: value, max_length: 100 },
  });
  const teamBlocks: types.KnownBlock[] = [
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          teams.offered.length === 0
            ? '*Team digests*\nNo agent carries a team yet: `npm run identities -- sync` reads each worker’s `team_name` from TaskRouter.'
            : '*Team digests*\nA team given a channel gets its own digest there, on the same schedule, and its agents are not listed again in the digest above. Invite the app to each channel.',
      },
    },
    ...teams.offered.map(
      (team, index): types.InputBlock => ({
        type: 'input',
        block_id: teamChannelInput(index),
        optional: true,
        label: plain(teamLabel(team)),
        element: {
          type: 'conversations_select',
          action_id: teamChannelInput(index),
          placeholder: plain('No digest of its own'),
          filter: { include: ['public', 'private'], exclude_bot_users: true },
          ...(settings.digestTeamChannels.get(team)
            ? { initial_conversation: settings.digestTeamChannels.get(team) }
            : {}),
        },
      }),
    ),
    ...(teams.total > teams.offered.length
      ? [
          {
            type: 'context' as const,
            elements: [
              {
                type: 'mrkdwn' as const,
                text: `${teams.offered.length} of ${teams.total} teams are listed here (those with a channel first); the others are listed in the workspace’s digest.`,
              },
            ],
          },
        ]
      : []),
  ];
  return {
    type: 'modal',
    callback_id: WORKSPACE_SETTINGS_IDS.modal,
    private_metadata: teams.metadata,
    title: plain('Digest and feedback'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      onOff(
        SETTINGS_INPUTS.feedbackDms,
        'Feedback DMs to agents',
        settings.feedbackDms,
        'Each agent linked to a Slack user gets each comment and scorecard on their calls by DM (they can mute it).',
      ),
      channel,
      text(
        SETTINGS_INPUTS.digestCron,
        'Digest schedule (cron)',
        settings.digestCron,
        'When a week ends and its digest is sent: minute hour day-of-month month day-of-week. 0 9 * * 1 is Mondays 09:00.',
      ),
      text(
        SETTINGS_INPUTS.digestTimeZone,
        'Time zone',
        settings.digestTimeZone,
        'The IANA zone the schedule is read in, such as Europe/Berlin.',
      ),
      onOff(
        SETTINGS_INPUTS.agentSummaries,
        'Agents’ weekly summaries',
        settings.agentSummaries,
        'Each linked agent gets their own week by DM, on the digest’s schedule.',
      ),
      ...teamBlocks,
    ],
  };
}
