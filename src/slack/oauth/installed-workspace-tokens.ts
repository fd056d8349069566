import { type Logger, LogLevel } from '@slack/bolt';
import { InstallProvider } from '@slack/oauth';
import type { OAuthSettings } from '../../config/config.js';
import type { InstallationRepository } from '../../db/repositories/installation-repository.js';
import { installedWorkspaces, type SlackWorkspaces } from '../workspaces.js';

/**
 * The bot tokens of workspaces installed by OAuth, for work outside the running app (the admin CLIs):
 * read from the installation store and renewed, as the app renews them, when they rotate and are about
 * to expire (the renewed token is stored, so the app goes on with it).
 */
export function installedWorkspaceTokens(options: {
  oauth: OAuthSettings;
  installations: InstallationRepository;
  slackApiUrl: string;
  logger?: Logger | undefined;
}): SlackWorkspaces {
  const installer = new InstallProvider({
    clientId: options.oauth.clientId,
    clientSecret: options.oauth.clientSecret,
    stateSecret: options.oauth.stateSecret,
    installationStore: options.installations,
    ...(options.logger ? { logger: options.logger } : {}),
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: options.slackApiUrl, retryConfig: { retries: 1 } },
  });
  return installedWorkspaces({
    queryFor: (workspaceId) => options.installations.queryFor(workspaceId),
    authorize: (query) => installer.authorize(query),
  });
}

/**
 * The bot token of a workspace an admin named on the command line (`--workspace`): a workspace that is not
 * installed is refused with what to check, and `why` says what could not be done without it.
 */
export async function botTokenOfNamedWorkspace(
  options: { oauth: OAuthSettings; installations: InstallationRepository; slackApiUrl: string },
  workspaceId: string,
  why = '',
): Promise<string> {
  if (!(await options.installations.queryFor(workspaceId))) {
    throw new Error(
      `Flex QM is not installed in Slack workspace ${workspaceId}${why}. Check the id (a team id T…, or E… for an org-wide install), or have a Slack admin install the app there from /slack/install.`,
    );
  }
  return installedWorkspaceTokens(options).botTokenOf(workspaceId);
}
