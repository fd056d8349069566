import { z } from 'zod';
import { callLinkEnv } from './call-link-settings.js';
import { ConfigError } from './config-error.js';
import { databaseEnv } from './database-settings.js';
import { type DeliverySettings, deliveryEnv, deliveryFrom } from './delivery-settings.js';
import { type DigestSettings, digestEnv, digestsFrom } from './digest-settings.js';
import {
  type FlexSettings,
  flexEnv,
  flexFrom,
  flexTimeoutEnv,
  type TaskRouterSettings,
  taskRouterEnv,
  taskRouterFrom,
  twilioCredentialProblems,
} from './flex-settings.js';
import { type LoggingSettings, type LogLevel, loggingEnvShape, loggingFrom } from './logging-settings.js';
import { type MetricsSettings, metricsEnvShape, metricsFrom } from './metrics-settings.js';
import { type NotificationSettings, notificationEnv, notificationsFrom } from './notification-settings.js';
import {
  type QuestionnaireSyncSettings,
  questionnaireSyncEnvShape,
  questionnaireSyncFrom,
} from './questionnaire-sync-settings.js';
import { type SecuritySettings, securityEnv, securitySettings } from './security-settings.js';
import { reviewerGroupEnv, type SlackSettings, slackEnv, slackFrom } from './slack-settings.js';

export { ConfigError } from './config-error.js';
export { loadDatabaseSettings } from './database-settings.js';
export { loadFlexSettings, type TaskRouterSettings } from './flex-settings.js';
export { loadIdentitySyncSettings } from './identity-sync-settings.js';
export type { LogLevel } from './logging-settings.js';
export type { OAuthSettings } from './slack-settings.js';

// Each settings module brings its variables; their order here is the order problems are reported in.
const envSchema = z.object({
  ...slackEnv,
  PORT: z.coerce
    .number({ error: 'must be a TCP port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  ...flexEnv,
  ...taskRouterEnv,
  ...reviewerGroupEnv,
  ...flexTimeoutEnv,
  ...databaseEnv,
  ...callLinkEnv,
  ...notificationEnv,
  ...digestEnv,
  ...deliveryEnv,
  ...securityEnv,
  ...loggingEnvShape,
  ...metricsEnvShape,
  ...questionnaireSyncEnvShape,
});

/** Rules that span several variables; checked on the raw values so that every problem is reported at once. */
function crossFieldProblems(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const problems: string[] = [];
  const oauthNames = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
  const oauth = oauthNames.some(set);
  if (oauth) {
    for (const name of oauthNames) {
      if (!set(name)) {
        problems.push(
          `${name} is required to install by OAuth, with ${oauthNames.filter((other) => other !== name).join(' and ')} (Basic Information → App Credentials; the state secret is any 32+ random characters)`,
        );
      }
    }
    if (!set('SECRETS_KEY')) {
      problems.push(
        'SECRETS_KEY is required to install by OAuth: the installations’ tokens are stored sealed with it (make one with `openssl rand -base64 32`)',
      );
    }
    if (set('SLACK_APP_TOKEN')) {
      problems.push('SLACK_APP_TOKEN must be left unset to install by OAuth: installs use HTTP (/slack/install)');
    }
    if (set('REVIEWER_USERGROUP')) {
      problems.push(
        'REVIEWER_USERGROUP names a user group of one workspace, so it works only with SLACK_BOT_TOKEN; leave it unset to install by OAuth and give people the reviewer role instead',
      );
    }
    if (set('DIGEST_CHANNEL') || set('DIGEST_TEAM_CHANNELS')) {
      problems.push(
        'DIGEST_CHANNEL and DIGEST_TEAM_CHANNELS name channels of one workspace, so they work only with SLACK_BOT_TOKEN; leave them unset to install by OAuth: each installed workspace’s QM admin sets its digest channel on the app’s Home tab (Digest and feedback settings)',
      );
    }
    if (set('NOTIFY_CHANNEL')) {
      problems.push(
        'NOTIFY_CHANNEL names a channel of one workspace, so it works only with SLACK_BOT_TOKEN; to install by OAuth leave it unset and give each workspace’s categories a channel (npm run categories -- set-channel --workspace T… --id … --channel …)',
      );
    }
  } else if (!set('SLACK_BOT_TOKEN')) {
    problems.push(
      'SLACK_BOT_TOKEN is required: the bot token (xoxb-…) from your Slack app’s OAuth & Permissions page (or, to install into many workspaces, set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET instead)',
    );
  }
  if (!set('SLACK_APP_TOKEN') && !set('SLACK_SIGNING_SECRET')) {
    problems.push(
      'SLACK_SIGNING_SECRET is required in HTTP mode: the signing secret from your Slack app’s Basic Information page',
    );
  }
  problems.push(...twilioCredentialProblems(env));
  return problems;
}

export interface Config {
  slack: SlackSettings;
  port: number;
  flex: FlexSettings;
  databaseUrl: string;
  /** Admin-defined call link forms, each with a named group `segment`. */
  callLinkPatterns: RegExp[];
  notifications: NotificationSettings;
  /** The weekly digests and agents' summaries (DIGEST_*). */
  digests: DigestSettings;
  /** How comments that Flex did not take are sent again; the worker looks for due ones this often. */
  delivery: DeliverySettings;
  taskRouter: TaskRouterSettings;
  /** Members of this Slack user group may comment even when their identity's role is none. */
  reviewerUsergroupId: string | undefined;
  /** 32-byte key that seals stored Flex Authorization values; absent means none can be stored. */
  secretsKey: Buffer | undefined;
  /** Where response_urls may point (SLACK_RESPONSE_URL_ORIGINS). */
  security: SecuritySettings;
  logLevel: LogLevel;
  logging: LoggingSettings;
  metrics: MetricsSettings;
  /** The scheduled refresh of the questionnaires /qm score offers. */
  questionnaireSync: QuestionnaireSyncSettings;
}

/** Reads and validates the settings once; nothing else in the app reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`)),
    ...crossFieldProblems(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = parsed.data;
  return {
    slack: slackFrom(e),
    port: e.PORT,
    flex: flexFrom(e),
    databaseUrl: e.DATABASE_URL,
    callLinkPatterns: e.CALL_LINK_PATTERNS,
    notifications: notificationsFrom(e),
    digests: digestsFrom(e),
    delivery: deliveryFrom(e),
    taskRouter: taskRouterFrom(e),
    reviewerUsergroupId: e.REVIEWER_USERGROUP,
    secretsKey: e.SECRETS_KEY,
    security: securitySettings(e),
    logLevel: e.LOG_LEVEL,
    logging: loggingFrom(e),
    metrics: metricsFrom(e),
    questionnaireSync: questionnaireSyncFrom(e),
  };
}
