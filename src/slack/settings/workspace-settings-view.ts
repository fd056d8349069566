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
  return [
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          '*Digest and feedback (admin)*',
          `Feedback DMs to agents: *${settings.feedbackDms ? 'on' : 'off'}* · weekly digest: ${digest} · agents’ weekly summaries: *${settings.agentSummaries ? 'on' : 'off'}*`,
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

/** The modal: this workspace's settings, filled in with those in force. */
export function workspaceSettingsModal(settings: WorkspaceSettings): types.ModalView {
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
  return {
    type: 'modal',
    callback_id: WORKSPACE_SETTINGS_IDS.modal,
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
    ],
  };
}
