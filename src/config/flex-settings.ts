import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { optionalString, url } from './env-values.js';

export interface FlexSettings {
  baseUrl: string;
  /** HTTP basic credentials: Account SID and Auth Token, or API Key SID and secret. */
  username: string;
  password: string;
  timeoutMs: number;
}

export interface TaskRouterSettings {
  baseUrl: string;
  /** The workspace whose workers identities are synced from; unset means sync is not set up. */
  workspaceSid: string | undefined;
}

/** Twilio's credentials and the Flex API's address. */
export const flexEnv = {
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
};

/** The TaskRouter workspace identities are synced from. */
export const taskRouterEnv = {
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
};

export const flexTimeoutEnv = {
  FLEX_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int()
    .min(100, 'must be at least 100 ms')
    .max(120_000, 'must be at most 120000 ms')
    .default(10_000),
};

/** Twilio's credentials come in pairs: API Key and secret, or Account SID and Auth Token. */
export function twilioCredentialProblems(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const problems: string[] = [];
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

export function flexFrom(e: {
  TWILIO_ACCOUNT_SID?: string | undefined;
  TWILIO_AUTH_TOKEN?: string | undefined;
  TWILIO_API_KEY?: string | undefined;
  TWILIO_API_SECRET?: string | undefined;
  FLEX_API_BASE_URL: string;
  FLEX_TIMEOUT_MS: number;
}): FlexSettings {
  const useKey = Boolean(e.TWILIO_API_KEY);
  return {
    baseUrl: e.FLEX_API_BASE_URL.replace(/\/+$/, ''),
    username: (useKey ? e.TWILIO_API_KEY : e.TWILIO_ACCOUNT_SID) ?? '',
    password: (useKey ? e.TWILIO_API_SECRET : e.TWILIO_AUTH_TOKEN) ?? '',
    timeoutMs: e.FLEX_TIMEOUT_MS,
  };
}

export function taskRouterFrom(e: {
  TASKROUTER_API_BASE_URL: string;
  TASKROUTER_WORKSPACE_SID?: string | undefined;
}): TaskRouterSettings {
  return { baseUrl: e.TASKROUTER_API_BASE_URL.replace(/\/+$/, ''), workspaceSid: e.TASKROUTER_WORKSPACE_SID };
}

/** Settings for tools that call Flex without Slack (categories sync). */
export function loadFlexSettings(env: NodeJS.ProcessEnv): FlexSettings {
  const parsed = z.object({ ...flexEnv, ...flexTimeoutEnv }).safeParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`)),
    ...twilioCredentialProblems(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return flexFrom(parsed.data);
}
