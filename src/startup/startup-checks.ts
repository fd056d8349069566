import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/config.js';
import type { StartupSettings } from '../config/startup-settings.js';
import type { FlexClient } from '../flex/flex-client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { CallResult, ServiceName, ServiceStatus } from '../health/service-status.js';
import { checkFlexCredentials } from './flex-check.js';
import { checkSealedSecrets } from './sealed-secrets-check.js';
import { checkSlackToken } from './slack-check.js';
import { type CheckOutcome, StartupRefusal } from './startup-refusal.js';

export interface StartupLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface StartupCheckDeps {
  config: Config;
  prisma: PrismaClient;
  flex: Pick<FlexClient, 'listCommentCategories'>;
  status: ServiceStatus;
  settings: StartupSettings;
  log: StartupLog;
  /** Waits between tries (tests replace it). */
  wait?: (ms: number) => Promise<unknown>;
}

/**
 * What the app checks before it says it is listening: that SECRETS_KEY opens what the database holds
 * sealed, that Slack takes SLACK_BOT_TOKEN (auth.test; skipped when workspaces install by OAuth, as no
 * workspace token is at hand), and that Flex takes the Twilio credentials (its comment categories).
 * A refusal throws StartupRefusal, one paragraph per problem. A service that does not answer is tried
 * again with a doubling wait, then reported, and the app starts without it (degraded; /readyz says so).
 * Resolves with the settings completed by what Slack said (the bot's ids, so Bolt need not ask again).
 */
export async function runStartupChecks(deps: StartupCheckDeps): Promise<Config> {
  const { config, log } = deps;
  const sealed = await checkSealedSecrets(deps.prisma, config.secretsKey);
  if (sealed) throw new StartupRefusal([sealed]);

  const token = config.slack.oauth ? undefined : config.slack.botToken;
  if (!token)
    log.info('Slack check skipped: workspaces install the app by OAuth; each token is checked as it is used.');
  const timeoutMs = deps.settings.timeoutMs;
  const [slack, flex] = await Promise.all([
    token
      ? tryChecking(deps, 'slack', 'auth.test', () => checkSlackToken(config.slack.apiUrl, token, timeoutMs))
      : undefined,
    tryChecking(deps, 'flex', 'listCommentCategories', () =>
      checkFlexCredentials(deps.flex, config.flex, Math.min(timeoutMs, config.flex.timeoutMs)),
    ),
  ]);
  const refusals = [slack, flex].flatMap((outcome) => (outcome?.kind === 'refused' ? [outcome.paragraph] : []));
  if (refusals.length > 0) throw new StartupRefusal(refusals);

  if (slack?.kind === 'unreachable') {
    log.warn(
      `Slack did not answer auth.test at ${config.slack.apiUrl} after ${deps.settings.attempts} tries (${slack.detail}). Starting without it: Slack requests may fail and /readyz reports Slack as unreachable until a call gets through. Check this host's way out to Slack (proxy, firewall, DNS) and SLACK_API_URL.`,
    );
  }
  if (flex.kind === 'unreachable') {
    log.warn(
      `Flex did not answer at ${config.flex.baseUrl} after ${deps.settings.attempts} tries (${flex.detail}). Starting without it: comments wait in the database and are sent when Flex answers; /readyz reports Flex as unreachable until then. Check this host's way out to Twilio (proxy, firewall, DNS) and FLEX_API_BASE_URL.`,
    );
  }
  for (const outcome of [slack, flex]) if (outcome?.kind === 'warning') log.warn(outcome.message);
  if (slack?.kind === 'ok' && flex.kind === 'ok') {
    log.info(
      `Slack and Flex accept the app's credentials (team ${slack.found.teamId ?? '?'}, ${flex.found.categories} comment categories in Flex).`,
    );
  }

  if (slack?.kind !== 'ok') return config;
  const { botId, botUserId } = slack.found;
  return {
    ...config,
    slack: { ...config.slack, botId: config.slack.botId ?? botId, botUserId: config.slack.botUserId ?? botUserId },
  };
}

const RESULT: Record<CheckOutcome<unknown>['kind'], CallResult> = {
  ok: 'ok',
  refused: 'refused',
  warning: 'answered_error',
  unreachable: 'unreachable',
};

/** Runs one check until it gets an answer or runs out of tries, recording the last outcome. */
async function tryChecking<Found>(
  deps: StartupCheckDeps,
  service: ServiceName,
  call: string,
  check: () => Promise<CheckOutcome<Found>>,
): Promise<CheckOutcome<Found>> {
  const { attempts, retryBaseMs } = deps.settings;
  const wait = deps.wait ?? sleep;
  const name = service === 'slack' ? 'Slack' : 'Flex';
  for (let attempt = 1; ; attempt++) {
    const outcome = await check();
    deps.status.record(service, RESULT[outcome.kind], call, outcome.kind === 'ok' ? undefined : outcome.detail);
    if (outcome.kind !== 'unreachable' || attempt >= attempts) return outcome;
    const delayMs = retryBaseMs * 2 ** (attempt - 1);
    deps.log.warn(
      `${name} did not answer at start (${outcome.detail}); trying again in ${delayMs} ms (try ${attempt + 1} of ${attempts}).`,
    );
    await wait(delayMs);
  }
}
