import { z } from 'zod';
import { type LoggingSettings, type LogLevel, loggingEnvShape, loggingFrom } from './logging-settings.js';
import { type MetricsSettings, metricsEnvShape, metricsFrom } from './metrics-settings.js';
import { secretsKeySchema } from './secrets-key-settings.js';
import { type SecuritySettings, securityEnv, securitySettings } from './security-settings.js';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      message: `must be an http(s) URL of ${what}`,
    });

const wholeNumber = (unit: string, min: number, max: number) =>
  z.coerce
    .number({ error: `must be a number of ${unit}` })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const envSchema = z.object({
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
  PORT: z.coerce
    .number({ error: 'must be a TCP port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  TWILIO_ACCOUNT_SID: optionalString.pipe(
    z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'must be an Account SID: AC followed by 32 hex digits')
      .optional(),
  ),
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_API_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^SK[0-9a-fA-F]{32}$/, 'must be an API Key SID: SK followed by 32 hex digits')
      .optional(),
  ),
  TWILIO_API_SECRET: optionalString,
  FLEX_API_BASE_URL: url('the Flex API').default('https://flex-api.twilio.com'),
  TASKROUTER_API_BASE_URL: url('the TaskRouter API').default('https://taskrouter.twilio.com'),
  TASKROUTER_WORKSPACE_SID: optionalString.pipe(
    z
      .string()
      .regex(
        /^WS[0-9a-fA-F]{32}$/,
        'must be a TaskRouter Workspace SID: WS followed by 32 hex digits (Console → TaskRouter → Workspaces)',
      )
      .optional(),
  ),
  REVIEWER_USERGROUP: optionalString.pipe(
    z
      .string()
      .regex(
        /^S[A-Z0-9]{2,}$/,
        'must be a Slack user group id such as S0123ABCD (the group’s page → ⋮ → Copy group ID)',
      )
      .optional(),
  ),
  FLEX_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int()
    .min(100, 'must be at least 100 ms')
    .max(120_000, 'must be at most 120000 ms')
    .default(10_000),
  DATABASE_URL: z
    .string()
    .trim()
    .default('file:./data/flex-qm.db')
    .refine(
      (value) =>
        (value.startsWith('file:') && value.length > 'file:'.length) || /^postgres(ql)?:\/\/[^/]*\/[^/?]+/i.test(value),
      {
        message:
          'must be an SQLite URL such as file:./data/flex-qm.db, or a PostgreSQL URL such as postgresql://user:password@host:5432/flex_qm',
      },
    ),
  SECRETS_KEY: optionalString.pipe(secretsKeySchema.optional()),
  CALL_LINK_PATTERNS: z
    .string()
    .trim()
    .default('[]')
    .transform((value, ctx) => {
      try {
        const parsed: unknown = JSON.parse(value === '' ? '[]' : value);
        if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) throw new Error('not a list');
        return parsed.map((source) => {
          if (!source.includes('(?<segment>')) throw new Error(`${source} has no (?<segment>…) group`);
          return new RegExp(source, 'i');
        });
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a JSON list of regular expressions, each with a named group (?<segment>…) and optionally (?<offset>…) and (?<agent>…): ${error instanceof Error ? error.message : String(error)}`,
        });
        return z.NEVER;
      }
    }),
  NOTIFY_CHANNEL: optionalString.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]+$/, 'must be a channel id such as C0123ABCD (channel details → bottom of the About tab)')
      .optional(),
  ),
  NOTIFY_AGENT_DM: z
    .enum(['true', 'false', ''], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  DELIVERY_MAX_ATTEMPTS: wholeNumber('attempts', 1, 100).default(8),
  DELIVERY_RETRY_BASE_MS: wholeNumber('milliseconds', 10, 3_600_000).default(2_000),
  DELIVERY_RETRY_MAX_MS: wholeNumber('milliseconds', 10, 86_400_000).default(300_000),
  DELIVERY_POLL_MS: wholeNumber('milliseconds', 10, 600_000).default(2_000),
  OVERLOAD_LAG_MS: wholeNumber('milliseconds', 0, 10_000).default(50),
  ...securityEnv,
  ...loggingEnvShape,
  ...metricsEnvShape,
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
  const pairs = [
    ['TWILIO_API_KEY', 'TWILIO_API_SECRET'],
    ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
  ] as const;
  const keyPair = pairs[0];
  const accountPair = pairs[1];
  const chosen =
    set(keyPair[0]) || set(keyPair[1]) ? keyPair : set(accountPair[0]) || set(accountPair[1]) ? accountPair : undefined;
  if (!chosen) {
    problems.push(
      'TWILIO_ACCOUNT_SID is required, with TWILIO_AUTH_TOKEN (or set TWILIO_API_KEY with TWILIO_API_SECRET): the Twilio credentials Flex accepts',
    );
  } else {
    const [first, second] = chosen;
    if (!set(first)) problems.push(`${first} is required with ${second}`);
    if (!set(second)) problems.push(`${second} is required with ${first}`);
  }
  return problems;
}

export type { LogLevel } from './logging-settings.js';

export interface Config {
  slack: {
    /** The single workspace's bot token; undefined when workspaces install the app by OAuth. */
    botToken: string | undefined;
    /** Set when workspaces install the app by OAuth (SLACK_CLIENT_ID and friends). */
    oauth: OAuthSettings | undefined;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string;
    botId: string | undefined;
    botUserId: string | undefined;
  };
  port: number;
  flex: {
    baseUrl: string;
    /** HTTP basic credentials: Account SID and Auth Token, or API Key SID and secret. */
    username: string;
    password: string;
    timeoutMs: number;
  };
  databaseUrl: string;
  /** Admin-defined call link forms, each with a named group `segment`. */
  callLinkPatterns: RegExp[];
  notifications: {
    /** Where every posted assessment is announced, unless its category names its own channel. */
    channelId: string | undefined;
    /** Also tell the agent, by DM, when they are mapped to a Slack user. */
    agentDm: boolean;
  };
  /** How comments that Flex did not take are sent again; the worker looks for due ones this often. */
  delivery: {
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
    pollIntervalMs: number;
    /**
     * Past this much event-loop lag the app is overloaded: it answers Slack first and leaves the sending
     * to the worker, a few at a time (0: never).
     */
    overloadLagMs: number;
  };
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
}

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** The redirect URL registered with Slack; undefined lets Slack use the app's only one. */
  redirectUri: string | undefined;
}

export interface TaskRouterSettings {
  baseUrl: string;
  /** The workspace whose workers identities are synced from; unset means sync is not set up. */
  workspaceSid: string | undefined;
}

/** Thrown when the environment cannot make a Config; its message names every bad variable. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(
      `Flex QM for Slack cannot run: its settings need fixing.\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for what each one holds, and docs/ for where to find it.`,
    );
    this.name = 'ConfigError';
  }
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
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      oauth:
        e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
          ? {
              clientId: e.SLACK_CLIENT_ID,
              clientSecret: e.SLACK_CLIENT_SECRET,
              stateSecret: e.SLACK_STATE_SECRET,
              redirectUri: e.SLACK_REDIRECT_URI,
            }
          : undefined,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      botId: e.SLACK_BOT_ID,
      botUserId: e.SLACK_BOT_USER_ID,
    },
    port: e.PORT,
    flex: flexSettings(e),
    databaseUrl: e.DATABASE_URL,
    callLinkPatterns: e.CALL_LINK_PATTERNS,
    notifications: { channelId: e.NOTIFY_CHANNEL, agentDm: e.NOTIFY_AGENT_DM },
    delivery: {
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      baseDelayMs: e.DELIVERY_RETRY_BASE_MS,
      maxDelayMs: Math.max(e.DELIVERY_RETRY_MAX_MS, e.DELIVERY_RETRY_BASE_MS),
      pollIntervalMs: e.DELIVERY_POLL_MS,
      overloadLagMs: e.OVERLOAD_LAG_MS,
    },
    taskRouter: { baseUrl: e.TASKROUTER_API_BASE_URL.replace(/\/+$/, ''), workspaceSid: e.TASKROUTER_WORKSPACE_SID },
    reviewerUsergroupId: e.REVIEWER_USERGROUP,
    secretsKey: e.SECRETS_KEY,
    security: securitySettings(e),
    logLevel: e.LOG_LEVEL,
    logging: loggingFrom(e),
    metrics: metricsFrom(e),
  };
}

/** Settings for tools that only touch the database (admin CLIs, migrations). */
export function loadDatabaseSettings(env: NodeJS.ProcessEnv): Pick<Config, 'databaseUrl' | 'secretsKey'> {
  const parsed = envSchema.pick({ DATABASE_URL: true, SECRETS_KEY: true }).safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`));
  }
  return { databaseUrl: parsed.data.DATABASE_URL, secretsKey: parsed.data.SECRETS_KEY };
}

