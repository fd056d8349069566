import { z } from 'zod';

/**
 * Where Slack's response_urls may point. Slack gives a response_url on hooks.slack.com, and on
 * hooks.slack-gov.com in GovSlack (Slack's US government cloud, whose domain is slack-gov.com); the app
 * POSTs nowhere else, whatever a payload says. Tests and the sandbox name their local fake Slack here,
 * as SLACK_API_URL names its Web API.
 */
export const DEFAULT_RESPONSE_URL_ORIGINS = ['https://hooks.slack.com', 'https://hooks.slack-gov.com'] as const;

/** The environment variables of this module, spread into the app's settings schema. */
export const securityEnv = {
  SLACK_RESPONSE_URL_ORIGINS: z
    .string()
    .trim()
    .default(DEFAULT_RESPONSE_URL_ORIGINS.join(','))
    .transform((value, ctx) => {
      const origins = (value === '' ? DEFAULT_RESPONSE_URL_ORIGINS.join(',') : value).split(/[\s,]+/).filter(Boolean);
      const bad = origins.filter((origin) => !isOrigin(origin));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a comma-separated list of origins such as https://hooks.slack.com (scheme and host, no path); not: ${bad.join(', ').slice(0, 200)}`,
        });
        return z.NEVER;
      }
      return origins.map((origin) => new URL(origin).origin);
    }),
};

export interface SecuritySettings {
  /** The origins (scheme, host and port) response_urls may have. */
  responseUrlOrigins: readonly string[];
}

export function securitySettings(env: { SLACK_RESPONSE_URL_ORIGINS: string[] }): SecuritySettings {
  return { responseUrlOrigins: env.SLACK_RESPONSE_URL_ORIGINS };
}

function isOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    /^https?:$/.test(url.protocol) &&
    (url.pathname === '/' || url.pathname === '') &&
    value.replace(/\/$/, '') === url.origin
  );
}
