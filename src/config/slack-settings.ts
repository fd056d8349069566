import { z } from 'zod';
import { optionalString, url } from './env-values.js';

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** The redirect URL registered with Slack; undefined lets Slack use the app's only one. */
  redirectUri: string | undefined;
}

export interface SlackSettings {
  /** The single workspace's bot token; undefined when workspaces install the app by OAuth. */
  botToken: string | undefined;
  /** Set when workspaces install the app by OAuth (SLACK_CLIENT_ID and friends). */
  oauth: OAuthSettings | undefined;
  signingSecret: string | undefined;
  appToken: string | undefined;
  apiUrl: string;
  botId: string | undefined;
  botUserId: string | undefined;
}

/** The Slack app's variables: one workspace's bot token, or the OAuth app's settings; HTTP or Socket Mode. */
export const slackEnv = {
  SLACK_BOT_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^xoxb-/, 'must be a bot token starting with xoxb-')
      .optional(),
  ),
  SLACK_CLIENT_ID: optionalString.pipe(
    z
      .string()
      .regex(/^\d+\.\d+$/, 'must be the Client ID from your Slack app’s Basic Information page (digits.digits)')
      .optional(),
  ),
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString.pipe(
    z.string().min(32, 'must be at least 32 random characters (make one with `openssl rand -hex 32`)').optional(),
  ),
  SLACK_REDIRECT_URI: optionalString.pipe(
    z
      .string()
      .refine((value) => URL.canParse(value) && new URL(value).pathname === '/slack/oauth_redirect', {
        message:
          'must be this app’s public address followed by /slack/oauth_redirect, as listed under OAuth & Permissions → Redirect URLs',
      })
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^xapp-/, 'must be an app-level token starting with xapp- (or be left unset for HTTP mode)')
      .optional(),
  ),
  SLACK_API_URL: url('the Slack Web API').default('https://slack.com/api/'),
  SLACK_BOT_ID: optionalString,
  SLACK_BOT_USER_ID: optionalString,
};

const slackEnvSchema = z.object(slackEnv);
type SlackEnv = z.output<typeof slackEnvSchema>;

export function slackFrom(e: SlackEnv): SlackSettings {
  return {
    botToken: e.SLACK_BOT_TOKEN,
    oauth: oauthFrom(e),
    signingSecret: e.SLACK_SIGNING_SECRET,
    appToken: e.SLACK_APP_TOKEN,
    apiUrl: slackApiUrlFrom(e),
    botId: e.SLACK_BOT_ID,
    botUserId: e.SLACK_BOT_USER_ID,
  };
}

/** The OAuth app's settings when all three of its secrets are set. */
export function oauthFrom(
  e: Pick<SlackEnv, 'SLACK_CLIENT_ID' | 'SLACK_CLIENT_SECRET' | 'SLACK_STATE_SECRET' | 'SLACK_REDIRECT_URI'>,
): OAuthSettings | undefined {
  return e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
    ? {
        clientId: e.SLACK_CLIENT_ID,
        clientSecret: e.SLACK_CLIENT_SECRET,
        stateSecret: e.SLACK_STATE_SECRET,
        redirectUri: e.SLACK_REDIRECT_URI,
      }
    : undefined;
}

/** SLACK_API_URL with the trailing slash the Web API client expects. */
export function slackApiUrlFrom(e: Pick<SlackEnv, 'SLACK_API_URL'>): string {
  return e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`;
}

/** Members of this Slack user group may comment even when their identity's role is none. */
export const reviewerGroupEnv = {
  REVIEWER_USERGROUP: optionalString.pipe(
    z
      .string()
      .regex(
        /^S[A-Z0-9]{2,}$/,
        'must be a Slack user group id such as S0123ABCD (the group’s page → ⋮ → Copy group ID)',
      )
      .optional(),
  ),
};
