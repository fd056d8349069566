/** The settings that run the real app against the sandbox, as printed and as written to --env-file. */
import { type Fakes, fakeServiceEnv } from '../test/helpers/start-fakes.js';
import type { RunSettings } from './run-settings.js';
import { FEED_CHANNEL, SANDBOX_WORLD } from './world.js';

export function sandboxAppEnv(
  fakes: Fakes,
  settings: Pick<RunSettings, 'databaseUrl' | 'appPort'>,
): Record<string, string> {
  return {
    ...fakeServiceEnv(SANDBOX_WORLD, fakes),
    DATABASE_URL: settings.databaseUrl,
    PORT: String(settings.appPort),
    NOTIFY_CHANNEL: FEED_CHANNEL,
    // Agents (alex, sam) are linked to Slack users: each comment and scorecard on their calls reaches them by DM.
    NOTIFY_AGENT_DM: 'true',
    LOG_LEVEL: 'info',
  };
}

/** KEY=value lines (no quoting needed: no value holds spaces, quotes or #), for dotenv or `set -a; . file`. */
export function envFileText(env: Record<string, string>): string {
  const lines = Object.entries(env).map(([key, value]) => `${key}=${value}`);
  return [
    '# Flex QM for Slack against the sandbox (npm run sandbox): fake Slack, Flex and TaskRouter on loopback.',
    '# Not for production: every token and secret here is a fixed sandbox value.',
    ...lines,
    '',
  ].join('\n');
}
