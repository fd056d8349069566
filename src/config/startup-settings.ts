import { z } from 'zod';
import { ConfigError } from './config.js';

/** How hard the app tries to reach Slack and Flex at start before it starts without them (degraded). */
export interface StartupSettings {
  /** Tries of each check when the service does not answer (a refusal is never tried again). */
  attempts: number;
  /** Wait before the second try; doubled before each next one. */
  retryBaseMs: number;
  /** How long one try may take. */
  timeoutMs: number;
}

const whole = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(min).max(max);

const schema = z.object({
  STARTUP_CHECK_ATTEMPTS: whole(1, 20).default(4),
  STARTUP_CHECK_RETRY_MS: whole(10, 60_000).default(500),
  STARTUP_CHECK_TIMEOUT_MS: whole(100, 120_000).default(5_000),
});

export function loadStartupSettings(env: NodeJS.ProcessEnv): StartupSettings {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.keys(schema.shape).map((name) => [name, env[name]?.trim() || undefined])),
  );
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`));
  }
  const e = parsed.data;
  return {
    attempts: e.STARTUP_CHECK_ATTEMPTS,
    retryBaseMs: e.STARTUP_CHECK_RETRY_MS,
    timeoutMs: e.STARTUP_CHECK_TIMEOUT_MS,
  };
}
