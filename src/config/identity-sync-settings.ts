import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { databaseEnv } from './database-settings.js';
import { type FlexSettings, loadFlexSettings, taskRouterEnv } from './flex-settings.js';
import { type OAuthSettings, oauthFrom, slackApiUrlFrom, slackEnv } from './slack-settings.js';

const identitySyncEnv = z.object({
  SLACK_BOT_TOKEN: slackEnv.SLACK_BOT_TOKEN,
  SLACK_CLIENT_ID: slackEnv.SLACK_CLIENT_ID,
  SLACK_CLIENT_SECRET: slackEnv.SLACK_CLIENT_SECRET,
  SLACK_STATE_SECRET: slackEnv.SLACK_STATE_SECRET,
  SLACK_REDIRECT_URI: slackEnv.SLACK_REDIRECT_URI,
  SLACK_API_URL: slackEnv.SLACK_API_URL,
  ...taskRouterEnv,
  SECRETS_KEY: databaseEnv.SECRETS_KEY,
});

/**
 * Settings for `identities sync`: Flex credentials, the TaskRouter workspace, and how Slack is asked: with
 * SLACK_BOT_TOKEN, or, when a workspace installed by OAuth is named (`--workspace`), with that
 * installation's token, which needs the OAuth app's settings (its token is renewed when it rotates).
 */
export function loadIdentitySyncSettings(
  env: NodeJS.ProcessEnv,
  options: { installedWorkspace: boolean } = { installedWorkspace: false },
): {
  flex: FlexSettings;
  taskRouter: { baseUrl: string; workspaceSid: string };
  slack: { botToken: string | undefined; oauth: OAuthSettings | undefined; apiUrl: string };
} {
  const problems: string[] = [];
  let flex: FlexSettings | undefined;
  try {
    flex = loadFlexSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const parsed = identitySyncEnv.safeParse(env);
  let oauth: OAuthSettings | undefined;
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`));
  } else if (options.installedWorkspace) {
    const e = parsed.data;
    const missing = (
      [
        ['SLACK_CLIENT_ID', e.SLACK_CLIENT_ID],
        ['SLACK_CLIENT_SECRET', e.SLACK_CLIENT_SECRET],
        ['SLACK_STATE_SECRET', e.SLACK_STATE_SECRET],
        ['SECRETS_KEY', e.SECRETS_KEY],
      ] as const
    ).filter(([, value]) => value === undefined);
    for (const [name] of missing) {
      problems.push(
        `${name} is required to sync a workspace installed by OAuth (--workspace): the app's own setting, so that the installation's stored token can be opened and renewed`,
      );
    }
    oauth = oauthFrom(e);
  } else if (!parsed.data.SLACK_BOT_TOKEN) {
    problems.push(
      'SLACK_BOT_TOKEN is required to sync: the bot token (xoxb-…) of the workspace whose users are matched by email (with workspaces installed by OAuth, name one instead: --workspace T0123ABCD, or E… for an org-wide install)',
    );
  }
  if (parsed.success && !parsed.data.TASKROUTER_WORKSPACE_SID) {
    problems.push(
      'TASKROUTER_WORKSPACE_SID is required to sync: the Workspace SID (WS…) of your Flex TaskRouter workspace (Console → TaskRouter → Workspaces)',
    );
  }
  const workspaceSid = parsed.success ? parsed.data.TASKROUTER_WORKSPACE_SID : undefined;
  if (!parsed.success || !flex || !workspaceSid || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = parsed.data;
  return {
    flex,
    taskRouter: { baseUrl: e.TASKROUTER_API_BASE_URL.replace(/\/+$/, ''), workspaceSid },
    slack: {
      botToken: options.installedWorkspace ? undefined : e.SLACK_BOT_TOKEN,
      oauth,
      apiUrl: slackApiUrlFrom(e),
    },
  };
}
