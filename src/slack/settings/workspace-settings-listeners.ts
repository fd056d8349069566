import { createHash } from 'node:crypto';
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
  webApi,
} from '@slack/bolt';
import { z } from 'zod';
import type { SlackUser } from '../../domain/identities/slack-user.js';
import {
  cronProblem,
  teamChannelsChosen,
  teamsOffered,
  timeZoneProblem,
  type WorkspaceSettings,
  type WorkspaceSettingsReader,
} from '../../domain/workspace-settings/workspace-settings.js';
import { parseJsonText } from '../../support/json-text.js';
import type { RequestWorkspace } from '../workspaces.js';
import {
  SETTINGS_INPUTS,
  teamChannelInput,
  WORKSPACE_SETTINGS_IDS,
  workspaceSettingsModal,
} from './workspace-settings-view.js';

export interface WorkspaceSettingsListenerServices {
  settings: WorkspaceSettingsReader;
  /** A QM admin of the workspace (identity role `admin`), checked on the click and again on submission. */
  isAdmin(user: SlackUser): Promise<boolean>;
  workspaceOf(context: RequestWorkspace): string | undefined;
  refreshHome(client: webApi.WebClient, user: SlackUser): Promise<void>;
  /** The teams the workspace's agents carry (for per-team digest channels). */
  teamNames(workspaceId: string | undefined): Promise<string[]>;
}

const REFUSED = 'Only QM admins can change these settings. Nothing was changed.';

/**
 * The modal's state as Slack sends it (https://api.slack.com/reference/interaction-payloads/views#view_submission
 * — `view.state.values[block_id][action_id]`: radio_buttons carry `selected_option`, conversations_select
 * `selected_conversation` (null when empty), plain_text_input `value` (null when empty)).
 */
const onOff = z.object({
  selected_option: z
    .object({ value: z.enum(['on', 'off']) })
    .nullable()
    .optional(),
});
const text = z.object({ value: z.string().nullable().optional() });
const settingsState = z.object({
  [SETTINGS_INPUTS.feedbackDms]: z.object({ [SETTINGS_INPUTS.feedbackDms]: onOff }),
  [SETTINGS_INPUTS.digestChannel]: z.object({
    [SETTINGS_INPUTS.digestChannel]: z.object({ selected_conversation: z.string().nullable().optional() }),
  }),
  [SETTINGS_INPUTS.digestCron]: z.object({ [SETTINGS_INPUTS.digestCron]: text }),
  [SETTINGS_INPUTS.digestTimeZone]: z.object({ [SETTINGS_INPUTS.digestTimeZone]: text }),
  [SETTINGS_INPUTS.agentSummaries]: z.object({ [SETTINGS_INPUTS.agentSummaries]: onOff }),
});
const conversation = z.object({ selected_conversation: z.string().nullable().optional() });
/** What the modal carries: which list of teams it offered, so a submission is read against the same list. */
const settingsMetadata = z.object({ teams: z.string() });

export const WORKSPACE_SETTINGS_LISTENER_IDS = {
  views: [WORKSPACE_SETTINGS_IDS.modal],
  actions: [WORKSPACE_SETTINGS_IDS.open],
};

