import type { App, webApi } from '@slack/bolt';
import type { Config } from '../config/config.js';
import { workspaceSettingsDefaults } from '../config/workspace-settings-defaults.js';
import { WorkspaceSettingsRepository } from '../db/repositories/workspace-settings-repository.js';
import type { SlackUser } from '../domain/identities/slack-user.js';
import { WorkspaceSettingsReader } from '../domain/workspace-settings/workspace-settings.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import {
  registerWorkspaceSettingsListeners,
  WORKSPACE_SETTINGS_LISTENER_IDS,
} from '../slack/settings/workspace-settings-listeners.js';
import { workspaceSettingsHomeBlocks } from '../slack/settings/workspace-settings-view.js';
import type { RequestWorkspace } from '../slack/workspaces.js';

/**
 * Each workspace's digest and feedback settings (#18), edited by its QM admins on the Home tab and stored in
 * WorkspaceSettings; the environment's settings are the defaults. The digests and the feedback DMs read them
 * from the database each time (src/wiring/digests.ts, src/wiring/feedback.ts).
 */
export function wireWorkspaceSettings(deps: {
  config: Config;
  prisma: PrismaClient;
  bolt: App;
  workspaceOf(context: RequestWorkspace): string | undefined;
  isAdmin(user: SlackUser): Promise<boolean>;
  refreshHome(client: webApi.WebClient, user: SlackUser): Promise<void>;
  /** The teams a workspace's agents carry (IdentityRepository.teamNames). */
  teamNames(workspaceId: string | undefined): Promise<string[]>;
}) {
  const settings = new WorkspaceSettingsReader(
    new WorkspaceSettingsRepository(deps.prisma),
    workspaceSettingsDefaults(deps.config),
  );
  return {
    knownIds: WORKSPACE_SETTINGS_LISTENER_IDS,
    hooks: {
      adminHomeBlocks: async (workspaceId: string | undefined) =>
        workspaceSettingsHomeBlocks(await settings.of(workspaceId)),
    },
    register(): void {
      registerWorkspaceSettingsListeners(deps.bolt, {
        settings,
        isAdmin: deps.isAdmin,
        workspaceOf: deps.workspaceOf,
        refreshHome: deps.refreshHome,
        teamNames: deps.teamNames,
      });
    },
  };
}