/** Settings for tools that call Flex without Slack (categories sync). */
export function loadFlexSettings(env: NodeJS.ProcessEnv): Config['flex'] {
  const parsed = envSchema
    .pick({
      TWILIO_ACCOUNT_SID: true,
      TWILIO_AUTH_TOKEN: true,
      TWILIO_API_KEY: true,
      TWILIO_API_SECRET: true,
      FLEX_API_BASE_URL: true,
      FLEX_TIMEOUT_MS: true,
    })
    .safeParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`)),
    ...crossFieldProblems(env).filter((problem) => problem.startsWith('TWILIO_')),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return flexSettings(parsed.data);
}

function flexSettings(e: {
  TWILIO_ACCOUNT_SID?: string | undefined;
  TWILIO_AUTH_TOKEN?: string | undefined;
  TWILIO_API_KEY?: string | undefined;
  TWILIO_API_SECRET?: string | undefined;
  FLEX_API_BASE_URL: string;
  FLEX_TIMEOUT_MS: number;
}): Config['flex'] {
  const useKey = Boolean(e.TWILIO_API_KEY);
  return {
    baseUrl: e.FLEX_API_BASE_URL.replace(/\/+$/, ''),
    username: (useKey ? e.TWILIO_API_KEY : e.TWILIO_ACCOUNT_SID) ?? '',
    password: (useKey ? e.TWILIO_API_SECRET : e.TWILIO_AUTH_TOKEN) ?? '',
    timeoutMs: e.FLEX_TIMEOUT_MS,
  };
}

/**
 * Settings for `identities sync`: Flex credentials, the TaskRouter workspace, and how Slack is asked: with
 * SLACK_BOT_TOKEN, or, when a workspace installed by OAuth is named (`--workspace`), with that
 * installation's token, which needs the OAuth app's settings (its token is renewed when it rotates).
 */
export function loadIdentitySyncSettings(
  env: NodeJS.ProcessEnv,
  options: { installedWorkspace: boolean } = { installedWorkspace: false },
): {
  flex: Config['flex'];
  taskRouter: { baseUrl: string; workspaceSid: string };
  slack: { botToken: string | undefined; oauth: OAuthSettings | undefined; apiUrl: string };
} {
  const problems: string[] = [];
  let flex: Config['flex'] | undefined;
  try {
    flex = loadFlexSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const parsed = envSchema
    .pick({
      TASKROUTER_API_BASE_URL: true,
      TASKROUTER_WORKSPACE_SID: true,
      SLACK_BOT_TOKEN: true,
      SLACK_API_URL: true,
      SLACK_CLIENT_ID: true,
      SLACK_CLIENT_SECRET: true,
      SLACK_STATE_SECRET: true,
      SLACK_REDIRECT_URI: true,
      SECRETS_KEY: true,
    })
    .safeParse(env);
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
    if (e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET) {
      oauth = {
        clientId: e.SLACK_CLIENT_ID,
        clientSecret: e.SLACK_CLIENT_SECRET,
        stateSecret: e.SLACK_STATE_SECRET,
        redirectUri: e.SLACK_REDIRECT_URI,
      };
    }
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
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
    },
  };
}