/** The Home tab's "Digest and feedback settings" button and its modal (QM admins only). */
export function registerWorkspaceSettingsListeners(app: App, services: WorkspaceSettingsListenerServices): void {
  app.action<BlockAction<ButtonAction>>(
    WORKSPACE_SETTINGS_IDS.open,
    async ({
      ack,
      body,
      client,
      context,
      logger,
    }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>) => {
      await ack();
      const user = userOf(services, context, body.team?.id ?? body.user.team_id ?? '', body.user.id);
      if (!(await services.isAdmin(user))) {
        // A forged click, or someone no longer an admin: their Home tab as it is for them, nothing opened.
        logger.info(`workspace settings: refused to open for ${body.user.id} (not a QM admin)`);
        await services.refreshHome(client, user);
        return;
      }
      const settings = await services.settings.of(user.workspaceId);
      const teams = await teamsOf(services, user, settings);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: workspaceSettingsModal(settings, {
          ...teams,
          metadata: JSON.stringify({ teams: fingerprint(teams.offered) }),
        }),
      });
    },
  );

  app.view<ViewSubmitAction>(
    WORKSPACE_SETTINGS_IDS.modal,
    async ({
      ack,
      body,
      view,
      client,
      context,
      logger,
    }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>) => {
      const user = userOf(services, context, body.team?.id ?? body.user.team_id ?? '', body.user.id);
      if (!(await services.isAdmin(user))) {
        logger.info(`workspace settings: refused a submission by ${body.user.id} (not a QM admin)`);
        await ack({ response_action: 'errors', errors: { [SETTINGS_INPUTS.feedbackDms]: REFUSED } });
        return;
      }
      const state = settingsState.safeParse(view.state.values);
      if (!state.success) {
        await ack({
          response_action: 'errors',
          errors: { [SETTINGS_INPUTS.feedbackDms]: 'This form is out of date; close it and open the settings again.' },
        });
        return;
      }
      const values = state.data;
      const before = await services.settings.of(user.workspaceId);
      const { offered } = await teamsOf(services, user, before);
      const metadata = settingsMetadata.safeParse(parseJsonText(view.private_metadata));
      if (!metadata.success || metadata.data.teams !== fingerprint(offered)) {
        // The teams changed since the form opened (a sync, or another admin's save): a channel chosen for
        // the n-th team would land on another team.
        await ack({
          response_action: 'errors',
          errors: {
            [SETTINGS_INPUTS.feedbackDms]:
              'The teams changed while this form was open, so nothing was saved. Close it and open the settings again.',
          },
        });
        return;
      }
      const chosenTeamChannels = offered.map((_, index) => {
        const input = conversation.safeParse(view.state.values[teamChannelInput(index)]?.[teamChannelInput(index)]);
        return input.success ? input.data.selected_conversation : undefined;
      });
      const cron = (values[SETTINGS_INPUTS.digestCron][SETTINGS_INPUTS.digestCron].value ?? '').trim();
      const timeZone = (values[SETTINGS_INPUTS.digestTimeZone][SETTINGS_INPUTS.digestTimeZone].value ?? '').trim();
      const errors: Record<string, string> = {};
      const badCron = cronProblem(cron);
      if (badCron) errors[SETTINGS_INPUTS.digestCron] = badCron;
      const badZone = timeZoneProblem(timeZone);
      if (badZone) errors[SETTINGS_INPUTS.digestTimeZone] = badZone;
      if (Object.keys(errors).length > 0) {
        // Slack keeps the modal open with what was typed, each error beside its field.
        await ack({ response_action: 'errors', errors });
        return;
      }
      const on = (choice: z.infer<typeof onOff>) => choice.selected_option?.value === 'on';
      const channel = values[SETTINGS_INPUTS.digestChannel][SETTINGS_INPUTS.digestChannel].selected_conversation;
      await services.settings.save(
        user.workspaceId,
        {
          feedbackDms: on(values[SETTINGS_INPUTS.feedbackDms][SETTINGS_INPUTS.feedbackDms]),
          digestChannelId: channel ?? '',
          digestCron: cron,
          digestTimeZone: timeZone,
          agentSummaries: on(values[SETTINGS_INPUTS.agentSummaries][SETTINGS_INPUTS.agentSummaries]),
          digestTeamChannels: teamChannelsChosen(before.digestTeamChannels, offered, chosenTeamChannels),
        },
        `slack:${body.user.id}`,
      );
      await ack();
      logger.info(`workspace settings: saved by ${body.user.id}`);
      await services.refreshHome(client, user);
    },
  );
}

function userOf(
  services: Pick<WorkspaceSettingsListenerServices, 'workspaceOf'>,
  context: RequestWorkspace,
  teamId: string,
  userId: string,
): SlackUser {
  return { workspaceId: services.workspaceOf(context), teamId, userId };
}

async function teamsOf(
  services: Pick<WorkspaceSettingsListenerServices, 'teamNames'>,
  user: SlackUser,
  settings: WorkspaceSettings,
): Promise<{ offered: string[]; total: number }> {
  return teamsOffered(settings.digestTeamChannels, await services.teamNames(user.workspaceId));
}

/** A short digest of the offered teams' names, in order. */
function fingerprint(teams: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(teams)).digest('base64url').slice(0, 22);
}
